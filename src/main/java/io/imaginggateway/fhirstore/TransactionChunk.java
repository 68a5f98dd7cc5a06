package io.imaginggateway.fhirstore;

import io.imaginggateway.mapping.IdentifierQuery;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Several message Bundles sent to HAPI as one transaction, and HAPI's answer split back per message. The Bundles of
 * one chunk name different resources (by type and business identifier), so none depends on another's write.
 */
final class TransactionChunk {

    /** A message's entries: as mapped (for what they name), and as linked to the stored resources (to send). */
    private record Member(int index, Bundle changes, Bundle linked, int firstEntry) {}

    private final List<Member> members = new ArrayList<>();
    private final Set<String> written = new HashSet<>();
    private final Bundle combined = new Bundle().setType(Bundle.BundleType.TRANSACTION);

    /** Whether this chunk writes any of these identities. */
    boolean writes(Set<String> identity) {
        return identity.stream().anyMatch(written::contains);
    }

    /**
     * @param changes the message's entries still to write, as mapped (null: nothing)
     * @param linked  the same entries, in the same order, as the link step resolved them
     */
    void add(int index, Bundle changes, Bundle linked) {
        members.add(new Member(index, changes, linked, combined.getEntry().size()));
        if (changes != null) {
            linked.getEntry().forEach(combined::addEntry);
            written.addAll(identity(changes));
        }
    }

    /** Sends the chunk and puts each member's result at its index. */
    void write(UnaryOperator<Bundle> transaction, FhirStore.Written[] results) {
        Bundle response = combined.getEntry().isEmpty() ? new Bundle() : transaction.apply(combined);
        for (Member member : members) {
            Bundle slice = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
            int size = member.changes() == null ? 0 : member.changes().getEntry().size();
            for (int e = member.firstEntry(); e < member.firstEntry() + size; e++) {
                slice.addEntry(response.getEntry().get(e));
            }
            results[member.index()] = new FhirStore.Written(new FhirStore.Result(FhirStore.Outcome.STORED, slice),
                    member.changes());
        }
    }

    /**
     * What a Bundle's entries name: {@code Type|system|value} per identifier of their conditional URLs
     * ({@code identifier=a,b}); an entry without one is named by its URL.
     */
    static Set<String> identity(Bundle bundle) {
        Set<String> names = new HashSet<>();
        if (bundle == null) {
            return names;
        }
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            String url = IdentifierQuery.conditionalUrl(entry);
            int query = url == null ? -1 : url.indexOf("?identifier=");
            if (query < 0 || url.indexOf('&') >= 0) {
                names.add(url != null ? url : String.valueOf(entry.getRequest().getUrl()));
                continue;
            }
            for (String token : IdentifierQuery.tokens(url.substring(query + "?identifier=".length()))) {
                names.add(url.substring(0, query) + "|" + token);
            }
        }
        return names;
    }
}
