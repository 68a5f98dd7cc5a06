package io.imaginggateway.journal;

import io.imaginggateway.fhirstore.DatabaseKind;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.DependsOn;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.SingleConnectionDataSource;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Keeps the journal within its retention (content and metadata each their own days) and, on PostgreSQL, its day
 * partitions ahead of time.
 *
 * <p>PostgreSQL: a day's partition of {@code GW_JOURNAL_CONTENT} or {@code GW_JOURNAL} older than its retention is
 * detached concurrently (no lock that stops intake) and dropped, which gives its space back to the file system at
 * once. Partitions are created {@value #DAYS_AHEAD} days ahead, at start (before any intake) and at each run. Several
 * gateways on one database: each run takes a PostgreSQL advisory lock, so that one gateway prunes at a time, and every
 * statement tolerates another having done the work.
 *
 * <p>H2: rows are deleted in chunks of {@code prune-chunk}, each its own transaction, so that intake waits at most for
 * one chunk. H2 reuses the freed pages for new rows, so the file stops growing once the journal is at its retention;
 * it gives space back to the file system only when compacted at shutdown (H2's {@code SHUTDOWN COMPACT}), which the
 * gateway does not do on its own: a site that needs the disk back runs PostgreSQL.
 */
@Component
@DependsOn("entityManagerFactory") // which brings the schema up to date
public class JournalRetention implements InitializingBean {

    private static final Logger log = LoggerFactory.getLogger(JournalRetention.class);
    static final int DAYS_AHEAD = 7;
    private static final long LOCK_KEY = 0x6A6F75726E616CL; // "journal"
    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;

    /** What one run removed. */
    public record Pruned(int contentPartitions, int metadataPartitions, long contentRows, long metadataRows,
            long ledgerRows) {}

    private final JdbcTemplate jdbc;
    private final JournalProperties properties;
    private final boolean postgres;

    JournalRetention(JdbcTemplate jdbc, JournalProperties properties, DatabaseKind kind) {
        this.jdbc = jdbc;
        this.properties = properties;
        this.postgres = kind == DatabaseKind.POSTGRES;
    }

    @Override
    public void afterPropertiesSet() {
        if (properties.contentRetentionDays() > properties.metadataRetentionDays()) {
            throw new IllegalStateException("gateway.journal.content-retention-days (" + properties.contentRetentionDays()
                    + ") is longer than metadata-retention-days (" + properties.metadataRetentionDays()
                    + "): content without its entry could never be found");
        }
        if (postgres) {
            LocalDate today = LocalDate.now(ZoneOffset.UTC);
            ensurePartitions(today.minusDays(1), today.plusDays(DAYS_AHEAD));
        }
    }

    /** PostgreSQL: a partition of each journal table for every day from {@code from} to {@code to}. */
    public void ensurePartitions(LocalDate from, LocalDate to) {
        ensurePartitions(jdbc, from, to);
    }

    private static void ensurePartitions(JdbcTemplate jdbc, LocalDate from, LocalDate to) {
        for (LocalDate day = from; !day.isAfter(to); day = day.plusDays(1)) {
            for (String table : List.of(Journal.TABLE, Journal.CONTENT_TABLE)) {
                jdbc.execute("CREATE TABLE IF NOT EXISTS " + partition(table, day) + " PARTITION OF " + table
                        + " FOR VALUES FROM ('" + day + " 00:00:00+00') TO ('" + day.plusDays(1) + " 00:00:00+00')");
            }
        }
    }

    @Scheduled(initialDelayString = "${gateway.journal.prune-interval-minutes:60}",
            fixedDelayString = "${gateway.journal.prune-interval-minutes:60}", timeUnit = java.util.concurrent.TimeUnit.MINUTES)
    public void scheduled() {
        try {
            prune(Instant.now());
        } catch (RuntimeException e) {
            log.error("Journal: pruning failed, tried again in {} minutes: {}", properties.pruneIntervalMinutes(), e.getMessage());
        }
    }

    /** Removes what is older than the retention as of {@code now}. */
    public Pruned prune(Instant now) {
        Instant contentCutoff = now.minus(properties.contentRetentionDays(), ChronoUnit.DAYS);
        Instant metadataCutoff = now.minus(properties.metadataRetentionDays(), ChronoUnit.DAYS);
        long ledger = deleteInChunks("GW_MESSAGE_LEDGER", "STORED_AT", "SENDER, MESSAGE_ID, CONTENT_DIGEST",
                metadataCutoff, false);
        Pruned pruned;
        if (postgres) {
            // a session lock, so the whole run is on one connection (DETACH CONCURRENTLY cannot run in a transaction)
            pruned = jdbc.execute((java.sql.Connection connection) -> {
                JdbcTemplate session = new JdbcTemplate(new SingleConnectionDataSource(connection, true));
                Boolean locked = session.queryForObject("SELECT pg_try_advisory_lock(?)", Boolean.class, LOCK_KEY);
                if (!Boolean.TRUE.equals(locked)) {
                    log.info("Journal: another gateway is pruning");
                    return new Pruned(0, 0, 0, 0, ledger);
                }
                try {
                    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
                    ensurePartitions(session, today.minusDays(1), today.plusDays(DAYS_AHEAD));
                    return new Pruned(dropBefore(session, Journal.CONTENT_TABLE, contentCutoff),
                            dropBefore(session, Journal.TABLE, metadataCutoff), 0, 0, ledger);
                } finally {
                    session.queryForObject("SELECT pg_advisory_unlock(?)", Boolean.class, LOCK_KEY);
                }
            });
        } else {
            pruned = new Pruned(0, 0, deleteInChunks(Journal.CONTENT_TABLE, "RECEIVED_AT", "ID", contentCutoff, true),
                    deleteInChunks(Journal.TABLE, "RECEIVED_AT", "ID", metadataCutoff, true), ledger);
        }
        if (pruned.contentPartitions() + pruned.metadataPartitions() + pruned.contentRows() + pruned.metadataRows()
                + pruned.ledgerRows() > 0) {
            log.info("Journal pruned: {}", pruned);
        }
        return pruned;
    }

    /** Detaches (concurrently: intake goes on) and drops each day partition that ends at or before the cutoff. */
    private static int dropBefore(JdbcTemplate jdbc, String table, Instant cutoff) {
        List<String> partitions = jdbc.queryForList("SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
                + "JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace n ON n.oid = p.relnamespace "
                + "WHERE p.relname = ? AND n.nspname = current_schema() ORDER BY c.relname", String.class,
                table.toLowerCase(java.util.Locale.ROOT));
        String prefix = table.toLowerCase(java.util.Locale.ROOT) + "_p";
        int dropped = 0;
        for (String partition : partitions) {
            if (!partition.startsWith(prefix) || partition.length() != prefix.length() + 8) {
                continue;
            }
            LocalDate day = LocalDate.parse(partition.substring(prefix.length()), DAY);
            if (!day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().isAfter(cutoff)) {
                try {
                    jdbc.execute("ALTER TABLE " + table + " DETACH PARTITION " + partition + " CONCURRENTLY");
                } catch (RuntimeException e) {
                    // another gateway detached it, or a detach interrupted before: finish it
                    jdbc.execute("ALTER TABLE " + table + " DETACH PARTITION " + partition + " FINALIZE");
                }
                jdbc.execute("DROP TABLE IF EXISTS " + partition);
                dropped++;
            }
        }
        return dropped;
    }

    /** Deletes rows older than the cutoff, {@code prune-chunk} per transaction. */
    private long deleteInChunks(String table, String timeColumn, String key, Instant cutoff, boolean zoned) {
        Object at = zoned ? cutoff.atOffset(ZoneOffset.UTC) : java.sql.Timestamp.from(cutoff);
        String sql = "DELETE FROM " + table + " WHERE (" + key + ") IN (SELECT " + key + " FROM " + table + " WHERE "
                + timeColumn + " < ? LIMIT ?)";
        long total = 0;
        int deleted;
        do {
            deleted = jdbc.update(sql, at, properties.pruneChunk());
            total += deleted;
        } while (deleted == properties.pruneChunk());
        return total;
    }

    static String partition(String table, LocalDate day) {
        return table + "_P" + DAY.format(day);
    }
}
