package io.imaginggateway.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import io.imaginggateway.hl7.MllpBadInputIT;
import io.imaginggateway.testsupport.DicomStudies;
import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.GatewayInstance;
import io.imaginggateway.testsupport.MllpClient;
import io.imaginggateway.testsupport.Poll;
import io.imaginggateway.testsupport.TestCertificates;
import io.imaginggateway.testsupport.TestTokens;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * TLS on every port of one gateway, with real clients: the JDK's HTTPS client, a TLS MLLP sender with and without a
 * client certificate, and dcmtk's echoscu and storescu with their default TLS profile (BCP 195).
 */
class TlsIT {

    private static final TestCertificates CERTIFICATES = TestCertificates.create();
    private static final int MLLP_PORT = GatewayIT.freePort();
    private static final int DICOM_PORT = GatewayIT.freePort();
    private static GatewayInstance gateway;

    @BeforeAll
    static void startWithTlsEverywhere() throws IOException {
        Map<String, Object> properties = new HashMap<>(CERTIFICATES.bundleProperties());
        properties.put("server.ssl.bundle", TestCertificates.BUNDLE);
        properties.put("gateway.hl7.mllp-port", MLLP_PORT);
        properties.put("gateway.site.mllp-tls.bundle", TestCertificates.BUNDLE);
        properties.put("gateway.site.mllp-tls.client-auth", "need");
        properties.put("gateway.dicom.port", DICOM_PORT);
        properties.put("gateway.dicom.tls.bundle", TestCertificates.BUNDLE);
        properties.put("gateway.dicom.tls.client-auth", "need");
        gateway = GatewayInstance.start(Files.createTempDirectory("gateway-tls-it-"), properties);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.closeWithoutCheck();
        }
    }

    @Test
    void httpsServesTheFhirApiToTheJdkClient() throws Exception {
        HttpClient https = HttpClient.newBuilder().sslContext(CERTIFICATES.clientContext(false)).build();
        HttpResponse<String> metadata = https.send(HttpRequest.newBuilder(URI.create("https://localhost:"
                + gateway.httpPort() + "/fhir/metadata")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metadata.statusCode()).isEqualTo(200);
        assertThat(metadata.sslSession()).hasValueSatisfying(
                session -> assertThat(session.getProtocol()).isIn("TLSv1.3", "TLSv1.2"));
        HttpResponse<String> studies = https.send(TestTokens.request("https://localhost:" + gateway.httpPort()
                + "/fhir/ImagingStudy").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(studies.statusCode()).isEqualTo(200);
        assertThat(studies.headers().firstValue("Strict-Transport-Security")).isPresent();
        // plain HTTP on the HTTPS port is told to use TLS, and gets nothing else
        HttpResponse<String> plain = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://localhost:"
                + gateway.httpPort() + "/fhir/ImagingStudy")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(plain.statusCode()).isEqualTo(400);
        assertThat(plain.body()).contains("TLS").doesNotContain("resourceType");
    }

    @Test
    void mllpOverTlsNeedsTheClientCertificate() throws Exception {
        SSLSocket socket = (SSLSocket) CERTIFICATES.clientContext(true).getSocketFactory()
                .createSocket("localhost", MLLP_PORT);
        try (MllpClient sender = new MllpClient(socket)) {
            assertThat(MllpClient.segment(sender.send(MllpBadInputIT.order("TLS1")), "MSA")).startsWith("MSA|AA|");
            assertThat(socket.getSession().getProtocol()).isIn("TLSv1.3", "TLSv1.2");
        }
        assertThat(search("ServiceRequest?identifier=PO-TLS1").getEntry()).hasSize(1);

        // no client certificate: no connection
        assertThatThrownBy(() -> {
            SSLSocket anonymous = (SSLSocket) CERTIFICATES.clientContext(false).getSocketFactory()
                    .createSocket("localhost", MLLP_PORT);
            try (MllpClient sender = new MllpClient(anonymous)) {
                sender.send(MllpBadInputIT.order("TLS2"));
            }
        }).isInstanceOf(IOException.class);
        // plain MLLP: no acknowledgement
        assertThatThrownBy(() -> {
            try (MllpClient sender = new MllpClient(new Socket("localhost", MLLP_PORT))) {
                sender.send(MllpBadInputIT.order("TLS3"));
            }
        }).isInstanceOf(IOException.class);
        assertThat(search("ServiceRequest?identifier=PO-TLS2,PO-TLS3").getEntry()).isEmpty();
    }

    @Test
    void dcmtkEchoesAndStoresOverTlsWithItsDefaultProfile() throws Exception {
        String key = CERTIFICATES.file("client.key").toString();
        String certificate = CERTIFICATES.file("client.pem").toString();
        String trusted = CERTIFICATES.file("server.pem").toString();
        DicomStudies.Result echo = DicomStudies.run("echoscu", "+tls", key, certificate, "+cf", trusted,
                "-aec", "FHIRGATEWAY", "-aet", "TLSMODALITY", "localhost", String.valueOf(DICOM_PORT));
        assertThat(echo.exitCode()).as(echo.output()).isZero();

        Path files = Files.createTempDirectory("tls-study");
        DicomStudies.Study study = new DicomStudies.Study("1.2.826.0.1.3680043.9.7001.1402", "PAT-TLS-1", "ACC-TLS-1",
                "CT", "CHEST");
        List<String> store = new ArrayList<>(List.of("storescu", "+tls", key, certificate, "+cf", trusted,
                "-aec", "FHIRGATEWAY", "-aet", "TLSMODALITY", "localhost", String.valueOf(DICOM_PORT)));
        DicomStudies.write(files, study, 1, 2).forEach(f -> store.add(f.toString()));
        DicomStudies.Result stored = DicomStudies.run(store.toArray(String[]::new));
        assertThat(stored.exitCode()).as(stored.output()).isZero();
        ImagingStudy imagingStudy = Poll.until(Duration.ofSeconds(10), "the study", () -> (ImagingStudy) search(
                "ImagingStudy?identifier=urn:dicom:uid%7Curn:oid:" + study.uidRoot()).getEntryFirstRep().getResource());
        assertThat(imagingStudy.getNumberOfInstances()).isEqualTo(2);

        // without a client certificate, and without TLS: refused
        assertThat(DicomStudies.run("echoscu", "+tla", "+cf", trusted, "-aec", "FHIRGATEWAY", "localhost",
                String.valueOf(DICOM_PORT)).exitCode()).isNotZero();
        assertThat(DicomStudies.run("echoscu", "-to", "5", "-aec", "FHIRGATEWAY", "localhost",
                String.valueOf(DICOM_PORT)).exitCode()).isNotZero();
    }

    /** A FHIR search over HTTPS, as the admin. */
    private static Bundle search(String query) {
        HttpClient https = HttpClient.newBuilder().sslContext(CERTIFICATES.clientContext(false)).build();
        HttpResponse<String> found;
        try {
            found = https.send(TestTokens.request("https://localhost:" + gateway.httpPort() + "/fhir/" + query).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        return FhirContext.forR4Cached().newJsonParser().parseResource(Bundle.class, found.body());
    }
}
