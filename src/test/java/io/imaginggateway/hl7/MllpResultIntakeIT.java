package io.imaginggateway.hl7;

import static io.imaginggateway.testsupport.MllpClient.field;
import static io.imaginggateway.hl7.MllpOrderIntakeIT.golden;
import static io.imaginggateway.testsupport.MllpClient.segment;
import static org.assertj.core.api.Assertions.assertThat;

import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.MllpClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;

/**
 * Reports over a real MLLP connection, checked as a FHIR app would: the report, its text, its order and study
 * links whichever arrived first, and its status history.
 */
class MllpResultIntakeIT extends GatewayIT {

    private static final String IHE_STUDY = "1.2.826.0.1.3680043.9.7001.20261123.1";

    @Test
    void orderWithStudyThenReportAndReportThenOrderEndWithTheSameLinkedResources() throws Exception {
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            // A: the order (which registers its study: the images' placeholder), then the report
            assertAccepted(sender.send(ihe("ihe-orm-v231-zds.hl7", "x1"), StandardCharsets.UTF_8));
            assertAccepted(sender.send(ihe("oru-ihe-v231-study-uid-tx.hl7", "x1"), StandardCharsets.UTF_8));
            // B: the report first, then its order
            assertAccepted(sender.send(ihe("oru-ihe-v231-study-uid-tx.hl7", "x2"), StandardCharsets.UTF_8));
            assertAccepted(sender.send(ihe("ihe-orm-v231-zds.hl7", "x2"), StandardCharsets.UTF_8));
        }
        Map<String, String> orderFirst = linkedResources("x1");
        Map<String, String> reportFirst = linkedResources("x2");
        assertThat(reportFirst).isEqualTo(orderFirst);

        DiagnosticReport report = one(DiagnosticReport.class, "identifier=ACC20261123001x2");
        assertThat(report.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
        assertThat(text(report)).startsWith("History\nPersistent cough for 6 weeks.")
                .contains("\nFindings\nFINDINGS:\nLungs: 8 mm solid nodule")
                .contains("No pleural effusion.\n\nHeart size normal.");
        assertThat(report.getConclusion()).startsWith("1. 8 mm right upper lobe nodule.");
        ServiceRequest order = one(ServiceRequest.class, "identifier=ACC20261123001x2");
        // ORC-5 CM of the report completes the order; the later NW does not make it active again
        assertThat(order.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.COMPLETED);
        assertThat(order.hasAuthoredOn()).isTrue();
        // what a FHIR app asks: the reports of a study, and of an order
        ImagingStudy study = one(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:" + IHE_STUDY + ".72");
        assertThat(search(DiagnosticReport.class, "study=ImagingStudy/" + study.getIdElement().getIdPart())).hasSize(1);
        Bundle byStudy = fhirClient().search().byUrl("ImagingStudy?identifier=urn:dicom:uid|urn:oid:" + IHE_STUDY + ".72"
                + "&_revinclude=DiagnosticReport:study").returnBundle(Bundle.class).execute();
        assertThat(byStudy.getEntry()).extracting(e -> e.getResource().fhirType()).containsExactlyInAnyOrder("ImagingStudy", "DiagnosticReport");
        assertThat(search(DiagnosticReport.class, "based-on:ServiceRequest.identifier=PO-88001x2")).hasSize(1);
    }

    @Test
    void preliminaryFinalCorrectedIsOneReportWithThreeVersionsAndItsResultUpdated() throws Exception {
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            for (String step : List.of("1-preliminary", "2-final", "3-corrected")) {
                assertAccepted(sender.send(golden("oru-lifecycle-" + step + ".hl7"), StandardCharsets.UTF_8));
            }
            // the preliminary report re-sent late under a new message ID changes nothing
            String late = new String(golden("oru-lifecycle-1-preliminary.hl7"), StandardCharsets.UTF_8).replace("RPT-LC-1", "RPT-LC-1-LATE");
            assertAccepted(sender.send(late.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        }
        DiagnosticReport report = one(DiagnosticReport.class, "identifier=FO-40001");
        Bundle history = fhirClient().history().onInstance(report.getIdElement().toUnqualifiedVersionless())
                .returnBundle(Bundle.class).execute();
        List<String> statuses = new ArrayList<>();
        history.getEntry().forEach(e -> statuses.add(0, ((DiagnosticReport) e.getResource()).getStatus().toCode()));
        assertThat(statuses).containsExactly("preliminary", "final", "corrected");
        assertThat(text(report)).startsWith("CORRECTED REPORT: heart size normal");

        Observation ratio = one(Observation.class, "code=CTR");
        assertThat(report.getResult()).extracting(r -> r.getReference())
                .containsExactly("Observation/" + ratio.getIdElement().getIdPart());
        assertThat(ratio.getStatus()).isEqualTo(Observation.ObservationStatus.CORRECTED);
        assertThat(ratio.getValueQuantity().getValue()).isEqualByComparingTo("0.48");
        assertThat(ratio.getMeta().getVersionId()).isEqualTo("3");
        assertThat(one(ServiceRequest.class, "identifier=FO-40001").getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.COMPLETED);
    }

    @Test
    void aCancelledReportIsCancelledAndItsOrderRevoked() throws Exception {
        assertAccepted(MllpOrderIntakeIT.sendOnItsOwnConnection(golden("oru-cancelled.hl7")));
        assertThat(one(DiagnosticReport.class, "identifier=ACC40002").getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.CANCELLED);
        assertThat(one(ServiceRequest.class, "identifier=ACC40002").getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.REVOKED);
    }

    @Test
    void aPdfReportComesBackByteForByte() throws Exception {
        String message = new String(golden("oru-pdf-report.hl7"), StandardCharsets.UTF_8);
        byte[] pdf = Base64.getDecoder().decode(message.substring(message.indexOf("^Base64^") + 8, message.indexOf("||||||F", message.indexOf("^Base64^"))));
        assertAccepted(MllpOrderIntakeIT.sendOnItsOwnConnection(golden("oru-pdf-report.hl7")));

        DiagnosticReport report = one(DiagnosticReport.class, "identifier=ACC30001");
        Attachment attachment = report.getPresentedForm().stream().filter(a -> a.getContentType().equals("application/pdf"))
                .findFirst().orElseThrow();
        assertThat(attachment.getData()).isEqualTo(pdf);
        assertThat(new String(attachment.getData(), 0, 5, StandardCharsets.ISO_8859_1)).isEqualTo("%PDF-");
    }

    @Test
    void latin1TextWithEscapesAndAReportWhoseOrderNeverCameAreReadable() throws Exception {
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            String ack = sender.send(golden("oru-escapes-latin1.hl7"), StandardCharsets.ISO_8859_1);
            assertThat(segment(ack, "MSA")).isEqualTo("MSA|AA|ESC-0009");
            assertThat(field(ack, "MSH", 18)).isEqualTo("8859/1");
            assertAccepted(sender.send(golden("oru-v23-order-never-arrived.hl7"), StandardCharsets.UTF_8));
        }
        assertThat(text(one(DiagnosticReport.class, "identifier=ACC60006")))
                .contains("Dictated by Dr. Größe & reviewed by Dr. Radius.")
                .contains("Befund:\nKein Nachweis einer Blutung|Ischämie.")
                .contains("Marklager: ^ altersentsprechend ~ Pfad C:\\ Bilder\nVerkalkung 12+/-2 mm");
        // the order number PO-60006\T\A is "PO-60006&A"
        assertThat(search(ServiceRequest.class, "identifier=PO-60006%26A")).hasSize(1);

        // the order and images never came: both exist as stand-ins an order and the images will complete
        DiagnosticReport report = one(DiagnosticReport.class, "identifier=ACC50005");
        ServiceRequest order = one(ServiceRequest.class, "identifier=ACC50005");
        assertThat(order.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.UNKNOWN);
        ImagingStudy study = one(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:1.2.826.0.1.3680043.9.7001.50005");
        assertThat(study.getStatus()).isEqualTo(ImagingStudy.ImagingStudyStatus.REGISTERED);
        assertThat(report.getBasedOnFirstRep().getReference()).isEqualTo("ServiceRequest/" + order.getIdElement().getIdPart());
        assertThat(report.getImagingStudyFirstRep().getReference()).isEqualTo("ImagingStudy/" + study.getIdElement().getIdPart());

        // the order arrives after all, naming its placer number and the accession (not the filler number the
        // report had): it completes the same ServiceRequest
        assertAccepted(MllpOrderIntakeIT.sendOnItsOwnConnection(String.format(MllpBadInputIT.ORDER, "CTRL-NA",
                "PAT50005", "PO-50005", "PO-50005", "ACC50005").getBytes(StandardCharsets.UTF_8)));
        ServiceRequest completed = one(ServiceRequest.class, "identifier=ACC50005");
        assertThat(completed.getIdElement().getIdPart()).isEqualTo(order.getIdElement().getIdPart());
        assertThat(completed.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
        assertThat(completed.getIdentifier()).extracting(Identifier::getValue).contains("FO-50005", "PO-50005", "ACC50005");
    }

    @Test
    void badReportsAreAnsweredWithTheReasonAndStoreNothing() throws Exception {
        String good = new String(golden("oru-pdf-report.hl7"), StandardCharsets.UTF_8)
                .replace("PDF-0007", "BAD-1").replace("PAT20002", "PAT-BAD").replace("30001", "39999");
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            String noPatient = good.replace("PID|1||PAT-BAD^^^HOSP^MR|", "PID|1|||");
            String ack = sender.send(noPatient.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            assertThat(segment(ack, "MSA")).startsWith("MSA|AE|BAD-1");
            assertThat(segment(ack, "ERR")).contains("PID^1^3").contains("101");

            String noObr = good.replaceAll("\rOBR\\|[^\r]*", "").replaceAll("\rOBX\\|[^\r]*", "");
            ack = sender.send(noObr.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            assertThat(segment(ack, "MSA")).startsWith("MSA|AE|BAD-1");
            assertThat(segment(ack, "ERR")).contains("100");

            String corruptPdf = good.replace("^Base64^JVBERi0", "^Base64^JVB*Ri0");
            ack = sender.send(corruptPdf.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            assertThat(segment(ack, "MSA")).startsWith("MSA|AE|BAD-1");
            assertThat(segment(ack, "ERR")).startsWith("ERR||OBX^2^5^1^5|102^");
            assertThat(search(DiagnosticReport.class, "identifier=ACC39999")).isEmpty();

            // the same connection then takes the good report, and its resend changes nothing
            assertAccepted(sender.send(good.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
            assertAccepted(sender.send(good.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8));
        }
        assertThat(one(DiagnosticReport.class, "identifier=ACC39999").getMeta().getVersionId()).isEqualTo("1");
        assertThat(search(Patient.class, "identifier=PAT-BAD")).hasSize(1);
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private static void assertAccepted(String ack) {
        assertThat(segment(ack, "MSA")).startsWith("MSA|AA|");
    }

    /** An IHE order or report for its own patient, order and study: identifiers get the suffix, the study UID .71/.72. */
    private static byte[] ihe(String file, String suffix) throws Exception {
        String text = new String(golden(file), StandardCharsets.UTF_8);
        for (String id : List.of("PAT10001", "998877665", "PO-88001", "FO-77001", "ACC20261123001", "V20261123001", "MSG00001", "RIS-RPT-1001")) {
            text = text.replace(id, id + suffix);
        }
        text = text.replaceAll(IHE_STUDY.replace(".", "\\.") + "(?![0-9.])", IHE_STUDY + ".7" + suffix.substring(1));
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The patient, order, study and report of one scenario, each as its JSON without what differs between two
     * identical scenarios (server ids, versions, meta, the scenario's suffix) and with identifiers sorted.
     */
    private Map<String, String> linkedResources(String suffix) {
        ServiceRequest order = one(ServiceRequest.class, "identifier=ACC20261123001" + suffix);
        DiagnosticReport report = one(DiagnosticReport.class, "identifier=ACC20261123001" + suffix);
        ImagingStudy study = one(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:" + IHE_STUDY + ".7" + suffix.substring(1));
        Patient patient = one(Patient.class, "identifier=PAT10001" + suffix);
        String orderId = "ServiceRequest/" + order.getIdElement().getIdPart();
        assertThat(report.getBasedOnFirstRep().getReference()).isEqualTo(orderId);
        assertThat(study.getBasedOn()).extracting(r -> r.getReference()).containsExactly(orderId);
        assertThat(report.getImagingStudy()).extracting(r -> r.getReference())
                .containsExactly("ImagingStudy/" + study.getIdElement().getIdPart());
        String patientId = "Patient/" + patient.getIdElement().getIdPart();
        assertThat(List.of(order.getSubject(), report.getSubject(), study.getSubject()))
                .extracting(r -> r.getReference()).containsOnly(patientId);
        assertThat(search(ServiceRequest.class, "patient=" + patientId)).hasSize(1);
        Map<String, String> view = new LinkedHashMap<>();
        for (DomainResource resource : List.of(patient, order, study, report)) {
            DomainResource copy = resource.copy();
            copy.setId((String) null);
            copy.setMeta(null);
            copy.setText(null);
            sortIdentifiers(copy);
            String json = FHIR.newJsonParser().encodeResourceToString(copy)
                    .replaceAll("\"reference\":\"(\\w+)/[^\"]+\"", "\"reference\":\"$1\"")
                    .replace(suffix, "").replace(".7" + suffix.substring(1), ".7N");
            view.put(resource.fhirType(), json);
        }
        return view;
    }

    private static void sortIdentifiers(DomainResource resource) {
        List<Identifier> identifiers = resource instanceof Patient p ? p.getIdentifier()
                : resource instanceof ServiceRequest s ? s.getIdentifier()
                : resource instanceof ImagingStudy i ? i.getIdentifier()
                : ((DiagnosticReport) resource).getIdentifier();
        identifiers.sort(Comparator.comparing(i -> i.getSystem() + "|" + i.getValue()));
    }

    private static String text(DiagnosticReport report) {
        return report.getPresentedForm().stream().filter(a -> a.getContentType().startsWith("text/plain"))
                .map(a -> new String(a.getData(), StandardCharsets.UTF_8)).findFirst().orElseThrow();
    }
}
