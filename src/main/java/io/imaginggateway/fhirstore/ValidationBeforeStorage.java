package io.imaginggateway.fhirstore;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.IInterceptorService;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ImagingStudy;
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
 * the validator's message (HL7 AE, DICOM set aside, REST 422 with an OperationOutcome).
 *
 * <p>A HAPI storage hook, because HAPI merges and writes inside its transaction processing: only there is the
 * version that will be stored complete. Ordered after {@code linking.MergeOnUpdate}.
 *
 * <p>The store's one writer thread must not spend its time validating: a feed's transaction is validated as mapped
 * on the thread that hands it to the store ({@link #check}), and the writer re-validates only a version that differs
 * from every version validated that way — a merged update, a FHIR client's write. Content validated once is not
 * validated again (a feed repeats the same patient and physician message after message; a merge that changes nothing
 * gives the stored content back). The comparison ignores what
 * the write itself fills in (id, meta, the resolved reference values); a bounded set of content digests remembers
 * what was validated.
 */
@Component
public class ValidationBeforeStorage {

    private static final Logger log = LoggerFactory.getLogger(ValidationBeforeStorage.class);
    private static final int REMEMBERED = 20_000;
    private static final Pattern REFERENCE = Pattern.compile("\"reference\":\"[^\"]*\"");

    private final ResourceValidator validator;
    private final Set<String> storedTypes;
    private final FhirContext fhirContext;
    private final Set<String> validated = Collections.newSetFromMap(Collections.synchronizedMap(
            new LeastRecentlyUsedMap<String, Boolean>(REMEMBERED)));

    ValidationBeforeStorage(IInterceptorService interceptors, FhirStoreProperties properties, FhirContext fhirContext) {
        this.storedTypes = Set.copyOf(properties.resourceTypes());
        this.fhirContext = fhirContext;
        if (properties.validation() == FhirStoreProperties.Validation.OFF) {
            log.warn("Validation before storage is OFF (gateway.fhir.validation=off): invalid resources can be stored");
            this.validator = null;
            return;
        }
        this.validator = ResourceValidator.fromDirectory(fhirContext, properties.profiles());
        interceptors.registerInterceptor(this);
    }

    /**
     * A transaction's resources as mapped, before it is handed to the writer, on the caller's thread.
     *
     * @throws UnprocessableEntityException when one is not valid
     */
    public void check(Bundle bundle) {
        if (validator == null) {
            return;
        }
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (entry.getResource() != null && storedTypes.contains(entry.getResource().fhirType())) {
                String digest = digest(entry.getResource());
                if (!validated.contains(digest)) {
                    validate(entry.getResource());
                    validated.add(digest);
                }
            }
        }
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_CREATED, order = 100)
    public void created(IBaseResource resource) {
        validateIfNew(resource);
    }

    @Hook(value = Pointcut.STORAGE_PRESTORAGE_RESOURCE_UPDATED, order = 100)
    public void updated(IBaseResource stored, IBaseResource updated) {
        validateIfNew(updated instanceof ImagingStudy study && stored instanceof ImagingStudy before
                ? withoutStoredInstances(study, before) : updated);
    }

    /**
     * The new version of a study without the instances its stored version already has, unchanged: those were
     * validated when they were stored, and a study's rules are per instance. Without this, each batch of a study
     * arriving over C-STORE would validate every instance received so far again, a cost that grows with the square of
     * the study's size (a CT of thousands of slices).
     */
    private static ImagingStudy withoutStoredInstances(ImagingStudy study, ImagingStudy before) {
        Map<String, ImagingStudy.ImagingStudySeriesInstanceComponent> storedByUid = new HashMap<>();
        before.getSeries().forEach(series -> series.getInstance().forEach(i -> storedByUid.put(i.getUid(), i)));
        ImagingStudy toValidate = study.copy();
        toValidate.getSeries().forEach(series -> series.getInstance().removeIf(instance -> {
            ImagingStudy.ImagingStudySeriesInstanceComponent stored = storedByUid.get(instance.getUid());
            return stored != null && stored.equalsDeep(instance);
        }));
        return toValidate;
    }

    private void validateIfNew(IBaseResource resource) {
        if (resource instanceof Resource r4 && storedTypes.contains(r4.fhirType())) {
            String digest = digest(r4);
            if (!validated.contains(digest)) {
                validate(r4);
                validated.add(digest);
            }
        }
    }

    private void validate(Resource resource) {
        List<String> errors = validator.errors(resource);
        if (errors.isEmpty()) {
            return;
        }
        OperationOutcome outcome = new OperationOutcome();
        errors.forEach(error -> outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(OperationOutcome.IssueType.INVARIANT).setDiagnostics(error));
        throw new UnprocessableEntityException(String.join("; ", errors), outcome);
    }

    /** The resource's content without what the write fills in: id, meta, and the values of its references. */
    private String digest(Resource resource) {
        String json = fhirContext.newJsonParser().setOmitResourceId(true).setDontEncodeElements(Set.of("*.meta"))
                .encodeResourceToString(resource);
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(
                    REFERENCE.matcher(json).replaceAll("\"reference\":\"\"").getBytes(StandardCharsets.UTF_8));
            return resource.fhirType() + Base64.getEncoder().encodeToString(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
