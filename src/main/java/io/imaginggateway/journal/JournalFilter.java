package io.imaginggateway.journal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What an operator searches the journal by; every criterion is optional but the kind. {@code text} (a phrase in the
 * reason, any case, or in the content) reads content, so it needs {@code since} and {@code until}. On PostgreSQL the
 * content is searched as bytes for the phrase as typed, in upper case, and in ISO-8859-1 (so "Doe^Jane" finds
 * "Doe^Jane" and "DOE^JANE", not "doe^jane"); on H2 in any case.
 *
 * @param unresolved only failures (error, held, rejected, failed-after-ack) no later arrival or replay has stored
 * @param reason     part of the reason (case-insensitive)
 */
public record JournalFilter(Arrival.Kind kind, String feed, String status, String type, String sender, String messageId,
        String patient, String accession, String study, String series, Instant since, Instant until, String text,
        String reason, boolean unresolved) {

    /** The criteria as a WHERE clause on {@code j} (and {@code c}, the content, for text), with its arguments. */
    Where where(boolean postgres) {
        List<String> conditions = new ArrayList<>();
        List<Object> arguments = new ArrayList<>();
        conditions.add("j.KIND = ?");
        arguments.add(kind.code());
        add(conditions, arguments, "j.FEED = ?", feed);
        if (status != null && !status.isBlank()) {
            Outcome.Status.ofCode(status.strip()); // an unknown status is the caller's mistake, not an empty answer
            add(conditions, arguments, "j.STATUS = ?", status.strip().toLowerCase(java.util.Locale.ROOT));
        }
        add(conditions, arguments, "j.MESSAGE_TYPE = ?", type);
        add(conditions, arguments, "j.SENDER = ?", sender);
        add(conditions, arguments, "j.MESSAGE_ID = ?", messageId);
        if (patient != null && !patient.isBlank()) {
            int issuer = patient.indexOf("^^^");
            add(conditions, arguments, "j.PATIENT = ?", issuer < 0 ? patient : patient.substring(0, issuer));
            if (issuer >= 0) {
                add(conditions, arguments, "j.PATIENT_ISSUER = ?", patient.substring(issuer + 3));
            }
        }
        add(conditions, arguments, "j.ACCESSION = ?", accession);
        add(conditions, arguments, "j.STUDY_UID = ?", study);
        add(conditions, arguments, "j.SERIES_UID = ?", series);
        if (since != null) {
            conditions.add("j.RECEIVED_AT >= ?");
            arguments.add(since.atOffset(java.time.ZoneOffset.UTC));
        }
        if (until != null) {
            conditions.add("j.RECEIVED_AT < ?");
            arguments.add(until.atOffset(java.time.ZoneOffset.UTC));
        }
        if (unresolved) {
            conditions.add("j.STATUS IN " + Journal.FAILURES + " AND j.RESOLVED_BY IS NULL");
        }
        if (reason != null && !reason.isBlank()) {
            conditions.add("LOWER(j.REASON) LIKE ?");
            arguments.add("%" + like(reason) + "%");
        }
        if (text != null && !text.isBlank()) {
            if (since == null || until == null) {
                throw new IllegalArgumentException("text needs since and until: it reads the content of every message in"
                        + " that time range");
            }
            // the content's own time bounds let the database read only the days asked for
            String inRange = "c.RECEIVED_AT >= ? AND c.RECEIVED_AT < ?";
            String found;
            List<Object> phrases = new ArrayList<>();
            if (postgres) {
                // bytes, not text: a message's character set is its own, and searching the bytes is what keeps a day's
                // search well under a second; as typed, in upper case (as many systems send names), and in ISO-8859-1
                found = "POSITION(? IN c.CONTENT) > 0 OR POSITION(? IN c.CONTENT) > 0 OR POSITION(? IN c.CONTENT) > 0";
                String phrase = text.strip();
                phrases.add(phrase.getBytes(java.nio.charset.StandardCharsets.UTF_8));
                phrases.add(phrase.toUpperCase(java.util.Locale.ROOT).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                phrases.add(phrase.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
            } else {
                found = "LOWER(UTF8TOSTRING(c.CONTENT)) LIKE ?";
                phrases.add("%" + like(text) + "%");
            }
            conditions.add("(LOWER(j.REASON) LIKE ? OR EXISTS (SELECT 1 FROM " + Journal.CONTENT_TABLE + " c WHERE c.ID = j.ID"
                    + " AND c.RECEIVED_AT = j.RECEIVED_AT AND " + inRange + " AND (" + found + ")))");
            arguments.add("%" + like(text) + "%");
            arguments.add(since.atOffset(java.time.ZoneOffset.UTC));
            arguments.add(until.atOffset(java.time.ZoneOffset.UTC));
            arguments.addAll(phrases);
        }
        return new Where(String.join(" AND ", conditions), arguments);
    }

    record Where(String sql, List<Object> arguments) {}

    private static void add(List<String> conditions, List<Object> arguments, String condition, String value) {
        if (value != null && !value.isBlank()) {
            conditions.add(condition);
            arguments.add(value.strip());
        }
    }

    /** The phrase in lower case with LIKE's wildcards escaped (H2 and PostgreSQL both escape with a backslash). */
    private static String like(String phrase) {
        return phrase.strip().toLowerCase(java.util.Locale.ROOT).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
