package io.imaginggateway.fhirstore;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.searchparam.MatchUrlService;
import ca.uhn.fhir.jpa.searchparam.SearchParameterMap;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import io.imaginggateway.linking.IdentityLinker;
import io.imaginggateway.linking.StoredIdentity;
import java.util.List;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.IdType;

/**
 * What a conditional URL finds in the embedded JPA store, read in the caller's database transaction: the ids from the
 * search, their identities from {@link StoredIdentities} (a resource is read only when its identity is not known).
 */
final class StoredResourceSearch implements IdentityLinker.StoredResources {

    private final DaoRegistry daos;
    private final MatchUrlService matchUrls;
    private final FhirContext fhirContext;
    private final StoredIdentities identities;

    StoredResourceSearch(DaoRegistry daos, MatchUrlService matchUrls, FhirContext fhirContext,
            StoredIdentities identities) {
        this.daos = daos;
        this.matchUrls = matchUrls;
        this.fhirContext = fhirContext;
        this.identities = identities;
    }

    @Override
    public List<StoredIdentity> find(String conditionalUrl) {
        String type = conditionalUrl.substring(0, conditionalUrl.indexOf('?'));
        SearchParameterMap search = matchUrls.translateMatchUrl(conditionalUrl, fhirContext.getResourceDefinition(type));
        search.setLoadSynchronous(true);
        IFhirResourceDao<?> dao = daos.getResourceDao(type);
        List<IIdType> found = dao.searchForResourceIds(search, new SystemRequestDetails());
        return found.stream().map(id -> identities.get(type + "/" + id.getIdPart(),
                key -> dao.read(new IdType(key), new SystemRequestDetails()))).toList();
    }
}
