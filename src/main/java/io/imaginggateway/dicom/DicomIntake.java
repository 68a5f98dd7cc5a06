package io.imaginggateway.dicom;

import io.imaginggateway.fhirstore.FhirStore;
import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingRules;
import io.imaginggateway.mapping.dicom.DicomInstance;
import io.imaginggateway.mapping.dicom.ImagingStudyAssembler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The DICOM routes' steps (camel-routes/dicom-intake.camel.yaml): read a file's header, and store a batch of one
 * study's instances as one FHIR transaction, then delete or archive the batch's files. A file is disposed of only once
 * its metadata is committed; a file that cannot be read is moved aside with a log line naming it and why.
 */
@Component("dicomIntake")
public class DicomIntake {

    private static final Logger log = LoggerFactory.getLogger(DicomIntake.class);

    private final DicomHeaderReader reader;
    private final FhirStore store;
    private final MappingRules rules;
    private final DicomProperties properties;

    DicomIntake(DicomHeaderReader reader, FhirStore store, MappingRules rules, DicomProperties properties) {
        this.reader = reader;
        this.store = store;
        this.rules = rules;
        this.properties = properties;
    }

    /**
     * A file dropped into the inbox (the route's step).
     *
     * @return null when the file is not a usable DICOM instance: it has been moved aside (see {@link #read})
     */
    public ReceivedInstance readFile(String path, String inbox, String source) {
        try {
            return read(Path.of(path), Path.of(inbox), source);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * The instance in a file that came in below {@code root} (the inbox, the receiver's folder, an imported folder).
     * A file that is not a usable instance is moved to {@code <root>/.failed}, keeping its path below the root, with
     * a log line naming it and why; the reason is thrown.
     */
    ReceivedInstance read(Path file, Path root, String source) throws IOException {
        try {
            return new ReceivedInstance(reader.read(file), file, source);
        } catch (IOException e) {
            Path base = root.toAbsolutePath();
            Path failed = base.resolve(".failed").resolve(base.relativize(file.toAbsolutePath()));
            log.error("DICOM from {}: {} not stored, moved to {}: {}", source, file, failed,
                    DicomHeaderReader.DicomReadException.reasonOf(e));
            try {
                Files.createDirectories(failed.getParent());
                Files.move(file, failed, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                log.error("DICOM: cannot move {} aside: {}", file, moveFailed.getMessage());
            }
            throw e;
        }
    }

    /**
     * Instances of any number of studies, stored now (not batched by the route): one transaction per study and
     * {@code gateway.dicom.batch-size} instances, handed to the store together so that it commits them in groups.
     * Returns once everything is committed.
     */
    public void storeNow(List<ReceivedInstance> instances) {
        Map<String, List<ReceivedInstance>> byStudy = new LinkedHashMap<>();
        instances.forEach(r -> byStudy.computeIfAbsent(r.studyInstanceUid(), s -> new ArrayList<>()).add(r));
        List<List<ReceivedInstance>> batches = new ArrayList<>();
        for (List<ReceivedInstance> study : byStudy.values()) {
            for (int from = 0; from < study.size(); from += properties.batchSize()) {
                batches.add(study.subList(from, Math.min(study.size(), from + properties.batchSize())));
            }
        }
        storeBatches(batches);
    }

    /** One study's instances (a batch, the route's step): one transaction, then their files are deleted or archived. */
    public void store(List<ReceivedInstance> batch) {
        storeBatches(List.of(batch));
    }

    private void storeBatches(List<List<ReceivedInstance>> batches) {
        List<Assembled> assembled = new ArrayList<>();
        for (List<ReceivedInstance> batch : batches) {
            // one Bundle per sender, so that each resource's meta.source names who sent it
            Map<String, List<ReceivedInstance>> bySource = new LinkedHashMap<>();
            batch.forEach(r -> bySource.computeIfAbsent(r.source(), s -> new ArrayList<>()).add(r));
            for (List<ReceivedInstance> part : bySource.values()) {
                List<DicomInstance> instances = part.stream().map(ReceivedInstance::instance).toList();
                assembled.add(new Assembled(part.get(0).studyInstanceUid(),
                        ImagingStudyAssembler.assemble(instances, rules, properties.wadoRsBase(), part.get(0).source())));
            }
        }
        store.storeAll(assembled.stream().map(a -> a.mapped().bundle()).toList());
        assembled.forEach(a -> a.mapped().warnings().forEach(w -> log.warn("DICOM study {}: {}", a.studyUid(), w)));
        batches.forEach(batch -> batch.forEach(this::dispose));
    }

    private record Assembled(String studyUid, MappingContext.Mapped mapped) {}

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
