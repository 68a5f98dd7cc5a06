package io.imaginggateway.journal;

import io.imaginggateway.fhirstore.DatabaseKind;
import java.nio.charset.Charset;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.ByteBuffer;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.stereotype.Component;

/** Reads the journal: searches, newest first, paged by cursor (the last id seen), and single entries in full. */
@Component
public class JournalReader {

    private static final String COLUMNS = "j.ID, j.RECEIVED_AT, j.KIND, j.CHANNEL, j.FEED, j.SENDER, j.MESSAGE_TYPE, "
            + "j.MESSAGE_ID, j.PATIENT, j.PATIENT_ISSUER, j.ACCESSION, j.STUDY_UID, j.SERIES_UID, j.STATUS, j.REASON, "
            + "j.ACK_CODE, j.RESOURCES, j.FILE_PATH, j.FILE_STATUS, j.REPLAY_OF, j.EDITED, j.RESOLVED_BY, j.GATEWAY";

    /** One page of a search and the cursor of the next (null: this was the last). */
    public record Page(List<JournalEntryView> items, String next) {}

    /** An entry's content as kept, for a replay. */
    public record Content(byte[] bytes, String charset) {}

    private final JdbcTemplate jdbc;
    private final boolean postgres;

    JournalReader(JdbcTemplate jdbc, DatabaseKind kind) {
        this.jdbc = jdbc;
        this.postgres = kind == DatabaseKind.POSTGRES;
    }

    public Page search(JournalFilter filter, String cursor, int limit) {
        JournalFilter.Where where = filter.where(postgres);
        List<Object> arguments = new ArrayList<>(where.arguments());
        String sql = "SELECT " + COLUMNS + " FROM " + Journal.TABLE + " j WHERE " + where.sql();
        if (cursor != null && !cursor.isBlank()) {
            sql += " AND j.ID < ?";
            arguments.add(parseCursor(cursor));
        }
        sql += " ORDER BY j.ID DESC LIMIT ?";
        arguments.add(limit + 1);
        List<JournalEntryView> rows = jdbc.query(sql, ROW, arguments.toArray());
        if (rows.size() <= limit) {
            return new Page(rows, null);
        }
        List<JournalEntryView> page = rows.subList(0, limit);
        return new Page(List.copyOf(page), String.valueOf(page.get(limit - 1).id()));
    }

    private static long parseCursor(String cursor) {
        try {
            return Long.parseLong(cursor.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("cursor '" + cursor + "' is not one this API gave out");
        }
    }

    /** The entry with its content, ACK and replays. */
    public Optional<JournalEntryView> find(long id) {
        List<JournalEntryView> rows = jdbc.query("SELECT " + COLUMNS + " FROM " + Journal.TABLE + " j WHERE j.ID = ?", ROW, id);
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        JournalEntryView entry = rows.get(0);
        List<JournalEntryView> replays = jdbc.query("SELECT " + COLUMNS + " FROM " + Journal.TABLE
                + " j WHERE j.REPLAY_OF = ? ORDER BY j.ID", ROW, id);
        List<Object[]> content = jdbc.query("SELECT CONTENT, CHARSET, ACK FROM " + Journal.CONTENT_TABLE + " WHERE ID = ?",
                (row, n) -> new Object[] {row.getBytes(1), row.getString(2), row.getString(3)}, id);
        if (content.isEmpty()) {
            return Optional.of(entry.withDetail(null, null, null, replays));
        }
        byte[] bytes = (byte[]) content.get(0)[0];
        String charset = (String) content.get(0)[1];
        String text = bytes == null ? null : text(bytes, charset);
        return Optional.of(entry.withDetail(text != null ? text.replace('\r', '\n') : bytes == null ? null
                : Base64.getEncoder().encodeToString(bytes), text != null ? "text" : bytes == null ? null : "base64",
                content.get(0)[2] == null ? null : ((String) content.get(0)[2]).replace('\r', '\n'), replays));
    }

    /** What a replay sends again (empty when the content is no longer kept). */
    public Optional<Content> content(long id) {
        List<Content> rows = jdbc.query("SELECT CONTENT, CHARSET FROM " + Journal.CONTENT_TABLE + " WHERE ID = ?",
                (row, n) -> new Content(row.getBytes(1), row.getString(2)), id);
        return rows.stream().filter(c -> c.bytes() != null).findFirst();
    }

    /** The newest entry that replays {@code original}. */
    public Optional<JournalEntryView> latestReplay(long original) {
        return jdbc.query("SELECT " + COLUMNS + " FROM " + Journal.TABLE + " j WHERE j.REPLAY_OF = ? ORDER BY j.ID DESC LIMIT 1",
                ROW, original).stream().findFirst();
    }

    /** Content as text in its character set, or null when it is not text in it. */
    private static String text(byte[] bytes, String charset) {
        try {
            return Charset.forName(charset == null ? "UTF-8" : charset).newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException | IllegalArgumentException e) {
            return null;
        }
    }

    private static final RowMapper<JournalEntryView> ROW = (ResultSet row, int n) -> new JournalEntryView(
            row.getLong("ID"), row.getObject("RECEIVED_AT", OffsetDateTime.class).toInstant(), row.getString("KIND"),
            row.getString("CHANNEL"), row.getString("FEED"), row.getString("SENDER"), row.getString("MESSAGE_TYPE"),
            row.getString("MESSAGE_ID"), row.getString("PATIENT"), row.getString("PATIENT_ISSUER"),
            row.getString("ACCESSION"), row.getString("STUDY_UID"), row.getString("SERIES_UID"), row.getString("STATUS"),
            row.getString("REASON"), row.getString("ACK_CODE"), resources(row), row.getString("FILE_PATH"),
            row.getString("FILE_STATUS"), nullableLong(row, "REPLAY_OF"), row.getBoolean("EDITED") ? Boolean.TRUE : null,
            nullableLong(row, "RESOLVED_BY"), row.getString("GATEWAY"), null, null, null, null);

    private static List<String> resources(ResultSet row) throws SQLException {
        String resources = row.getString("RESOURCES");
        return resources == null || resources.isBlank() ? List.of() : Arrays.asList(resources.split(" "));
    }

    private static Long nullableLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }
}
