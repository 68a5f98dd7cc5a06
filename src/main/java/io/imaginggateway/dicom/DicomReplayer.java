package io.imaginggateway.dicom;

import io.imaginggateway.journal.Arrival;
import io.imaginggateway.journal.JournalEntryView;
import io.imaginggateway.journal.Replayer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.springframework.stereotype.Component;

/**
 * Replays a journaled DICOM instance whose file is still where the journal says (set aside as not usable, held for
 * an identity conflict, kept after a database failure): read again, mapped with its feed's rules and stored as its
 * intake would, then the file is disposed of as any committed instance's. DICOM JSON and imports keep no file of the
 * gateway's: they are sent again by their client.
 */
@Component
class DicomReplayer implements Replayer {

    private final DicomIntake intake;

    DicomReplayer(DicomIntake intake) {
        this.intake = intake;
    }

    @Override
    public Arrival.Kind kind() {
        return Arrival.Kind.DICOM;
    }

    @Override
    public Replayed replay(JournalEntryView original, long root, byte[] content, String charset, boolean edited) {
        if (edited) {
            throw new IllegalStateException("a DICOM instance is replayed from its file; it cannot be edited here");
        }
        if (original.file() == null || !Files.isRegularFile(Path.of(original.file()))) {
            throw new IllegalStateException("the file of entry " + original.id() + " is no longer there"
                    + (original.file() == null ? "" : " (" + original.file() + ")") + ": send the instance again");
        }
        Path file = Path.of(original.file());
        ReceivedInstance received;
        try {
            // the journal keeps a calling AE title as the sender; a folder's or channel's name as its URI
            String source = original.sender().startsWith("urn:") ? original.sender()
                    : DicomReceiver.SOURCE_PREFIX + original.sender();
            received = new ReceivedInstance(intake.read(file), source, intake.feed(original.feed()), file, file.getParent(),
                    Instant.now(), root);
        } catch (IOException e) {
            throw new IllegalStateException("the file " + file + " cannot be read: " + e.getMessage(), e);
        }
        List<DicomIntake.NotStored> notStored = intake.storeNow(List.of(received));
        return new Replayed(original.id(), null, notStored.isEmpty() ? "stored" : "not-stored",
                notStored.isEmpty() ? null : notStored.get(0).reason());
    }
}
