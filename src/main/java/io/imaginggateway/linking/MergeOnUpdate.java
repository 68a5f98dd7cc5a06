package io.imaginggateway.linking;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.stereotype.Component;

/**
 * Applies {@link ResourceMerge} when the gateway's own feeds update a stored resource (inside HAPI's update, before
 * the new version is written, so an update that changes nothing after merging writes no version at all). Updates
 * from FHIR clients over REST replace resources as FHIR says.
 */
@Component
public class MergeOnUpdate {

    MergeOnUpdate(IInterceptorService interceptors) {
        interceptors.registerInterceptor(this);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED)
    public void merge(IBaseResource stored, IBaseResource incoming, RequestDetails request) {
        if (request instanceof SystemRequestDetails && stored instanceof Resource old && incoming instanceof Resource now) {
            ResourceMerge.merge(old, now);
        }
    }
}
