package io.imaginggateway.fhirstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResourceValidatorTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();
    private static ResourceValidator validator;
    private static Bundle sample;

    @BeforeAll
    static void load() throws Exception {
        validator = ResourceValidator.fromDirectory(FHIR, Path.of("fhir-profiles"));
        sample = FHIR.newJsonParser().parseResource(Bundle.class, Files.readString(Path.of("samples/fhir/ct-chest-study.json")));
    }

    @Test
    void theSampleStudyBundleConformsToTheGatewayProfiles() {
        assertThat(validator.errors(sample)).isEmpty();
    }

    @Test
    void aStudyWithoutItsStudyInstanceUidIsRejected() {
        ImagingStudy study = resource(ImagingStudy.class).copy();
        study.getIdentifier().removeIf(i -> "urn:dicom:uid".equals(i.getSystem()));
        assertThat(validator.errors(study)).anyMatch(e -> e.contains("gw-is-1"));
    }

    @Test
    void aSopClassWithoutTheUrnOidFormIsRejected() {
        ImagingStudy study = resource(ImagingStudy.class).copy();
        study.getSeriesFirstRep().getInstanceFirstRep().getSopClass().setCode("1.2.840.10008.5.1.4.1.1.2");
        assertThat(validator.errors(study)).anyMatch(e -> e.contains("gw-is-5"));
    }

    @Test
    void anOrderWithoutPlacerFillerOrAccessionNumberIsRejected() {
        ServiceRequest order = resource(ServiceRequest.class).copy();
        order.getIdentifier().forEach(i -> i.getType().getCodingFirstRep().setCode("VN"));
        assertThat(validator.errors(order)).anyMatch(e -> e.contains("gw-sr-1"));
    }

    @Test
    void aResultWithNeitherValueNorTheReasonItHasNoneIsRejected() {
        org.hl7.fhir.r4.model.Observation result = new org.hl7.fhir.r4.model.Observation()
                .setStatus(org.hl7.fhir.r4.model.Observation.ObservationStatus.FINAL)
                .setCode(new org.hl7.fhir.r4.model.CodeableConcept().setText("Size"))
                .setSubject(new org.hl7.fhir.r4.model.Reference("Patient/1"));
        result.addCategory().setText("imaging");
        result.addIdentifier().setSystem("urn:x").setValue("1");
        assertThat(validator.errors(result)).anyMatch(e -> e.contains("gw-obs-2"));
        result.setValue(new org.hl7.fhir.r4.model.Quantity(4).setCode("mm"));
        assertThat(validator.errors(result)).as("a unit code without its system (qty-3)").anyMatch(e -> e.contains("qty-3"));
        result.getValueQuantity().setSystem("http://unitsofmeasure.org");
        assertThat(validator.errors(result)).isEmpty();
        result.getCategory().clear();
        assertThat(validator.errors(result)).anyMatch(e -> e.contains("Observation.category: minimum required = 1"));
    }

    @Test
    void aReportWithoutItsOrdersNumbersIsRejected() {
        org.hl7.fhir.r4.model.DiagnosticReport report = new org.hl7.fhir.r4.model.DiagnosticReport()
                .setStatus(org.hl7.fhir.r4.model.DiagnosticReport.DiagnosticReportStatus.FINAL)
                .setCode(new org.hl7.fhir.r4.model.CodeableConcept().setText("CT"))
                .setSubject(new org.hl7.fhir.r4.model.Reference("Patient/1"));
        report.addBasedOn(new org.hl7.fhir.r4.model.Reference("ServiceRequest/1"));
        report.addIdentifier().setSystem("urn:x").setValue("1");
        assertThat(validator.errors(report)).anyMatch(e -> e.contains("gw-dr-1"));
    }

    @Test
    void aPatientWithoutIdentifierIsRejected() {
        Patient patient = resource(Patient.class).copy();
        patient.getIdentifier().clear();
        assertThat(validator.errors(patient)).isNotEmpty();
    }

    @Test
    void aProfileRuleTheValidatorWouldNotApplyStopsTheLoad(@TempDir Path profiles) throws Exception {
        // a rule a site added at the top of a differential: the snapshot generator skips elements out of the base
        // resource's order without a word, so the rule would never be checked
        Path patient = profiles.resolve("gateway-patient.json");
        Files.writeString(patient, Files.readString(Path.of("fhir-profiles/gateway-patient.json")).replace("\"element\": [",
                "\"element\": [ { \"id\": \"Patient.birthDate\", \"path\": \"Patient.birthDate\", \"min\": 1 },"));
        assertThatThrownBy(() -> ResourceValidator.fromDirectory(FHIR, profiles))
                .hasMessageContaining(patient.toString()).hasMessageContaining("[Patient.birthDate] not applied");
    }

    private static <T> T resource(Class<T> type) {
        return sample.getEntry().stream().map(Bundle.BundleEntryComponent::getResource)
                .filter(type::isInstance).map(type::cast).findFirst().orElseThrow();
    }
}
