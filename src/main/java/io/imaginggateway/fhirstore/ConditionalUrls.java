package io.imaginggateway.fhirstore;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.util.List;
import java.util.function.Function;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;

/**
 * Resolves the gateway's conditional updates that name a resource by several identifiers
 * ({@code PUT ServiceRequest?identifier=placer,accession}) before HAPI sees them. HAPI 8.8's transaction processor
 * matches such a URL only when its first identifier is stored (its pre-fetch looks at the first value of the list),
 * so an order stored from the images (accession only) was created a second time by the HL7 order naming placer and
 * accession. A URL that finds exactly one resource becomes an update of that resource by id; none: HAPI creates it;
 * several: left to HAPI. A URL the writer resolved before, to a resource nothing has changed since
 * ({@link WrittenResources}), needs no search.
 */
final class ConditionalUrls {

    private final DaoRegistry daos;
    private final MatchUrlService matchUrls;
    private final FhirContext fhirContext;

    ConditionalUrls(DaoRegistry daos, MatchUrlService matchUrls, FhirContext fhirContext) {
        this.daos = daos;
        this.matchUrls = matchUrls;
        this.fhirContext = fhirContext;
    }

    /**
     * The Bundle to send: a copy with multi-identifier updates resolved (the original is left as it was).
     *
     * @param known the resource id a conditional URL is known to resolve to, or null
     */
    Bundle resolve(Bundle bundle, Function<String, String> known) {
        Bundle resolved = null;
        for (int i = 0; i < bundle.getEntry().size(); i++) {
            Bundle.BundleEntryComponent entry = bundle.getEntry().get(i);
            String url = entry.getRequest().getUrl();
            if (entry.getRequest().getMethod() != Bundle.HTTPVerb.PUT || url == null || !url.contains("?identifier=")
                    || !url.contains(",")) {
                continue;
            }
            String type = url.substring(0, url.indexOf('?'));
            String id = known.apply(url);
            if (id == null) {
                List<IIdType> found = daos.getResourceDao(type).searchForResourceIds(
                        matchUrls.translateMatchUrl(url, fhirContext.getResourceDefinition(type)), new SystemRequestDetails());
                id = found.size() == 1 ? type + "/" + found.get(0).getIdPart() : null;
            }
            if (id != null) {
                resolved = resolved != null ? resolved : bundle.copy();
                Bundle.BundleEntryComponent copy = resolved.getEntry().get(i);
                copy.getRequest().setUrl(id);
                copy.getResource().setId(id);
            }
        }
        return resolved != null ? resolved : bundle;
    }
}
