package io.imaginggateway.fhirstore;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.executor.InterceptorService;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The writer's validation of a study's new version: what it adds or changes is checked, what is stored is not again. */
class ValidationBeforeStorageTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static final String NOT_URN_OID = "1.2.840.10008.5.1.4.1.1.2";
    private static ValidationBeforeStorage validation;
    private static ImagingStudy stored;

    @BeforeAll
    static void load() throws Exception {
        validation = new ValidationBeforeStorage(new InterceptorService(), new FhirStoreProperties(
                FhirStoreProperties.SchemaMode.MIGRATE, List.of("ImagingStudy"), 20, 500, Path.of("inbox"),
                Path.of("fhir-profiles"), FhirStoreProperties.Validation.ENFORCE), FHIR);
        stored = FHIR.newJsonParser().parseResource(Bundle.class,
                        Files.readString(Path.of("samples/fhir/ct-chest-study.json"))).getEntry().stream()
                .map(Bundle.BundleEntryComponent::getResource).filter(ImagingStudy.class::isInstance)
                .map(ImagingStudy.class::cast).findFirst().orElseThrow();
    }

    @Test
    void anInstanceAddedToAStoredStudyIsValidated() {
        ImagingStudy updated = stored.copy();
        addInstance(updated, "1.2.826.0.1.3680043.9.7001.99.1", NOT_URN_OID);
        assertRefusedForItsSopClass(updated);
    }

    @Test
    void aStoredInstanceTheNewVersionChangesIsValidated() {
        ImagingStudy updated = stored.copy();
        updated.getSeriesFirstRep().getInstanceFirstRep().getSopClass().setCode(NOT_URN_OID);
        assertRefusedForItsSopClass(updated);
    }

    @Test
    void instancesTheStoredVersionAlreadyHasUnchangedAreNotValidatedAgain() {
        // stored before a site tightened its profiles: a new batch of the study is not refused for it
        ImagingStudy storedEarlier = stored.copy();
        storedEarlier.getSeriesFirstRep().getInstanceFirstRep().getSopClass().setCode(NOT_URN_OID);
        ImagingStudy updated = storedEarlier.copy();
        addInstance(updated, "1.2.826.0.1.3680043.9.7001.99.2", "urn:oid:1.2.840.10008.5.1.4.1.1.2");
        assertThatCode(() -> validation.updated(storedEarlier, updated)).doesNotThrowAnyException();
    }

    private static void assertRefusedForItsSopClass(ImagingStudy updated) {
        assertThatThrownBy(() -> validation.updated(stored, updated))
                .isInstanceOf(UnprocessableEntityException.class).hasMessageContaining("gw-is-5");
    }

    private static void addInstance(ImagingStudy study, String uid, String sopClass) {
        ImagingStudy.ImagingStudySeriesInstanceComponent instance = study.getSeriesFirstRep().addInstance().setUid(uid);
        instance.getSopClass().setSystem("urn:ietf:rfc:3986").setCode(sopClass);
    }
}
