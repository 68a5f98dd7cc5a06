package io.imaginggateway.fhirstore;

import java.sql.Timestamp;
import java.time.Instant;
import org.hl7.fhir.r4.model.Identifier;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The source messages already stored, by sender and message ID (HL7: {@code urn:hl7v2:<MSH-3>:<MSH-4>} and MSH-10):
 * a sender that lost our acknowledgement sends the same message again, and it must not be written twice. Rows are
 * written in the same database transaction as the message's resources, so a message is either stored and recorded
 * or neither. The table is the gateway's own, beside HAPI's.
 */
class MessageLedger {

    static final String TABLE = "GW_MESSAGE_LEDGER";

    private final JdbcTemplate jdbc;

    MessageLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        // Same DDL on H2 and PostgreSQL; sender and ID sizes are those of Identifier.system/value HAPI indexes.
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (SENDER VARCHAR(500) NOT NULL, MESSAGE_ID VARCHAR(200) NOT NULL, "
                + "STORED_AT TIMESTAMP NOT NULL, PRIMARY KEY (SENDER, MESSAGE_ID))");
    }

    /** True when the message with this identifier was stored before. */
    boolean contains(Identifier message) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM " + TABLE + " WHERE SENDER = ? AND MESSAGE_ID = ?",
                Integer.class, message.getSystem(), message.getValue());
        return count != null && count > 0;
    }

    /** Records the message as stored; joins the caller's transaction. */
    void record(Identifier message) {
        try {
            jdbc.update("INSERT INTO " + TABLE + " (SENDER, MESSAGE_ID, STORED_AT) VALUES (?, ?, ?)",
                    message.getSystem(), message.getValue(), Timestamp.from(Instant.now()));
        } catch (DuplicateKeyException e) {
            throw new IllegalStateException("Message " + message.getValue() + " from " + message.getSystem() + " recorded twice", e);
        }
    }

    /** Whether a Bundle names the message it came from (only those are checked and recorded). */
    static boolean identifies(Identifier message) {
        return message != null && message.hasSystem() && message.hasValue();
    }
}
