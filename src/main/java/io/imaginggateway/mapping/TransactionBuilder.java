package io.imaginggateway.mapping;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * Builds the one FHIR transaction a message becomes. Every resource is identified by its business identifiers, never
 * by a server id, so that re-delivery and out-of-order arrival land on the same resources: {@link #upsert} adds
 * {@code PUT Type?identifier=s|v,s|v}, the source's current view of that thing (merged with what other feeds stored,
 * see {@code linking.ResourceMerge}). The identifiers listed are alternatives: any one of them finds the resource. References between entries use
 * {@code urn:uuid:} full URLs derived from type and identity, so the same message always gives the same Bundle.
 * One entry per identity: asking again for the same thing returns the first entry's reference.
 */
public final class TransactionBuilder {

    private final Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
    private final String source;
    private final Map<String, String> fullUrlByIdentity = new HashMap<>();

    /**
     * @param messageIdentifier the source message (HL7 MSH-10, ...) as Bundle.identifier
     * @param source            meta.source of every resource written: where it came from
     */
    public TransactionBuilder(Identifier messageIdentifier, String source) {
        bundle.setIdentifier(messageIdentifier);
        this.source = source;
    }

    public Reference upsert(Resource resource, List<Identifier> identity) {

        if (identity.isEmpty()) {
            throw new IllegalArgumentException(resource.fhirType() + " without an identifying identifier");
        }
        List<String> tokens = identity.stream().map(TransactionBuilder::token).toList();
        for (String token : tokens) {
            String existing = fullUrlByIdentity.get(resource.fhirType() + "?" + token);
            if (existing != null) {
                return new Reference(existing);
            }
        }
        String query = "identifier=" + String.join(",", tokens);
        String fullUrl = "urn:uuid:" + UUID.nameUUIDFromBytes((resource.fhirType() + "?" + query).getBytes(StandardCharsets.UTF_8));
        tokens.forEach(token -> fullUrlByIdentity.put(resource.fhirType() + "?" + token, fullUrl));
        resource.getMeta().setSource(source);
        bundle.addEntry().setFullUrl(fullUrl).setResource(resource).getRequest()
                .setMethod(Bundle.HTTPVerb.PUT).setUrl(resource.fhirType() + "?" + query);
        return new Reference(fullUrl);
    }

    public Bundle build() {
        return bundle;
    }

    /**
     * {@code system|value} as a FHIR token search value in a URL query: \ , | and $ in either part are escaped with a
     * backslash (FHIR search), and the characters a query string gives a meaning (% & # + = and space) are
     * percent-encoded, so that an order number such as {@code 661&2} stays one value.
     */
    static String token(Identifier identifier) {
        return escape(identifier.getSystem()) + "|" + escape(identifier.getValue());
    }

    private static String escape(String part) {
        if (part == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder();
        for (char c : part.toCharArray()) {
            if ("\\,|$".indexOf(c) >= 0) {
                escaped.append('\\').append(c);
            } else if ("%&#+= ".indexOf(c) >= 0) {
                escaped.append('%').append(String.format("%02X", (int) c));
            } else {
                escaped.append(c);
            }
        }
        return escaped.toString();
    }
}
