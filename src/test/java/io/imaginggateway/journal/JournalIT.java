package io.imaginggateway.journal;

import static io.imaginggateway.testsupport.MllpClient.segment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imaginggateway.hl7.MllpBadInputIT;
import io.imaginggateway.testsupport.DicomStudies;
import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.TestTokens;
import io.imaginggateway.testsupport.MllpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The journal as an operator uses it: messages sent over MLLP and instances over DICOM, then found, read and
 * replayed over the REST API, and counted at /actuator/prometheus.
 */
class JournalIT extends GatewayIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Autowired
    JdbcTemplate jdbc;

    @Test
    void everyMessageIsJournaledWithWhatBecameOfItAndAFailureIsReplayedEdited() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        String before = metrics();
        String good = MllpBadInputIT.order("J1");
        String noOrderNumbers = "MSH|^~\\&|EPIC|GENHOSP|RIS|RADIOLOGY|20261123081500||ORM^O01|CTRL-J2|P|2.3.1\r"
                + "PID|1||PAT-J2^^^HOSP^MR||Doe^John||19700101|M\r"
                + "ORC|NW|||||||||||\r"
                + "OBR|1|||71250^CT CHEST^C4||||||||||||||||||||CT\r";
        String unsupported = "MSH|^~\\&|EPIC|GENHOSP|RIS|RADIOLOGY|20261123081500||ADT^A01|CTRL-J3|P|2.3.1\r"
                + "PID|1||PAT-J3^^^HOSP^MR||Doe^Jim\r";
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            assertThat(segment(sender.send(good), "MSA")).startsWith("MSA|AA|CTRL-J1");
            assertThat(segment(sender.send(good), "MSA")).startsWith("MSA|AA|CTRL-J1");
            assertThat(segment(sender.send(noOrderNumbers), "MSA")).startsWith("MSA|AE|CTRL-J2");
            assertThat(segment(sender.send(unsupported), "MSA")).startsWith("MSA|AR|CTRL-J3");
        }

        // did message X arrive, and what did it become
        JsonNode sent = get("/api/messages?msh10=CTRL-J1");
        assertThat(sent.get("items")).hasSize(2);
        JsonNode duplicate = sent.get("items").get(0);
        JsonNode stored = sent.get("items").get(1);
        assertThat(stored.get("status").asText()).isEqualTo("stored");
        assertThat(duplicate.get("status").asText()).isEqualTo("duplicate");
        assertThat(stored.get("feed").asText()).isEqualTo("default");
        assertThat(stored.get("sender").asText()).isEqualTo("EPIC^GENHOSP");
        assertThat(stored.get("type").asText()).isEqualTo("ORM^O01");
        assertThat(stored.get("patient").asText()).isEqualTo("PAT-J1");
        assertThat(stored.get("patientIssuer").asText()).isEqualTo("HOSP");
        assertThat(stored.get("accession").asText()).isEqualTo("ACC-J1");
        assertThat(stored.get("ackCode").asText()).isEqualTo("AA");
        String order = one(ServiceRequest.class, "identifier=PO-J1").getIdElement().toUnqualifiedVersionless().getValue();
        assertThat(stored.get("resources").toString()).contains(order + "/_history/1");
        JsonNode detail = get("/api/messages/" + stored.get("id").asLong());
        assertThat(detail.get("content").asText()).isEqualTo(good.replace('\r', '\n'));
        assertThat(detail.get("ack").asText()).contains("MSA|AA|CTRL-J1");
        assertThat(get("/api/messages?patient=PAT-J1%5E%5E%5EHOSP&accession=ACC-J1").get("items")).hasSize(2);
        assertThat(get("/api/messages?patient=PAT-J1&status=stored").get("items")).hasSize(1);

        // why did message Y fail
        JsonNode failed = get("/api/messages?status=error&since=" + since + "&type=ORM%5EO01&sender=EPIC%5EGENHOSP")
                .get("items").get(0);
        assertThat(failed.get("messageId").asText()).isEqualTo("CTRL-J2");
        assertThat(failed.get("reason").asText()).contains("ORC-2").contains("placer");
        JsonNode rejected = get("/api/messages?msh10=CTRL-J3").get("items").get(0);
        assertThat(rejected.get("status").asText()).isEqualTo("rejected");
        assertThat(rejected.get("ackCode").asText()).isEqualTo("AR");
        assertThat(get("/api/messages/" + failed.get("id").asLong()).get("ack").asText()).contains("MSA|AE|CTRL-J2");

        // free text needs a time range, then finds content
        assertThat(status(request("/api/messages?text=Doe%5EJohn").GET())).isEqualTo(400);
        JsonNode byText = get("/api/messages?text=doe%5Ejohn&since=" + since + "&until=" + Instant.now().plusSeconds(5));
        assertThat(byText.get("items")).extracting(n -> n.get("messageId").asText()).containsExactly("CTRL-J2");
        assertThat(status(request("/api/messages?stauts=error").GET())).isEqualTo(400);

        // paged by cursor, newest first
        JsonNode first = get("/api/messages?since=" + since + "&limit=2");
        assertThat(first.get("items")).hasSize(2);
        JsonNode second = get("/api/messages?since=" + since + "&limit=2&cursor=" + first.get("next").asText());
        assertThat(second.get("items").get(0).get("id").asLong()).isLessThan(first.get("items").get(1).get("id").asLong());

        // replayed with edited content: stored, linked, recorded as edited; the failure is resolved
        String fixed = noOrderNumbers.replace("ORC|NW||", "ORC|NW|PO-J2^EPIC|").replace('\r', '\n');
        JsonNode replay = post("/api/messages/" + failed.get("id").asLong() + "/replay", fixed);
        assertThat(replay.get("status").asText()).isEqualTo("stored");
        one(ServiceRequest.class, "identifier=PO-J2");
        JsonNode original = get("/api/messages/" + failed.get("id").asLong());
        assertThat(original.get("resolvedBy").asLong()).isEqualTo(replay.get("entry").asLong());
        JsonNode replayed = original.get("replays").get(0);
        assertThat(replayed.get("edited").asBoolean()).isTrue();
        assertThat(replayed.get("channel").asText()).isEqualTo("replay");
        assertThat(replayed.get("replayOf").asLong()).isEqualTo(failed.get("id").asLong());
        assertThat(get("/api/messages?status=error&unresolved=true&since=" + since).get("items")).isEmpty();

        // replaying what was stored writes nothing again
        JsonNode again = post("/api/messages/" + stored.get("id").asLong() + "/replay", null);
        assertThat(again.get("status").asText()).isEqualTo("duplicate");
        assertThat(get("/api/messages/" + again.get("entry").asLong()).get("replayOf").asLong()).isEqualTo(stored.get("id").asLong());
        assertThat(search(ServiceRequest.class, "identifier=PO-J1")).hasSize(1);
        assertThat(status(request("/api/messages/999999999/replay").POST(HttpRequest.BodyPublishers.noBody())))
                .isEqualTo(404);

        String after = metrics();
        assertThat(delta(before, after, "gateway_messages_total", "feed=\"default\",kind=\"hl7\",outcome=\"stored\",type=\"ORM^O01\""))
                .isEqualTo(2); // J1 and the edited J2
        // the message sent twice, and the replay of the stored one
        assertThat(delta(before, after, "gateway_messages_total", "feed=\"default\",kind=\"hl7\",outcome=\"duplicate\",type=\"ORM^O01\""))
                .isEqualTo(2);
        assertThat(delta(before, after, "gateway_messages_total", "feed=\"default\",kind=\"hl7\",outcome=\"error\",type=\"ORM^O01\""))
                .isEqualTo(1);
        assertThat(delta(before, after, "gateway_messages_total", "feed=\"default\",kind=\"hl7\",outcome=\"rejected\",type=\"other\""))
                .isEqualTo(1);
        assertThat(delta(before, after, "gateway_hl7_ack_seconds_count", "code=\"AA\",feed=\"default\"")).isEqualTo(2);
        assertThat(delta(before, after, "gateway_fhir_writes_total", "outcome=\"created\",resource_type=\"ServiceRequest\""))
                .isEqualTo(2);
        assertThat(after).contains("gateway_hl7_ack_seconds_bucket{code=\"AA\",feed=\"default\",le=");
        assertThat(after).contains("gateway_journal_unresolved_failures{kind=\"hl7\"}");
        assertThat(after).contains("gateway_journal_oldest_pending_seconds");
        assertThat(after).contains("camel_exchanges_total{"); // Camel's route meters beside the gateway's
        assertThat(after).doesNotContain("PAT-J1").doesNotContain("Doe");
    }

    @Test
    void failuresOfADatabaseProblemAreReplayedInOneCallWithoutDuplicates() throws Exception {
        Instant since = Instant.now().minusSeconds(1);
        List<String> messages = new ArrayList<>();
        jdbc.execute("ALTER TABLE GW_MESSAGE_LEDGER RENAME TO GW_MESSAGE_LEDGER_AWAY");
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            for (int i = 1; i <= 3; i++) {
                messages.add(MllpBadInputIT.order("JB" + i));
                assertThat(segment(sender.send(messages.get(i - 1)), "MSA")).startsWith("MSA|AE|");
            }
        } finally {
            jdbc.execute("ALTER TABLE GW_MESSAGE_LEDGER_AWAY RENAME TO GW_MESSAGE_LEDGER");
        }
        JsonNode failures = get("/api/messages?status=error&unresolved=true&since=" + since);
        assertThat(failures.get("items")).hasSize(3);
        assertThat(failures.get("items").get(0).get("reason").asText()).contains("could not be stored");

        JsonNode bulk = post("/api/messages/replay?since=" + since + "&reason=could%20not%20be%20stored", null);
        assertThat(bulk.get("replayed").asInt()).isEqualTo(3);
        assertThat(bulk.get("byStatus").get("stored").asInt()).isEqualTo(3);
        for (int i = 1; i <= 3; i++) {
            assertThat(search(ServiceRequest.class, "identifier=PO-JB" + i)).hasSize(1);
        }
        assertThat(get("/api/messages?status=error&unresolved=true&since=" + since).get("items")).isEmpty();
        // the same bulk replay again finds nothing unresolved: nothing is written twice
        assertThat(post("/api/messages/replay?since=" + since + "&reason=could%20not%20be%20stored", null)
                .get("replayed").asInt()).isZero();
        // and a replay of everything since then writes nothing new either
        JsonNode all = post("/api/messages/replay?since=" + since + "&status=error", null);
        assertThat(all.get("replayed").asInt()).isEqualTo(3);
        assertThat(all.get("byStatus").get("duplicate").asInt()).isEqualTo(3);
        for (int i = 1; i <= 3; i++) {
            assertThat(search(ServiceRequest.class, "identifier=PO-JB" + i)).hasSize(1);
        }
    }

    @Test
    void dicomInstancesAreJournaledByCallingAeAndCounted() throws Exception {
        String before = metrics();
        Path files = Files.createTempDirectory("journal-dicom");
        DicomStudies.Study study = new DicomStudies.Study("1.2.826.0.1.3680043.9.7001.981", "PAT-JD-1", "ACC-JD-1", "CT", "CHEST");
        List<Path> instances = DicomStudies.write(files, study, 1, 3);
        List<String> command = new ArrayList<>(List.of("storescu", "-aec", "FHIRGATEWAY", "-aet", "JOURNALCT",
                "localhost", String.valueOf(DICOM_PORT)));
        instances.forEach(f -> command.add(f.toString()));
        DicomStudies.Result result = DicomStudies.run(command.toArray(String[]::new));
        assertThat(result.exitCode()).as(result.output()).isZero();

        JsonNode found = poll("/api/dicom/instances?study=" + study.uidRoot() + "&status=stored", 3);
        JsonNode instance = found.get("items").get(0);
        assertThat(instance.get("sender").asText()).isEqualTo("JOURNALCT");
        assertThat(instance.get("channel").asText()).isEqualTo("c-store");
        assertThat(instance.get("patient").asText()).isEqualTo("PAT-JD-1");
        assertThat(instance.get("accession").asText()).isEqualTo("ACC-JD-1");
        assertThat(instance.get("seriesUid").asText()).isNotBlank();
        assertThat(instance.get("messageId").asText()).startsWith(study.uidRoot());
        assertThat(instance.get("fileStatus").asText()).isEqualTo("deleted");
        assertThat(instance.get("resources").toString()).contains("ImagingStudy/");
        assertThat(get("/api/dicom/instances?sender=JOURNALCT").get("items")).hasSize(3);
        assertThat(get("/api/dicom/instances?sop=" + instance.get("messageId").asText()).get("items")).hasSize(1);

        String after = metrics();
        assertThat(delta(before, after, "gateway_dicom_instances_total", "calling_ae=\"JOURNALCT\",outcome=\"stored\""))
                .isEqualTo(3);
        assertThat(delta(before, after, "gateway_dicom_associations_total", "calling_ae=\"JOURNALCT\"")).isEqualTo(1);
        assertThat(after).doesNotContain("PAT-JD-1");
    }

    @Test
    void aHeldDicomInstanceIsReplayedFromItsFileOnceTheRecordIsPutRight() throws Exception {
        Path files = Files.createTempDirectory("journal-dicom-held");
        String studyUid = "1.2.826.0.1.3680043.9.7001.982";
        DicomStudies.Study first = new DicomStudies.Study(studyUid, "PAT-JH-A", "ACC-JH-A", "CT", "CHEST");
        assertThat(storescu("JOURNALCT", DicomStudies.write(files.resolve("a"), first, 1, 1)).exitCode()).isZero();
        poll("/api/dicom/instances?study=" + studyUid + "&status=stored", 1);
        // the same study UID for another patient: refused, its file held
        DicomStudies.Study other = new DicomStudies.Study(studyUid, "PAT-JH-B", "ACC-JH-B", "CT", "CHEST");
        storescu("JOURNALCT", List.of(DicomStudies.write(files.resolve("b"), other, 1, 2, "")));
        JsonNode held = poll("/api/dicom/instances?study=" + studyUid + "&status=held", 1).get("items").get(0);
        assertThat(held.get("fileStatus").asText()).isEqualTo("held");
        assertThat(held.get("reason").asText()).contains("identity conflict");
        Path heldFile = Path.of(held.get("file").asText());
        assertThat(heldFile).exists();
        long original = held.get("id").asLong();
        JsonNode stillHeld = post("/api/dicom/instances/" + original + "/replay", null);
        assertThat(stillHeld.get("status").asText()).isEqualTo("held"); // still conflicting: held again, linked
        JsonNode attempt = get("/api/dicom/instances/" + stillHeld.get("entry").asLong());
        assertThat(attempt.get("replayOf").asLong()).isEqualTo(original);
        assertThat(Path.of(attempt.get("file").asText())).exists();
        // the file moved with the new hold: the original's is gone, which the API says
        assertThat(status(request("/api/dicom/instances/" + original + "/replay").POST(HttpRequest.BodyPublishers.noBody())))
                .isEqualTo(409);

        // the operator puts the record right (here: the first study had been sent under a wrong UID and is removed)
        fhirClient().delete().resourceConditionalByUrl("ImagingStudy?identifier=urn:dicom:uid|urn:oid:" + studyUid).execute();
        JsonNode replayed = post("/api/dicom/instances/" + attempt.get("id").asLong() + "/replay", null);
        assertThat(replayed.get("status").asText()).as(replayed.toString()).isEqualTo("stored");
        assertThat(one(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:" + studyUid).getNumberOfInstances()).isEqualTo(1);
        assertThat(get("/api/dicom/instances/" + original).get("resolvedBy").asLong()).isEqualTo(replayed.get("entry").asLong());
        assertThat(Path.of(attempt.get("file").asText())).doesNotExist(); // disposed of as any committed instance's
    }

    private static DicomStudies.Result storescu(String aeTitle, List<Path> instances) throws Exception {
        List<String> command = new ArrayList<>(List.of("storescu", "--no-halt", "-aec", "FHIRGATEWAY", "-aet", aeTitle,
                "localhost", String.valueOf(DICOM_PORT)));
        instances.forEach(f -> command.add(f.toString()));
        return DicomStudies.run(command.toArray(String[]::new));
    }

    private JsonNode poll(String path, int size) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        JsonNode found = get(path);
        while (found.get("items").size() < size && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            found = get(path);
        }
        assertThat(found.get("items")).hasSize(size);
        return found;
    }

    private HttpRequest.Builder request(String path) {
        return TestTokens.request(baseUrl() + path);
    }

    private static int status(HttpRequest.Builder request) throws Exception {
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = HTTP.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private JsonNode post(String path, String body) throws Exception {
        HttpRequest.Builder builder = request(path).header("Content-Type", "text/plain");
        HttpResponse<String> response = HTTP.send(builder.POST(body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }

    private String metrics() throws Exception {
        return HTTP.send(request("/actuator/prometheus").GET().build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    /** How much a series (name and exact label set) grew between two scrapes. */
    static double delta(String before, String after, String name, String labels) {
        return value(after, name, labels) - value(before, name, labels);
    }

    private static double value(String scrape, String name, String labels) {
        Matcher line = Pattern.compile("^" + Pattern.quote(name) + "\\{" + Pattern.quote(labels) + ",?\\} (\\S+)$",
                Pattern.MULTILINE).matcher(scrape);
        return line.find() ? Double.parseDouble(line.group(1)) : 0;
    }
}
