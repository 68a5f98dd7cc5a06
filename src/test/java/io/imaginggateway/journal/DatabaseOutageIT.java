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
import io.imaginggateway.testsupport.TcpProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL goes away mid-stream (the gateway reaches it through a proxy the test cuts) and comes back: senders get
 * AE 207 while it is away, nothing acknowledged is lost, the failures are journaled once it is back (they waited in
 * the spool folder), the gateway serves again by itself, and one call replays the outage's failures.
 */
class DatabaseOutageIT {

    private static final String HOST = "127.0.0.1";
    private static final int PG_PORT = Integer.parseInt(System.getenv().getOrDefault("GATEWAY_TEST_POSTGRES_PORT", "5432"));
    private static final String USER = System.getenv().getOrDefault("GATEWAY_TEST_POSTGRES_USER", "postgres");
    private static final String DATABASE = System.getenv().getOrDefault("GATEWAY_TEST_POSTGRES_DB", "test");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String schema = "gateway_outage_" + UUID.randomUUID().toString().substring(0, 8);
    private boolean schemaCreated;

    @TempDir
    Path dataDir;

    @BeforeEach
    void createSchema() {
        try (Connection connection = connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
            schemaCreated = true;
        } catch (SQLException e) {
            Assumptions.abort("PostgreSQL not reachable at " + HOST + ":" + PG_PORT + " (" + e.getMessage() + ")");
        }
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (schemaCreated) {
            try (Connection connection = connect(); Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    private static Connection connect() throws SQLException {
        DriverManager.setLoginTimeout(3);
        return DriverManager.getConnection("jdbc:postgresql://" + HOST + ":" + PG_PORT + "/" + DATABASE, USER, "");
    }

    @Test
    void sendersGetAe207DuringAnOutageAndItsFailuresAreReplayedInOneCall() throws Exception {
        int mllpPort = GatewayIT.freePort();
        try (TcpProxy proxy = new TcpProxy(HOST, PG_PORT);
                GatewayInstance gateway = GatewayInstance.start(dataDir, Map.of(
                        "spring.datasource.url", "jdbc:postgresql://" + HOST + ":" + proxy.port() + "/" + DATABASE
                                + "?currentSchema=" + schema + "&connectTimeout=2&socketTimeout=10",
                        "spring.datasource.username", USER,
                        "spring.datasource.password", "",
                        "spring.datasource.hikari.connection-timeout", 2000,
                        "gateway.hl7.mllp-port", mllpPort,
                        "gateway.journal.spool-check-millis", 500))) {
            String api = "http://localhost:" + gateway.httpPort() + "/api/messages";
            Instant since = Instant.now().minusSeconds(1);
            try (MllpClient sender = new MllpClient(mllpPort)) {
                assertThat(segment(sender.send(MllpBadInputIT.order("OUT1")), "MSA")).startsWith("MSA|AA|");

                proxy.cut();
                for (String id : new String[] {"OUT2", "OUT3"}) {
                    String ack = sender.send(MllpBadInputIT.order(id));
                    assertThat(segment(ack, "MSA")).startsWith("MSA|AE|");
                    assertThat(segment(ack, "ERR")).contains("207");
                }
                assertThat(dataDir.resolve("journal-spool").toFile().list()).hasSize(2);

                proxy.restore();
                // the gateway recovers by itself: a message is stored again once its pool has reconnected (a sender
                // resends after AE; the earlier attempts' failures are resolved by the one that is stored)
                long deadline = System.currentTimeMillis() + 30_000;
                String ack = sender.send(MllpBadInputIT.order("OUT4"));
                while (!segment(ack, "MSA").startsWith("MSA|AA|") && System.currentTimeMillis() < deadline) {
                    Thread.sleep(500);
                    ack = sender.send(MllpBadInputIT.order("OUT4"));
                }
                assertThat(segment(ack, "MSA")).startsWith("MSA|AA|");
            }
            // the outage's failures reach the journal from the spool
            JsonNode failures = poll(api + "?status=error&unresolved=true&since=" + since, 2);
            assertThat(failures.get("items")).extracting(n -> n.get("messageId").asText())
                    .containsExactlyInAnyOrder("CTRL-OUT2", "CTRL-OUT3");
            assertThat(failures.get("items").get(0).get("reason").asText()).contains("could not be stored");

            JsonNode replayed = JSON.readTree(HTTP.send(TestTokens.request(api + "/replay?since=" + since)
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString()).body());
            assertThat(replayed.get("byStatus").get("stored").asInt()).as(replayed.toString())
                    .isEqualTo(2);
            for (String id : new String[] {"OUT1", "OUT2", "OUT3", "OUT4"}) {
                assertThat(gateway.fhirClient().search().byUrl("ServiceRequest?identifier=PO-" + id)
                        .returnBundle(Bundle.class).execute().getEntry()).as(id).hasSize(1);
            }
            assertThat(get(api + "?status=error&unresolved=true&since=" + since).get("items")).isEmpty();
        }
    }

    private static JsonNode poll(String url, int size) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        JsonNode found = get(url);
        while (found.get("items").size() < size && System.currentTimeMillis() < deadline) {
            Thread.sleep(250);
            found = get(url);
        }
        return found;
    }

    private static JsonNode get(String url) throws Exception {
        return JSON.readTree(HTTP.send(TestTokens.request(url).GET().build(),
                HttpResponse.BodyHandlers.ofString()).body());
    }
}
