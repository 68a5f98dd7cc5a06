package io.imaginggateway.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import io.imaginggateway.testsupport.DicomStudies;
import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.GatewayInstance;
import io.imaginggateway.testsupport.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the receiver does with its files: instances received before a crash but never committed are stored at the
 * next start, and with {@code after-commit: archive} every file ends in the archive by study UID.
 */
class DicomReceiverRestartIT {

    @TempDir
    Path dataDir;

    @TempDir
    Path files;

    @Test
    void leftoverFilesAreStoredAtStartPartialOnesDroppedAndCommittedFilesArchived() throws Exception {
        DicomStudies.Study study = new DicomStudies.Study("1.2.826.0.1.3680043.9.7001.941", "PAT-R-1", "ACC-R-1", "CT", "HEAD");
        Path received = dataDir.resolve("dicom-received");
        Files.createDirectories(received);
        // instance 1 was received (success status sent) when the gateway was killed before its commit
        Path leftover = DicomStudies.write(files, study, 1, 1, "");
        Files.move(leftover, received.resolve(study.uidRoot() + ".1.1"));
        // and one of another study from a sender whose AE title starts with a dot and holds a slash, kept in that
        // sender's folder: stored as that sender's (its feed's rules)
        DicomStudies.Study other = new DicomStudies.Study("1.2.826.0.1.3680043.9.7001.942", "PAT-R-2", "ACC-R-2", "CT", "HEAD");
        Path oddSender = received.resolve("from-.ODD%2FAE");
        Files.createDirectories(oddSender);
        Files.move(DicomStudies.write(files, other, 1, 1, ""), oddSender.resolve(other.uidRoot() + ".1.1"));
        // instance 3 was still arriving (no status sent, the sender still has it): dropped, not stored
        Path cutOff = received.resolve(".incoming").resolve(study.uidRoot() + ".1.3-1234.dcm");
        Files.createDirectories(cutOff.getParent());
        Files.move(DicomStudies.write(files, study, 1, 3, ""), cutOff);
        List<Path> later = List.of(DicomStudies.write(files, study, 1, 2, ""));

        int port = GatewayIT.freePort();
        try (GatewayInstance gateway = GatewayInstance.start(dataDir,
                Map.of("gateway.dicom.port", port, "gateway.dicom.after-commit", "archive"))) {
            DicomStudies.Result sent = DicomStudies.run("storescu", "-aec", "FHIRGATEWAY", "localhost",
                    String.valueOf(port), later.get(0).toString());
            assertThat(sent.exitCode()).as(sent.output()).isZero();

            ImagingStudy stored = Poll.until(Duration.ofSeconds(30), "both instances", () -> {
                Bundle found = gateway.fhirClient().search()
                        .byUrl("ImagingStudy?identifier=urn:dicom:uid|urn:oid:" + study.uidRoot()).returnBundle(Bundle.class).execute();
                ImagingStudy one = found.getEntry().isEmpty() ? null : (ImagingStudy) found.getEntryFirstRep().getResource();
                return one != null && one.getNumberOfInstances() == 2 ? one : null;
            });
            assertThat(stored.getSeriesFirstRep().getInstance()).hasSize(2);
            Path archive = dataDir.resolve("dicom-archive").resolve(study.uidRoot());
            Poll.until(Duration.ofSeconds(10), "both files archived", () ->
                    Files.exists(archive.resolve(study.uidRoot() + ".1.1.dcm")) && Files.exists(archive.resolve(study.uidRoot() + ".1.2.dcm")));
            assertThat(received.resolve(study.uidRoot() + ".1.1")).doesNotExist();
            assertThat(cutOff).doesNotExist();
            ImagingStudy fromOddSender = Poll.until(Duration.ofSeconds(30), "the other sender's study", () -> {
                Bundle found = gateway.fhirClient().search()
                        .byUrl("ImagingStudy?identifier=urn:dicom:uid|urn:oid:" + other.uidRoot()).returnBundle(Bundle.class).execute();
                return found.getEntry().isEmpty() ? null : (ImagingStudy) found.getEntryFirstRep().getResource();
            });
            assertThat(fromOddSender.getMeta().getSource()).isEqualTo("urn:dicom:ae:.ODD/AE");
        }
    }
}
