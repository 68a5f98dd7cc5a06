package io.imaginggateway.hl7;

import io.imaginggateway.fhirstore.FhirStore;
import io.imaginggateway.journal.Journal;
import io.imaginggateway.journal.Outcome;
import io.imaginggateway.site.SiteProperties;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.springframework.stereotype.Component;

/**
 * The MLLP route's store step: the message's transaction written once per message (a message re-sent with the same
 * sender, MSH-10 and content writes nothing), linked, validated and committed before the route goes on, together
 * with its journal entry (the message, the AA it is about to get, the resources written). On a feed that acknowledges
 * after the journal, the message is journaled as pending instead, and written by {@link Hl7BackgroundWriter}.
 */
@Component("hl7Storage")
public class Hl7Storage {

    /**
     * A stored message: what it mapped to, what the store did with it (null: journaled to be written in the background),
     * the acknowledgement it gets and its journal entry.
     */
    public record Hl7Stored(Hl7Mapping.Hl7Mapped mapped, FhirStore.Result result, String ack, long journalId) {

        boolean pending() {
            return result == null;
        }
    }

    private final FhirStore store;
    private final Journal journal;
    private final Hl7BackgroundWriter background;

    Hl7Storage(FhirStore store, Journal journal, Hl7BackgroundWriter background) {
        this.store = store;
        this.journal = journal;
        this.background = background;
    }

    public Hl7Stored store(Hl7Mapping.Hl7Mapped mapped) {
        Hl7Received received = mapped.received();
        // built before the commit, so that the journal entry committed with the resources holds the ACK as sent
        String ack = Acknowledgement.build(received.msh(), Acknowledgement.Code.AA, mapped.mapped().warnings().stream()
                .map(Acknowledgement.Problem::warning).toList());
        if (received.feed().acknowledge() == SiteProperties.Acknowledge.AFTER_JOURNAL
                && "mllp".equals(received.arrival().channel())) { // a replay is written at once: the operator waits for it
            long entry = journal.recordPending(received.arrival(), ack);
            background.wake();
            return new Hl7Stored(mapped, null, ack, entry);
        }
        AtomicLong journalId = new AtomicLong();
        FhirStore.Result result = store.store(new FhirStore.Write(mapped.mapped().bundle(), received.source(),
                written -> journalId.set(journal.record(received.arrival(), outcome(written, ack)))));
        return new Hl7Stored(mapped, result, ack, journalId.get());
    }

    private static Outcome outcome(FhirStore.Result written, String ack) {
        if (written.outcome() == FhirStore.Outcome.DUPLICATE) {
            return new Outcome(Outcome.Status.DUPLICATE, null, List.of(), null, "AA", ack);
        }
        return Outcome.stored(written.resources(), null, "AA", ack);
    }
}
