package io.imaginggateway.hl7;

import static io.imaginggateway.testsupport.MllpClient.field;
import static io.imaginggateway.testsupport.MllpClient.segment;
import static org.assertj.core.api.Assertions.assertThat;

import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.MllpClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;

/** Orders over a real MLLP connection: the ACK bytes a sender gets, then what a FHIR client finds at /fhir. */
class MllpOrderIntakeIT extends GatewayIT {

    static final Path GOLDEN = Path.of("src/test/resources/golden/hl7");

    @Test
    void anOrderIsAcknowledgedOnlyOnceItsResourcesCanBeFound() throws Exception {
        String ack = sendOnItsOwnConnection(golden("ihe-orm-v231-zds.hl7"));
        assertThat(segment(ack, "MSH")).startsWith("MSH|^~\\&|RIS|RADIOLOGY|EPIC|GENHOSP|");
        assertThat(field(ack, "MSH", 9)).isEqualTo("ACK^O01^ACK");
        assertThat(field(ack, "MSH", 12)).isEqualTo("2.3.1");
        assertThat(segment(ack, "MSA")).isEqualTo("MSA|AA|MSG00001");

        // no waiting: AA means committed
        ServiceRequest order = one(ServiceRequest.class, "identifier=ACC20261123001");
        assertThat(order.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
        assertThat(order.getMeta().getSource()).isEqualTo("urn:hl7v2:EPIC:GENHOSP:MSG00001");
        Patient patient = one(Patient.class, "identifier=PAT10001");
        assertThat(order.getSubject().getReference()).isEqualTo("Patient/" + patient.getIdElement().getIdPart());
        ImagingStudy study = one(ImagingStudy.class,
                "identifier=urn:dicom:uid|urn:oid:1.2.826.0.1.3680043.9.7001.20261123.1");
        assertThat(study.getStatus()).isEqualTo(ImagingStudy.ImagingStudyStatus.REGISTERED);
        assertThat(study.getBasedOnFirstRep().getReference()).isEqualTo("ServiceRequest/" + order.getIdElement().getIdPart());
        assertThat(search(ImagingStudy.class, "identifier:of-type=http://terminology.hl7.org/CodeSystem/v2-0203|ACSN|ACC20261123001"))
                .hasSize(1);
    }

    @Test
    void theCharacterSetNamedInMsh18IsReadAndEchoedInTheAck() throws Exception {
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            String ack = sender.send(golden("orm-latin1-name.hl7"), StandardCharsets.ISO_8859_1);
            assertThat(segment(ack, "MSA")).isEqualTo("MSA|AA|K2026112300017");
            assertThat(field(ack, "MSH", 18)).isEqualTo("8859/1");
            ack = sender.send(golden("omi-v251-ipc-tq1.hl7"), StandardCharsets.UTF_8);
            assertThat(segment(ack, "MSA")).isEqualTo("MSA|AA|OMI-20261123-0042");
            assertThat(field(ack, "MSH", 18)).isEqualTo("UNICODE UTF-8");
            // no MSH-18 and LF line endings
            ack = sender.send(golden("orm-v23-lf-endings.hl7"), StandardCharsets.UTF_8);
            assertThat(segment(ack, "MSA")).isEqualTo("MSA|AA|MT000913");
        }
        assertThat(one(Patient.class, "identifier=4711002").getNameFirstRep().getFamily()).isEqualTo("Müller-Lüdenscheidt");
        assertThat(one(Patient.class, "identifier=MRN778899").getNameFirstRep().getFamily()).isEqualTo("Ångström");
        assertThat(one(Patient.class, "identifier=554433").getNameFirstRep().getFamily()).isEqualTo("SMITH");
    }

    @Test
    void escapedDelimitersStayPartOfTheirValues() throws Exception {
        assertThat(segment(sendOnItsOwnConnection(golden("orm-v251-escapes.hl7")), "MSA")).isEqualTo("MSA|AA|CRN-77120");
        // the placer number NM-ORD-661\T\2 is "NM-ORD-661&2": one order, found by its whole number
        ServiceRequest order = one(ServiceRequest.class, "identifier=NM-ORD-661%262");
        assertThat(order.getCode().getText()).isEqualTo("CT ABD&PELVIS W CONTRAST");
        assertThat(order.getNote()).extracting(n -> n.getText()).first().asString().contains("eGFR > 60\nAllergy: iodine^contrast");
    }

    @Test
    void newThenChangedThenCancelledLeavesOneOrderWithThreeVersions() throws Exception {
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            for (String file : List.of("orm-lifecycle-1-nw.hl7", "orm-lifecycle-2-xo.hl7", "orm-lifecycle-3-ca.hl7")) {
                assertThat(segment(sender.send(golden(file), StandardCharsets.UTF_8), "MSA")).startsWith("MSA|AA|");
            }
        }
        ServiceRequest order = one(ServiceRequest.class, "identifier=LC-ORD-1");
        assertThat(order.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.REVOKED);
        assertThat(order.getMeta().getVersionId()).isEqualTo("3");
        Bundle history = fhirClient().history().onInstance(order.getIdElement().toUnqualifiedVersionless())
                .returnBundle(Bundle.class).execute();
        assertThat(history.getEntry()).extracting(e -> ((ServiceRequest) e.getResource()).getStatus().toCode())
                .containsExactly("revoked", "active", "active");
    }

    @Test
    void aCancelArrivingBeforeItsOrderConvergesOnTheSameResult() throws Exception {
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            for (String file : List.of("orm-lifecycle-1-nw.hl7", "orm-lifecycle-2-xo.hl7", "orm-lifecycle-3-ca.hl7")) {
                sender.send(renumber(golden(file), "A"), StandardCharsets.UTF_8);
            }
            for (String file : List.of("orm-lifecycle-3-ca.hl7", "orm-lifecycle-1-nw.hl7", "orm-lifecycle-2-xo.hl7")) {
                assertThat(segment(sender.send(renumber(golden(file), "B"), StandardCharsets.UTF_8), "MSA")).startsWith("MSA|AA|");
            }
        }
        ServiceRequest inOrder = one(ServiceRequest.class, "identifier=LC-ORD-1A");
        ServiceRequest cancelFirst = one(ServiceRequest.class, "identifier=LC-ORD-1B");
        assertThat(search(ServiceRequest.class, "identifier=LC-ACC-1B")).hasSize(1);
        assertThat(cancelFirst.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.REVOKED);
        for (ServiceRequest order : List.of(inOrder, cancelFirst)) {
            order.setId((String) null);
            order.setMeta(null);
            order.getIdentifier().forEach(i -> i.setValue(i.getValue().substring(0, i.getValue().length() - 1)));
            order.setSubject(null);
            order.setRequester(order.getRequester().setReference(null));
        }
        assertThat(FHIR.newJsonParser().encodeResourceToString(cancelFirst))
                .isEqualTo(FHIR.newJsonParser().encodeResourceToString(inOrder));
    }

    @Test
    void aResentMessageIsAcknowledgedAgainAndWritesNothing() throws Exception {
        byte[] message = renumber(golden("ihe-orm-v231-zds.hl7"), "D");
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            assertThat(segment(sender.send(message, StandardCharsets.UTF_8), "MSA")).isEqualTo("MSA|AA|MSG00001D");
            assertThat(segment(sender.send(message, StandardCharsets.UTF_8), "MSA")).isEqualTo("MSA|AA|MSG00001D");
            // the same content under a new control ID: stored, but no resource changes
            byte[] again = new String(message, StandardCharsets.ISO_8859_1).replace("MSG00001D", "MSG00001E")
                    .getBytes(StandardCharsets.ISO_8859_1);
            assertThat(segment(sender.send(again, StandardCharsets.UTF_8), "MSA")).isEqualTo("MSA|AA|MSG00001E");
        }
        for (Resource resource : List.of(one(ServiceRequest.class, "identifier=ACC20261123001D"),
                one(Patient.class, "identifier=PAT10001D"),
                one(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:1.2.826.0.1.3680043.9.7001.20261123.1.4"))) {
            assertThat(resource.getMeta().getVersionId()).as(resource.fhirType()).isEqualTo("1");
        }
    }

    @Test
    void ordersForOneNewPatientOnFourConnectionsAtOnceMakeOnePatient() throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<Future<List<String>>> acks = new ArrayList<>();
            for (int connection = 0; connection < 4; connection++) {
                int c = connection;
                acks.add(senders.submit(() -> {
                    List<String> answers = new ArrayList<>();
                    try (MllpClient sender = new MllpClient(MLLP_PORT)) {
                        for (int i = 0; i < 5; i++) {
                            String message = new String(golden("orm-two-orders.hl7"), StandardCharsets.ISO_8859_1)
                                    .replace("PAT20002", "PAT-CONC").replace("MSG-TRAUMA-17", "CONC-" + c + "-" + i)
                                    .replace("PO-9000", "PO-C" + c + i + "-").replace("ACC-T-170", "ACC-C" + c + i + "-")
                                    .replace("20261123.170", "20261123.9" + c + i + "0");
                            answers.add(segment(sender.send(message.getBytes(StandardCharsets.ISO_8859_1),
                                    StandardCharsets.ISO_8859_1), "MSA"));
                        }
                    }
                    return answers;
                }));
            }
            for (Future<List<String>> answers : acks) {
                assertThat(answers.get()).allMatch(msa -> msa.startsWith("MSA|AA|"));
            }
        } finally {
            senders.shutdownNow();
        }
        assertThat(search(Patient.class, "identifier=PAT-CONC")).hasSize(1);
        assertThat(search(ServiceRequest.class, "identifier=PO-C00-1,PO-C31-2,PO-C24-1")).hasSize(3);
        Bundle count = fhirClient().search().byUrl("ServiceRequest?subject:Patient.identifier=PAT-CONC&_summary=count")
                .returnBundle(Bundle.class).execute();
        assertThat(count.getTotal()).isEqualTo(40);
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    static byte[] golden(String file) throws IOException {
        return Files.readAllBytes(GOLDEN.resolve(file));
    }

    /** The same message for other orders and another patient: every business identifier gets the suffix. */
    static byte[] renumber(byte[] message, String suffix) {
        String text = new String(message, StandardCharsets.ISO_8859_1);
        for (String id : List.of("LC-ORD-1", "LC-FIL-1", "LC-ACC-1", "LC-1001", "LC-0001", "LC-0002", "LC-0003",
                "PAT10001", "998877665", "MSG00001", "ACC20261123001", "PO-88001", "V20261123001")) {
            text = text.replace(id, id + suffix);
        }
        text = text.replace("20261123.1^", "20261123.1." + (suffix.charAt(0) - 'A' + 1) + "^");
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String sendOnItsOwnConnection(byte[] message) throws IOException {
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            return sender.send(message, StandardCharsets.ISO_8859_1);
        }
    }
}
