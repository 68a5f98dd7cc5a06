package io.imaginggateway.fhirstore;

import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.stereotype.Component;

/**
 * The gateway's one way to write FHIR: a transaction against the embedded JPA server, in process (no HTTP to
 * itself). All entries commit together or none do.
 */
@Component
public class FhirStore {

    private final IFhirSystemDao<Bundle, Meta> systemDao;

    FhirStore(IFhirSystemDao<Bundle, Meta> systemDao) {
        this.systemDao = systemDao;
    }

    /** Runs a transaction (or batch) Bundle and returns HAPI's response Bundle. */
    public Bundle transaction(Bundle bundle) {
        return systemDao.transaction(new SystemRequestDetails(), bundle);
    }
}
