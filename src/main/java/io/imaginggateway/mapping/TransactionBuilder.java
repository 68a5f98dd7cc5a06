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
    private final String feed;
    private final Map<String, String> fullUrlByIdentity = new HashMap<>();

    /**
     * @param messageIdentifier the source message (HL7 MSH-10, ...) as Bundle.identifier
     * @param source            meta.source of every resource written: where it came from
     * @param feed              the feed every resource written is tagged with ({@link MappingRules#FEED_TAG_SYSTEM})
     */
    public TransactionBuilder(Identifier messageIdentifier, String source, String feed) {
        bundle.setIdentifier(messageIdentifier);
        this.source = source;
        this.feed = feed;
    }

    public Reference upsert(Resource resource, List<Identifier> identity) {
        return add(resource, identity, Bundle.HTTPVerb.PUT);
    }

    /**
     * {@code POST Type} with {@code ifNoneExist=identifier=s|v,...}: the resource is created when nothing has one of
     * these identifiers, and a stored one is left exactly as it is (a source that must never change what another
     * stored, e.g. DICOM demographics against the HL7 feed's).
     */
    public Reference createIfAbsent(Resource resource, List<Identifier> identity) {
        return add(resource, identity, Bundle.HTTPVerb.POST);
    }

    private Reference add(Resource resource, List<Identifier> identity, Bundle.HTTPVerb verb) {
        if (identity.isEmpty()) {
            throw new IllegalArgumentException(resource.fhirType() + " without an identifying identifier");
        }
        List<String> tokens = identity.stream().map(IdentifierQuery::token).toList();
        for (String token : tokens) {
            String existing = fullUrlByIdentity.get(resource.fhirType() + "?" + token);
            if (existing != null) {
                return new Reference(existing);
            }
        }
        String query = IdentifierQuery.of(identity);
        String fullUrl = "urn:uuid:" + UUID.nameUUIDFromBytes((resource.fhirType() + "?" + query).getBytes(StandardCharsets.UTF_8));
        tokens.forEach(token -> fullUrlByIdentity.put(resource.fhirType() + "?" + token, fullUrl));
        resource.getMeta().setSource(source);
        resource.getMeta().addTag(MappingRules.FEED_TAG_SYSTEM, feed, null);
        Bundle.BundleEntryRequestComponent request = bundle.addEntry().setFullUrl(fullUrl).setResource(resource).getRequest()
                .setMethod(verb);
        if (verb == Bundle.HTTPVerb.PUT) {
            request.setUrl(resource.fhirType() + "?" + query);
        } else {
            request.setUrl(resource.fhirType()).setIfNoneExist(query);
        }
        return new Reference(fullUrl);
    }

    public Bundle build() {
        return bundle;
    }
}
