package io.imaginggateway.journal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.imaginggateway.fhirstore.DatabaseKind;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes the journal: one entry per arrival (an HL7 message, a DICOM instance, a FHIR Bundle file) with what became
 * of it. A stored arrival is recorded in the database transaction of its FHIR writes ({@link #record}), so it is in the
 * journal exactly when its resources are; a failure in a transaction of its own ({@link #recordFailure}).
 *
 * <p>When the database cannot take a failure (it is down: that is usually why the message failed), the entry is
 * written to a file in the spool folder, and moved into the journal once the database answers again: an outage's
 * failures can be found and replayed like any others. Storing an entry also resolves earlier failures of the same
 * message (same feed, sender, ID and content; a DICOM instance: same SOP Instance UID) and of the entry it replays,
 * so that "unresolved failures" goes down when a sender re-sends or an operator replays.
 */
@Component
public class Journal {

    private static final Logger log = LoggerFactory.getLogger(Journal.class);
    static final String TABLE = "GW_JOURNAL";
    static final String CONTENT_TABLE = "GW_JOURNAL_CONTENT";

    private static final String INSERT = "INSERT INTO " + TABLE + " (ID, RECEIVED_AT, KIND, CHANNEL, FEED, SENDER, "
            + "MESSAGE_TYPE, MESSAGE_ID, CONTENT_DIGEST, PATIENT, PATIENT_ISSUER, ACCESSION, STUDY_UID, SERIES_UID, STATUS, REASON, "
            + "RESOURCES, FILE_PATH, FILE_STATUS, REPLAY_OF, EDITED, ACK_CODE, GATEWAY) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String INSERT_CONTENT = "INSERT INTO " + CONTENT_TABLE
            + " (ID, RECEIVED_AT, CONTENT, CHARSET, ACK) VALUES (?, ?, ?, ?, ?)";
    /** The statuses that are failures an operator has to look at. */
    static final String FAILURES = "('error', 'held', 'failed-after-ack', 'rejected')";

    /** An arrival and what became of it (also as spooled to a file while the database is away). */
    public record Entry(Arrival arrival, Outcome outcome) {}

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;
    private final JournalProperties properties;
    private final ObjectMapper json;
    private final String nextIds;
    private final String instance;

    Journal(JdbcTemplate jdbc, PlatformTransactionManager transactions, JournalProperties properties, DatabaseKind kind,
            ObjectMapper json) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.properties = properties;
        this.json = json;
        this.nextIds = kind == DatabaseKind.POSTGRES ? "SELECT nextval('gw_journal_seq') FROM generate_series(1, ?)"
                : "SELECT NEXT VALUE FOR GW_JOURNAL_SEQ FROM SYSTEM_RANGE(1, ?)";
        this.instance = properties.instance().isBlank() ? localHostName() : properties.instance();
    }

    private static String localHostName() {
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "gateway";
        }
    }

    /** Records an arrival in the caller's database transaction (the one of its FHIR writes); returns its entry's id. */
    public long record(Arrival arrival, Outcome outcome) {
        return recordAll(List.of(new Entry(arrival, outcome))).get(0);
    }

    /** Several entries in the caller's transaction, in one round trip per table; their ids in order. */
    public List<Long> recordAll(List<Entry> entries) {
        List<Long> ids = jdbc.queryForList(nextIds, Long.class, entries.size());
        List<Object[]> rows = new ArrayList<>();
        List<Object[]> contents = new ArrayList<>();
        List<Object[]> resolutions = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            Arrival a = entries.get(i).arrival();
            Outcome o = entries.get(i).outcome();
            long id = ids.get(i);
            OffsetDateTime at = a.receivedAt().atOffset(ZoneOffset.UTC);
            rows.add(new Object[] {id, at, a.kind().code(), a.channel(), a.feed(), clip(a.sender(), 500),
                    clip(a.type(), 64), clip(a.messageId(), 200), a.contentDigest(), clip(patientId(a.patient()), 250),
                    clip(patientIssuer(a.patient()), 250),
                    clip(a.accession(), 200), clip(a.studyUid(), 64), clip(a.seriesUid(), 64), o.status().code(),
                    clip(o.reason(), 2000), clip(String.join(" ", o.resources()), 4000), clip(a.file(), 2000),
                    o.fileStatus(), a.replayOf(), a.edited(), o.ackCode(), clip(instance, 100)});
            if (a.content() != null || o.ack() != null) {
                contents.add(new Object[] {id, at, a.content(), a.charset(), o.ack()});
            }
            if (o.status() == Outcome.Status.STORED || o.status() == Outcome.Status.DUPLICATE) {
                resolutions.add(resolution(id, a));
            }
        }
        jdbc.batchUpdate(INSERT, rows);
        if (!contents.isEmpty()) {
            jdbc.batchUpdate(INSERT_CONTENT, contents);
        }
        if (!resolutions.isEmpty()) {
            jdbc.batchUpdate("UPDATE " + TABLE + " SET RESOLVED_BY = ? WHERE RESOLVED_BY IS NULL AND STATUS IN " + FAILURES
                    + " AND (ID = ? OR (MESSAGE_ID = ? AND KIND = ? AND COALESCE(FEED, '') = ? AND "
                    + "COALESCE(SENDER, '') = ? AND COALESCE(CONTENT_DIGEST, '') = ?))", resolutions);
        }
        return ids;
    }

    /** The same message: an HL7 message by feed, sender, ID and content; a DICOM instance by its SOP Instance UID. */
    private static Object[] resolution(long id, Arrival a) {
        boolean dicom = a.kind() == Arrival.Kind.DICOM;
        return new Object[] {id, a.replayOf() == null ? -1L : a.replayOf(), a.messageId() == null ? "" : a.messageId(),
                a.kind().code(), dicom ? "" : nz(a.feed()), dicom ? "" : nz(a.sender()), dicom ? "" : nz(a.contentDigest())};
    }

    /**
     * Records a failure in a transaction of its own; when the database cannot take it, in the spool folder.
     *
     * @return its entry's id, or null when it was spooled
     */
    public Long recordFailure(Arrival arrival, Outcome outcome) {
        try {
            return ownTransaction.execute(status -> record(arrival, outcome));
        } catch (DataAccessException | org.springframework.transaction.TransactionException e) {
            spool(new Entry(arrival, outcome), e);
            return null;
        }
    }

    private void spool(Entry entry, RuntimeException cause) {
        try {
            Files.createDirectories(properties.spool());
            Path file = properties.spool().resolve(System.currentTimeMillis() + "-" + UUID.randomUUID() + ".json");
            Path partial = file.resolveSibling(file.getFileName() + ".part");
            json.writeValue(partial.toFile(), entry);
            Files.move(partial, file);
            log.warn("Journal: the database cannot take an entry ({}); kept in {} until it can", cause.getMessage(), file);
        } catch (IOException e) {
            log.error("Journal: an entry for {} {} is lost: the database and the spool folder {} both failed ({}; {})",
                    entry.arrival().type(), entry.arrival().messageId(), properties.spool(), cause.getMessage(), e.getMessage());
        }
    }

    /** Moves spooled entries into the journal, oldest first, once the database takes them. */
    @Scheduled(fixedDelayString = "${gateway.journal.spool-check-millis:5000}")
    public void flushSpool() {
        if (!Files.isDirectory(properties.spool())) {
            return;
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(properties.spool(), "*.json")) {
            listing.forEach(files::add);
        } catch (IOException e) {
            log.error("Journal: cannot read the spool folder {}: {}", properties.spool(), e.getMessage());
            return;
        }
        files.sort(null);
        int moved = 0;
        for (Path file : files) {
            try {
                Entry entry = json.readValue(file.toFile(), Entry.class);
                ownTransaction.executeWithoutResult(status -> record(entry.arrival(), entry.outcome()));
                Files.delete(file);
                moved++;
            } catch (DataAccessException | org.springframework.transaction.TransactionException e) {
                break; // still away: the next run tries again
            } catch (IOException e) {
                log.error("Journal: spooled entry {} cannot be read: {}", file, e.getMessage());
            }
        }
        if (moved > 0) {
            log.info("Journal: {} entries written while the database was away are now in the journal", moved);
        }
    }

    /** The ID of a patient identifier written {@code ID^^^issuer}; the issuer goes to its own column. */
    private static String patientId(String patient) {
        int issuer = patient == null ? -1 : patient.indexOf("^^^");
        return issuer < 0 ? patient : patient.substring(0, issuer);
    }

    private static String patientIssuer(String patient) {
        int issuer = patient == null ? -1 : patient.indexOf("^^^");
        return issuer < 0 ? null : patient.substring(issuer + 3);
    }

    private static String nz(String value) {
        return value == null ? "" : value;
    }

    static String clip(String value, int length) {
        return value == null || value.length() <= length ? value : value.substring(0, length);
    }
}
