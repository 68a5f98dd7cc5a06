package io.imaginggateway.security;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.api.RestOperationTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import io.imaginggateway.audit.AuditTrail;
import io.imaginggateway.security.AccessGrant.Interaction;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * The FHIR server's check of the caller's SMART scopes ({@link AccessGrant}), on the FHIR server's own view of the
 * request: the interaction and resource type before it is handled (each entry of a transaction or batch by its
 * method and type), and every resource in the answer after (so {@code _include}, {@code _revinclude} and a
 * transaction's returned resources cannot show a type the client may not read). Anything else the API offers
 * (system-wide search and history, operations such as {@code $validate}) needs {@value AccessGrant#ADMIN}. AuditEvents
 * are only read: no scope lets a client write, change or delete the audit trail. A refusal is 403 with an
 * OperationOutcome, and audited.
 */
@Component
@Interceptor
public class SmartScopes {

    private static final Set<RestOperationTypeEnum> READS = EnumSet.of(RestOperationTypeEnum.READ,
            RestOperationTypeEnum.VREAD, RestOperationTypeEnum.SEARCH_TYPE, RestOperationTypeEnum.SEARCH_SYSTEM,
            RestOperationTypeEnum.GET_PAGE, RestOperationTypeEnum.HISTORY_INSTANCE, RestOperationTypeEnum.HISTORY_TYPE,
            RestOperationTypeEnum.HISTORY_SYSTEM);

    private static final String AUDIT_TRAIL = "AuditEvent";

    private final AuditTrail audit;

    SmartScopes(AuditTrail audit) {
        this.audit = audit;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_PRE_HANDLED)
    public void beforeHandling(RequestDetails request, RestOperationTypeEnum operation) {
        if (operation == RestOperationTypeEnum.METADATA) {
            return;
        }
        AccessGrant grant = grant(request);
        String type = request.getResourceName();
        switch (operation) {
            case READ, VREAD, HISTORY_INSTANCE -> require(grant, request, type, Interaction.READ);
            case SEARCH_TYPE, HISTORY_TYPE, GET_PAGE -> requireSearch(grant, request, type);
            case CREATE -> require(grant, request, type, Interaction.CREATE);
            case UPDATE, PATCH -> require(grant, request, type, Interaction.UPDATE);
            case DELETE -> require(grant, request, type, Interaction.DELETE);
            case TRANSACTION, BATCH -> requireEntries(grant, request);
            default -> {
                if (!grant.admin()) {
                    deny(grant, request, operation.getCode() + " needs " + AccessGrant.ADMIN);
                }
            }
        }
    }

    @Hook(Pointcut.SERVER_OUTGOING_RESPONSE)
    public void beforeAnswering(RequestDetails request, IBaseResource response) {
        if (response == null || !READS.contains(request.getRestOperationType())) {
            return; // a write's answer is what the client sent, as stored
        }
        AccessGrant grant = grant(request);
        if (response instanceof Bundle bundle) {
            for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
                readable(grant, request, entry.getResource());
            }
        } else {
            readable(grant, request, (Resource) response);
        }
    }

    private void readable(AccessGrant grant, RequestDetails request, Resource resource) {
        if (resource != null && !resource.fhirType().equals("OperationOutcome")
                && !grant.allowsOrAdmin(resource.fhirType(), Interaction.READ)
                && !grant.allows(resource.fhirType(), Interaction.SEARCH)) {
            deny(grant, request, "the answer holds a " + resource.fhirType() + ", which the token may not read");
        }
    }

    /** A page of search results: its type is the search's; a search across types needs every type it finds. */
    private void requireSearch(AccessGrant grant, RequestDetails request, String type) {
        if (type != null) {
            require(grant, request, type, Interaction.SEARCH);
        }
    }

    private void requireEntries(AccessGrant grant, RequestDetails request) {
        if (!(request.getResource() instanceof Bundle bundle)) {
            return;
        }
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Bundle.HTTPVerb method = entry.getRequest().getMethod();
            String url = entry.getRequest().getUrl() == null ? "" : entry.getRequest().getUrl();
            String type = entry.getResource() != null ? entry.getResource().fhirType() : url.split("[/?]", 2)[0];
            Interaction interaction = switch (method == null ? Bundle.HTTPVerb.NULL : method) {
                case POST -> Interaction.CREATE;
                case PUT, PATCH -> Interaction.UPDATE;
                case DELETE -> Interaction.DELETE;
                case GET, HEAD -> url.contains("/") ? Interaction.READ : Interaction.SEARCH;
                default -> null;
            };
            if (interaction == null) {
                deny(grant, request, "a Bundle entry without request.method");
            }
            require(grant, request, type, interaction);
        }
    }

    private void require(AccessGrant grant, RequestDetails request, String type, Interaction interaction) {
        if (AUDIT_TRAIL.equals(type) && interaction != Interaction.READ && interaction != Interaction.SEARCH) {
            deny(grant, request, interaction.name().toLowerCase(Locale.ROOT) + " of AuditEvent: the audit trail is"
                    + " written by the gateway alone, and never changed");
        }
        if (type == null ? !grant.admin() : !grant.allowsOrAdmin(type, interaction)) {
            deny(grant, request, interaction.name().toLowerCase(Locale.ROOT) + " of "
                    + (type == null ? "all types" : type) + " needs system/" + (type == null ? "*" : type) + "."
                    + interaction.name().toLowerCase(Locale.ROOT).charAt(0));
        }
    }

    private void deny(AccessGrant grant, RequestDetails request, String reason) {
        String text = "The token of " + grant.client() + " may not: " + reason;
        audit.accessDenied(grant.client(), request instanceof ServletRequestDetails s
                ? s.getServletRequest().getRemoteAddr() : "", text);
        throw new ForbiddenOperationException(text);
    }

    private static AccessGrant grant(RequestDetails request) {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()
                || "anonymous".equals(authentication.getName())) {
            throw new AuthenticationException("No bearer token");
        }
        return AccessGrant.of(authentication);
    }
}
