package io.imaginggateway.hl7;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import io.imaginggateway.audit.AuditTrail;
import io.imaginggateway.fhirstore.FhirStore;
import io.imaginggateway.journal.Arrival;
import io.imaginggateway.journal.Journal;
import io.imaginggateway.journal.Outcome;
import io.imaginggateway.linking.ConflictLog;
import io.imaginggateway.linking.HeldConflict;
import io.imaginggateway.linking.IdentityConflict;
import io.imaginggateway.mapping.MappingException;
import io.imaginggateway.metrics.GatewayMetrics;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.camel.Exchange;
import org.apache.camel.component.mllp.MllpConstants;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The last step of the MLLP route: the acknowledgement the sender receives, in the message's own character set.
 * <ul>
 *   <li>AA once the message's resources are committed (or it was a duplicate of one that was), with the mappers'
 *       warnings as ERR segments of severity W (v2.5 and later);</li>
 *   <li>AE when the content cannot be mapped (ERR code 101 required field missing, 100 segment missing, 102 bad
 *       value, with the field), when it conflicts with the identity of what is stored (205, the field and the stored
 *       resource; the message is held for an operator), when what it maps to is not valid FHIR (207, the
 *       validator's message) or when it cannot be stored (207);</li>
 *   <li>AR when the message is refused unread: unreadable, a batch, unsupported type (200), trigger (201) or version
 *       (203).</li>
 * </ul>
 */
@Component("hl7Acknowledger")
public class Hl7Acknowledger {

    private static final Logger log = LoggerFactory.getLogger(Hl7Acknowledger.class);
    /** The message's journal entry (null: spooled while the database is away). */
    public static final String JOURNAL_ID = "hl7JournalId";

    private final ConflictLog conflicts;
    private final Journal journal;
    private final GatewayMetrics metrics;
    private final AuditTrail audit;

    Hl7Acknowledger(ConflictLog conflicts, Journal journal, GatewayMetrics metrics, AuditTrail audit) {
        this.conflicts = conflicts;
        this.journal = journal;
        this.metrics = metrics;
        this.audit = audit;
    }

    /**
     * AA: the message's resources and its journal entry are committed, or (after-journal) the entry is (the ACK is the
     * one the entry holds).
     */
    public void accepted(Hl7Storage.Hl7Stored stored, Exchange exchange) {
        Hl7Received received = stored.mapped().received();
        MshHeader msh = received.msh();
        boolean duplicate = !stored.pending() && stored.result().outcome() == FhirStore.Outcome.DUPLICATE;
        if (duplicate) {
            log.info("HL7 {} {} from {} was stored before: acknowledged again, nothing written", msh.messageCode(),
                    msh.controlId(), msh.sender());
        }
        exchange.setProperty(JOURNAL_ID, stored.journalId());
        send(exchange, stored.ack(), Acknowledgement.Code.AA);
        account(exchange, received.arrival(), stored.pending() ? Outcome.Status.PENDING
                : duplicate ? Outcome.Status.DUPLICATE : Outcome.Status.STORED, Acknowledgement.Code.AA);
    }

    /**
     * For a step of a site's own that decides not to store a message (e.g. a filter of test patients): AR with the
     * reason, never AA, which says "stored".
     */
    public void refused(Exchange exchange, String reason) {
        MshHeader msh = header(exchange);
        log.info("HL7 {}^{} {} from {} answered AR by a route step: {}", msh.messageCode(), msh.triggerEvent(),
                msh.controlId(), msh.sender(), reason);
        notStored(exchange, msh, Acknowledgement.Code.AR, Outcome.Status.REJECTED,
                Acknowledgement.Problem.error("207", "", "Not stored: " + reason));
    }

    public void rejected(Exchange exchange) {
        MshHeader msh = header(exchange);
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Acknowledgement.Code code = Acknowledgement.Code.AE;
        Outcome.Status status = Outcome.Status.ERROR;
        Acknowledgement.Problem problem;
        String logged;
        if (failure instanceof Hl7Rejection rejection) {
            status = rejection.code() == Acknowledgement.Code.AR ? Outcome.Status.REJECTED : Outcome.Status.ERROR;
            code = rejection.code();
            problem = rejection.problem();
            logged = problem.text();
        } else if (failure instanceof MappingException mapping) {
            String errorCode = switch (mapping.problem()) {
                case REQUIRED_MISSING -> "101";
                case SEGMENT_MISSING -> "100";
                case INVALID_VALUE -> "102";
            };
            problem = Acknowledgement.Problem.error(errorCode, mapping.field(), mapping.getMessage());
            logged = problem.text();
        } else if (failure instanceof IdentityConflict conflict) {
            Hl7Received received = exchange.getProperty(Hl7Intake.RECEIVED, Hl7Received.class);
            String field = ConflictFields.field(conflict, received == null ? "" : received.text());
            String text = (field.isEmpty() ? "" : field + " ") + conflict.getMessage()
                    + ". Nothing of the message was stored; it is held for an operator";
            long held = conflicts.hold(HeldConflict.of(conflict, "hl7", msh.sender(), msh.controlId(), text,
                    received == null ? null : received.text(), null));
            status = Outcome.Status.HELD;
            problem = Acknowledgement.Problem.error("205", field, text + " (conflict " + held + ")");
            logged = "identity conflict " + held + " held: " + field + " " + conflict.description() + " ("
                    + String.join(", ", conflict.storedResources()) + ")";
        } else if (failure instanceof UnprocessableEntityException invalid) {
            problem = Acknowledgement.Problem.error("207", "", "Not stored: the FHIR resources mapped from this message are"
                    + " not valid: " + invalid.getMessage());
            logged = problem.text();
        } else {
            String reason = failure == null ? "unknown error" : failure.getMessage();
            problem = Acknowledgement.Problem.error("207", "", "The message could not be stored: " + reason);
            logged = problem.text();
            log.error("HL7 {} {} from {} could not be stored", msh.messageCode(), msh.controlId(), msh.sender(), failure);
        }
        log.warn("HL7 {}^{} {} from {} answered {} ({} {}): {}", msh.messageCode(), msh.triggerEvent(), msh.controlId(),
                msh.sender(), code, problem.code(), problem.location(), logged);
        notStored(exchange, msh, code, status, problem);
    }

    /** A negative acknowledgement, sent once its journal entry is written (in its own transaction, or spooled). */
    private void notStored(Exchange exchange, MshHeader msh, Acknowledgement.Code code, Outcome.Status status,
            Acknowledgement.Problem problem) {
        String ack = Acknowledgement.build(msh, code, List.of(problem));
        Arrival arrival = exchange.getProperty(Hl7Intake.ARRIVAL, Arrival.class);
        if (arrival != null) {
            String reason = (problem.location().isEmpty() ? "" : problem.location() + ": ") + problem.text();
            Long id = journal.recordFailure(arrival, Outcome.failed(status, reason, null, code.name(), ack));
            exchange.setProperty(JOURNAL_ID, id);
        }
        send(exchange, ack, code);
        account(exchange, arrival, status, code);
    }

    /** What every message leaves besides its journal entry: its counts and its AuditEvent. */
    private void account(Exchange exchange, Arrival arrival, Outcome.Status status, Acknowledgement.Code code) {
        String feed = arrival == null ? null : arrival.feed();
        MshHeader msh = header(exchange);
        audit.hl7Message(msh.sender(), exchange.getIn().getHeader(MllpConstants.MLLP_REMOTE_ADDRESS, String.class),
                feed, arrival == null ? msh.messageCode() : arrival.type(), msh.controlId(),
                exchange.getProperty(JOURNAL_ID, Long.class), arrival == null ? null : arrival.patient(), status.code(),
                code == Acknowledgement.Code.AA);
        metrics.message("hl7", feed, arrival == null ? null : arrival.type(), status.code());
        if (arrival == null || !"replay".equals(arrival.channel())) { // a replay's ACK is journaled, not awaited
            metrics.acknowledged(feed, code.name(),
                    Duration.ofMillis(System.currentTimeMillis() - exchange.getClock().getCreated()));
        }
    }

    private static MshHeader header(Exchange exchange) {
        MshHeader msh = exchange.getProperty(Hl7Intake.HEADER, MshHeader.class);
        return msh == null ? MshHeader.UNREADABLE : msh;
    }

    private static void send(Exchange exchange, String ack, Acknowledgement.Code code) {
        Charset charset = exchange.getProperty(Hl7Intake.CHARSET, StandardCharsets.UTF_8, Charset.class);
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT, ack.getBytes(charset));
        exchange.setProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT_TYPE, code.name());
    }
}
