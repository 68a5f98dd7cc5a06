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
import java.util.concurrent.CompletableFuture;
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

    /**
     * Two statements, not one with OR: H2 answers an OR across two indexes by reading the whole table, which made every
     * stored message's resolution slower as the journal grew (38 ms at 200,000 entries).
     */
    private static final String RESOLVE_SAME_MESSAGE = "UPDATE " + TABLE + " SET RESOLVED_BY = ? WHERE MESSAGE_ID = ? "
            + "AND RESOLVED_BY IS NULL AND STATUS IN " + FAILURES + " AND KIND = ? AND COALESCE(FEED, '') = ? AND "
            + "COALESCE(SENDER, '') = ? AND COALESCE(CONTENT_DIGEST, '') = ?";
    private static final String RESOLVE_REPLAYED = "UPDATE " + TABLE + " SET RESOLVED_BY = ? WHERE ID = ? "
            + "AND RESOLVED_BY IS NULL AND STATUS IN " + FAILURES;

    /** An arrival and what became of it (also as spooled to a file while the database is away). */
    public record Entry(Arrival arrival, Outcome outcome) {}

    private final JdbcTemplate jdbc;
    private final TransactionTemplate ownTransaction;
    private final JournalProperties properties;
    private final ObjectMapper json;
    private final String nextIds;
    private final String instance;
    private final java.util.Queue<Waiting> pendingQueue = new java.util.concurrent.ConcurrentLinkedQueue<>();
    private final java.util.concurrent.locks.ReentrantLock pendingCommit = new java.util.concurrent.locks.ReentrantLock();

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
        List<Object[]> replayed = new ArrayList<>();
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
                if (a.replayOf() != null) {
                    replayed.add(new Object[] {id, a.replayOf()});
                }
            }
        }
        jdbc.batchUpdate(INSERT, rows);
        if (!contents.isEmpty()) {
            jdbc.batchUpdate(INSERT_CONTENT, contents);
        }
        resolve(resolutions, replayed);
        return ids;
    }

    /** An entry acknowledged after the journal, waiting for its FHIR write. */
    public record Pending(long id, Arrival arrival) {}

    /** A pending entry waiting for the group commit that records it. */
    private record Waiting(Entry entry, CompletableFuture<Long> id) {}

    /**
     * Records a message acknowledged after the journal ({@code after-journal}), committed before the AA is sent. The
     * entries of messages arriving together on several connections are committed together (group commit): whoever
     * finds the commit free commits everything that queued up while the one before was committing. Nothing waits in
     * memory longer than one commit; a failed commit fails each of its messages (AE to their senders).
     */
    public long recordPending(Arrival arrival, String ack) {
        Waiting mine = new Waiting(new Entry(arrival, new Outcome(Outcome.Status.PENDING, null, List.of(), null, "AA", ack)),
                new CompletableFuture<>());
        pendingQueue.add(mine);
        pendingCommit.lock();
        try {
            if (!mine.id().isDone()) {
                List<Waiting> group = new ArrayList<>();
                for (Waiting next; (next = pendingQueue.poll()) != null; ) {
                    group.add(next);
                }
                try {
                    List<Long> ids = ownTransaction.execute(status -> recordAll(group.stream().map(Waiting::entry).toList()));
                    for (int i = 0; i < group.size(); i++) {
                        group.get(i).id().complete(ids.get(i));
                    }
                } catch (RuntimeException e) {
                    group.forEach(w -> w.id().completeExceptionally(e));
                }
            }
        } finally {
            pendingCommit.unlock();
        }
        try {
            return mine.id().join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException runtime ? runtime : e;
        }
    }

    /**
     * Claims up to {@code max} pending HL7 entries for this gateway's background writer, oldest first, with their
     * content. An entry another gateway claimed less than {@code lease} ago is left to it; one whose claim is older
     * (that gateway stopped) is taken over. Each claim is a conditional update, so two gateways never both take one.
     */
    public List<Pending> claimPending(int max, java.time.Duration lease) {
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        OffsetDateTime expired = now.minus(lease);
        String unclaimed = "STATUS = 'pending' AND (CLAIMED_AT IS NULL OR CLAIMED_AT < ?)";
        List<Object[]> candidates = jdbc.query("SELECT ID, RECEIVED_AT FROM " + TABLE + " WHERE KIND = 'hl7' AND "
                + unclaimed + " ORDER BY ID LIMIT ?", (row, n) -> new Object[] {row.getLong(1),
                        row.getObject(2, OffsetDateTime.class)}, expired, max);
        if (candidates.isEmpty()) {
            return List.of();
        }
        int[] claimed = jdbc.batchUpdate("UPDATE " + TABLE + " SET CLAIMED_BY = ?, CLAIMED_AT = ? WHERE RECEIVED_AT = ? "
                + "AND ID = ? AND " + unclaimed, candidates.stream().map(c -> new Object[] {instance, now, c[1], c[0], expired})
                .toList());
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < claimed.length; i++) {
            if (claimed[i] != 0) { // 1, or JDBC's "succeeded, count unknown"
                ids.add((Long) candidates.get(i)[0]);
            }
        }
        if (ids.isEmpty()) {
            return List.of();
        }
        String in = String.join(",", java.util.Collections.nCopies(ids.size(), "?"));
        return jdbc.query("SELECT j.ID, j.RECEIVED_AT, j.CHANNEL, j.FEED, j.SENDER, j.MESSAGE_TYPE, j.MESSAGE_ID, "
                + "j.CONTENT_DIGEST, j.PATIENT, j.PATIENT_ISSUER, j.ACCESSION, j.STUDY_UID, j.REPLAY_OF, j.EDITED, "
                + "c.CONTENT, c.CHARSET FROM " + TABLE + " j JOIN " + CONTENT_TABLE + " c ON c.ID = j.ID AND "
                + "c.RECEIVED_AT = j.RECEIVED_AT WHERE j.ID IN (" + in + ") ORDER BY j.ID", (row, n) -> {
                    String issuer = row.getString("PATIENT_ISSUER");
                    long replayOf = row.getLong("REPLAY_OF");
                    Long original = row.wasNull() ? null : replayOf;
                    return new Pending(row.getLong("ID"), new Arrival(row.getObject("RECEIVED_AT", OffsetDateTime.class)
                            .toInstant(), Arrival.Kind.HL7, row.getString("CHANNEL"), row.getString("FEED"),
                            row.getString("SENDER"), row.getString("MESSAGE_TYPE"), row.getString("MESSAGE_ID"),
                            row.getString("CONTENT_DIGEST"), row.getString("PATIENT") == null || issuer == null
                                    ? row.getString("PATIENT") : row.getString("PATIENT") + "^^^" + issuer,
                            row.getString("ACCESSION"), row.getString("STUDY_UID"), null, null, row.getBytes("CONTENT"),
                            row.getString("CHARSET"), original, row.getBoolean("EDITED")));
                }, ids.toArray());
    }

    /** A pending entry's FHIR write is committed: recorded in its transaction (the ACK stays the one sent). */
    public void complete(Pending pending, Outcome outcome) {
        update(pending, outcome);
        if (outcome.status() == Outcome.Status.STORED || outcome.status() == Outcome.Status.DUPLICATE) {
            Long original = pending.arrival().replayOf();
            resolve(List.<Object[]>of(resolution(pending.id(), pending.arrival())),
                    original == null ? List.of() : List.<Object[]>of(new Object[] {pending.id(), original}));
        }
    }

    /** A pending entry could not be written after its AA: recorded in a transaction of its own. */
    public void completeFailure(Pending pending, Outcome outcome) {
        try {
            ownTransaction.executeWithoutResult(status -> update(pending, outcome));
        } catch (DataAccessException | org.springframework.transaction.TransactionException e) {
            // still pending: another attempt follows once its claim expires
            log.error("Journal: entry {} failed after its AA and the database cannot record it: {}", pending.id(),
                    e.getMessage());
        }
    }

    private void update(Pending pending, Outcome outcome) {
        jdbc.update("UPDATE " + TABLE + " SET STATUS = ?, REASON = ?, RESOURCES = ?, CLAIMED_BY = NULL, CLAIMED_AT = NULL "
                + "WHERE RECEIVED_AT = ? AND ID = ?", outcome.status().code(), clip(outcome.reason(), 2000),
                clip(String.join(" ", outcome.resources()), 4000), pending.arrival().receivedAt().atOffset(ZoneOffset.UTC),
                pending.id());
    }

    /** Marks earlier failures of the same messages, and the entries replayed, as resolved by the entries stored. */
    private void resolve(List<Object[]> sameMessages, List<Object[]> replayed) {
        if (!sameMessages.isEmpty()) {
            jdbc.batchUpdate(RESOLVE_SAME_MESSAGE, sameMessages);
        }
        if (!replayed.isEmpty()) {
            jdbc.batchUpdate(RESOLVE_REPLAYED, replayed);
        }
    }

    /** The same message: an HL7 message by feed, sender, ID and content; a DICOM instance by its SOP Instance UID. */
    private static Object[] resolution(long id, Arrival a) {
        boolean dicom = a.kind() == Arrival.Kind.DICOM;
        return new Object[] {id, a.messageId() == null ? "" : a.messageId(), a.kind().code(), dicom ? "" : nz(a.feed()),
                dicom ? "" : nz(a.sender()), dicom ? "" : nz(a.contentDigest())};
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
                Path unreadable = file.resolveSibling(file.getFileName() + ".unreadable");
                log.error("Journal: spooled entry {} cannot be read ({}); left as {}", file, e.getMessage(), unreadable);
                try {
                    Files.move(file, unreadable);
                } catch (IOException moveFailed) {
                    log.error("Journal: cannot rename {}: {}", file, moveFailed.getMessage());
                }
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
