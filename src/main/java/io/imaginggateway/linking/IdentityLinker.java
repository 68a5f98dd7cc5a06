package io.imaginggateway.linking;

import io.imaginggateway.mapping.IdentifierQuery;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/**
 * The link step: each entry of a feed's transaction that names its resource by business identifiers
 * ({@code PUT Type?identifier=...}, {@code POST} with {@code ifNoneExist}) is resolved to the stored resource it names,
 * and written to that resource by id, only if the identity rules hold:
 * <ol>
 *   <li><b>One resource.</b> The identifiers name at most one stored resource. Placer, filler and accession number
 *       naming two different orders is a conflict, never a merge.</li>
 *   <li><b>Same patient.</b> An order, report, result, study or visit that belongs to one patient is never given to
 *       another: the stored resource's subject must be the Patient this transaction's patient resolves to.</li>
 *   <li><b>Numbers agree.</b> The stored resource has no other number of the same kind (same system and type) than the
 *       incoming one: the same filler number with another placer number or accession number is another order.
 *       Compared: the identifiers the entry is found by, and placer, filler, accession and visit numbers.</li>
 * </ol>
 * A broken rule throws {@link IdentityConflict} and nothing of the transaction is written. Otherwise each of these
 * entries names what it resolved to ({@link #resolvedEntries}): HAPI's conditional matching is not used for them (it
 * matches a URL with several identifiers by its first one only, and identifiers by system and value, not type).
 * Runs on the store's writer,
 * inside the database transaction, so what it checks is what the write will change.
 */
public final class IdentityLinker {

    /** The stored resources a conditional URL ({@code Type?identifier=...}) finds, as far as identity goes. */
    public interface StoredResources {
        List<StoredIdentity> find(String conditionalUrl);
    }

    /** Resource types that are about one patient: their subject never changes. */
    private static final Set<String> ABOUT_A_PATIENT = Set.of("ServiceRequest", "DiagnosticReport", "Observation",
            "ImagingStudy", "Encounter");
    /** Identifier types (v2-0203) a resource has one of per authority: two values in one scope are two things. */
    private static final Set<String> ONE_PER_SCOPE = Set.of("PLAC", "FILL", "ACSN", "VN");

    private final StoredResources store;

    public IdentityLinker(StoredResources store) {
        this.store = store;
    }

    private record Resolved(int index, Bundle.BundleEntryComponent entry, String url, StoredIdentity stored) {

        String storedId() {
            return stored.id();
        }
    }

    /**
     * The transaction to write: a copy in which every entry the link step resolves names what it resolved to (or
     * {@code bundle} itself when there is none); its entries are {@code bundle}'s, in the same order.
     *
     * @throws IdentityConflict when an entry breaks an identity rule
     */
    public Bundle link(Bundle bundle) {
        Map<String, Resolved> byFullUrl = new HashMap<>();
        List<Resolved> resolved = new ArrayList<>();
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            Bundle.BundleEntryComponent entry = bundle.getEntry().get(i);
            String url = IdentifierQuery.conditionalUrl(entry);
            if (url == null || !needsResolving(entry, url)) {
                continue;
            }
            Resolved one = new Resolved(i, entry, url, one(entry, url));
            byFullUrl.put(entry.getFullUrl(), one);
            resolved.add(one);
        }
        for (Resolved one : resolved) {
            if (one.stored() == null) {
                continue;
            }
            if (ABOUT_A_PATIENT.contains(one.stored().type())) {
                samePatient(one, byFullUrl);
            }
            numbersAgree(one);
        }
        return resolved.isEmpty() ? bundle : resolvedEntries(bundle, resolved);
    }

    /**
     * Whether the linker resolves this entry itself: every entry about a patient and every Patient (they are
     * checked), and any entry HAPI would resolve wrongly (several identifiers). A Practitioner or Endpoint named by
     * one identifier is left to HAPI.
     */
    private static boolean needsResolving(Bundle.BundleEntryComponent entry, String url) {
        String type = url.substring(0, url.indexOf('?'));
        return ABOUT_A_PATIENT.contains(type) || type.equals("Patient")
                || IdentifierQuery.parse(url).size() > 1 && entry.getRequest().getMethod() == Bundle.HTTPVerb.PUT;
    }

    /**
     * The one stored resource the URL finds (null: none). A token search matches system and value only; a stored
     * resource counts as found only when the identifier it shares also has the same type (or one of the two has
     * none): an account number of one patient is not the medical record number of another.
     */
    private StoredIdentity one(Bundle.BundleEntryComponent entry, String url) {
        List<Identifier> findBy = IdentifierQuery.parse(url);
        List<Identifier> typed = identifiers(entry.getResource()).stream()
                .filter(i -> findBy.stream().anyMatch(f -> sameIdentifier(f, i))).toList();
        Map<String, StoredIdentity> distinct = new LinkedHashMap<>();
        for (StoredIdentity stored : store.find(url)) {
            if (stored.identifiers().stream().anyMatch(s -> typed.stream().anyMatch(i -> sameIdentifier(s, i)
                    && (type(s) == null || type(i) == null || type(s).equals(type(i)))))) {
                distinct.putIfAbsent(stored.id(), stored);
            }
        }
        if (distinct.size() <= 1) {
            return distinct.values().stream().findFirst().orElse(null);
        }
        List<StoredIdentity> several = new ArrayList<>(distinct.values());
        Identifier first = matching(entry.getResource(), several.get(0));
        Identifier second = several.stream().skip(1).map(r -> matching(entry.getResource(), r))
                .filter(i -> !sameIdentifier(i, first)).findFirst().orElse(first);
        String type = entry.getResource().fhirType();
        throw new IdentityConflict(IdentityConflict.Kind.TWO_RESOURCES, type, first,
                several.stream().map(StoredIdentity::id).toList(),
                "and " + IdentityConflict.describe(second) + " name two different " + IdentityConflict.plural(type));
    }

    /** Rule 2: for each of the incoming numbers, the stored resource has the same number or none of its kind. */
    private static void numbersAgree(Resolved resolved) {
        Resource incoming = resolved.entry().getResource();
        List<Identifier> stored = resolved.stored().identifiers();
        List<Identifier> findBy = IdentifierQuery.parse(resolved.url());
        for (Identifier number : identifiers(incoming)) {
            boolean compared = findBy.stream().anyMatch(f -> sameIdentifier(f, number)) || ONE_PER_SCOPE.contains(type(number));
            if (!compared) {
                continue;
            }
            List<Identifier> sameKind = stored.stream().filter(s -> sameScope(s, number)).toList();
            if (!sameKind.isEmpty() && sameKind.stream().noneMatch(s -> Objects.equals(s.getValue(), number.getValue()))) {
                Set<String> values = new TreeSet<>();
                sameKind.forEach(s -> values.add(s.getValue()));
                throw new IdentityConflict(IdentityConflict.Kind.NUMBERS_DISAGREE, incoming.fhirType(),
                        matching(incoming, resolved.stored()), List.of(resolved.storedId()),
                        "names " + IdentityConflict.aNoun(incoming.fhirType()) + " whose " + IdentityConflict.kind(number) + " is "
                                + String.join(", ", values) + ", not " + number.getValue());
            }
        }
    }

    /** Rule 3: the stored resource's subject is the Patient this transaction's patient is. */
    private static void samePatient(Resolved resolved, Map<String, Resolved> byFullUrl) {
        String stored = resolved.stored().subject();
        String incoming = reference(StoredIdentity.subject(resolved.entry().getResource()));
        if (stored == null || incoming == null) {
            return;
        }
        if (incoming.startsWith("urn:uuid:")) {
            Resolved patient = byFullUrl.get(incoming);
            incoming = patient == null || patient.stored() == null ? null : patient.storedId();
        }
        if (!stored.equals(incoming)) {
            Resource resource = resolved.entry().getResource();
            throw new IdentityConflict(IdentityConflict.Kind.OTHER_PATIENT, resource.fhirType(),
                    matching(resource, resolved.stored()), List.of(resolved.storedId()),
                    "belongs to " + IdentityConflict.aNoun(resource.fhirType()) + " of another patient");
        }
    }

    /**
     * The transaction as the link step resolved it, entry for entry: an update that found its resource is an update
     * of that resource by id; a conditional create that found its resource a conditional create by that id (HAPI
     * leaves the resource as it is and points the entry's references at it); an entry that found nothing a create.
     * HAPI's own conditional matching (by system and value, not type) is not used for these entries.
     */
    private static Bundle resolvedEntries(Bundle bundle, List<Resolved> resolved) {
        Bundle linked = bundle.copy();
        for (Resolved one : resolved) {
            Bundle.BundleEntryComponent entry = linked.getEntry().get(one.index());
            Bundle.BundleEntryRequestComponent request = entry.getRequest();
            String type = entry.getResource().fhirType();
            if (one.stored() == null) {
                request.setMethod(Bundle.HTTPVerb.POST).setUrl(type).setIfNoneExist(null);
            } else if (request.getMethod() == Bundle.HTTPVerb.PUT) {
                request.setUrl(one.storedId());
                entry.getResource().setId(one.storedId());
            } else {
                request.setIfNoneExist("_id=" + one.stored().idPart());
            }
        }
        return linked;
    }

    /** The incoming identifier that found the stored resource (the first the two share). */
    private static Identifier matching(Resource incoming, StoredIdentity stored) {
        List<Identifier> storedIdentifiers = stored.identifiers();
        return identifiers(incoming).stream().filter(i -> storedIdentifiers.stream().anyMatch(s -> sameIdentifier(s, i)))
                .findFirst().orElseGet(() -> identifiers(incoming).stream().findFirst().orElse(new Identifier()));
    }

    private static List<Identifier> identifiers(Resource resource) {
        return resource.getNamedProperty("identifier") == null ? List.of()
                : resource.getNamedProperty("identifier").getValues().stream().map(Identifier.class::cast).toList();
    }

    /** {@code Type/id} (or a placeholder {@code urn:uuid:}) without base URL or version; null when empty. */
    private static String reference(Reference reference) {
        if (reference == null || !reference.hasReference()) {
            return null;
        }
        String value = reference.getReference();
        return value.startsWith("urn:") ? value : new IdType(value).toUnqualifiedVersionless().getValue();
    }

    private static boolean sameIdentifier(Identifier a, Identifier b) {
        return Objects.equals(a.getSystem(), b.getSystem()) && Objects.equals(a.getValue(), b.getValue());
    }

    /** Same system and same type: numbers of one kind from one authority. */
    private static boolean sameScope(Identifier a, Identifier b) {
        return Objects.equals(a.getSystem(), b.getSystem()) && Objects.equals(type(a), type(b));
    }

    private static String type(Identifier identifier) {
        for (Coding coding : identifier.getType().getCoding()) {
            if (coding.hasCode()) {
                return coding.getCode();
            }
        }
        return identifier.getType().getText();
    }

}
