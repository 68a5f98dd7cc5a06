package io.imaginggateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.imaginggateway.hl7.MllpBadInputIT;
import io.imaginggateway.testsupport.DicomStudies;
import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.GatewayInstance;
import io.imaginggateway.testsupport.MllpClient;
import io.imaginggateway.testsupport.Poll;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A feed that takes HL7 only from EPIC^GENHOSP at 127.0.0.1 and DICOM only from ALLOWEDCT: everyone else gets AR or
 * an A-ASSOCIATE-RJ with the reason, and an AuditEvent (Security Alert) records it. (Loopback answers every 127.x
 * address, so a second source address is a socket bound to 127.0.0.2.)
 */
class PeerAllowListIT {

    private static final int MLLP_PORT = GatewayIT.freePort();
    private static final int DICOM_PORT = GatewayIT.freePort();
    private static GatewayInstance gateway;

    @BeforeAll
    static void start() throws IOException {
        gateway = GatewayInstance.start(Files.createTempDirectory("gateway-peers-"), Map.of(
                "gateway.hl7.mllp-port", MLLP_PORT,
                "gateway.dicom.port", DICOM_PORT,
                "gateway.dicom.max-associations", 2,
                "gateway.dicom.idle-timeout", "3s",
                "gateway.site.peers.addresses[0]", "127.0.0.1/32",
                "gateway.site.peers.senders[0]", "EPIC^GENHOSP",
                "gateway.site.peers.senders[1]", "PACS^*",
                "gateway.site.peers.dicom-ae-titles[0]", "ALLOWEDCT"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void mllpFromAnotherAddressOrSenderIsRefusedAr() throws Exception {
        try (MllpClient allowed = new MllpClient(MLLP_PORT)) {
            assertThat(MllpClient.segment(allowed.send(MllpBadInputIT.order("PEER1")), "MSA")).startsWith("MSA|AA|");
            String otherSender = allowed.send(MllpBadInputIT.order("PEER2").replace("EPIC|GENHOSP", "LAB|GENHOSP"));
            assertThat(MllpClient.segment(otherSender, "MSA")).startsWith("MSA|AR|");
            // (the ERR text's ^ are escaped as spaces)
            assertThat(MllpClient.segment(otherSender, "ERR")).contains("LAB GENHOSP").contains("peers.senders");
        }
        Socket fromElsewhere = new Socket(InetAddress.getLoopbackAddress(), MLLP_PORT, InetAddress.getByName("127.0.0.2"), 0);
        try (MllpClient sender = new MllpClient(fromElsewhere)) {
            String ack = sender.send(MllpBadInputIT.order("PEER3"));
            assertThat(MllpClient.segment(ack, "MSA")).startsWith("MSA|AR|");
            assertThat(MllpClient.segment(ack, "ERR")).contains("127.0.0.2");
        }
        assertThat(orders("PO-PEER1,PO-PEER2,PO-PEER3")).containsExactly("PO-PEER1");
        AuditEvent alert = Poll.until(Duration.ofSeconds(10), "the Security Alert", () -> alerts().stream()
                .filter(e -> e.getOutcomeDesc().contains("127.0.0.2")).findFirst().orElse(null));
        assertThat(alert.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(alert.getAgentFirstRep().getNetwork().getAddress()).isEqualTo("127.0.0.2");
    }

    @Test
    void dicomFromAnotherAeTitleOrAddressIsRejectedAtAssociation() throws Exception {
        DicomStudies.Result allowed = DicomStudies.run("echoscu", "-aec", "FHIRGATEWAY", "-aet", "ALLOWEDCT", "localhost",
                String.valueOf(DICOM_PORT));
        assertThat(allowed.exitCode()).as(allowed.output()).isZero();
        DicomStudies.Result other = DicomStudies.run("echoscu", "-aec", "FHIRGATEWAY", "-aet", "STRANGERCT",
                "localhost", String.valueOf(DICOM_PORT));
        assertThat(other.exitCode()).isNotZero();
        assertThat(other.output()).contains("Association Rejected").contains("Calling AE Title Not Recognized");

        // the allowed AE title from another address: A-ASSOCIATE-RJ, permanent, no reason given
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), DICOM_PORT, InetAddress.getByName("127.0.0.2"), 0)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(associateRequest("ALLOWEDCT"));
            out.flush();
            InputStream in = socket.getInputStream();
            assertThat(in.readNBytes(10)).containsExactly(3, 0, 0, 0, 0, 4, 0, 1, 1, 1);
        }
        Poll.until(Duration.ofSeconds(10), "the Security Alert", () -> alerts().stream()
                .filter(e -> e.getOutcomeDesc().contains("STRANGERCT")).findFirst().orElse(null));
    }

    @Test
    void anAssociationOverTheLimitIsRejectedTransiently() throws Exception {
        try (Socket first = new Socket(InetAddress.getLoopbackAddress(), DICOM_PORT);
                Socket second = new Socket(InetAddress.getLoopbackAddress(), DICOM_PORT);
                Socket third = new Socket(InetAddress.getLoopbackAddress(), DICOM_PORT)) {
            Thread.sleep(500); // the two silent ones are accepted and counted
            third.setSoTimeout(10_000);
            third.getOutputStream().write(associateRequest("ALLOWEDCT"));
            third.getOutputStream().flush();
            // A-ASSOCIATE-RJ: rejected-transient, service-provider (presentation), local-limit-exceeded
            assertThat(third.getInputStream().readNBytes(10)).containsExactly(3, 0, 0, 0, 0, 4, 0, 2, 3, 2);
        }
    }

    @Test
    void aSilentDicomConnectionIsDroppedAfterTheIdleTimeout() throws Exception {
        try (Socket silent = new Socket(InetAddress.getLoopbackAddress(), DICOM_PORT)) {
            silent.setSoTimeout(20_000);
            long start = System.nanoTime();
            assertThat(silent.getInputStream().read()).as("closed by the gateway").isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(15));
        }
    }

    /** An A-ASSOCIATE-RQ with no presentation context (enough to be judged by its calling AE title and address). */
    private static byte[] associateRequest(String callingAeTitle) {
        byte[] body = new byte[68];
        body[1] = 1; // protocol version
        byte[] called = Arrays.copyOf("FHIRGATEWAY".getBytes(StandardCharsets.US_ASCII), 16);
        byte[] calling = Arrays.copyOf(callingAeTitle.getBytes(StandardCharsets.US_ASCII), 16);
        Arrays.fill(called, "FHIRGATEWAY".length(), 16, (byte) ' ');
        Arrays.fill(calling, callingAeTitle.length(), 16, (byte) ' ');
        System.arraycopy(called, 0, body, 4, 16);
        System.arraycopy(calling, 0, body, 20, 16);
        byte[] pdu = new byte[6 + body.length];
        pdu[0] = 1;
        pdu[5] = (byte) body.length;
        System.arraycopy(body, 0, pdu, 6, body.length);
        return pdu;
    }

    private static List<String> orders(String identifiers) {
        return gateway.fhirClient().search().byUrl("ServiceRequest?identifier=" + identifiers).returnBundle(Bundle.class)
                .execute().getEntry().stream().map(e -> ((org.hl7.fhir.r4.model.ServiceRequest) e.getResource())
                        .getIdentifierFirstRep().getValue()).toList();
    }

    private static List<AuditEvent> alerts() {
        return gateway.fhirClient().search().byUrl("AuditEvent?type=http://dicom.nema.org/resources/ontology/DCM|110113")
                .returnBundle(Bundle.class).execute().getEntry().stream().map(e -> (AuditEvent) e.getResource()).toList();
    }
}
