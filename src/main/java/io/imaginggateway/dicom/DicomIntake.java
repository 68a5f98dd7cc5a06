package io.imaginggateway.dicom;

import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.UnprocessableEntityException;
import io.imaginggateway.fhirstore.FhirStore;
import io.imaginggateway.journal.Arrival;
import io.imaginggateway.journal.Journal;
import io.imaginggateway.journal.Outcome;
import io.imaginggateway.linking.ConflictLog;
import io.imaginggateway.linking.HeldConflict;
import io.imaginggateway.linking.IdentityConflict;
import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.dicom.DicomInstance;
import io.imaginggateway.mapping.dicom.ImagingStudyAssembler;
import io.imaginggateway.metrics.GatewayMetrics;
import io.imaginggateway.site.Feed;
import io.imaginggateway.site.Feeds;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Identifier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The DICOM intake's steps (camel-routes/dicom-intake.camel.yaml, the receiver, import and DICOM JSON): read a file's
 * header, check the instance's identity, and store a batch of one study's instances as one FHIR transaction, then
 * delete or archive the batch's files.
 *
 * <p>A file is disposed of only once its metadata is committed. A file that cannot be read is moved aside in the
 * folder it came in (the receiver's, the inbox: {@code .failed}) with a log line naming it and why; a file of an
 * import is never moved. Instances whose identifiers point at another patient's study or order are not written: their
 * files go to {@code gateway.dicom.held/<conflict>/}, the conflict is kept for an operator, and the sender is told
 * ({@link InstanceHeld}) when it is still connected.
 */
@Component("dicomIntake")
public class DicomIntake {

    private static final Logger log = LoggerFactory.getLogger(DicomIntake.class);

    /** An instance held for an identity conflict: nothing of it was stored, the conflict is kept under its number. */
    public static final class InstanceHeld extends RuntimeException {
        private final String comment;

        InstanceHeld(String reason, String comment) {
            super(reason);
            this.comment = comment;
        }

        /** For a DICOM Error Comment (64 characters): the conflict's number, the attribute and what is wrong. */
        public String comment() {
            return comment;
        }
    }

    /** An instance of an import or of DICOM JSON that was not stored, and why. */
    public record NotStored(ReceivedInstance instance, String reason) {}

    private final DicomHeaderReader reader;
    private final FhirStore store;
    private final Feeds feeds;
    private final DicomProperties properties;
    private final ConflictLog conflicts;
    private final Journal journal;
    private final GatewayMetrics metrics;
    private final StudyIdentities studies = new StudyIdentities();

    DicomIntake(DicomHeaderReader reader, FhirStore store, Feeds feeds, DicomProperties properties,
            ConflictLog conflicts, Journal journal, GatewayMetrics metrics) {
        this.reader = reader;
        this.journal = journal;
        this.metrics = metrics;
        this.store = store;
        this.feeds = feeds;
        this.properties = properties;
        this.conflicts = conflicts;
    }

    /**
     * A file dropped into an inbox (the route's step), mapped with the feed whose inbox that folder is.
     *
     * @return null when the file is not a usable DICOM instance: it has been moved aside (see {@link #readOrSetAside})
     */
    public ReceivedInstance readFile(String path, String inbox, String source) {
        try {
            return readOrSetAside(Path.of(path), Path.of(inbox), source, feeds.forDicomInbox(Path.of(inbox)));
        } catch (IOException e) {
            return null;
        }
    }

    /** The instance in a file the gateway does not own (an import): read, never moved. */
    DicomInstance read(Path file) throws IOException {
        return reader.read(file);
    }

    /**
     * The instance in a file that came in below {@code folder} (the inbox, the receiver's folder). A file that is not
     * a usable instance is moved to {@code <folder>/.failed}, keeping its path below the folder, with a log line naming
     * it and why; the reason is thrown.
     */
    ReceivedInstance readOrSetAside(Path file, Path folder, String source, Feed feed) throws IOException {
        try {
            return new ReceivedInstance(reader.read(file), source, feed, file, folder);
        } catch (IOException e) {
            Path failed = setAside(file, folder);
            String reason = DicomHeaderReader.DicomReadException.reasonOf(e);
            log.error("DICOM from {}: {} not stored, moved to {}: {}", source, file.getFileName(), failed, reason);
            String channel = ReceivedInstance.channelOf(source);
            String sender = source.startsWith(DicomReceiver.SOURCE_PREFIX) ? source.substring(DicomReceiver.SOURCE_PREFIX.length()) : source;
            journal.recordFailure(new Arrival(Instant.now(), Arrival.Kind.DICOM, channel, feed.id(), sender, null, null,
                    null, null, null, null, null, failed.toString(), null, null, null, false),
                    Outcome.failed(Outcome.Status.ERROR, "not a usable DICOM instance: " + reason, "set-aside", null, null));
            metrics.dicomInstance(channel.equals("c-store") ? sender : null, Outcome.Status.ERROR.code());
            throw e;
        }
    }

    /**
     * Before a sender is told an instance was received: whether the gateway can take it. The first instance of a study
     * seen since start is checked against what is stored and validated as mapped (read-only: the write checks both
     * again); the study's later instances must name the same patient and accession number.
     *
     * @throws InstanceHeld when it conflicts: its file is held and the conflict kept
     * @throws DicomHeaderReader.DicomReadException when what it maps to is not valid FHIR: its file is set aside
     */
    public void check(ReceivedInstance received) throws DicomHeaderReader.DicomReadException {
        String seen = studies.firstKey(received.studyInstanceUid());
        IdentityConflict conflict;
        if (seen != null && !seen.equals(received.instance().identityKey())) {
            conflict = new IdentityConflict(IdentityConflict.Kind.OTHER_PATIENT, "ImagingStudy",
                    new Identifier().setSystem("urn:dicom:uid").setValue("urn:oid:" + received.studyInstanceUid()), List.of(),
                    "arrived before with another Patient ID (0010,0020) or Accession Number (0008,0050) than this instance's");
        } else if (seen == null) {
            try {
                store.check(assemble(List.of(received)).bundle());
                studies.remember(received.studyInstanceUid(), received.instance().identityKey());
                return;
            } catch (IdentityConflict e) {
                conflict = e;
            } catch (UnprocessableEntityException invalid) {
                Path failed = setAside(received.file(), received.folder());
                log.error("DICOM from {}: {} not stored, not valid FHIR, moved to {}: {}", received.source(),
                        received.instance().sopInstanceUid(), failed, invalid.getMessage());
                notStored(received, Outcome.Status.ERROR, "not valid FHIR: " + invalid.getMessage(),
                        received.file() == null ? null : "set-aside", failed);
                throw new DicomHeaderReader.DicomReadException(received.file().toString(),
                        "not valid FHIR: " + invalid.getMessage(), invalid);
            }
        } else {
            return;
        }
        String held = hold(List.of(received), conflict);
        throw new InstanceHeld(held, held.substring(0, held.indexOf(':')) + ": " + DicomConflictFields.brief(conflict));
    }

    /**
     * Instances of any number of studies, stored now (not batched by the route): one transaction per study and
     * {@code gateway.dicom.batch-size} instances, handed to the store together so that it commits them in groups.
     * Returns once everything is committed, with the instances that were not stored and why.
     */
    public List<NotStored> storeNow(List<ReceivedInstance> instances) {
        Map<String, List<ReceivedInstance>> byStudy = new LinkedHashMap<>();
        instances.forEach(r -> byStudy.computeIfAbsent(r.studyInstanceUid(), s -> new ArrayList<>()).add(r));
        List<List<ReceivedInstance>> batches = new ArrayList<>();
        for (List<ReceivedInstance> study : byStudy.values()) {
            for (int from = 0; from < study.size(); from += properties.batchSize()) {
                batches.add(study.subList(from, Math.min(study.size(), from + properties.batchSize())));
            }
        }
        return storeBatches(batches);
    }

    /**
     * One study's instances (a batch, the route's step): one transaction, then their files are deleted or archived;
     * instances that conflict are held, invalid ones set aside.
     */
    public void store(List<ReceivedInstance> batch) {
        storeBatches(List.of(batch));
    }

    private List<NotStored> storeBatches(List<List<ReceivedInstance>> batches) {
        List<Part> parts = new ArrayList<>();
        for (List<ReceivedInstance> batch : batches) {
            // one Bundle per sender (each resource's meta.source names who sent it) and per patient and accession the
            // instances name: a study's instances that disagree are not written as one
            Map<String, List<ReceivedInstance>> bySource = new LinkedHashMap<>();
            batch.forEach(r -> bySource.computeIfAbsent(r.source() + " " + r.feed().id() + " " + r.instance().identityKey(),
                    s -> new ArrayList<>()).add(r));
            bySource.values().forEach(part -> parts.add(new Part(part, assemble(part))));
        }
        List<FhirStore.Attempt> attempts = store.storeEach(parts.stream().map(p -> new FhirStore.Write(p.mapped().bundle(),
                null, written -> journal.recordAll(p.instances().stream().map(r -> new Journal.Entry(r.arrival(),
                        Outcome.stored(written.resources(), fileStatusAfterCommit(r), null, null))).toList())))
                .toList());
        List<NotStored> notStored = new ArrayList<>();
        RuntimeException transientFailure = null;
        for (int i = 0; i < parts.size(); i++) {
            Part part = parts.get(i);
            RuntimeException failure = attempts.get(i).failure();
            if (failure == null) {
                part.mapped().warnings().forEach(w -> log.warn("DICOM study {}: {}", part.studyUid(), w));
                part.instances().forEach(this::dispose);
                part.instances().forEach(r -> metrics.dicomInstance(r.callingAeTitle(), Outcome.Status.STORED.code()));
            } else if (failure instanceof IdentityConflict conflict) {
                String held = hold(part.instances(), conflict);
                part.instances().forEach(r -> notStored.add(new NotStored(r, held)));
            } else if (failure instanceof BaseServerResponseException invalid && invalid.getStatusCode() < 500) {
                log.error("DICOM study {} from {}: {} instance(s) not stored, not valid FHIR: {}", part.studyUid(),
                        part.instances().get(0).source(), part.instances().size(), invalid.getMessage());
                part.instances().forEach(r -> notStored(r, afterSuccess(r), "not valid FHIR: " + invalid.getMessage(),
                        r.file() == null ? null : "set-aside", setAsideInvalid(r, invalid.getMessage())));
                part.instances().forEach(r -> notStored.add(new NotStored(r, "not valid FHIR: " + invalid.getMessage())));
            } else {
                transientFailure = failure; // database, shutdown: the files stay where they are for the next attempt
                part.instances().forEach(r -> notStored(r, afterSuccess(r), "not stored: " + failure.getMessage(),
                        r.file() == null ? null : "kept", r.file()));
            }
        }
        if (transientFailure != null) {
            throw transientFailure;
        }
        return notStored;
    }

    /** An instance the sender was told was received (C-STORE Success) before its batch was written. */
    private static Outcome.Status afterSuccess(ReceivedInstance received) {
        return received.channel().equals("c-store") ? Outcome.Status.FAILED_AFTER_ACK : Outcome.Status.ERROR;
    }

    private String fileStatusAfterCommit(ReceivedInstance received) {
        return received.file() == null ? null
                : properties.afterCommit() == DicomProperties.AfterCommit.ARCHIVE ? "archived" : "deleted";
    }

    /** Journals an instance that was not stored, with where its file is now. */
    private void notStored(ReceivedInstance received, Outcome.Status status, String reason, String fileStatus, Path fileNow) {
        Arrival arrival = fileNow == null ? received.arrival() : received.arrival().withFile(fileNow.toString());
        journal.recordFailure(arrival, Outcome.failed(status, reason, fileStatus, null, null));
        metrics.dicomInstance(received.callingAeTitle(), status.code());
    }

    private record Part(List<ReceivedInstance> instances, MappingContext.Mapped mapped) {
        String studyUid() {
            return instances.get(0).studyInstanceUid();
        }
    }

    private MappingContext.Mapped assemble(List<ReceivedInstance> instances) {
        ReceivedInstance first = instances.get(0);
        return ImagingStudyAssembler.assemble(instances.stream().map(ReceivedInstance::instance).toList(),
                first.feed().rules(), properties.wadoRsBase(), first.source());
    }

    /** The feed with this id (a route's or request's), feed default when none is named. */
    Feed feed(String id) {
        return id == null || id.isBlank() ? feeds.defaultFeed() : feeds.get(id.trim());
    }

    /**
     * Keeps the conflict and moves the instances' own files to {@code held/<conflict>/}; returns what the sender and
     * the operator are told.
     */
    private String hold(List<ReceivedInstance> instances, IdentityConflict conflict) {
        String reason = DicomConflictFields.describe(conflict);
        ReceivedInstance first = instances.get(0);
        String reference = instances.size() == 1 ? first.instance().sopInstanceUid()
                : "study " + first.studyInstanceUid() + " (" + instances.size() + " instances)";
        boolean files = instances.stream().anyMatch(r -> r.file() != null);
        Path folder = properties.held().resolve(first.studyInstanceUid() + "-" + System.currentTimeMillis());
        long id = conflicts.hold(HeldConflict.of(conflict, "dicom", first.source(), reference, reason, null,
                files ? folder.toString() : null));
        for (ReceivedInstance instance : instances) {
            Path heldFile = instance.file() == null ? null : folder.resolve(instance.file().getFileName());
            if (heldFile != null) {
                move(instance.file(), heldFile);
            }
            notStored(instance, Outcome.Status.HELD, "identity conflict " + id + ": " + reason,
                    heldFile == null ? null : "held", heldFile);
        }
        log.error("DICOM from {}: {} held as identity conflict {}: {}", first.source(), reference, id,
                DicomConflictFields.brief(conflict));
        return "identity conflict " + id + ": " + reason;
    }

    /** Where the file went (null: none of the gateway's). */
    private Path setAsideInvalid(ReceivedInstance received, String reason) {
        if (received.file() == null) {
            return null;
        }
        Path failed = setAside(received.file(), received.folder());
        log.error("DICOM: {} moved to {}: {}", received.file().getFileName(), failed, reason);
        return failed;
    }

    /** {@code <folder>/.failed/<path below folder>}, where the file goes; the move is attempted and logged if it fails. */
    private static Path setAside(Path file, Path folder) {
        Path base = folder.toAbsolutePath();
        Path failed = base.resolve(".failed").resolve(base.relativize(file.toAbsolutePath()));
        move(file, failed);
        return failed;
    }

    private static void move(Path file, Path target) {
        try {
            Files.createDirectories(target.getParent());
            Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            log.error("DICOM: cannot move {} to {}: {}", file, target, e.getMessage());
        }
    }

    private void dispose(ReceivedInstance received) {
        if (received.file() == null) {
            return;
        }
        try {
            if (properties.afterCommit() == DicomProperties.AfterCommit.ARCHIVE) {
                Path target = properties.archive().resolve(received.studyInstanceUid())
                        .resolve(received.instance().sopInstanceUid() + ".dcm");
                Files.createDirectories(target.getParent());
                Files.move(received.file(), target, StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(received.file());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Stored, but cannot dispose of " + received.file(), e);
        }
    }
}
