package io.imaginggateway.fhirstore;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The validate step: every version of a stored resource type that is about to be written — by the gateway's feeds
 * (after the merge with what is stored: what is validated is what is stored), by the FHIR inbox or by a FHIR client
 * over REST — is checked against R4 and {@code gateway.fhir.profiles} ({@link ResourceValidator}), inside the write's
 * database transaction. An invalid one is not stored, and neither is anything else of its transaction: the feed gets
 * the validator's message (HL7 AE, DICOM held aside, REST 422 with an OperationOutcome).
 *
 * <p>A HAPI storage hook, because HAPI merges and writes inside its transaction processing: only there is the
 * version that will be stored complete. Ordered after {@code linking.MergeOnUpdate}.
 */
@Component
public class ValidationBeforeStorage {

    private static final Logger log = LoggerFactory.getLogger(ValidationBeforeStorage.class);

    private final ResourceValidator validator;
    private final Set<String> storedTypes;

    ValidationBeforeStorage(IInterceptorService interceptors, FhirStoreProperties properties, FhirContext fhirContext) {
        this.storedTypes = Set.copyOf(properties.resourceTypes());
        if (properties.validation() == FhirStoreProperties.Validation.OFF) {
            log.warn("Validation before storage is OFF (gateway.fhir.validation=off): invalid resources can be stored");
            this.validator = null;
            return;
        }
        this.validator = ResourceValidator.fromDirectory(fhirContext, properties.profiles());
        interceptors.registerInterceptor(this);
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = 100)
    public void created(IBaseResource resource) {
        validate(resource);
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = 100)
    public void updated(IBaseResource stored, IBaseResource updated) {
        validate(updated);
    }

    private void validate(IBaseResource resource) {
        if (!(resource instanceof Resource r4) || !storedTypes.contains(r4.fhirType())) {
            return;
        }
        List<String> errors = validator.errors(r4);
        if (errors.isEmpty()) {
            return;
        }
        OperationOutcome outcome = new OperationOutcome();
        errors.forEach(error -> outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.INVARIANT).setDiagnostics(error));
        throw new UnprocessableEntityException(String.join("; ", errors), outcome);
    }
}
