package io.imaginggateway.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import com.pixelmed.dicom.SOPClass;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.CStoreRequestCommandMessage;
import com.pixelmed.network.PresentationContext;
import io.imaginggateway.testsupport.DicomStudies;
import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.Poll;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DICOM receiver driven by dcmtk's echoscu and storescu, then what a FHIR client finds at /fhir. */
class DicomReceiverIT extends GatewayIT {

    @TempDir
    Path files;

    @Test
    void echoIsAnsweredOnTheGatewaysAeTitleOnly() throws Exception {
        DicomStudies.Result echo = DicomStudies.run("echoscu", "-aec", "FHIRGATEWAY", "localhost", String.valueOf(DICOM_PORT));
        assertThat(echo.exitCode()).as(echo.output()).isZero();
        DicomStudies.Result misrouted = DicomStudies.run("echoscu", "-aec", "OTHERPACS", "localhost", String.valueOf(DICOM_PORT));
        assertThat(misrouted.exitCode()).isNotZero();
        assertThat(misrouted.output()).contains("Called AE Title Not Recognized");
    }

    @Test
    void aStudySentTwiceOnSeveralAssociationsIsOneImagingStudyWithExactCounts() throws Exception {
        DicomStudies.Study study = new DicomStudies.Study("1.2.826.0.1.3680043.9.7001.901", "PAT-D-1", "ACC-D-1", "CT", "CHEST");
        List<Path> instances = DicomStudies.write(files, study, 3, 4);
        // series 1 and 2 on one association, series 3 on another, then everything again
        storescu(instances.subList(0, 8));
        storescu(instances.subList(8, 12));
        storescu(instances);

        ImagingStudy stored = study(study, 12);
        assertThat(stored.getStatus()).isEqualTo(ImagingStudy.ImagingStudyStatus.AVAILABLE);
        assertThat(stored.getNumberOfSeries()).isEqualTo(3);
        assertThat(stored.getSeries()).extracting(s -> s.getNumberOfInstances()).containsExactly(4, 4, 4);
        assertThat(stored.getSeries()).extracting(s -> s.getUid())
                .containsExactly(study.uidRoot() + ".1", study.uidRoot() + ".2", study.uidRoot() + ".3");
        ImagingStudy.ImagingStudySeriesComponent series = stored.getSeriesFirstRep();
        assertThat(series.getNumber()).isEqualTo(1);
        assertThat(series.getModality().getCode()).isEqualTo("CT");
        assertThat(series.getBodySite().getCode()).isEqualTo("51185008");
        assertThat(series.getLaterality().getCode()).isEqualTo("24028007");
        assertThat(series.getStartedElement().getValueAsString()).isEqualTo("2026-11-23T09:31:00Z");
        assertThat(series.getInstanceFirstRep().getSopClass().getCode()).isEqualTo("urn:oid:1.2.840.10008.5.1.4.1.1.2");
        assertThat(series.getInstanceFirstRep().getSopClass().getSystem()).isEqualTo("urn:ietf:rfc:3986");
        assertThat(stored.getModalityFirstRep().getCode()).isEqualTo("CT");
        assertThat(stored.getStartedElement().getValueAsString()).isEqualTo("2026-11-23T09:30:12.5Z");
        assertThat(stored.getDescription()).isEqualTo("CT Chest without contrast");
        assertThat(stored.getReferrer().getDisplay()).isEqualTo("Dr Marcus Welby");
        assertThat(stored.getInterpreterFirstRep().getDisplay()).isEqualTo("Rita Radius");
        assertThat(stored.getEndpointFirstRep().getReference()).startsWith("Endpoint/");
        // far fewer versions than instances received (24 C-STOREs)
        assertThat(Integer.parseInt(stored.getMeta().getVersionId())).isLessThanOrEqualTo(4);

        Patient patient = one(Patient.class, "identifier=PAT-D-1");
        assertThat(stored.getSubject().getReference()).isEqualTo("Patient/" + patient.getIdElement().getIdPart());
        ServiceRequest order = one(ServiceRequest.class, "identifier=ACC-D-1");
        assertThat(order.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.UNKNOWN);
        assertThat(stored.getBasedOnFirstRep().getReference()).isEqualTo("ServiceRequest/" + order.getIdElement().getIdPart());
        assertThat(search(ImagingStudy.class,
                "identifier:of-type=http://terminology.hl7.org/CodeSystem/v2-0203|ACSN|ACC-D-1")).hasSize(1);
        // the received files are deleted once committed (gateway.dicom.after-commit: delete)
        Poll.until(Duration.ofSeconds(10), "received files deleted",
                () -> filesIn(DATA_DIR.resolve("dicom-received")).stream().noneMatch(f -> f.toString().contains(study.uidRoot())));
    }

    @Test
    void anInstanceWithoutStudyUidGetsAFailureStatusAndTheOthersAreStored() throws Exception {
        DicomStudies.Study study = new DicomStudies.Study("1.2.826.0.1.3680043.9.7001.902", "PAT-D-2", "ACC-D-2", "MR", "KNEE");
        List<Path> instances = new ArrayList<>(DicomStudies.write(files, study, 1, 2));
        Path noStudyUid = DicomStudies.write(files.resolve("bad"), study, 1, 3, "");
        DicomStudies.run("dcmodify", "-nb", "-ea", "(0020,000d)", noStudyUid.toString());
        instances.add(1, noStudyUid);

        // --no-halt: storescu's default is to stop at the first failed C-STORE; a modality goes on with the rest
        List<String> command = new ArrayList<>(List.of(storescuCommand(instances)));
        command.addAll(1, List.of("--no-halt", "--debug"));
        DicomStudies.Result sent = DicomStudies.run(command.toArray(String[]::new));

        assertThat(sent.exitCode()).as(sent.output()).isZero();
        assertThat(sent.output().lines().filter(l -> l.contains("DIMSE Status")).toList()).as(sent.output())
                .containsExactly("D: DIMSE Status                  : 0x0000: Success",
                        "D: DIMSE Status                  : 0xc000: Error: Cannot understand",
                        "D: DIMSE Status                  : 0x0000: Success");
        assertThat(sent.output()).contains("ErrorComment").contains("[no Study Instance UID (0020,000D)");
        ImagingStudy stored = study(study, 2);
        assertThat(stored.getSeriesFirstRep().getInstance()).extracting(i -> i.getUid())
                .containsExactlyInAnyOrder(study.uidRoot() + ".1.1", study.uidRoot() + ".1.2");
        // the receiver still serves
        assertThat(DicomStudies.run("echoscu", "-aec", "FHIRGATEWAY", "localhost", String.valueOf(DICOM_PORT)).exitCode()).isZero();
        assertThat(filesIn(DATA_DIR.resolve("dicom-received/.failed"))).as("the instance without Study UID, set aside")
                .anyMatch(f -> f.getFileName().toString().startsWith(study.uidRoot() + ".1.3-"));
    }

    @Test
    void aTransferCutOffMidInstanceIsDroppedAndTheReceiverKeepsServing() throws Exception {
        DicomStudies.Study study = new DicomStudies.Study("1.2.826.0.1.3680043.9.7001.903", "PAT-D-3", "ACC-D-3", "CT", "HEAD");
        // a sender that dies half-way through an instance (PixelMed as a misbehaving peer: dcmtk cannot be stopped
        // at a chosen byte): command set, part of the data set, then an abort
        LinkedList<PresentationContext> contexts = new LinkedList<>(List.of(new PresentationContext((byte) 1,
                SOPClass.CTImageStorage, TransferSyntax.ExplicitVRLittleEndian)));
        Association sender = AssociationFactory.createNewAssociation("localhost", DICOM_PORT, "FHIRGATEWAY", "DYINGSCU",
                contexts, null, false);
        byte context = sender.getSuitablePresentationContextID(SOPClass.CTImageStorage);
        sender.send(context, new CStoreRequestCommandMessage(SOPClass.CTImageStorage, study.uidRoot() + ".1.1").getBytes(), null);
        OutputStream data = sender.getAssociationOutputStream(context);
        data.write(new byte[3 * StorageAssociation.MAX_PDU_LENGTH]); // more than fits one PDU: sent at once
        data.flush();
        Path incoming = DATA_DIR.resolve("dicom-received/.incoming");
        Poll.until(Duration.ofSeconds(10), "the instance arriving", () -> filesIn(incoming).stream()
                .anyMatch(f -> f.getFileName().toString().startsWith(study.uidRoot() + ".1.1-")));
        sender.abort();

        Poll.until(Duration.ofSeconds(10), "the cut-off instance dropped", () -> filesIn(incoming).stream()
                .noneMatch(f -> f.getFileName().toString().startsWith(study.uidRoot())));
        assertThat(filesIn(DATA_DIR.resolve("dicom-received"))).noneMatch(f -> f.toString().contains(study.uidRoot()));
        // the sender sends it again, whole
        storescu(List.of(DicomStudies.write(files, study, 1, 1, "")));
        assertThat(study(study, 1).getSeriesFirstRep().getInstanceFirstRep().getUid()).isEqualTo(study.uidRoot() + ".1.1");
    }

    /** The study once it has this many instances (batches are written a moment after the last C-STORE). */
    private ImagingStudy study(DicomStudies.Study study, int instances) {
        return Poll.until(Duration.ofSeconds(30), instances + " instances of " + study.uidRoot(), () -> {
            List<ImagingStudy> found = search(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:" + study.uidRoot());
            assertThat(found.size()).isLessThanOrEqualTo(1);
            return found.size() == 1 && found.get(0).getNumberOfInstances() == instances ? found.get(0) : null;
        });
    }

    private static List<Path> filesIn(Path folder) {
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(folder)) {
            return all.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void storescu(List<Path> instances) throws Exception {
        DicomStudies.Result result = DicomStudies.run(storescuCommand(instances));
        assertThat(result.exitCode()).as(result.output()).isZero();
    }

    private static String[] storescuCommand(List<Path> instances) {
        List<String> command = new ArrayList<>(List.of("storescu", "-aec", "FHIRGATEWAY", "-aet", "MODALITY1",
                "localhost", String.valueOf(DICOM_PORT)));
        instances.forEach(f -> command.add(f.toString()));
        return command.toArray(String[]::new);
    }
}
