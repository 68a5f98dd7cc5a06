package io.imaginggateway.journal;

/**
 * Sends a journaled arrival through its intake again (the HL7 and DICOM intakes each have one). The replay is
 * journaled as an entry of its own, linked to the original; what it writes goes through the same link, validate and
 * store steps, so a message that was stored before writes nothing again.
 */
public interface Replayer {

    /** What became of a replay: its own journal entry (null when spooled), status and reason. */
    record Replayed(long original, Long entry, String status, String reason) {}

    Arrival.Kind kind();

    /**
     * @param original the entry replayed (its id is {@code original.id()})
     * @param root     the entry the replay is linked to: the original, or what the original itself replayed
     * @param content  the content to send: as kept, or as edited by an operator ({@code edited})
     * @throws IllegalStateException when it cannot be replayed (no content kept, its file is gone): says why
     */
    Replayed replay(JournalEntryView original, long root, byte[] content, String charset, boolean edited);
}
