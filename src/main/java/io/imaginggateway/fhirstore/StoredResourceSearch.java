package io.imaginggateway.fhirstore;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import io.imaginggateway.linking.IdentityLinker;
import java.util.List;
import org.hl7.fhir.r4.model.Resource;

/** What a conditional URL finds in the embedded JPA store, read in the caller's database transaction. */
final class StoredResourceSearch implements IdentityLinker.StoredResources {

    private final DaoRegistry daos;
    private final MatchUrlService matchUrls;
    private final FhirContext fhirContext;

    StoredResourceSearch(DaoRegistry daos, MatchUrlService matchUrls, FhirContext fhirContext) {
        this.daos = daos;
        this.matchUrls = matchUrls;
        this.fhirContext = fhirContext;
    }

    @Override
    public List<Resource> find(String conditionalUrl) {
        String type = conditionalUrl.substring(0, conditionalUrl.indexOf('?'));
        SearchParameterMap search = matchUrls.translateMatchUrl(conditionalUrl, fhirContext.getResourceDefinition(type));
        search.setLoadSynchronous(true);
        return daos.getResourceDao(type).searchForResources(search, new SystemRequestDetails()).stream()
                .map(Resource.class::cast).toList();
    }
}
