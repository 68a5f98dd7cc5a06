package io.imaginggateway.testsupport;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.imaginggateway.fhirstore.ResourceValidator;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;

/**
 * Everything a gateway stored, read back over its FHIR API page by page and validated against base R4 and
 * {@code fhir-profiles/} by a validator of the test's own (the gateway validated before storing; this checks that it
 * did). Every resource type the gateway stores is read, whoever wrote it.
 */
public final class StoredResourcesCheck {

    private static final List<String> TYPES = List.of("Patient", "Practitioner", "Encounter", "ServiceRequest",
            "DiagnosticReport", "Observation", "ImagingStudy", "Endpoint", "Organization", "Provenance");
    private static ResourceValidator validator;

    private StoredResourcesCheck() {}

    /** The validation errors of every stored resource ("Type/id: ..."); and how many resources were read. */
    public record Findings(int resources, List<String> errors) {}

    public static synchronized Findings check(IGenericClient client) {
        if (validator == null) {
            validator = ResourceValidator.fromDirectory(FhirContext.forR4Cached(), Path.of("fhir-profiles"));
        }
        int resources = 0;
        List<String> errors = new ArrayList<>();
        for (String type : TYPES) {
            Bundle page = client.search().byUrl(type + "?_count=500").returnBundle(Bundle.class).execute();
            while (true) {
                for (Bundle.BundleEntryComponent entry : page.getEntry()) {
                    Resource resource = entry.getResource();
                    resources++;
                    validator.errors(resource).forEach(error -> errors.add(
                            resource.getIdElement().toUnqualifiedVersionless().getValue() + " " + error));
                }
                if (page.getLink(Bundle.LINK_NEXT) == null) {
                    break;
                }
                page = client.loadPage().next(page).execute();
            }
        }
        return new Findings(resources, errors);
    }
}
