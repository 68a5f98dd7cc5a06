package io.imaginggateway.hl7;

import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import io.imaginggateway.fhirstore.FhirStore;
import io.imaginggateway.journal.Journal;
import io.imaginggateway.journal.Outcome;
import io.imaginggateway.linking.ConflictLog;
import io.imaginggateway.linking.HeldConflict;
import io.imaginggateway.linking.IdentityConflict;
import io.imaginggateway.mapping.MappingException;
import io.imaginggateway.metrics.GatewayMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultExchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The FHIR writes of messages acknowledged after the journal (feeds with {@code acknowledge: after-journal}): claims
 * pending journal entries in batches of up to {@value #BATCH}, oldest first, parses and maps each again with its
 * feed's rules (the same steps that let it be acknowledged), and hands the batch to the store at once, which commits
 * it in large groups, each entry's status in its write's transaction. A message that cannot be written now is
 * "failed after acknowledgement" (held, for an identity conflict), with its reason, in the journal and the metrics.
 *
 * <p>The journal is the queue: an entry is claimed for {@value #LEASE_MINUTES} minutes, so entries of a gateway that
 * stopped mid-batch are written by the next one to look (itself after a restart, or another gateway on the same
 * database). Nothing a second gateway needs is held here.
 */
@Component
class Hl7BackgroundWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Hl7BackgroundWriter.class);
    static final int BATCH = 256;
    private static final int LEASE_MINUTES = 5;
    private static final long IDLE_MILLIS = 500;

    private final Journal journal;
    private final Hl7Intake intake;
    private final Hl7Mapping mapping;
    private final FhirStore store;
    private final ConflictLog conflicts;
    private final GatewayMetrics metrics;
    /** Looked up when needed: a lifecycle bean that depends on the CamelContext would start it before its routes load. */
    private final ObjectProvider<CamelContext> camel;
    private final Semaphore work = new Semaphore(0);
    private volatile Thread thread;

    Hl7BackgroundWriter(Journal journal, Hl7Intake intake, Hl7Mapping mapping, FhirStore store, ConflictLog conflicts,
            GatewayMetrics metrics, ObjectProvider<CamelContext> camel) {
        this.journal = journal;
        this.intake = intake;
        this.mapping = mapping;
        this.store = store;
        this.conflicts = conflicts;
        this.metrics = metrics;
        this.camel = camel;
    }

    /** A message was journaled pending: look now rather than at the next poll. */
    void wake() {
        work.release();
    }

    private void run() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                List<Journal.Pending> claimed = journal.claimPending(BATCH, Duration.ofMinutes(LEASE_MINUTES));
                if (claimed.isEmpty()) {
                    work.tryAcquire(IDLE_MILLIS, TimeUnit.MILLISECONDS);
                    work.drainPermits();
                    continue;
                }
                write(claimed);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) { // the database is away: the entries stay pending, claimed until the lease ends
                log.warn("Background FHIR writes paused: {}", e.getMessage());
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException interrupted) {
                    return;
                }
            }
        }
    }

    private record Item(Journal.Pending pending, Hl7Received received) {}

    private void write(List<Journal.Pending> claimed) {
        List<Item> items = new ArrayList<>();
        List<FhirStore.Write> writes = new ArrayList<>();
        for (Journal.Pending pending : claimed) {
            Exchange exchange = new DefaultExchange(camel.getObject());
            try {
                Hl7Received received = intake.parse(intake.redecode(
                        new Hl7Replayer.Hl7Replay(pending.arrival().content(), pending.arrival()), exchange), exchange);
                Hl7Mapping.Hl7Mapped mapped = mapping.map(received);
                writes.add(new FhirStore.Write(mapped.mapped().bundle(), received.source(), written -> journal.complete(pending,
                        written.outcome() == FhirStore.Outcome.DUPLICATE
                                ? new Outcome(Outcome.Status.DUPLICATE, null, List.of(), null, "AA", null)
                                : Outcome.stored(written.resources(), null, "AA", null))));
                items.add(new Item(pending, received));
            } catch (Exception e) { // it mapped when it was acknowledged; a changed rule may make it fail now
                failed(pending, null, e);
            }
        }
        List<FhirStore.Attempt> attempts = store.storeEach(writes);
        for (int i = 0; i < attempts.size(); i++) {
            Item item = items.get(i);
            String feed = item.pending().arrival().feed();
            if (attempts.get(i).failure() == null) {
                metrics.message("hl7", feed, item.pending().arrival().type(),
                        attempts.get(i).result().outcome() == FhirStore.Outcome.DUPLICATE ? "duplicate" : "stored");
            } else {
                failed(item.pending(), item.received(), attempts.get(i).failure());
            }
        }
    }

    private void failed(Journal.Pending pending, Hl7Received received, Throwable failure) {
        Outcome.Status status = Outcome.Status.FAILED_AFTER_ACK;
        String reason;
        String logged = null;
        if (failure instanceof IdentityConflict conflict && received != null) {
            String field = ConflictFields.field(conflict, received.text());
            String text = (field.isEmpty() ? "" : field + " ") + conflict.getMessage() + ". Acknowledged AA, then not stored";
            long held = conflicts.hold(HeldConflict.of(conflict, "hl7", received.msh().sender(), received.msh().controlId(),
                    text, received.text(), null));
            status = Outcome.Status.HELD;
            reason = text + " (conflict " + held + ")";
            // the reason names the identifiers; the log names the conflict, as the acknowledger's does
            logged = "identity conflict " + held + " held: " + field + " " + conflict.description();
        } else if (failure instanceof MappingException mapping) {
            reason = mapping.field() + ": " + mapping.getMessage();
        } else if (failure instanceof UnprocessableEntityException invalid) {
            reason = "not valid FHIR: " + invalid.getMessage();
        } else {
            reason = "could not be stored: " + failure.getMessage();
        }
        log.warn("HL7 {} {} (journal entry {}) failed after its AA: {}", pending.arrival().type(),
                pending.arrival().messageId(), pending.id(), logged != null ? logged : reason);
        journal.completeFailure(pending, Outcome.failed(status, reason, null, "AA", null));
        metrics.message("hl7", pending.arrival().feed(), pending.arrival().type(), status.code());
    }

    @Override
    public void start() {
        Thread writer = new Thread(this::run, "hl7-background-writer");
        writer.setDaemon(true);
        thread = writer;
        writer.start();
    }

    @Override
    public void stop() {
        Thread writer = thread;
        thread = null;
        if (writer != null) {
            writer.interrupt();
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    /** After the FHIR store (which it writes to) starts; before it stops. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 2000;
    }
}
