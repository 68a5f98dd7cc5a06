package io.imaginggateway.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import io.imaginggateway.hl7.MllpBadInputIT;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Folder import (REST and the watched inbox), DICOM JSON, and the order link in both arrival orders. */
class DicomImportIT extends GatewayIT {

    @TempDir
    Path files;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aFolderTreeIsImportedItsBadFilesReportedAndNotOneByteOfItChanged() throws Exception {
        DicomStudies.Study a = new DicomStudies.Study("1.2.826.0.1.3680043.9.7001.911", "PAT-I-1", "ACC-I-1", "MR", "KNEE");
        DicomStudies.Study b = new DicomStudies.Study("1.2.826.0.1.3680043.9.7001.912", "PAT-I-2", "ACC-I-2", "CT", "HEAD");
        DicomStudies.write(files.resolve("cd/a"), a, 2, 3);
        List<Path> bFiles = DicomStudies.write(files.resolve("cd/b/deeper"), b, 1, 2);
        Files.writeString(files.resolve("cd/README.txt"), "not DICOM");
        Files.writeString(files.resolve("cd/AUTORUN.INF"), "[autorun]");
        byte[] whole = Files.readAllBytes(bFiles.get(0));
        Files.write(files.resolve("cd/b/truncated.dcm"), Arrays.copyOf(whole, 200));
        // a copy that stopped inside the pixel data: the header is whole, the instance is not
        Files.write(files.resolve("cd/b/cut-in-pixel-data.dcm"), Arrays.copyOf(whole, whole.length - 6));
        // a data set without the Part 10 header, as some archives write them: readable, so imported
        DicomStudies.Study c = new DicomStudies.Study("1.2.826.0.1.3680043.9.7001.915", "PAT-I-3", "ACC-I-3", "CR", "CHEST");
        Path withHeader = DicomStudies.write(files.resolve("tmp"), c, 1, 1).get(0);
        DicomStudies.run("dcmconv", "-F", withHeader.toString(), files.resolve("cd/bare-dataset").toString());
        Map<String, String> before = FolderSnapshot.of(files.resolve("cd"));

        HttpResponse<String> response = post("/dicom/import?path=" + URLEncoder.encode(files.resolve("cd").toString(), StandardCharsets.UTF_8),
                "application/json", "");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.body()).contains("\"instances\":9").contains("\"studies\":3")
                .contains("README.txt").contains("AUTORUN.INF").contains("truncated.dcm")
                .contains("cut-in-pixel-data.dcm\",\"reason\":\"cut short: element (7FE0,0010) needs 16 bytes, the file has 10 left");
        // an import reads: every file is where it was, byte for byte, and nothing was added
        assertThat(FolderSnapshot.of(files.resolve("cd"))).isEqualTo(before);

        // stored before the answer
        ImagingStudy studyA = one(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:" + a.uidRoot());
        assertThat(studyA.getNumberOfSeries()).isEqualTo(2);
        assertThat(studyA.getNumberOfInstances()).isEqualTo(6);
        assertThat(one(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:" + b.uidRoot()).getNumberOfInstances()).isEqualTo(2);
        assertThat(one(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:" + c.uidRoot()).getNumberOfInstances()).isEqualTo(1);

        HttpResponse<String> missing = post("/dicom/import?path=/no/such/folder", "application/json", "");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("OperationOutcome").contains("/no/such/folder");
    }

    @Test
    void onlyFoldersBelowAnImportRootAreRead() throws Exception {
        Map<String, String> etc = FolderSnapshot.names(Path.of("/etc"));
        HttpResponse<String> refused = post("/dicom/import?path=/etc", "application/json", "");
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(refused.body()).contains("OperationOutcome").contains("import root");
        assertThat(FolderSnapshot.names(Path.of("/etc"))).isEqualTo(etc);
        // a way out of a root through '..' is the path it leads to
        HttpResponse<String> escape = post("/dicom/import?path=" + URLEncoder.encode(files + "/../../../etc", StandardCharsets.UTF_8),
                "application/json", "");
        assertThat(escape.statusCode()).isEqualTo(403);
    }

    @Test
    void filesDroppedIntoTheInboxAreStoredThenDeleted() throws Exception {
        DicomStudies.Study study = new DicomStudies.Study("1.2.826.0.1.3680043.9.7001.913", "PAT-I-3", "ACC-I-3", "US", "ABDOMEN");
        List<Path> written = DicomStudies.write(files, study, 1, 3);
        Path inbox = DATA_DIR.resolve("dicom-inbox/drop1");
        Files.createDirectories(inbox);
        for (Path file : written) {
            Files.move(file, inbox.resolve(file.getFileName()));
        }
        ImagingStudy stored = Poll.until(Duration.ofSeconds(30), "the inbox study", () -> {
            List<ImagingStudy> found = search(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:" + study.uidRoot());
            return found.size() == 1 && found.get(0).getNumberOfInstances() == 3 ? found.get(0) : null;
        });
        assertThat(stored.getSeriesFirstRep().getBodySite().getCode()).isEqualTo("113345001");
        Poll.until(Duration.ofSeconds(10), "inbox files deleted", () -> !Files.exists(inbox.resolve(written.get(2).getFileName())));
    }

    @Test
    void dicomJsonInstancesAreStoredAndJunkIsA4xx() throws Exception {
        String instance = """
                {"00080016": {"vr": "UI", "Value": ["1.2.840.10008.5.1.4.1.1.4"]},
                 "00080018": {"vr": "UI", "Value": ["1.2.826.0.1.3680043.9.7001.914.1.%d"]},
                 "00080020": {"vr": "DA", "Value": ["20261124"]},
                 "00080050": {"vr": "SH", "Value": ["ACC-J-1"]},
                 "00080060": {"vr": "CS", "Value": ["MR"]},
                 "00081032": {"vr": "SQ", "Value": [{"00080100": {"vr": "SH", "Value": ["MRKNEE"]},
                                                      "00080102": {"vr": "SH", "Value": ["L"]},
                                                      "00080104": {"vr": "LO", "Value": ["MR Knee"]}}]},
                 "00100010": {"vr": "PN", "Value": [{"Alphabetic": "Doe^John"}]},
                 "00100020": {"vr": "LO", "Value": ["PAT-J-1"]},
                 "0020000D": {"vr": "UI", "Value": ["1.2.826.0.1.3680043.9.7001.914"]},
                 "0020000E": {"vr": "UI", "Value": ["1.2.826.0.1.3680043.9.7001.914.1"]},
                 "00200011": {"vr": "IS", "Value": [3]},
                 "00200013": {"vr": "IS", "Value": [%d]}}""";
        String body = "[" + String.format(instance, 1, 1) + "," + String.format(instance, 2, 2) + "]";
        HttpResponse<String> response = post("/dicom/instances", "application/dicom+json", body);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        ImagingStudy study = one(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:1.2.826.0.1.3680043.9.7001.914");
        assertThat(study.getNumberOfInstances()).isEqualTo(2);
        assertThat(study.getSeriesFirstRep().getNumber()).isEqualTo(3);
        assertThat(study.getProcedureCodeFirstRep().getCodingFirstRep().getCode()).isEqualTo("MRKNEE");
        assertThat(one(Patient.class, "identifier=PAT-J-1").getNameFirstRep().getFamily()).isEqualTo("Doe");

        for (String junk : List.of("{not json", "{}", "[1, 2]")) {
            HttpResponse<String> bad = post("/dicom/instances", "application/dicom+json", junk);
            assertThat(bad.statusCode()).as(junk).isEqualTo(400);
            assertThat(bad.body()).contains("\"resourceType\":\"OperationOutcome\"");
        }
        HttpResponse<String> noUid = post("/dicom/instances", "application/dicom+json",
                "[{\"00100020\": {\"vr\": \"LO\", \"Value\": [\"PAT-J-2\"]}}]");
        assertThat(noUid.statusCode()).isEqualTo(422);
        assertThat(noUid.body()).contains("Study Instance UID");
    }

    @Test
    void theOrderAndTheImagesLinkWhicheverArrivesFirst() throws Exception {
        // order first (it registers the study), then the images
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            sender.send(MllpBadInputIT.order("L1") + "ZDS|1.2.826.0.1.3680043.9.7001.921^^Application^DICOM\r");
        }
        DicomStudies.Study first = new DicomStudies.Study("1.2.826.0.1.3680043.9.7001.921", "PAT-L1", "ACC-L1", "CT", "CHEST");
        importStudy(first, "(0010,0021) LO [HOSP]");
        // images first, then the order
        DicomStudies.Study second = new DicomStudies.Study("1.2.826.0.1.3680043.9.7001.922", "PAT-L2", "ACC-L2", "CT", "CHEST");
        importStudy(second, "(0010,0021) LO [HOSP]");
        assertThat(one(ServiceRequest.class, "identifier=ACC-L2").getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.UNKNOWN);
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            sender.send(MllpBadInputIT.order("L2"));
        }

        for (DicomStudies.Study study : List.of(first, second)) {
            ServiceRequest order = one(ServiceRequest.class, "identifier=" + study.accession());
            assertThat(order.getStatus()).isEqualTo(ServiceRequest.ServiceRequestStatus.ACTIVE);
            ImagingStudy stored = one(ImagingStudy.class, "identifier=urn:dicom:uid|urn:oid:" + study.uidRoot());
            assertThat(stored.getStatus()).isEqualTo(ImagingStudy.ImagingStudyStatus.AVAILABLE);
            assertThat(stored.getNumberOfInstances()).isEqualTo(2);
            assertThat(stored.getBasedOn()).extracting(r -> r.getReference())
                    .containsExactly("ServiceRequest/" + order.getIdElement().getIdPart());
            assertThat(stored.getSubject().getReference()).isEqualTo(order.getSubject().getReference());
        }
    }

    private void importStudy(DicomStudies.Study study, String extra) throws Exception {
        Path folder = files.resolve(study.uidRoot());
        DicomStudies.write(folder, study, 1, 1, extra);
        DicomStudies.write(folder, study, 1, 2, extra);
        HttpResponse<String> response = post("/dicom/import?path=" + folder, "application/json", "");
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        return http.send(TestTokens.request(baseUrl() + path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
