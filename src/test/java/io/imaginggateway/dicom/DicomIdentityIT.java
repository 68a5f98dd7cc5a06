package io.imaginggateway.dicom;

import static io.imaginggateway.testsupport.MllpClient.segment;
import static org.assertj.core.api.Assertions.assertThat;

import io.imaginggateway.testsupport.DicomStudies;
import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.TestTokens;
import io.imaginggateway.testsupport.MllpClient;
import io.imaginggateway.testsupport.Poll;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Images never move a study or an order to another patient: storescu and folder import against what an HL7 report
 * registered, checked with the statuses storescu prints and with a FHIR client.
 */
class DicomIdentityIT extends GatewayIT {

    private static final String ISSUER = "(0010,0021) LO [HOSP]";

    @TempDir
    Path files;

    @Test
    void imagesOfAnotherPatientCarryingARegisteredStudyUidOrItsAccessionNumberMoveNothing() throws Exception {
        String studyUid = "1.2.826.0.1.3680043.9.7001.951";
        report("DI1", "PAT-DI1-A", "ACC-DI1", studyUid);
        ImagingStudy registered = one(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:" + studyUid);
        ServiceRequest order = one(ServiceRequest.class, "identifier=ACC-DI1");

        // the study's UID, another patient
        DicomStudies.Study sameUid = new DicomStudies.Study(studyUid, "PAT-DI1-B", "ACC-DI1-B", "CT", "CHEST");
        List<String> statuses = storescu(DicomStudies.writeWith(ISSUER, files.resolve("uid"), sameUid, 1, 2));
        assertThat(statuses).containsExactly("0xa778", "0xa778");
        // a study of its own, but the order's accession number, another patient
        DicomStudies.Study sameAccession = new DicomStudies.Study(studyUid + ".9", "PAT-DI1-B", "ACC-DI1", "CT", "CHEST");
        assertThat(storescu(DicomStudies.writeWith(ISSUER, files.resolve("acsn"), sameAccession, 1, 1))).containsExactly("0xa778");

        ImagingStudy after = one(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:" + studyUid);
        assertThat(after.getMeta().getVersionId()).isEqualTo(registered.getMeta().getVersionId());
        assertThat(after.getStatus()).isEqualTo(ImagingStudy.ImagingStudyStatus.REGISTERED);
        assertThat(after.getSubject().getReference()).isEqualTo(order.getSubject().getReference());
        assertThat(search(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:" + studyUid + ".9")).isEmpty();
        assertThat(search(Patient.class, "identifier=PAT-DI1-B")).isEmpty();
        assertThat(search(ServiceRequest.class, "identifier=ACC-DI1-B")).isEmpty();
        assertThat(one(ServiceRequest.class, "identifier=ACC-DI1").getMeta().getVersionId()).isEqualTo(order.getMeta().getVersionId());
        assertThat(conflicts()).contains("\"intake\":\"dicom\"").contains("belongs to a study of another patient")
                .contains("belongs to an order of another patient");
        assertThat(held()).as("held for an operator").hasSize(3);

        // the right patient's images complete the registered study; their header's name does not replace the feed's
        DicomStudies.Study right = new DicomStudies.Study(studyUid, "PAT-DI1-A", "ACC-DI1", "CT", "CHEST");
        assertThat(storescu(DicomStudies.writeWith(ISSUER, files.resolve("right"), right, 1, 2))).containsOnly("0x0000");
        ImagingStudy completed = Poll.until(Duration.ofSeconds(30), "the study's images", () -> {
            ImagingStudy found = one(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:" + studyUid);
            return found.getNumberOfInstances() == 2 ? found : null;
        });
        assertThat(completed.getSubject().getReference()).isEqualTo(order.getSubject().getReference());
        Patient patient = one(Patient.class, "identifier=PAT-DI1-A");
        assertThat(patient.getNameFirstRep().getFamily()).as("HL7's name, not the header's Doe").isEqualTo("Roe");
        assertThat(patient.getBirthDateElement().getValueAsString()).isEqualTo("1955-03-02");
        assertThat(patient.getMeta().getVersionId()).isEqualTo("1");
    }

    @Test
    void instancesOfOneStudyNamingTwoPatientsAreAConflict() throws Exception {
        DicomStudies.Study first = new DicomStudies.Study("1.2.826.0.1.3680043.9.7001.952", "PAT-DI2-C", "ACC-DI2", "MR", "KNEE");
        DicomStudies.Study second = new DicomStudies.Study(first.uidRoot(), "PAT-DI2-D", "ACC-DI2", "MR", "KNEE");
        List<Path> both = new ArrayList<>(DicomStudies.writeWith(ISSUER, files.resolve("c"), first, 1, 1));
        both.add(DicomStudies.write(files.resolve("d"), second, 1, 2, ISSUER));
        assertThat(storescu(both)).containsExactly("0x0000", "0xa778");

        ImagingStudy study = Poll.until(Duration.ofSeconds(30), "the first patient's study", () -> {
            List<ImagingStudy> found = search(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:" + first.uidRoot());
            return found.size() == 1 ? found.get(0) : null;
        });
        assertThat(study.getNumberOfInstances()).isEqualTo(1);
        assertThat(study.getSubject().getReference())
                .isEqualTo("Patient/" + one(Patient.class, "identifier=PAT-DI2-C").getIdElement().getIdPart());
        assertThat(search(Patient.class, "identifier=PAT-DI2-D")).isEmpty();
    }

    @Test
    void anImportOfAnotherPatientsImagesOfAStoredStudyReportsTheConflictAndStoresNothingOfThem() throws Exception {
        String studyUid = "1.2.826.0.1.3680043.9.7001.953";
        report("DI3", "PAT-DI3-A", "ACC-DI3", studyUid);
        DicomStudies.Study other = new DicomStudies.Study(studyUid, "PAT-DI3-B", "ACC-DI3-B", "CT", "CHEST");
        Path folder = files.resolve("import");
        DicomStudies.writeWith(ISSUER, folder, other, 1, 2);

        HttpResponse<String> response = HttpClient.newHttpClient().send(TestTokens.request(baseUrl()
                        + "/dicom/import?path=" + URLEncoder.encode(folder.toString(), StandardCharsets.UTF_8))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"instances\":0").contains("identity conflict")
                .contains("(0020,000D) Study Instance UID " + studyUid + " belongs to a study of another patient");
        assertThat(one(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:" + studyUid).getStatus())
                .isEqualTo(ImagingStudy.ImagingStudyStatus.REGISTERED);
        assertThat(Files.list(folder).count()).as("an import never moves a file").isEqualTo(2);
    }

    // --- helpers -------------------------------------------------------------------------------------------------

    /** A final report registering the study, for a patient named Roe. */
    private void report(String id, String patientId, String accession, String studyUid) throws Exception {
        String message = "MSH|^~\\&|RIS|RADIOLOGY|EHR|HOSP|20261124090000||ORU^R01|" + id + "|P|2.5.1\r"
                + "PID|1||" + patientId + "^^^HOSP^MR||Roe^Richard||19550302|M\r"
                + "ORC|RE|PO-" + id + "^EHR|F-" + id + "^RIS||CM\r"
                + "OBR|1|PO-" + id + "^EHR|F-" + id + "^RIS|71250^CT CHEST^C4|||20261124080000|||||||||||" + accession
                + "||||20261124090000||CT|F\r"
                + "OBX|1|HD|113014^DICOM Study^DCM||" + studyUid + "||||||F\r"
                + "OBX|2|TX|GDT^Report text^L||Normal study.||||||F\r";
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            assertThat(segment(sender.send(message), "MSA")).startsWith("MSA|AA|");
        }
    }

    /** Sends the files on one association and returns each C-STORE's status as storescu reports it. */
    private List<String> storescu(List<Path> instances) throws Exception {
        List<String> command = new ArrayList<>(List.of("storescu", "--no-halt", "--debug", "-aec", "FHIRGATEWAY",
                "localhost", String.valueOf(DICOM_PORT)));
        instances.forEach(f -> command.add(f.toString()));
        DicomStudies.Result sent = DicomStudies.run(command.toArray(String[]::new));
        return sent.output().lines().filter(l -> l.contains("DIMSE Status"))
                .map(l -> l.replaceAll(".*: (0x[0-9a-f]{4}).*", "$1")).toList();
    }

    private String conflicts() throws Exception {
        return HttpClient.newHttpClient().send(TestTokens.request(baseUrl() + "/api/conflicts").build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private List<Path> held() throws Exception {
        Path held = DATA_DIR.resolve("dicom-held");
        if (!Files.isDirectory(held)) {
            return List.of();
        }
        try (Stream<Path> all = Files.walk(held)) {
            return all.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().startsWith("1.2.826.0.1.3680043.9.7001.951"))
                    .toList();
        }
    }
}
