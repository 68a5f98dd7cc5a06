package io.imaginggateway.audit;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.storage.interceptor.balp.BalpAuditCaptureInterceptor;
import ca.uhn.fhir.storage.interceptor.balp.IBalpAuditContextServices;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Reference;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * AuditEvents of FHIR reads, searches, creates, updates and deletes by clients (IHE Basic Audit Log Patterns), made by
 * HAPI's BALP capture and written by {@link AuditTrail} at once (not HAPI's in-memory queue, which a crash empties):
 * a read's event is stored before its answer leaves, a write's in the write's own transaction. The client is the
 * name of its token (the static token's name, the JWT's client_id).
 */
@Component
public class BalpAudit {

    private final BalpAuditCaptureInterceptor interceptor;

    BalpAudit(AuditTrail trail) {
        this.interceptor = new BalpAuditCaptureInterceptor(event -> trail.write(deletedNamedByText(event)),
                new IBalpAuditContextServices() {
            @Override
            public Reference getAgentClientWho(RequestDetails request) {
                return new Reference().setDisplay(client());
            }

            @Override
            public Reference getAgentUserWho(RequestDetails request) {
                return new Reference().setDisplay(client());
            }

            /** Relative (Patient/12): the store takes no reference to a URL, and the server's base may change. */
            @Override
            public String massageResourceIdForStorage(RequestDetails request, IBaseResource resource, IIdType id) {
                return id.toUnqualifiedVersionless().getValue();
            }
        });
    }

    /**
     * A delete's event names what it names as text ("ImagingStudy/12, deleted"): written in the delete's own
     * transaction, a reference to the deleted resource (or, deleting a Patient, to that patient) would be refused by
     * the store as a reference to a deleted resource.
     */
    private static AuditEvent deletedNamedByText(AuditEvent event) {
        if (event.getSubtype().stream().anyMatch(code -> "delete".equals(code.getCode()))) {
            for (AuditEvent.AuditEventEntityComponent entity : event.getEntity()) {
                Reference what = entity.getWhat();
                if (what.hasReference()) {
                    what.setDisplay(what.getReference() + ", deleted").setReference(null);
                }
            }
        }
        return event;
    }

    public BalpAuditCaptureInterceptor interceptor() {
        return interceptor;
    }

    private static String client() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null ? "unknown" : authentication.getName();
    }
}
