package io.imaginggateway.linking;

import static io.imaginggateway.testsupport.MllpClient.segment;
import static org.assertj.core.api.Assertions.assertThat;

import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.TestTokens;
import io.imaginggateway.testsupport.MllpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;

/**
 * The identity rules (README "Identity rules"), each row over a real MLLP connection and checked as a FHIR client
 * would: what is stored afterwards, and what the sender was told. Every test has its own numbers.
 */
class IdentityRulesIT extends GatewayIT {

    /** An order: control ID, PID-3, PV1-19, placer (ORC-2), filler (ORC-3), accession (OBR-18). */
    static String order(String control, String pid3, String visit, String placer, String filler, String accession) {
        return "MSH|^~\\&|EPIC|GENHOSP|RIS|RADIOLOGY|20261123081500||ORM^O01^ORM_O01|" + control + "|P|2.5.1\r"
                + "PID|1||" + pid3 + "||Doe^Jane||19700101|F\r"
                + "PV1|1|O|RAD^^^GENHOSP||||||||||||||||" + visit + "\r"
                + "ORC|NW|" + placer + "|" + filler + "||SC\r"
                + "OBR|1|" + placer + "|" + filler + "|71250^CT CHEST^C4|||20261123080000|||||||||||" + accession
                + "||||||CT\r";
    }

    /** A report with its text: the order's numbers, OBR-25 status, one TX line. */
    static String report(String control, String pid3, String placer, String filler, String accession, String status,
            String text) {
        return "MSH|^~\\&|RIS|RADIOLOGY|EHR|HOSP|20261124090000||ORU^R01^ORU_R01|" + control + "|P|2.5.1\r"
                + "PID|1||" + pid3 + "||Roe^Richard||19550302|M\r"
                + "ORC|RE|" + placer + "|" + filler + "||CM\r"
                + "OBR|1|" + placer + "|" + filler + "|71250^CT CHEST^C4|||20261124080000|||||||||||" + accession
                + "||||20261124090000||CT|" + status + "\r"
                + "OBX|1|TX|GDT^Report text^L||" + text + "||||||" + status + "\r";
    }

    @Test
    void aFillerNumberReusedForAnotherPatientLeavesTheFirstPatientsFinalReportAndOrderUntouched() throws Exception {
        assertAccepted(send(report("IR1-A", "PAT-IR1-A^^^HOSP^MR", "PA-IR1^EHR", "F-IR1^RIS", "ACC-IR1-A", "F",
                "Final report of the first patient.")));
        DiagnosticReport finalReport = one(DiagnosticReport.class, "identifier=F-IR1");
        ServiceRequest firstOrder = one(ServiceRequest.class, "identifier=F-IR1");

        // years later the RIS gives the same filler number to another patient's exam
        String ack = send(report("IR1-B", "PAT-IR1-B^^^HOSP^MR", "PB-IR1^EHR", "F-IR1^RIS", "ACC-IR1-B", "P",
                "Preliminary report of the second patient."));
        assertThat(segment(ack, "MSA")).startsWith("MSA|AE|IR1-B|ORC-3 filler order number F-IR1 (urn:id:RIS) belongs to"
                + " an order of another patient");
        assertThat(segment(ack, "ERR")).startsWith("ERR||ORC^1^3|205^");

        DiagnosticReport after = one(DiagnosticReport.class, "identifier=F-IR1");
        assertThat(after.getMeta().getVersionId()).isEqualTo(finalReport.getMeta().getVersionId());
        assertThat(after.getStatus()).isEqualTo(DiagnosticReport.DiagnosticReportStatus.FINAL);
        assertThat(after.getSubject().getReference()).isEqualTo(finalReport.getSubject().getReference());
        ServiceRequest order = one(ServiceRequest.class, "identifier=F-IR1");
        assertThat(order.getMeta().getVersionId()).isEqualTo(firstOrder.getMeta().getVersionId());
        assertThat(order.getIdentifier()).extracting(Identifier::getValue).doesNotContain("PB-IR1", "ACC-IR1-B");
        // nothing of the second message: not even its patient
        assertThat(search(Patient.class, "identifier=PAT-IR1-B")).isEmpty();
        assertThat(conflicts()).contains("\"reference\":\"IR1-B\"").contains("belongs to an order of another patient");
    }

    @Test
    void aVisitNumberOfAnotherAuthorityIsAnotherVisitAndOneOfTheSameAuthorityIsNeverGivenToAnotherPatient() throws Exception {
        assertAccepted(send(order("IR2-A", "PAT-IR2-A^^^HOSP^MR", "V-IR2^^^HOSPA^VN", "PO-IR2-A^EHR", "", "ACC-IR2-A")));
        assertAccepted(send(order("IR2-B", "PAT-IR2-B^^^CLINIC^MR", "V-IR2^^^HOSPB^VN", "PO-IR2-B^EHR", "", "ACC-IR2-B")));
        List<Encounter> visits = search(Encounter.class, "identifier=V-IR2");
        assertThat(visits).hasSize(2);
        assertThat(visits).extracting(v -> v.getSubject().getReference()).doesNotHaveDuplicates();

        String ack = send(order("IR2-C", "PAT-IR2-C^^^HOSP^MR", "V-IR2^^^HOSPA^VN", "PO-IR2-C^EHR", "", "ACC-IR2-C"));
        assertThat(segment(ack, "MSA")).startsWith("MSA|AE|IR2-C|PV1-19 visit number V-IR2 (urn:id:HOSPA) belongs to a"
                + " visit of another patient");
        assertThat(search(Encounter.class, "identifier=urn:id:HOSPA|V-IR2")).singleElement()
                .satisfies(v -> assertThat(v.getMeta().getVersionId()).isEqualTo("1"));
        assertThat(search(ServiceRequest.class, "identifier=PO-IR2-C")).isEmpty();
    }

    @Test
    void theSameFillerNumberWithAnotherPlacerOrAccessionNumberIsAConflictNotAMerge() throws Exception {
        assertAccepted(send(order("IR3-A", "PAT-IR3^^^HOSP^MR", "", "PO-IR3-1^EHR", "F-IR3^RIS", "ACC-IR3-1")));

        String otherPlacer = send(order("IR3-B", "PAT-IR3^^^HOSP^MR", "", "PO-IR3-2^EHR", "F-IR3^RIS", "ACC-IR3-1"));
        assertThat(segment(otherPlacer, "MSA")).startsWith("MSA|AE|IR3-B|").contains("whose placer order number is PO-IR3-1, not PO-IR3-2");
        String otherAccession = send(order("IR3-C", "PAT-IR3^^^HOSP^MR", "", "PO-IR3-1^EHR", "F-IR3^RIS", "ACC-IR3-2"));
        assertThat(segment(otherAccession, "MSA")).startsWith("MSA|AE|IR3-C|").contains("whose accession number is ACC-IR3-1, not ACC-IR3-2");

        ServiceRequest order = one(ServiceRequest.class, "identifier=F-IR3");
        assertThat(order.getMeta().getVersionId()).isEqualTo("1");
        assertThat(order.getIdentifier()).extracting(Identifier::getValue).containsOnly("PO-IR3-1", "F-IR3", "ACC-IR3-1");
    }

    @Test
    void aPlacerNumberOfOneOrderAndAFillerNumberOfAnotherAreAConflict() throws Exception {
        assertAccepted(send(order("IR4-A", "PAT-IR4^^^HOSP^MR", "", "PO-IR4-1^EHR", "", "ACC-IR4-1")));
        assertAccepted(send(order("IR4-B", "PAT-IR4^^^HOSP^MR", "", "PO-IR4-2^EHR", "F-IR4^RIS", "ACC-IR4-2")));

        String ack = send(order("IR4-C", "PAT-IR4^^^HOSP^MR", "", "PO-IR4-1^EHR", "F-IR4^RIS", ""));
        assertThat(segment(ack, "MSA")).startsWith("MSA|AE|IR4-C|").contains("name two different orders");
        assertThat(one(ServiceRequest.class, "identifier=PO-IR4-1").getIdentifier()).extracting(Identifier::getValue)
                .containsOnly("PO-IR4-1", "ACC-IR4-1");
    }

    @Test
    void theSameNumberFromAnotherAuthorityIsAnotherOrder() throws Exception {
        assertAccepted(send(order("IR5-A", "PAT-IR5-A^^^HOSP^MR", "", "PO-IR5^EHR", "", "")));
        assertAccepted(send(order("IR5-B", "PAT-IR5-B^^^HOSP^MR", "", "PO-IR5^CLINICEHR", "", "")));
        assertThat(search(ServiceRequest.class, "identifier=PO-IR5")).hasSize(2)
                .extracting(o -> o.getSubject().getReference()).doesNotHaveDuplicates();
    }

    @Test
    void aReportThatNamesTheOrderOfItsOwnPatientCompletesIt() throws Exception {
        assertAccepted(send(order("IR6-A", "PAT-IR6^^^HOSP^MR", "V-IR6^^^HOSP^VN", "PO-IR6^EHR", "", "ACC-IR6")));
        // the report knows the filler number the order did not have, and comes without a visit
        assertAccepted(send(report("IR6-B", "PAT-IR6^^^HOSP^MR", "PO-IR6^EHR", "F-IR6^RIS", "ACC-IR6", "F", "Normal.")));
        ServiceRequest order = one(ServiceRequest.class, "identifier=PO-IR6");
        assertThat(order.getIdentifier()).extracting(Identifier::getValue).contains("PO-IR6", "F-IR6", "ACC-IR6");
        assertThat(order.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.COMPLETED);
        assertThat(order.getEncounter().getReference()).as("a report without PV1 keeps the order's visit")
                .isEqualTo("Encounter/" + one(Encounter.class, "identifier=V-IR6").getIdElement().getIdPart());
    }

    @Test
    void aSocialSecurityNumberSharedByTwoPatientsDoesNotMergeThem() throws Exception {
        assertAccepted(send(order("IR7-A", "PAT-IR7-A^^^HOSP^MR~123-45-6789^^^SSA^SS", "", "PO-IR7-A^EHR", "", "")));
        assertAccepted(send(order("IR7-B", "PAT-IR7-B^^^HOSP^MR~123-45-6789^^^SSA^SS", "", "PO-IR7-B^EHR", "", "")));
        List<Patient> patients = search(Patient.class, "identifier=urn:id:SSA|123-45-6789");
        assertThat(patients).as("both keep the number, as sent").hasSize(2);
        assertThat(one(ServiceRequest.class, "identifier=PO-IR7-A").getSubject().getReference())
                .isNotEqualTo(one(ServiceRequest.class, "identifier=PO-IR7-B").getSubject().getReference());
    }

    @Test
    void aPatientWhoseMedicalRecordNumberMatchesButWhoseOtherNumberDisagreesIsAConflict() throws Exception {
        assertAccepted(send(order("IR8-A", "PAT-IR8^^^HOSP^MR~E-IR8-1^^^EMPI^PI", "", "PO-IR8-A^EHR", "", "")));
        String ack = send(order("IR8-B", "PAT-IR8^^^HOSP^MR~E-IR8-2^^^EMPI^PI", "", "PO-IR8-B^EHR", "", ""));
        assertThat(segment(ack, "MSA")).startsWith("MSA|AE|IR8-B|PID-3 ").contains("whose PI identifier is E-IR8-1, not E-IR8-2");
        // and two numbers that name two stored patients
        assertAccepted(send(order("IR8-C", "PAT-IR8-OTHER^^^HOSP^MR", "", "PO-IR8-C^EHR", "", "")));
        String two = send(order("IR8-D", "PAT-IR8^^^HOSP^MR~PAT-IR8-OTHER^^^HOSP^MR", "", "PO-IR8-D^EHR", "", ""));
        assertThat(segment(two, "MSA")).startsWith("MSA|AE|IR8-D|PID-3 ").contains("name two different patients");
        assertThat(search(ServiceRequest.class, "identifier=PO-IR8-B,PO-IR8-D")).isEmpty();
    }

    @Test
    void aMedicalRecordNumberEqualToAnotherPatientsAccountNumberIsAnotherPatient() throws Exception {
        // one authority gives the same number as patient B's account number (AN) and patient A's record number (MR)
        assertAccepted(send(order("IR11-B", "PAT-IR11-B^^^HOSP^MR~1001-IR11^^^HOSP^AN", "", "PO-IR11-B^EHR", "", "")));
        assertAccepted(send(order("IR11-A", "1001-IR11^^^HOSP^MR", "", "PO-IR11-A^EHR", "", "")));
        assertThat(search(Patient.class, "identifier=urn:id:HOSP|1001-IR11")).hasSize(2);
        assertThat(one(ServiceRequest.class, "identifier=PO-IR11-A").getSubject().getReference())
                .isNotEqualTo(one(ServiceRequest.class, "identifier=PO-IR11-B").getSubject().getReference());
    }

    @Test
    void anOrderAFhirClientMovedToAnotherPatientTakesOnlyThatPatientsMessages() throws Exception {
        assertAccepted(send(order("IR12-A", "PAT-IR12-A^^^HOSP^MR", "", "PO-IR12^EHR", "", "")));
        assertAccepted(send(order("IR12-B", "PAT-IR12-B^^^HOSP^MR", "", "PO-IR12-OTHER^EHR", "", "")));
        Patient second = one(Patient.class, "identifier=PAT-IR12-B");

        // registration finds the order was placed on the wrong chart and moves it
        ServiceRequest order = one(ServiceRequest.class, "identifier=PO-IR12");
        order.setSubject(new Reference("Patient/" + second.getIdElement().getIdPart()));
        fhirClient().update().resource(order).execute();

        String ack = send(order("IR12-C", "PAT-IR12-A^^^HOSP^MR", "", "PO-IR12^EHR", "", "ACC-IR12"));
        assertThat(segment(ack, "MSA")).startsWith("MSA|AE|IR12-C|ORC-2 ").contains("an order of another patient");
        assertAccepted(send(order("IR12-D", "PAT-IR12-B^^^HOSP^MR", "", "PO-IR12^EHR", "", "ACC-IR12")));
        assertThat(one(ServiceRequest.class, "identifier=PO-IR12").getSubject().getReference())
                .isEqualTo("Patient/" + second.getIdElement().getIdPart());
    }

    @Test
    void aMessageIdReusedForOtherContentIsStoredAndTheSameMessageSentAgainWritesNothing() throws Exception {
        String first = order("IR9", "PAT-IR9^^^HOSP^MR", "", "PO-IR9-1^EHR", "", "");
        String reused = order("IR9", "PAT-IR9^^^HOSP^MR", "", "PO-IR9-2^EHR", "", "");
        assertAccepted(send(first));
        assertAccepted(send(reused));
        assertThat(search(ServiceRequest.class, "identifier=PO-IR9-1,PO-IR9-2")).hasSize(2);

        // the first again, as a sender re-sends it after losing the ACK: a new MSH-7, nothing else
        assertAccepted(send(first.replace("|20261123081500||ORM", "|20261123091500||ORM")));
        assertThat(search(ServiceRequest.class, "identifier=PO-IR9-1,PO-IR9-2")).hasSize(2)
                .allSatisfy(o -> assertThat(o.getMeta().getVersionId()).isEqualTo("1"));
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    private String send(String message) throws Exception {
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            return sender.send(message);
        }
    }

    private static void assertAccepted(String ack) {
        assertThat(segment(ack, "MSA")).startsWith("MSA|AA|");
    }

    private String conflicts() throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                TestTokens.request(baseUrl() + "/api/conflicts").build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }
}
