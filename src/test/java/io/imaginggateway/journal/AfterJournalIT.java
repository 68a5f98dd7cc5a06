package io.imaginggateway.journal;

import static io.imaginggateway.testsupport.MllpClient.segment;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imaginggateway.hl7.MllpBadInputIT;
import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.TestTokens;
import io.imaginggateway.testsupport.GatewayInstance;
import io.imaginggateway.testsupport.MllpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A feed that acknowledges after the journal: AA once a message is parsed, mapped and journaled; its FHIR write follows
 * in the background; a message that cannot be written then is journaled as failed after acknowledgement, with its
 * reason, and counted.
 */
class AfterJournalIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dataDir;

    @Test
    void messagesAreAcknowledgedOnceJournaledAndWrittenInTheBackground() throws Exception {
        int mllpPort = GatewayIT.freePort();
        try (GatewayInstance gateway = GatewayInstance.start(dataDir, Map.of("gateway.hl7.mllp-port", mllpPort,
                "gateway.site.acknowledge", "after-journal"))) {
            String base = "http://localhost:" + gateway.httpPort();
            try (MllpClient sender = new MllpClient(mllpPort)) {
                for (int i = 1; i <= 20; i++) {
                    assertThat(segment(sender.send(MllpBadInputIT.order("AJ" + i)), "MSA")).startsWith("MSA|AA|");
                }
                // the same order number for another patient: acknowledged (it maps), then held when written
                String otherPatient = MllpBadInputIT.order("AJ1").replace("CTRL-AJ1", "CTRL-AJX").replace("PAT-AJ1", "PAT-AJX");
                assertThat(segment(sender.send(otherPatient), "MSA")).startsWith("MSA|AA|");
                // still refused unread, and not acknowledged, when it does not map
                String noOrderNumbers = MllpBadInputIT.order("AJN").replace("ORC|NW|PO-AJN^EPIC|", "ORC|NW||")
                        .replace("OBR|1|PO-AJN^EPIC|", "OBR|1||").replace("ACC-AJN", "");
                assertThat(segment(sender.send(noOrderNumbers), "MSA")).startsWith("MSA|AE|");
            }
            long deadline = System.currentTimeMillis() + 30_000;
            while (get(base + "/api/messages?status=pending").get("items").size() > 0 && System.currentTimeMillis() < deadline) {
                Thread.sleep(200);
            }
            assertThat(get(base + "/api/messages?status=stored").get("items")).hasSize(20);
            for (int i = 1; i <= 20; i++) {
                assertThat(gateway.fhirClient().search().byUrl("ServiceRequest?identifier=PO-AJ" + i)
                        .returnBundle(Bundle.class).execute().getEntry()).as("AJ" + i).hasSize(1);
            }
            JsonNode held = get(base + "/api/messages?msh10=CTRL-AJX").get("items").get(0);
            assertThat(held.get("status").asText()).isEqualTo("held");
            assertThat(held.get("ackCode").asText()).isEqualTo("AA");
            assertThat(held.get("reason").asText()).contains("Acknowledged AA, then not stored");
            assertThat(get(base + "/api/messages?unresolved=true").get("items")).extracting(n -> n.get("messageId").asText())
                    .containsExactlyInAnyOrder("CTRL-AJX", "CTRL-AJN");

            String metrics = HTTP.send(TestTokens.request(base + "/actuator/prometheus").build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            String counter = "gateway_messages_total{feed=\"default\",kind=\"hl7\",outcome=\"%s\",type=\"ORM^O01\"} ";
            assertThat(metrics).contains(counter.formatted("pending") + "21.0");
            assertThat(metrics).contains(counter.formatted("stored") + "20.0");
            assertThat(metrics).contains(counter.formatted("held") + "1.0");
        }
    }

    private static JsonNode get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(TestTokens.request(url).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return JSON.readTree(response.body());
    }
}
