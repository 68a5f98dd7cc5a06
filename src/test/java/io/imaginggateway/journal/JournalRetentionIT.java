package io.imaginggateway.journal;

import static org.assertj.core.api.Assertions.assertThat;

import io.imaginggateway.testsupport.GatewayInstance;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Retention: content and metadata pruned after their own days, the duplicate ledger with the metadata; on PostgreSQL
 * by dropping day partitions, whose space the database gives back.
 */
class JournalRetentionIT {

    private static final String PG = "jdbc:postgresql://127.0.0.1:"
            + System.getenv().getOrDefault("GATEWAY_TEST_POSTGRES_PORT", "5432") + "/"
            + System.getenv().getOrDefault("GATEWAY_TEST_POSTGRES_DB", "test");
    private static final String USER = System.getenv().getOrDefault("GATEWAY_TEST_POSTGRES_USER", "postgres");

    @TempDir
    Path dataDir;

    @Test
    void onH2RowsOlderThanTheirRetentionAreDeletedInChunks() {
        try (GatewayInstance gateway = GatewayInstance.start(dataDir, Map.of("gateway.journal.prune-chunk", 7))) {
            Instant now = Instant.now();
            write(gateway, now, 100, 25); // older than both retentions
            write(gateway, now, 40, 25);  // older than the content's 30 days only
            write(gateway, now, 1, 25);
            JdbcTemplate jdbc = gateway.bean(JdbcTemplate.class);
            jdbc.update("INSERT INTO GW_MESSAGE_LEDGER (SENDER, MESSAGE_ID, CONTENT_DIGEST, STORED_AT) VALUES ('s', 'old', 'd', ?)",
                    java.sql.Timestamp.from(now.minus(100, ChronoUnit.DAYS)));

            JournalRetention.Pruned pruned = gateway.bean(JournalRetention.class).prune(now);

            assertThat(pruned.metadataRows()).isEqualTo(25);
            assertThat(pruned.contentRows()).isEqualTo(50);
            assertThat(pruned.ledgerRows()).isEqualTo(1);
            assertThat(count(jdbc, "GW_JOURNAL")).isEqualTo(50);
            assertThat(count(jdbc, "GW_JOURNAL_CONTENT")).isEqualTo(25);
        }
    }

    @Test
    void onPostgresDayPartitionsAreDroppedAndTheirSpaceReturned() throws Exception {
        String schema = "gateway_retention_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection admin = connect(); Statement statement = admin.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            Assumptions.abort("PostgreSQL not reachable at " + PG + " (" + e.getMessage() + ")");
        }
        try (GatewayInstance gateway = GatewayInstance.start(dataDir, Map.of(
                "spring.datasource.url", PG + "?currentSchema=" + schema,
                "spring.datasource.username", USER, "spring.datasource.password", ""))) {
            Instant now = Instant.now();
            LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
            JournalRetention retention = gateway.bean(JournalRetention.class);
            retention.ensurePartitions(today.minusDays(100), today);
            write(gateway, now, 100, 400);
            write(gateway, now, 40, 400);
            write(gateway, now, 1, 400);
            JdbcTemplate jdbc = gateway.bean(JdbcTemplate.class);
            // the text search reads content bytes of the days asked for: typed in lower case, found in upper case
            JournalReader reader = gateway.bean(JournalReader.class);
            Instant since = now.minus(2, ChronoUnit.DAYS);
            assertThat(reader.search(text("ris|hosp", since, now), null, 10).items()).hasSize(10);
            assertThat(reader.search(text("ris|elsewhere", since, now), null, 10).items()).isEmpty();
            assertThat(reader.search(text("ris|hosp", now.minus(60, ChronoUnit.DAYS), now.minus(50, ChronoUnit.DAYS)),
                    null, 10).items()).isEmpty();
            long before = journalBytes(jdbc);

            JournalRetention.Pruned pruned = retention.prune(now);

            // every day partition past its retention: 100-40 days of content and 100-90 of metadata, at least
            assertThat(pruned.contentPartitions()).isGreaterThanOrEqualTo(2);
            assertThat(pruned.metadataPartitions()).isGreaterThanOrEqualTo(1);
            assertThat(count(jdbc, "GW_JOURNAL")).isEqualTo(800);
            assertThat(count(jdbc, "GW_JOURNAL_CONTENT")).isEqualTo(400);
            long after = journalBytes(jdbc);
            assertThat(after).as("bytes of the journal's tables and indexes, before %d", before).isLessThan(before);
            System.out.printf("PostgreSQL journal: %d bytes before pruning, %d after%n", before, after);
        } finally {
            try (Connection admin = connect(); Statement statement = admin.createStatement()) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
        }
    }

    /** {@code count} HL7 failures received {@code daysAgo}, each with 2 KB of content. */
    private static void write(GatewayInstance gateway, Instant now, int daysAgo, int count) {
        Journal journal = gateway.bean(Journal.class);
        byte[] content = ("MSH|^~\\&|RIS|HOSP|||20261201||ORM^O01|X|P|2.3\r" + "x".repeat(2000)).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < count; i++) {
            journal.recordFailure(new Arrival(now.minus(daysAgo, ChronoUnit.DAYS), Arrival.Kind.HL7, "mllp", "default",
                    "RIS^HOSP", "ORM^O01", "R" + daysAgo + "-" + i, "d", "P1", "A1", null, null, null, content, "UTF-8",
                    null, false), Outcome.failed(Outcome.Status.ERROR, "test", null, "AE", "MSH|ack"));
        }
    }

    private static JournalFilter text(String phrase, Instant since, Instant until) {
        return new JournalFilter(Arrival.Kind.HL7, null, null, null, null, null, null, null, null, null, since, until,
                phrase, null, false);
    }

    /** On-disk bytes of every journal partition with its indexes and TOAST. */
    private static long journalBytes(JdbcTemplate jdbc) {
        Long bytes = jdbc.queryForObject("SELECT COALESCE(SUM(pg_total_relation_size(c.oid)), 0) FROM pg_class c "
                + "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = current_schema() "
                + "AND c.relkind = 'r' AND c.relname LIKE 'gw_journal%'", Long.class);
        return bytes == null ? 0 : bytes;
    }

    private static long count(JdbcTemplate jdbc, String table) {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM " + table, Long.class);
        return count == null ? 0 : count;
    }

    private static Connection connect() throws SQLException {
        DriverManager.setLoginTimeout(3);
        return DriverManager.getConnection(PG, USER, "");
    }
}
