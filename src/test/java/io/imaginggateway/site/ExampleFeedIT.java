package io.imaginggateway.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.imaginggateway.mapping.MappingRules;
import io.imaginggateway.testsupport.DicomStudies;
import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.TestTokens;
import io.imaginggateway.testsupport.GatewayInstance;
import io.imaginggateway.testsupport.MllpClient;
import io.imaginggateway.testsupport.Poll;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The example second hospital feed ({@code camel-routes/examples/hospital-b}), installed as the README says — copied to
 * {@code feeds/hospital-b/} of a routes folder — beside feed default: both take messages at once on their own ports,
 * each with its own authorities, zone, versions, field rules and ConceptMaps; a changed ConceptMap is used after a
 * restart, not before.
 */
class ExampleFeedIT {

    private static final String HOSPITAL_B_MRN = "http://st-bartholomew.example.org/fhir/NamingSystem/mrn";
    private static final String DEFAULT_MRN = "http://imaginggateway.io/fhir/NamingSystem/local-patient-id";

    @TempDir
    Path temp;

    @Test
    void theSecondHospitalsFeedRunsBesideTheFirstWithItsOwnRules() throws Exception {
        Path routes = installExampleFeed();
        Path data = temp.resolve("data");
        int defaultPort = GatewayIT.freePort();
        int feedPort = GatewayIT.freePort();
        int dicomPort = GatewayIT.freePort();
        Map<String, Object> settings = Map.of("gateway.routes.dir", routes, "gateway.hl7.mllp-port", defaultPort,
                "gateway.feeds.hospital-b.mllp-port", feedPort, "gateway.dicom.port", dicomPort);
        try (GatewayInstance gateway = GatewayInstance.start(data, settings)) {
            IGenericClient fhir = gateway.fhirClient();

            // the same MRN value, without assigning authority, from each hospital
            assertThat(send(defaultPort, order("GENHOSP", "2.5.1", "MRN-4711", "ORD-1", "20261201093000", "R", "")))
                    .contains("MSA|AA");
            assertThat(send(feedPort, order("STBART", "2.3.1", "MRN-4711", "ORD-1", "20261201093000", "1",
                    "\rZPI|1|INS-778899\r"))).contains("MSA|AA");

            // the same message, byte for byte, sent to both feeds is two messages: each feed stores it with its rules
            String same = order("SHARED", "2.3.1", "MRN-5555", "ORD-55", "20261201093000", "R", "");
            assertThat(send(defaultPort, same)).contains("MSA|AA");
            assertThat(send(feedPort, same)).contains("MSA|AA");
            assertThat(search(fhir, "Patient?identifier=" + HOSPITAL_B_MRN + "|MRN-5555", Patient.class)).hasSize(1);
            assertThat(search(fhir, "Patient?identifier=" + DEFAULT_MRN + "|MRN-5555", Patient.class)).hasSize(1);

            List<Patient> patients = search(fhir, "Patient?identifier=MRN-4711", Patient.class);
            assertThat(patients).as("one Patient per hospital").hasSize(2);
            Patient b = patients.stream().filter(p -> hasIdentifier(p, HOSPITAL_B_MRN, "MRN-4711")).findFirst().orElseThrow();
            Patient a = patients.stream().filter(p -> hasIdentifier(p, DEFAULT_MRN, "MRN-4711")).findFirst().orElseThrow();
            assertThat(a.getMeta().getTag(MappingRules.FEED_TAG_SYSTEM, "default")).isNotNull();
            assertThat(b.getMeta().getTag(MappingRules.FEED_TAG_SYSTEM, "hospital-b")).isNotNull();
            // the Z-segment rule: ZPI-2 is the insurance card number, type MB
            Identifier card = b.getIdentifier().stream()
                    .filter(i -> "http://st-bartholomew.example.org/fhir/NamingSystem/insurance-card".equals(i.getSystem()))
                    .findFirst().orElseThrow();
            assertThat(card.getValue()).isEqualTo("INS-778899");
            assertThat(card.getType().getCodingFirstRep().getCode()).isEqualTo("MB");

            ServiceRequest orderA = one(fhir, "ServiceRequest?subject=Patient/" + a.getIdPart(), ServiceRequest.class);
            ServiceRequest orderB = one(fhir, "ServiceRequest?subject=Patient/" + b.getIdPart(), ServiceRequest.class);
            // each feed's local times carry its own zone: UTC (gateway.site) and America/New_York (the feed's)
            assertThat(orderA.getAuthoredOnElement().getValueAsString()).isEqualTo("2026-12-01T09:30:00Z");
            assertThat(orderB.getAuthoredOnElement().getValueAsString()).isEqualTo("2026-12-01T09:30:00-05:00");
            // the feed's own ConceptMap replaces the built-in priority map: its RIS sends 1 for stat
            assertThat(orderB.getPriority()).isEqualTo(ServiceRequest.ServiceRequestPriority.STAT);
            assertThat(orderA.getPriority()).isEqualTo(ServiceRequest.ServiceRequestPriority.ROUTINE);
            // ZOR-1 through the feed's ConceptMap, ZOR-2 as a note; the order's own accession system
            assertThat(orderB.getOrderDetailFirstRep().getCodingFirstRep().getCode()).isEqualTo("wheelchair");
            assertThat(orderB.getNoteFirstRep().getText()).isEqualTo("Patient is claustrophobic");
            assertThat(orderB.getIdentifier()).anyMatch(i -> "http://st-bartholomew.example.org/fhir/NamingSystem/accession"
                    .equals(i.getSystem()) && "ACC-ORD-1".equals(i.getValue()));
            assertThat(orderA.getOrderDetail()).isEmpty();

            // the feed accepts only its versions and message types
            assertThat(send(feedPort, order("STBART", "2.5.1", "MRN-4711", "ORD-2", "20261201100000", "1", "")))
                    .contains("MSA|AR").contains("not accepted on feed hospital-b");
            assertThat(send(feedPort, order("STBART", "2.3.1", "MRN-4711", "ORD-3", "20261201100000", "1", "")
                    .replace("ORM^O01", "OMI^O23"))).contains("MSA|AR").contains("not handled on feed hospital-b");
            // the feed route's own step: a copy of each frame in a folder
            Poll.until(Duration.ofSeconds(10), "four copies in received/hospital-b",
                    () -> fileCount(data.resolve("received/hospital-b")) == 4 ? true : null);
            // and its other step: the hospital's test patients are answered AR and not stored
            assertThat(send(feedPort, order("STBART", "2.3.1", "MRN-0000", "ORD-6", "20261201100000", "3", "")
                    .replace("Lee^Ann", "ZZTEST^Patient"))).contains("MSA|AR").contains("test patient, not stored");
            assertThat(search(fhir, "Patient?identifier=MRN-0000", Patient.class)).isEmpty();

            // images from the hospital's PACS (its calling AE title) are mapped with its rules: its MRN system
            Path images = temp.resolve("images");
            DicomStudies.write(images, new DicomStudies.Study("1.2.826.0.1.3680043.9.7002.77", "MRN-9001", "ACC-9001",
                    "CT", "CHEST"), 1, 1);
            DicomStudies.Result sent = DicomStudies.run("storescu", "-aet", "STBART_PACS", "-aec", "FHIRGATEWAY",
                    "localhost", String.valueOf(dicomPort), "+sd", images.toString());
            assertThat(sent.exitCode()).as(sent.output()).isZero();
            ImagingStudy study = Poll.until(Duration.ofSeconds(20), "the PACS study",
                    () -> search(fhir, "ImagingStudy?subject:Patient.identifier=" + HOSPITAL_B_MRN + "|MRN-9001",
                            ImagingStudy.class).stream().findFirst().orElse(null));
            assertThat(study.getMeta().getTag(MappingRules.FEED_TAG_SYSTEM, "hospital-b")).isNotNull();
            // and files dropped into its own DICOM inbox too
            DicomStudies.write(data.resolve("dicom-inbox-hospital-b"), new DicomStudies.Study("1.2.826.0.1.3680043.9.7002.78",
                    "MRN-9002", "ACC-9002", "MR", "HEAD"), 1, 1);
            Poll.until(Duration.ofSeconds(20), "the study dropped into the feed's inbox",
                    () -> search(fhir, "ImagingStudy?subject:Patient.identifier=" + HOSPITAL_B_MRN + "|MRN-9002",
                            ImagingStudy.class).stream().findFirst().orElse(null));
            // and a folder imported for the feed
            Path imported = data.resolve("import-b");
            DicomStudies.write(imported, new DicomStudies.Study("1.2.826.0.1.3680043.9.7002.79", "MRN-9003", "ACC-9003",
                    "CT", "HEAD"), 1, 1);
            HttpResponse<String> report = HttpClient.newHttpClient().send(TestTokens.request(
                    "http://localhost:" + gateway.httpPort() + "/dicom/import?feed=hospital-b&path="
                            + URLEncoder.encode(imported.toString(), StandardCharsets.UTF_8))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(report.statusCode()).as(report.body()).isEqualTo(200);
            assertThat(search(fhir, "ImagingStudy?subject:Patient.identifier=" + HOSPITAL_B_MRN + "|MRN-9003",
                    ImagingStudy.class)).hasSize(1);
            HttpResponse<String> unknownFeed = HttpClient.newHttpClient().send(TestTokens.request(
                    "http://localhost:" + gateway.httpPort() + "/dicom/instances?feed=hospital-c")
                    .header("Content-Type", "application/dicom+json").POST(HttpRequest.BodyPublishers.ofString("[{}]")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(unknownFeed.statusCode()).isEqualTo(400);
            assertThat(unknownFeed.body()).contains("No feed 'hospital-c' is declared");

            // a ConceptMap changed while the gateway runs is not used until it restarts
            Path transport = routes.resolve("feeds/hospital-b/conceptmaps/hospital-b-transport-mode.json");
            Files.writeString(transport, Files.readString(transport).replace("\"wheelchair\"", "\"wheelchair-assisted\""));
            assertThat(send(feedPort, order("STBART", "2.3.1", "MRN-4711", "ORD-4", "20261201110000", "3", ""))).contains("MSA|AA");
            assertThat(orderDetail(fhir, "ORD-4")).isEqualTo("wheelchair");
        }
        try (GatewayInstance gateway = GatewayInstance.start(data, settings)) {
            assertThat(send(feedPort, order("STBART", "2.3.1", "MRN-4711", "ORD-5", "20261201120000", "3", ""))).contains("MSA|AA");
            assertThat(orderDetail(gateway.fhirClient(), "ORD-5")).isEqualTo("wheelchair-assisted");
        }
    }

    @Test
    void aFeedWhosePortNoRouteListensOnStopsTheStart() {
        int port = GatewayIT.freePort();
        assertThatThrownBy(() -> GatewayInstance.start(temp.resolve("data"), Map.of("gateway.feeds.clinic.mllp-port", port)))
                .hasStackTraceContaining("gateway.feeds.clinic.mllp-port " + port + ": no route listens on it");
    }

    /** As the README's step 1: the routes folder of a site, with the example copied to feeds/hospital-b/. */
    private Path installExampleFeed() throws IOException {
        Path routes = temp.resolve("camel-routes");
        copyTree(Path.of("camel-routes"), routes, false);
        copyTree(Path.of("camel-routes/examples/hospital-b"), routes.resolve("feeds/hospital-b"), true);
        return routes;
    }

    private static void copyTree(Path from, Path to, boolean recursive) throws IOException {
        try (Stream<Path> files = recursive ? Files.walk(from) : Files.list(from)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                Files.createDirectories(target.getParent());
                Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** An order without assigning authorities, times without offset; {@code priority}: ORC-7.6. */
    private static String order(String facility, String version, String mrn, String placer, String time, String priority,
            String afterPid) {
        String zor = facility.equals("STBART") ? "\rZOR|W|Patient is claustrophobic" : "";
        return "MSH|^~\\&|RIS|" + facility + "|GW|GW|" + time + "||ORM^O01|" + facility + "-" + placer + "|P|" + version
                + "\rPID|1||" + mrn + "^^^^MR||Lee^Ann||19700101|F" + afterPid.replace("\r\r", "\r").stripTrailing()
                + "\rORC|NW|" + placer + "|||SC||^^^" + time + "^^" + priority + "||" + time
                + "\rOBR|1|" + placer + "||71250^CT CHEST^C4|||" + time + "|||||||||||ACC-" + placer + "|||||CT"
                + zor;
    }

    private static long fileCount(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(Files::isRegularFile).count();
        } catch (IOException e) {
            return 0;
        }
    }

    private static String send(int port, String message) throws IOException {
        try (MllpClient client = new MllpClient(port)) {
            return client.send(message);
        }
    }

    private static String orderDetail(IGenericClient fhir, String placer) {
        ServiceRequest order = one(fhir, "ServiceRequest?identifier=" + placer, ServiceRequest.class);
        return order.getOrderDetailFirstRep().getCodingFirstRep().getCode();
    }

    private static boolean hasIdentifier(Patient patient, String system, String value) {
        return patient.getIdentifier().stream().anyMatch(i -> system.equals(i.getSystem()) && value.equals(i.getValue()));
    }

    private static <T extends org.hl7.fhir.r4.model.Resource> T one(IGenericClient fhir, String query, Class<T> type) {
        List<T> found = search(fhir, query, type);
        assertThat(found).as(query).hasSize(1);
        return found.get(0);
    }

    private static <T extends org.hl7.fhir.r4.model.Resource> List<T> search(IGenericClient fhir, String query, Class<T> type) {
        Bundle bundle = fhir.search().byUrl(query).returnBundle(Bundle.class).execute();
        return bundle.getEntry().stream().map(Bundle.BundleEntryComponent::getResource).filter(type::isInstance)
                .map(type::cast).toList();
    }
}
