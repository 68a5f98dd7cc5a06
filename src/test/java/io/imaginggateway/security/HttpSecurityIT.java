package io.imaginggateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imaginggateway.hl7.MllpBadInputIT;
import io.imaginggateway.testsupport.DicomStudies;
import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.MllpClient;
import io.imaginggateway.testsupport.Poll;
import io.imaginggateway.testsupport.TestIssuer;
import io.imaginggateway.testsupport.TestTokens;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Who may call what over HTTP, with real tokens: static ones, JWTs of an issuer whose JWKS is served over HTTP, and
 * bad ones; what each access leaves in the audit trail; the HTTP hygiene a security review checks.
 */
class HttpSecurityIT extends GatewayIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DicomStudies.Study STUDY = new DicomStudies.Study("1.2.826.0.1.3680043.9.7001.1401",
            "PAT-SEC-1", "ACC-SEC-1", "CT", "CHEST");
    private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
    private static boolean stored;

    /** A study (ImagingStudy with its Patient) sent by storescu once the gateway runs, for the readers to read. */
    @BeforeEach
    void studyStored() throws Exception {
        if (stored) {
            return;
        }
        Path files = Files.createTempDirectory("security-study");
        List<String> command = new ArrayList<>(List.of("storescu", "-aec", "FHIRGATEWAY", "-aet", "SECURITYCT",
                "localhost", String.valueOf(DICOM_PORT)));
        DicomStudies.write(files, STUDY, 1, 2).forEach(f -> command.add(f.toString()));
        DicomStudies.Result result = DicomStudies.run(command.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.output()).isZero();
        Poll.until(TEN_SECONDS, "the study", () -> search(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:"
                + STUDY.uidRoot()).stream().findFirst().orElse(null));
        stored = true;
    }

    @Test
    void withoutATokenPatientDataIsRefusedWith401AndAudited() throws Exception {
        for (String path : List.of("/fhir/ImagingStudy", "/fhir/Patient/1", "/api/messages", "/api/conflicts",
                "/actuator/prometheus", "/actuator/metrics")) {
            HttpResponse<String> answer = get(path, null);
            assertThat(answer.statusCode()).as(path).isEqualTo(401);
            assertThat(answer.headers().firstValue("WWW-Authenticate")).as(path).hasValueSatisfying(
                    h -> assertThat(h).startsWith("Bearer"));
            assertThat(answer.body()).as(path).contains("OperationOutcome");
        }
        HttpResponse<String> importing = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/dicom/import?path=/etc"))
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(importing.statusCode()).isEqualTo(401);

        AuditEvent refusal = Poll.until(TEN_SECONDS, "an AuditEvent", () -> audits("type=http://dicom.nema.org/resources/ontology/DCM|110114")
                .stream().filter(e -> e.getOutcomeDesc().startsWith("GET /fhir/ImagingStudy: No bearer token")).findFirst()
                .orElse(null));
        assertThat(refusal.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(refusal.getOutcomeDesc()).contains("No bearer token");
        assertThat(refusal.getAgentFirstRep().getNetwork().getAddress()).isEqualTo("127.0.0.1");
    }

    @Test
    void orchestratorsAndSmartClientsGetTheirAnonymousAnswersWithoutPatientData() throws Exception {
        HttpResponse<String> health = get("/actuator/health", null);
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(health.body()).get("status").asText()).isEqualTo("UP");
        assertThat(health.body()).doesNotContain("components").doesNotContain(DATA_DIR.toString());
        assertThat(get("/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        // an admin sees the details (disk space, database)
        assertThat(get("/actuator/health", TestTokens.ADMIN).body()).contains("components").contains("diskSpace");
        assertThat(get("/actuator/health", TestTokens.IMAGING_READER).body()).doesNotContain("components");

        assertThat(get("/fhir/metadata", null).statusCode()).isEqualTo(200);
        JsonNode smart = JSON.readTree(get("/.well-known/smart-configuration", null).body());
        assertThat(smart.get("issuer").asText()).isEqualTo(TestIssuer.ISSUER);
        assertThat(smart.get("capabilities").toString()).contains("permission-v2");
    }

    @Test
    void aStaticTokenReadsWhatItsScopesAllowAndNothingElse() throws Exception {
        String reader = TestTokens.IMAGING_READER;
        HttpResponse<String> studies = get("/fhir/ImagingStudy?identifier=urn:dicom:uid|urn:oid:" + STUDY.uidRoot(), reader);
        assertThat(studies.statusCode()).as(studies.body()).isEqualTo(200);
        assertThat(studies.body()).contains(STUDY.uidRoot());

        assertThat(get("/fhir/Patient", reader).statusCode()).isEqualTo(403);
        // _include would bring the Patient along: the answer is checked too
        HttpResponse<String> included = get("/fhir/ImagingStudy?_include=ImagingStudy:subject&identifier=urn:dicom:uid|urn:oid:"
                + STUDY.uidRoot(), reader);
        assertThat(included.statusCode()).isEqualTo(403);
        assertThat(included.body()).contains("Patient");
        HttpResponse<String> create = send(HttpRequest.newBuilder(URI.create(baseUrl() + "/fhir/ImagingStudy"))
                .header("Authorization", "Bearer " + reader).header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\":\"ImagingStudy\",\"status\":\"available\"}")));
        assertThat(create.statusCode()).isEqualTo(403);
        assertThat(get("/api/messages", reader).statusCode()).isEqualTo(403);
        assertThat(get("/fhir/_history", reader).statusCode()).isEqualTo(403);
        assertThat(get("/fhir/ImagingStudy?_id=1", "not-a-token-of-this-gateway").statusCode()).isEqualTo(401);

        AuditEvent denied = Poll.until(TEN_SECONDS, "an AuditEvent", () -> audits("type=http://dicom.nema.org/resources/ontology/DCM|110113").stream()
                .filter(e -> e.getOutcomeDesc().contains("imaging-reader") && e.getOutcomeDesc().contains("Patient"))
                .findFirst().orElse(null));
        assertThat(denied.getAgentFirstRep().getWho().getDisplay()).isEqualTo("imaging-reader");
    }

    @Test
    void jwtsOfTheIssuerAreCheckedForSignatureIssuerExpiryAndScope() throws Exception {
        String query = "/fhir/ImagingStudy?identifier=urn:dicom:uid|urn:oid:" + STUDY.uidRoot();
        String viewer = TestIssuer.token("pacs-viewer", "system/ImagingStudy.rs system/Patient.r");
        HttpResponse<String> found = get(query, viewer);
        assertThat(found.statusCode()).as(found.body()).isEqualTo(200);
        assertThat(found.body()).contains(STUDY.uidRoot());
        // v1 scope syntax reads too
        assertThat(get(query, TestIssuer.token("old-app", "system/ImagingStudy.read")).statusCode()).isEqualTo(200);

        HttpResponse<String> expired = get(query, TestIssuer.expiredToken("pacs-viewer", "system/ImagingStudy.rs"));
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(expired.headers().firstValue("WWW-Authenticate").orElse("")).contains("invalid_token");
        assertThat(get(query, TestIssuer.tokenOfIssuer("https://evil.test", "pacs-viewer", "system/*.cruds"))
                .statusCode()).isEqualTo(401);
        assertThat(get(query, TestIssuer.tokenOfForeignKey("pacs-viewer", "system/*.cruds")).statusCode()).isEqualTo(401);
        // valid, but no scope for what it asks
        assertThat(get("/fhir/ServiceRequest", viewer).statusCode()).isEqualTo(403);
        assertThat(get("/api/messages", viewer).statusCode()).isEqualTo(403);
        // patient/ scopes grant nothing here: the gateway has no patient compartment to limit them to
        assertThat(get(query, TestIssuer.token("patient-app", "patient/ImagingStudy.rs")).statusCode()).isEqualTo(403);

        // the read is audited (BALP) with the JWT's client
        AuditEvent read = Poll.until(TEN_SECONDS, "an AuditEvent", () -> audits("_sort=-date&_count=200").stream()
                .filter(e -> e.getType().getCode().equals("rest"))
                .filter(e -> e.getAgent().stream().anyMatch(a -> "pacs-viewer".equals(a.getWho().getDisplay())))
                .findFirst().orElse(null));
        assertThat(read.getType().getCode()).isEqualTo("rest");
        assertThat(read.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
    }

    @Test
    void everyKindOfAccessLeavesAnAuditEvent() throws Exception {
        // an HL7 message
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            assertThat(MllpClient.segment(sender.send(MllpBadInputIT.order("SEC-AUD")), "MSA"))
                    .startsWith("MSA|AA|");
        }
        AuditEvent hl7 = Poll.until(TEN_SECONDS, "an AuditEvent", () -> audits("type=http://dicom.nema.org/resources/ontology/DCM|110107").stream()
                .filter(e -> e.getOutcomeDesc().contains("CTRL-SEC-AUD")).findFirst().orElse(null));
        assertThat(hl7.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._0);
        assertThat(hl7.getEntity()).anySatisfy(entity -> assertThat(entity.getWhat().getIdentifier().getValue())
                .contains("PAT-SEC-AUD"));

        // the DICOM association of the study stored before all
        AuditEvent dicom = Poll.until(TEN_SECONDS, "an AuditEvent", () -> audits("type=http://dicom.nema.org/resources/ontology/DCM|110104").stream()
                .filter(e -> e.getAgentFirstRep().getWho().getDisplay().equals("SECURITYCT")).findFirst().orElse(null));
        assertThat(dicom.getOutcomeDesc()).startsWith("2 instance(s) stored, 0 not");
        assertThat(dicom.getEntity()).anySatisfy(entity -> assertThat(entity.getWhat().getIdentifier().getValue())
                .isEqualTo("urn:oid:" + STUDY.uidRoot()));

        // a client's FHIR write (BALP): in the write's own transaction
        String practitioner = fhirClient().create().resource(new org.hl7.fhir.r4.model.Practitioner()
                .addIdentifier(new org.hl7.fhir.r4.model.Identifier().setSystem("urn:test:staff").setValue("AUDITED-1"))
                .addName(new org.hl7.fhir.r4.model.HumanName().setFamily("Audited"))).execute().getId().toUnqualifiedVersionless()
                .getValue();
        AuditEvent created = Poll.until(TEN_SECONDS, "an AuditEvent", () -> audits("_sort=-date&_count=50").stream()
                .filter(e -> e.getSubtype().stream().anyMatch(c -> "create".equals(c.getCode())))
                .filter(e -> e.getEntity().stream().anyMatch(en -> practitioner.equals(en.getWhat().getReference())))
                .findFirst().orElse(null));
        assertThat(created.getAgent()).anySatisfy(a -> assertThat(a.getWho().getDisplay()).isEqualTo("test-admin"));
        // and its delete, which names the deleted resource as text
        fhirClient().delete().resourceById(new org.hl7.fhir.r4.model.IdType(practitioner)).execute();
        Poll.until(TEN_SECONDS, "an AuditEvent", () -> audits("_sort=-date&_count=50").stream()
                .filter(e -> e.getSubtype().stream().anyMatch(c -> "delete".equals(c.getCode())))
                .filter(e -> e.getEntity().stream().anyMatch(en -> (practitioner + ", deleted").equals(
                        en.getWhat().getDisplay()))).findFirst().orElse(null));

        // an admin's replay
        JsonNode entries = JSON.readTree(get("/api/messages?msh10=CTRL-SEC-AUD", TestTokens.ADMIN).body());
        long id = entries.get("items").get(0).get("id").asLong();
        HttpResponse<String> replay = send(TestTokens.request(baseUrl() + "/api/messages/" + id + "/replay")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(replay.statusCode()).isEqualTo(200);
        AuditEvent replayed = Poll.until(TEN_SECONDS, "an AuditEvent", () -> audits("type=http://dicom.nema.org/resources/ontology/DCM|110100")
                .stream().filter(e -> e.getOutcomeDesc().contains("journal entry " + id)).findFirst().orElse(null));
        assertThat(replayed.getAgentFirstRep().getWho().getDisplay()).isEqualTo("test-admin");

        // an admin's import, refused outside the import roots
        HttpResponse<String> outside = send(TestTokens.request(baseUrl() + "/dicom/import?path=/etc")
                .POST(HttpRequest.BodyPublishers.noBody()));
        assertThat(outside.statusCode()).isEqualTo(403);
        AuditEvent imported = Poll.until(TEN_SECONDS, "an AuditEvent", () -> audits("type=http://dicom.nema.org/resources/ontology/DCM|110107")
                .stream().filter(e -> e.getOutcomeDesc().contains("DICOM folder /etc")).findFirst().orElse(null));
        assertThat(imported.getOutcome()).isEqualTo(AuditEvent.AuditEventOutcome._4);
        assertThat(imported.getAgentFirstRep().getWho().getDisplay()).isEqualTo("test-admin");
    }

    @Test
    void answersCarrySecurityHeadersAndNoCorsUnlessConfigured() throws Exception {
        HttpResponse<String> answer = send(TestTokens.request(baseUrl() + "/fhir/ImagingStudy?_count=1")
                .header("Origin", "https://evil.example"));
        assertThat(answer.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(answer.headers().firstValue("X-Frame-Options")).hasValue("DENY");
        assertThat(answer.headers().firstValue("Content-Security-Policy")).hasValueSatisfying(
                csp -> assertThat(csp).contains("default-src 'none'"));
        assertThat(answer.headers().firstValue("Cache-Control")).hasValueSatisfying(c -> assertThat(c).contains("no-store"));
        assertThat(answer.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(answer.headers().map().keySet()).noneMatch(h -> h.equalsIgnoreCase("Set-Cookie"));
    }

    @Test
    void aBodyOverTheLimitIs413AndTheServerGoesOn() throws Exception {
        try (Socket socket = new Socket("localhost", httpPort)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /fhir HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestTokens.ADMIN
                    + "\r\nContent-Type: application/fhir+json\r\nContent-Length: 100000000000\r\n\r\n{")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String response = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(response).isEqualTo("HTTP/1.1 413");
        }
        // chunked, no length declared: read up to the limit (64 MB), then refused
        HttpResponse<String> chunked = HTTP.send(TestTokens.request(baseUrl() + "/fhir")
                .header("Content-Type", "application/fhir+json").timeout(Duration.ofSeconds(60))
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> spaces(70L << 20))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(chunked.statusCode()).isEqualTo(413);
        assertThat(get("/fhir/ImagingStudy?_count=1", TestTokens.ADMIN).statusCode()).isEqualTo(200);
    }

    /** n bytes of blanks, made as they are read. */
    private static InputStream spaces(long n) {
        return new InputStream() {
            private long left = n;

            @Override
            public int read() {
                return left-- > 0 ? ' ' : -1;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (left <= 0) {
                    return -1;
                }
                int count = (int) Math.min(length, left);
                java.util.Arrays.fill(buffer, offset, offset + count, (byte) ' ');
                left -= count;
                return count;
            }
        };
    }

    @Test
    void noTokenWritesChangesOrDeletesTheAuditTrail() throws Exception {
        AuditEvent any = audits("_count=1").get(0);
        HttpResponse<String> delete = send(TestTokens.request(baseUrl() + "/fhir/AuditEvent/" + any.getIdPart()).DELETE());
        assertThat(delete.statusCode()).isEqualTo(403);
        assertThat(delete.body()).contains("audit trail");
        HttpResponse<String> forged = send(TestTokens.request(baseUrl() + "/fhir/AuditEvent")
                .header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(FHIR.newJsonParser().encodeResourceToString(any))));
        assertThat(forged.statusCode()).isEqualTo(403);
    }

    /** The newest AuditEvents a search finds (other tests of this gateway leave many). */
    private List<AuditEvent> audits(String query) {
        return search(AuditEvent.class, query + (query.contains("_sort") ? "" : "&_sort=-date&_count=100"));
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl() + path.replace("|", "%7C")));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return send(request);
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
