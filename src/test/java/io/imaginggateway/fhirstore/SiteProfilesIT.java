package io.imaginggateway.fhirstore;

import static io.imaginggateway.testsupport.MllpClient.segment;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import io.imaginggateway.hl7.MllpBadInputIT;
import io.imaginggateway.testsupport.DicomStudies;
import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.TestTokens;
import io.imaginggateway.testsupport.GatewayInstance;
import io.imaginggateway.testsupport.MllpClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing invalid is stored, whoever writes it: a site that tightens a profile in its {@code gateway.fhir.profiles}
 * folder (here: every Patient needs a birth date) gets AE from the HL7 feed, a failure status from the DICOM receiver
 * and 422 from the FHIR API for what breaks it, each with the validator's reason, and nothing of it stored.
 */
class SiteProfilesIT {

    @TempDir
    Path dataDir;

    @TempDir
    Path files;

    @Test
    void aProfileTheSiteTightenedRefusesWhatBreaksItOnEveryIntakeAndStoresNothingOfIt() throws Exception {
        Path profiles = files.resolve("profiles");
        Files.createDirectories(profiles);
        try (var shipped = Files.list(Path.of("fhir-profiles"))) {
            for (Path profile : shipped.toList()) {
                Files.copy(profile, profiles.resolve(profile.getFileName()));
            }
        }
        // a rule the site adds (at the end of the differential: its elements follow the base resource's order)
        FhirContext fhir = FhirContext.forR4Cached();
        StructureDefinition patientProfile = fhir.newJsonParser().parseResource(StructureDefinition.class,
                Files.readString(profiles.resolve("gateway-patient.json")));
        patientProfile.getDifferential().addElement().setPath("Patient.birthDate").setMin(1).setId("Patient.birthDate");
        Files.writeString(profiles.resolve("gateway-patient.json"), fhir.newJsonParser().encodeResourceToString(patientProfile));
        int mllpPort = GatewayIT.freePort();
        int dicomPort = GatewayIT.freePort();

        try (GatewayInstance gateway = GatewayInstance.start(dataDir, Map.of("gateway.fhir.profiles", profiles,
                "gateway.hl7.mllp-port", mllpPort, "gateway.dicom.port", dicomPort))) {
            // HL7: an order whose patient has no birth date
            try (MllpClient sender = new MllpClient(mllpPort)) {
                String ack = sender.send(MllpBadInputIT.order("SP1").replace("|19700101|", "||"));
                assertThat(segment(ack, "MSA")).startsWith("MSA|AE|CTRL-SP1|");
                assertThat(segment(ack, "ERR")).contains("207").contains("Patient.birthDate")
                        .contains("minimum required = 1");
                // the same order with its birth date is stored
                assertThat(segment(sender.send(MllpBadInputIT.order("SP2")), "MSA")).isEqualTo("MSA|AA|CTRL-SP2");
            }
            assertThat(search(gateway, "Patient?identifier=PAT-SP1")).isEmpty();
            assertThat(search(gateway, "ServiceRequest?identifier=ACC-SP1")).isEmpty();
            assertThat(search(gateway, "ServiceRequest?identifier=ACC-SP2")).hasSize(1);

            // DICOM: the first instance of a study whose patient has no birth date
            DicomStudies.Study study = new DicomStudies.Study("1.2.826.0.1.3680043.9.7001.971", "PAT-SP3", "ACC-SP3",
                    "CT", "CHEST");
            Path instance = DicomStudies.write(files.resolve("dicom"), study, 1, 1).get(0);
            DicomStudies.run("dcmodify", "-nb", "-ea", "(0010,0030)", instance.toString());
            DicomStudies.Result sent = DicomStudies.run("storescu", "--debug", "-aec", "FHIRGATEWAY", "localhost",
                    String.valueOf(dicomPort), instance.toString());
            assertThat(sent.output()).containsPattern("DIMSE Status\\s*: 0xc000")
                    .contains("Patient.birthDate");
            assertThat(search(gateway, "ImagingStudy?identifier=urn:dicom:uid|urn:oid:" + study.uidRoot())).isEmpty();
            assertThat(search(gateway, "Patient?identifier=PAT-SP3")).isEmpty();

            // a FHIR client writing such a patient
            HttpResponse<String> written = HttpClient.newHttpClient().send(
                    TestTokens.request("http://localhost:" + gateway.httpPort() + "/fhir/Patient")
                    .header("Content-Type", "application/fhir+json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"resourceType\": \"Patient\", \"identifier\": "
                            + "[{\"system\": \"urn:oid:1.2.3.4\", \"value\": \"PAT-SP4\"}]}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(written.statusCode()).isEqualTo(422);
            assertThat(written.body()).contains("OperationOutcome").contains("Patient.birthDate");
            assertThat(search(gateway, "Patient?identifier=PAT-SP4")).isEmpty();
        }
    }

    private static List<Bundle.BundleEntryComponent> search(GatewayInstance gateway, String query) {
        return gateway.fhirClient().search().byUrl(query).returnBundle(Bundle.class).execute().getEntry();
    }
}
