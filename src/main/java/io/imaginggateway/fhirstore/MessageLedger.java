package io.imaginggateway.fhirstore;

import java.sql.Timestamp;
import java.time.Instant;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The source messages already stored, by sender, message ID and content digest (HL7: {@code urn:hl7v2:<MSH-3>:<MSH-4>},
 * MSH-10 and a digest of the message without MSH-7): a sender that lost our acknowledgement sends the same message
 * again, and it must not be written twice; a sender that reuses a message ID for other content sends another message,
 * which is stored. Rows are written in the same database transaction as the message's resources, so a message is
 * either stored and recorded or neither. The table is the gateway's own, beside HAPI's ({@link GatewaySchema}); rows
 * are pruned with the journal's metadata.
 */
class MessageLedger {

    static final String TABLE = "GW_MESSAGE_LEDGER";

    private final JdbcTemplate jdbc;

    MessageLedger(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** True when this message (same sender, ID and content) was stored before. */
    boolean contains(SourceMessage message) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM " + TABLE
                + " WHERE SENDER = ? AND MESSAGE_ID = ? AND CONTENT_DIGEST = ?",
                Integer.class, message.sender(), message.messageId(), message.contentDigest());
        return count != null && count > 0;
    }

    /** True when a message with this sender and ID, of any content, was stored before. */
    boolean knowsId(SourceMessage message) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM " + TABLE + " WHERE SENDER = ? AND MESSAGE_ID = ?",
                Integer.class, message.sender(), message.messageId());
        return count != null && count > 0;
    }

    /** Records the message as stored; joins the caller's transaction. */
    void record(SourceMessage message) {
        try {
            jdbc.update("INSERT INTO " + TABLE + " (SENDER, MESSAGE_ID, CONTENT_DIGEST, MESSAGE_TYPE, STORED_AT) VALUES (?, ?, ?, ?, ?)",
                    message.sender(), message.messageId(), message.contentDigest(), message.type(), Timestamp.from(Instant.now()));
        } catch (DuplicateKeyException e) {
            throw new IllegalStateException("Message " + message.messageId() + " from " + message.sender() + " recorded twice", e);
        }
    }
}
