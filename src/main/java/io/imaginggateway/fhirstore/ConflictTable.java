package io.imaginggateway.fhirstore;

import io.imaginggateway.linking.ConflictLog;
import io.imaginggateway.linking.HeldConflict;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import org.springframework.stereotype.Component;

/** {@link ConflictLog} in the table {@code GW_HELD_CONFLICT}, beside HAPI's ({@link GatewaySchema}). */
@Component
class ConflictTable implements ConflictLog {

    static final String TABLE = "GW_HELD_CONFLICT";

    private final JdbcTemplate jdbc;

    ConflictTable(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public long hold(HeldConflict conflict) {
        GeneratedKeyHolder key = new GeneratedKeyHolder();
        jdbc.update(connection -> {
            PreparedStatement insert = connection.prepareStatement("INSERT INTO " + TABLE + " (HELD_AT, INTAKE, SOURCE, "
                    + "REFERENCE, REASON, RESOURCE_TYPE, IDENTIFIER, STORED_RESOURCES, CONTENT, HELD_FILE) "
                    + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", Statement.RETURN_GENERATED_KEYS);
            insert.setTimestamp(1, Timestamp.from(conflict.heldAt()));
            insert.setString(2, conflict.intake());
            insert.setString(3, clip(conflict.source(), 500));
            insert.setString(4, clip(conflict.reference(), 200));
            insert.setString(5, clip(conflict.reason(), 4000));
            insert.setString(6, conflict.resourceType());
            insert.setString(7, clip(conflict.identifier(), 1000));
            insert.setString(8, clip(String.join(" ", conflict.storedResources()), 1000));
            insert.setString(9, conflict.content());
            insert.setString(10, clip(conflict.heldFile(), 2000));
            return insert;
        }, key);
        Number id = (Number) key.getKeys().entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase("ID"))
                .findFirst().orElseThrow().getValue();
        return id.longValue();
    }

    @Override
    public List<HeldConflict> recent(int limit) {
        return jdbc.query("SELECT ID, HELD_AT, INTAKE, SOURCE, REFERENCE, REASON, RESOURCE_TYPE, IDENTIFIER, "
                + "STORED_RESOURCES, HELD_FILE FROM " + TABLE + " ORDER BY ID DESC LIMIT ?", (row, n) -> new HeldConflict(
                row.getLong("ID"), row.getTimestamp("HELD_AT").toInstant(), row.getString("INTAKE"),
                row.getString("SOURCE"), row.getString("REFERENCE"), row.getString("REASON"),
                row.getString("RESOURCE_TYPE"), row.getString("IDENTIFIER"),
                row.getString("STORED_RESOURCES") == null ? List.of() : Arrays.asList(row.getString("STORED_RESOURCES").split(" ")),
                null, row.getString("HELD_FILE")), limit);
    }

    private static String clip(String value, int length) {
        return value == null || value.length() <= length ? value : value.substring(0, length);
    }
}
