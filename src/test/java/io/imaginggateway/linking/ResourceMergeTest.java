package io.imaginggateway.linking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.api.Test;

class ResourceMergeTest {

    @Test
    void whatTheNewViewLeavesOutIsKeptAndIdentifiersAreUnitedInStoredOrder() {
        Patient stored = new Patient();
        stored.addIdentifier().setSystem("urn:mrn").setValue("1");
        stored.addIdentifier().setSystem("urn:ssn").setValue("2");
        stored.setBirthDateElement(new org.hl7.fhir.r4.model.DateType("1970-01-01"));
        stored.addName().setFamily("Doe");
        Patient incoming = new Patient();
        incoming.addIdentifier().setSystem("urn:other").setValue("3");
        incoming.addIdentifier().setSystem("urn:mrn").setValue("1");
        incoming.addName().setFamily("Smith");

        ResourceMerge.merge(stored, incoming);

        assertThat(incoming.getIdentifier()).extracting(i -> i.getValue()).containsExactly("1", "2", "3");
        assertThat(incoming.getBirthDateElement().getValueAsString()).isEqualTo("1970-01-01");
        assertThat(incoming.getNameFirstRep().getFamily()).isEqualTo("Smith");
    }

    @Test
    void aReportWithoutVisitKeepsTheOrdersEncounterEvenWhenAGetterLeftAnEmptyReference() {
        ServiceRequest stored = order(ServiceRequest.ServiceRequestStatus.ACTIVE);
        stored.setEncounter(new Reference("Encounter/7"));
        ServiceRequest incoming = order(ServiceRequest.ServiceRequestStatus.COMPLETED);
        incoming.getEncounter(); // HAPI's getter creates an empty Reference: it says nothing

        ResourceMerge.merge(stored, incoming);

        assertThat(incoming.getEncounter().getReference()).isEqualTo("Encounter/7");
    }

    @Test
    void anObservationsValueAndTheReasonItIsAbsentReplaceEachOther() {
        Observation absent = new Observation().setStatus(Observation.ObservationStatus.PRELIMINARY);
        absent.setDataAbsentReason(new org.hl7.fhir.r4.model.CodeableConcept(new Coding(
                "http://terminology.hl7.org/CodeSystem/data-absent-reason", "unknown", null)));
        Observation valued = new Observation().setStatus(Observation.ObservationStatus.FINAL);
        valued.setValue(new org.hl7.fhir.r4.model.Quantity(4.2));

        ResourceMerge.merge(absent, valued);
        assertThat(valued.hasDataAbsentReason()).as("obs-6: no absent-reason next to the value").isFalse();
        assertThat(valued.getValueQuantity().getValue()).isEqualByComparingTo("4.2");

        Observation absentAgain = new Observation().setStatus(Observation.ObservationStatus.CORRECTED);
        absentAgain.setDataAbsentReason(absent.getDataAbsentReason().copy());
        ResourceMerge.merge(valued, absentAgain);
        assertThat(absentAgain.hasValue()).isFalse();
        assertThat(absentAgain.getDataAbsentReason().getCodingFirstRep().getCode()).isEqualTo("unknown");
    }

    @Test
    void aRevokedOrderIsNotMadeActiveAgainButKeepsItsModality() {
        ServiceRequest stored = order(ServiceRequest.ServiceRequestStatus.REVOKED);
        stored.getCategoryFirstRep().addCoding(new Coding("http://dicom.nema.org/resources/ontology/DCM", "MR", null));
        ServiceRequest incoming = order(ServiceRequest.ServiceRequestStatus.ACTIVE);

        ResourceMerge.merge(stored, incoming);

        assertThat(incoming.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.REVOKED);
        assertThat(incoming.getCategoryFirstRep().getCoding()).extracting(Coding::getCode).containsExactly("363679005", "MR");
    }

    @Test
    void aCompletedOrderCanStillBeCancelledAndUnknownNeverOverwrites() {
        ServiceRequest incoming = order(ServiceRequest.ServiceRequestStatus.REVOKED);
        ResourceMerge.merge(order(ServiceRequest.ServiceRequestStatus.COMPLETED), incoming);
        assertThat(incoming.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.REVOKED);

        ServiceRequest unknown = order(ServiceRequest.ServiceRequestStatus.UNKNOWN);
        ResourceMerge.merge(order(ServiceRequest.ServiceRequestStatus.ACTIVE), unknown);
        assertThat(unknown.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
    }

    @Test
    void anOrderDoesNotSetAStudyWithImagesBackToRegistered() {
        ImagingStudy stored = new ImagingStudy().setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        stored.addSeries().setUid("1.2.3.1").setNumberOfInstances(10);
        stored.addModality(new Coding("http://dicom.nema.org/resources/ontology/DCM", "CT", null));
        ImagingStudy incoming = new ImagingStudy().setStatus(ImagingStudy.ImagingStudyStatus.REGISTERED);
        incoming.addModality(new Coding("http://dicom.nema.org/resources/ontology/DCM", "CT", null));
        incoming.addBasedOn(new Reference("ServiceRequest/5"));

        ResourceMerge.merge(stored, incoming);

        assertThat(incoming.getStatus()).isEqualTo(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        assertThat(incoming.getSeries()).extracting(ImagingStudy.ImagingStudySeriesComponent::getUid).containsExactly("1.2.3.1");
        assertThat(incoming.getModality()).hasSize(1);
        assertThat(incoming.getBasedOnFirstRep().getReference()).isEqualTo("ServiceRequest/5");
    }

    static ServiceRequest order(ServiceRequest.ServiceRequestStatus status) {
        ServiceRequest order = new ServiceRequest().setStatus(status).setIntent(ServiceRequest.ServiceRequestIntent.ORDER);
        order.addIdentifier().setSystem("urn:placer").setValue("PO-1");
        order.addCategory().addCoding(new Coding("http://snomed.info/sct", "363679005", "Imaging"));
        return order;
    }

    @Test
    void aLatePreliminaryReportChangesNothingButACorrectionAndACancelAreTaken() {
        DiagnosticReport stored = report(DiagnosticReport.DiagnosticReportStatus.FINAL, "final text");
        DiagnosticReport late = report(DiagnosticReport.DiagnosticReportStatus.PRELIMINARY, "draft");
        late.setId("DiagnosticReport/7");
        late.getMeta().setSource("urn:late");

        ResourceMerge.merge(stored, late);

        assertThat(late.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
        assertThat(late.getConclusion()).isEqualTo("final text");
        assertThat(late.getIdElement().getIdPart()).isEqualTo("7");
        assertThat(late.getMeta().getSource()).isEqualTo("urn:late");
        for (DiagnosticReport.DiagnosticReportStatus later : List.of(DiagnosticReport.DiagnosticReportStatus.CORRECTED,
                DiagnosticReport.DiagnosticReportStatus.CANCELLED)) {
            DiagnosticReport incoming = report(later, "new text");
            ResourceMerge.merge(stored, incoming);
            assertThat(incoming.getStatus()).isEqualTo(later);
            assertThat(incoming.getConclusion()).isEqualTo("new text");
        }
    }

    @Test
    void aResultKeepsItsStatusAgainstUnknownAndAnEarlierStage() {
        Observation stored = new Observation().setStatus(Observation.ObservationStatus.CORRECTED)
                .setValue(new StringType("corrected"));
        Observation unknown = new Observation().setStatus(Observation.ObservationStatus.UNKNOWN);
        Observation earlier = new Observation().setStatus(Observation.ObservationStatus.FINAL).setValue(new StringType("first"));

        ResourceMerge.merge(stored, unknown);
        ResourceMerge.merge(stored, earlier);

        assertThat(unknown.getStatus()).isEqualTo(Observation.ObservationStatus.CORRECTED);
        assertThat(unknown.getValueStringType().getValue()).isEqualTo("corrected");
        assertThat(earlier.getStatus()).isEqualTo(Observation.ObservationStatus.CORRECTED);
        assertThat(earlier.getValueStringType().getValue()).isEqualTo("corrected");
    }

    @Test
    void batchesOfAStudyUniteTheirSeriesAndInstancesWithExactCounts() {
        ImagingStudy stored = study("1.1", "1.1.1", "1.1.2");
        stored.addSeries().setUid("1.2").addInstance().setUid("1.2.1");
        ImagingStudy batch = study("1.1", "1.1.2", "1.1.3"); // 1.1.2 re-sent
        batch.addSeries().setUid("1.3").addInstance().setUid("1.3.1");

        ResourceMerge.merge(stored, batch);

        assertThat(batch.getSeries()).extracting(ImagingStudy.ImagingStudySeriesComponent::getUid).containsExactly("1.1", "1.2", "1.3");
        assertThat(batch.getSeriesFirstRep().getInstance()).extracting(ImagingStudy.ImagingStudySeriesInstanceComponent::getUid)
                .containsExactlyInAnyOrder("1.1.1", "1.1.2", "1.1.3");
        assertThat(batch.getSeries()).extracting(ImagingStudy.ImagingStudySeriesComponent::getNumberOfInstances).containsExactly(3, 1, 1);
        assertThat(batch.getNumberOfSeries()).isEqualTo(3);
        assertThat(batch.getNumberOfInstances()).isEqualTo(5);
    }

    private static ImagingStudy study(String series, String... instances) {
        ImagingStudy study = new ImagingStudy().setStatus(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        ImagingStudy.ImagingStudySeriesComponent s = study.addSeries().setUid(series);
        for (String uid : instances) {
            s.addInstance().setUid(uid);
        }
        return study;
    }

    private static DiagnosticReport report(DiagnosticReport.DiagnosticReportStatus status, String conclusion) {
        DiagnosticReport report = new DiagnosticReport().setStatus(status).setConclusion(conclusion);
        report.addIdentifier().setSystem("urn:fill").setValue("F1");
        return report;
    }
}
