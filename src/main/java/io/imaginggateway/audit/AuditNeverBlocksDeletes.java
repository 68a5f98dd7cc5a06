package io.imaginggateway.audit;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.jpa.api.model.DeleteConflictList;
import ca.uhn.fhir.jpa.delete.DeleteConflictOutcome;
import org.springframework.stereotype.Component;

/**
 * A resource the audit trail names can still be deleted: the store would otherwise refuse every delete of a resource
 * someone has read (its AuditEvents refer to it). The AuditEvents keep their reference; other referential integrity
 * is untouched. (HAPI's {@code enforceReferentialIntegrityOnDeleteDisableForPaths} applies only to its batch
 * delete-expunge, not to a DELETE.)
 */
@Component
@Interceptor
public class AuditNeverBlocksDeletes {

    AuditNeverBlocksDeletes(IInterceptorService interceptors) {
        interceptors.registerInterceptor(this);
    }

    @Hook(Pointcut.STORAGE_PRESTORAGE_DELETE_CONFLICTS)
    public DeleteConflictOutcome ignoreAuditEvents(DeleteConflictList conflicts) {
        conflicts.removeIf(conflict -> "AuditEvent".equals(conflict.getSourceId().getResourceType()));
        return null;
    }
}
