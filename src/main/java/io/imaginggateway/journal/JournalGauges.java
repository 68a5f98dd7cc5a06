package io.imaginggateway.journal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Gauges read from the journal, so that every gateway sharing a database reports the same: the unresolved failures
 * by kind ({@code gateway_journal_unresolved_failures}) and the age of the oldest message acknowledged but not yet
 * written ({@code gateway_journal_oldest_pending_seconds}, 0 when none). Read at most every 10 seconds, whatever the
 * scrape rate; a database that does not answer leaves the last values.
 */
@Component
class JournalGauges {

    private static final Duration FRESH = Duration.ofSeconds(10);

    private record Reading(Instant at, long hl7Failures, long dicomFailures, double oldestPendingSeconds) {}

    private final JdbcTemplate jdbc;
    private final AtomicReference<Reading> last = new AtomicReference<>(new Reading(Instant.EPOCH, 0, 0, 0));

    JournalGauges(JdbcTemplate jdbc, MeterRegistry registry) {
        this.jdbc = jdbc;
        Gauge.builder("gateway.journal.unresolved.failures", this, g -> g.read().hl7Failures()).tag("kind", "hl7")
                .description("Failures (error, held, rejected, failed-after-ack) no later arrival or replay stored")
                .register(registry);
        Gauge.builder("gateway.journal.unresolved.failures", this, g -> g.read().dicomFailures()).tag("kind", "dicom")
                .description("Failures (error, held, rejected, failed-after-ack) no later arrival or replay stored")
                .register(registry);
        Gauge.builder("gateway.journal.oldest.pending", this, g -> g.read().oldestPendingSeconds()).baseUnit("seconds")
                .description("Age of the oldest message acknowledged but not yet written to FHIR").register(registry);
    }

    private Reading read() {
        Reading reading = last.get();
        if (reading.at().plus(FRESH).isAfter(Instant.now())) {
            return reading;
        }
        try {
            long hl7 = count("hl7");
            long dicom = count("dicom");
            OffsetDateTime oldest = jdbc.queryForObject("SELECT MIN(RECEIVED_AT) FROM " + Journal.TABLE
                    + " WHERE KIND = 'hl7' AND STATUS = 'pending'", OffsetDateTime.class);
            reading = new Reading(Instant.now(), hl7, dicom,
                    oldest == null ? 0 : Math.max(0, Duration.between(oldest.toInstant(), Instant.now()).toMillis() / 1000.0));
        } catch (RuntimeException databaseAway) {
            reading = new Reading(Instant.now(), reading.hl7Failures(), reading.dicomFailures(), reading.oldestPendingSeconds());
        }
        last.set(reading);
        return reading;
    }

    private long count(String kind) {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM " + Journal.TABLE + " WHERE KIND = ? AND STATUS IN "
                + "('error', 'held', 'rejected', 'failed-after-ack') AND RESOLVED_BY IS NULL", Long.class, kind);
        return count == null ? 0 : count;
    }
}
