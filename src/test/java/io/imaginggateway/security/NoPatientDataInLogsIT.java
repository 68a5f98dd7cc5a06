package io.imaginggateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.imaginggateway.testsupport.DicomStudies;
import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.GatewayProcess;
import io.imaginggateway.testsupport.MllpClient;
import io.imaginggateway.testsupport.TestTokens;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A whole day's kinds of traffic through a gateway process, with patients whose names, identifiers, birth dates and
 * report text are known: stored, duplicate, refused (AR), failed (AE), held for an identity conflict, DICOM stored and
 * held, HTTP refused and replayed. Its whole log, at the level it runs with (INFO), must hold none of them.
 */
class NoPatientDataInLogsIT {

    private static final List<String> PATIENT_DATA = List.of("Quixotic", "Zebulon", "MRN-NOLOG-4711", "MRN-NOLOG-4712",
            "19450317", "carcinoma-nolog", "Yolanthe", "Marchbanks", "ACC-NOLOG-", "PO-NOLOG-", "FO-NOLOG-");

    @TempDir
    Path dataDir;

    @Test
    void theLogHoldsNoNamesIdentifiersOrReportText() throws Exception {
        int http = GatewayIT.freePort();
        int mllp = GatewayIT.freePort();
        int dicom = GatewayIT.freePort();
        try (GatewayProcess gateway = GatewayProcess.start(dataDir, List.of("--server.port=" + http,
                "--gateway.hl7.mllp-port=" + mllp, "--gateway.dicom.port=" + dicom))) {
            try (MllpClient sender = new MllpClient(mllp)) {
                // stored, then the same again (duplicate)
                assertThat(sender.send(order("CTRL-NOLOG-1", "MRN-NOLOG-4711", "Quixotic^Zebulon", "PO-NOLOG-1")))
                        .contains("MSA|AA|");
                assertThat(sender.send(order("CTRL-NOLOG-1", "MRN-NOLOG-4711", "Quixotic^Zebulon", "PO-NOLOG-1")))
                        .contains("MSA|AA|");
                // the same order number for another patient: held (AE 205)
                assertThat(sender.send(order("CTRL-NOLOG-2", "MRN-NOLOG-4712", "Marchbanks^Yolanthe", "PO-NOLOG-1")))
                        .contains("MSA|AE|");
                // a report with its text
                assertThat(sender.send(report())).contains("MSA|AA|");
                // a birth date that is not a date (AE 102), a type the gateway does not take (AR)
                assertThat(sender.send(order("CTRL-NOLOG-3", "MRN-NOLOG-4711", "Quixotic^Zebulon", "PO-NOLOG-3")
                        .replace("19450317", "19450317-Quixotic"))).contains("MSA|A");
                assertThat(sender.send(order("CTRL-NOLOG-4", "MRN-NOLOG-4711", "Quixotic^Zebulon", "PO-NOLOG-4")
                        .replace("ORM^O01", "ADT^A08"))).contains("MSA|AR|");
                // not HL7 at all, but with a name in it
                assertThat(sender.send("Quixotic Zebulon MRN-NOLOG-4711\r")).contains("MSA|AR|");
            }
            // bytes before the frame's start, then a frame cut off mid-way by a sender that goes quiet and goes away
            // (camel-mllp writes what it dropped into its own log lines, logPhi or not)
            try (java.net.Socket cut = new java.net.Socket("localhost", mllp)) {
                cut.getOutputStream().write(("PID|1||MRN-NOLOG-4711||Quixotic^Zebulon\r\u000b"
                        + order("CTRL-NOLOG-5", "MRN-NOLOG-4711", "Quixotic^Zebulon", "PO-NOLOG-5"))
                        .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                cut.getOutputStream().flush();
                Thread.sleep(7000); // over camel-mllp's read timeout (5 s) within a frame
            }
            // DICOM: the patient's study, then another patient's with the same accession number (held, A778)
            Path files = Files.createTempDirectory("nolog-dicom");
            storescu(dicom, DicomStudies.writeWith("(0010,0010) PN [Quixotic^Zebulon]", files.resolve("a"),
                    new DicomStudies.Study("1.2.826.0.1.3680043.9.7001.1403", "MRN-NOLOG-4711", "ACC-NOLOG-1", "CT",
                            "CHEST"), 1, 2));
            storescu(dicom, DicomStudies.writeWith("(0010,0010) PN [Marchbanks^Yolanthe]", files.resolve("b"),
                    new DicomStudies.Study("1.2.826.0.1.3680043.9.7001.1404", "MRN-NOLOG-4712", "ACC-NOLOG-1", "CT",
                            "CHEST"), 1, 1));
            // HTTP: a search without a token, one with; a replay of every failure
            HttpClient client = HttpClient.newHttpClient();
            client.send(HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + http
                    + "/fhir/Patient?name=Quixotic")).build(), HttpResponse.BodyHandlers.ofString());
            client.send(TestTokens.request("http://localhost:" + http + "/fhir/Patient?identifier=MRN-NOLOG-4711").build(),
                    HttpResponse.BodyHandlers.ofString());
            HttpResponse<String> replay = client.send(TestTokens.request("http://localhost:" + http
                    + "/api/messages/replay").POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(replay.statusCode()).isEqualTo(200);

            List<String> log = gateway.log();
            assertThat(log).anyMatch(line -> line.contains("CTRL-NOLOG-2")); // it did log what happened, by message ID
            for (String known : PATIENT_DATA) {
                assertThat(log).as("log lines with " + known).noneMatch(line -> line.contains(known));
            }
        }
    }

    private static void storescu(int port, List<Path> instances) throws Exception {
        List<String> command = new ArrayList<>(List.of("storescu", "--no-halt", "-aec", "FHIRGATEWAY", "-aet", "NOLOGCT",
                "localhost", String.valueOf(port)));
        instances.forEach(f -> command.add(f.toString()));
        DicomStudies.run(command.toArray(String[]::new));
    }

    private static String order(String controlId, String patientId, String name, String orderNumber) {
        return "MSH|^~\\&|EPIC|GENHOSP|RIS|RADIOLOGY|20261123081500||ORM^O01|" + controlId + "|P|2.3.1\r"
                + "PID|1||" + patientId + "^^^HOSP^MR||" + name + "||19450317|M\r"
                + "ORC|NW|" + orderNumber + "^EPIC||||||||||\r"
                + "OBR|1|" + orderNumber + "^EPIC||71250^CT CHEST^C4||||||||||||||ACC-NOLOG-" + controlId.substring(11)
                + "||||||CT\r";
    }

    private static String report() {
        return "MSH|^~\\&|RIS|RADIOLOGY|EPIC|GENHOSP|20261124163000||ORU^R01|CTRL-NOLOG-R|P|2.3.1\r"
                + "PID|1||MRN-NOLOG-4711^^^HOSP^MR||Quixotic^Zebulon||19450317|M\r"
                + "ORC|RE|PO-NOLOG-1^EPIC|FO-NOLOG-1^RIS||CM\r"
                + "OBR|1|PO-NOLOG-1^EPIC|FO-NOLOG-1^RIS|71250^CT CHEST^C4|||20261124093500||||||||||ACC-NOLOG-1"
                + "|||||20261124162900||CT|F\r"
                + "OBX|1|TX|121070^Findings^DCM||Findings: carcinoma-nolog in the left lung of Quixotic.||||||F\r";
    }
}
