package io.imaginggateway.fhirstore;

import static io.imaginggateway.fhirstore.StudyFixture.ACCESSION_SYSTEM;
import static io.imaginggateway.fhirstore.StudyFixture.V2_0203;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.TestTokens;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The FHIR API as a client sees it: capabilities, writes, every ImagingStudy search, includes, history, errors. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FhirApiIT extends GatewayIT {

    private StudyFixture study;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void storeStudy() {
        study = new StudyFixture().store(fhirClient());
    }

    @Test
    void capabilityStatementListsTheImagingResourcesAndTransactions() {
        CapabilityStatement capabilities = fhirClient().capabilities().ofType(CapabilityStatement.class).execute();
        List<String> types = capabilities.getRestFirstRep().getResource().stream()
                .map(CapabilityStatement.CapabilityStatementRestResourceComponent::getType).toList();
        assertThat(types).contains("Patient", "Practitioner", "Encounter", "ServiceRequest", "DiagnosticReport",
                "Observation", "ImagingStudy", "Endpoint");
        assertThat(capabilities.getRestFirstRep().getInteraction())
                .extracting(i -> i.getCode().toCode()).contains("transaction", "history-system");
        List<String> imagingStudyParams = capabilities.getRestFirstRep().getResource().stream()
                .filter(r -> r.getType().equals("ImagingStudy")).findFirst().orElseThrow()
                .getSearchParam().stream().map(CapabilityStatement.CapabilityStatementRestResourceSearchParamComponent::getName)
                .toList();
        assertThat(imagingStudyParams).containsAll(R4_IMAGING_STUDY_PARAMETERS);
    }

    static final List<String> R4_IMAGING_STUDY_PARAMETERS = List.of("basedon", "bodysite", "dicom-class",
            "encounter", "endpoint", "identifier", "instance", "interpreter", "modality", "patient", "performer",
            "reason", "referrer", "series", "started", "status", "subject");

    /** Each parameter once with a value that matches the fixture study and once with one that must not. */
    Stream<Arguments> imagingStudySearches() {
        return Stream.of(
                Arguments.of("basedon", study.orderId, "ServiceRequest/999999"),
                Arguments.of("bodysite", "http://snomed.info/sct|51185008", "http://snomed.info/sct|39607008"),
                Arguments.of("dicom-class", "urn:ietf:rfc:3986|" + StudyFixture.CT_IMAGE_STORAGE, "urn:ietf:rfc:3986|urn:oid:1.2.840.10008.5.1.4.1.1.4"),
                Arguments.of("encounter", study.encounterId, "Encounter/999999"),
                Arguments.of("endpoint", study.endpointId, "Endpoint/999999"),
                Arguments.of("identifier", "urn:dicom:uid|urn:oid:" + study.studyUid, "urn:dicom:uid|urn:oid:1.2.3"),
                Arguments.of("instance", study.instanceUid, "1.2.3.4"),
                Arguments.of("interpreter", study.interpreterId, study.referrerId),
                Arguments.of("modality", StudyFixture.DCM + "|CT", StudyFixture.DCM + "|MR"),
                Arguments.of("patient", study.patientId, "Patient/999999"),
                Arguments.of("performer", study.performerId, study.interpreterId),
                Arguments.of("reason", "http://snomed.info/sct|233604007", "http://snomed.info/sct|22298006"),
                Arguments.of("referrer", study.referrerId, study.performerId),
                Arguments.of("series", study.seriesUid, "1.2.3.4.5"),
                Arguments.of("started", "ge2026-11-21", "lt2026-11-21"),
                Arguments.of("status", "available", "cancelled"),
                Arguments.of("subject", study.patientId, "Patient/999999"));
    }

    @ParameterizedTest(name = "ImagingStudy?{0}")
    @MethodSource("imagingStudySearches")
    void everyR4ImagingStudySearchParameterFindsTheStudyAndOnlyIt(String parameter, String matching, String other) {
        assertThat(idsOf(search("ImagingStudy", parameter, matching)))
                .as("%s=%s", parameter, matching).contains(study.studyId);
        assertThat(idsOf(search("ImagingStudy", parameter, other)))
                .as("%s=%s", parameter, other).doesNotContain(study.studyId);
    }

    @Test
    void accessionNumberIsSearchableByIdentifierOfType() {
        String ofType = V2_0203 + "|ACSN|" + study.accession;
        assertThat(idsOf(search("ImagingStudy", "identifier:of-type", ofType))).containsExactly(study.studyId);
        assertThat(idsOf(search("ServiceRequest", "identifier:of-type", ofType))).containsExactly(study.orderId);
        assertThat(idsOf(search("ImagingStudy", "identifier:of-type", V2_0203 + "|PLAC|" + study.accession))).isEmpty();
    }

    /** As curl and many FHIR clients send it: the '|' not percent-encoded (Java's HTTP client would refuse it). */
    @Test
    void tokenSearchWithUnencodedPipeWorksOverPlainHttp() throws Exception {
        String target = "/fhir/ImagingStudy?identifier=" + ACCESSION_SYSTEM + "|" + study.accession;
        try (Socket socket = new Socket("localhost", httpPort)) {
            socket.getOutputStream().write(("GET " + target + " HTTP/1.0\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + TestTokens.ADMIN + "\r\n"
                    + "Accept: application/fhir+json\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(response).startsWith("HTTP/1.1 200");  // Tomcat answers 1.0 requests with a 1.1 status line, unchunked
            String body = response.substring(response.indexOf("{"), response.lastIndexOf("}") + 1);
            assertThat(idsOf(FHIR.newJsonParser().parseResource(Bundle.class, body))).containsExactly(study.studyId);
        }
    }

    @Test
    void includeAndRevincludeBringTheLinkedResources() {
        Bundle bundle = fhirClient().search().byUrl("ImagingStudy?_id=" + study.studyId.replace("ImagingStudy/", "")
                        + "&_include=ImagingStudy:patient&_include=ImagingStudy:basedon&_include=ImagingStudy:endpoint")
                .returnBundle(Bundle.class).execute();
        assertThat(idsOf(bundle)).containsExactlyInAnyOrder(study.studyId, study.patientId, study.orderId, study.endpointId);

        Bundle orders = fhirClient().search().byUrl("ServiceRequest?_id=" + study.orderId.replace("ServiceRequest/", "")
                + "&_revinclude=ImagingStudy:basedon").returnBundle(Bundle.class).execute();
        assertThat(idsOf(orders)).containsExactlyInAnyOrder(study.orderId, study.studyId);
    }

    @Test
    void conditionalWritesConvergeAndHistoryKeepsEachVersion() {
        IGenericClient client = fhirClient();
        String url = "ServiceRequest?identifier=" + ACCESSION_SYSTEM + "|" + study.accession + "-cond";
        ServiceRequest order = new ServiceRequest().setStatus(ServiceRequest.ServiceRequestStatus.ACTIVE)
                .setIntent(ServiceRequest.ServiceRequestIntent.ORDER).setSubject(new org.hl7.fhir.r4.model.Reference(study.patientId));
        order.addIdentifier().setSystem(ACCESSION_SYSTEM).setValue(study.accession + "-cond").getType().addCoding()
                .setSystem("http://terminology.hl7.org/CodeSystem/v2-0203").setCode("ACSN");

        String id = client.update().resource(order).conditionalByUrl(url).execute().getId().toUnqualifiedVersionless().getValue();
        // the same content again: no new version
        client.update().resource(order).conditionalByUrl(url).execute();
        order.setStatus(ServiceRequest.ServiceRequestStatus.REVOKED);
        client.update().resource(order).conditionalByUrl(url).execute();

        Bundle history = client.history().onInstance(id).returnBundle(Bundle.class).execute();
        assertThat(history.getEntry()).extracting(e -> ((ServiceRequest) e.getResource()).getStatus())
                .containsExactly(ServiceRequest.ServiceRequestStatus.REVOKED, ServiceRequest.ServiceRequestStatus.ACTIVE);
        assertThat(idsOf(search("ServiceRequest", "identifier", ACCESSION_SYSTEM + "|" + study.accession + "-cond")))
                .containsExactly(id);

        Patient patient = new Patient();
        patient.addIdentifier().setSystem("urn:oid:1.2.826.0.1.3680043.10.543.1").setValue(study.mrn);
        String createdOrFound = client.create().resource(patient)
                .conditionalByUrl("Patient?identifier=urn:oid:1.2.826.0.1.3680043.10.543.1|" + study.mrn)
                .execute().getId().toUnqualifiedVersionless().getValue();
        assertThat(createdOrFound).as("conditional create finds the existing patient").isEqualTo(study.patientId);
    }

    @Test
    void readReturnsWhatWasStored() {
        ImagingStudy stored = fhirClient().read().resource(ImagingStudy.class).withId(study.studyId).execute();
        assertThat(stored.getSeriesFirstRep().getUid()).isEqualTo(study.seriesUid);
        assertThat(stored.getSubject().getReference()).isEqualTo(study.patientId);
    }

    Stream<Arguments> badRequests() {
        return Stream.of(
                Arguments.of("POST", "/fhir/Patient", "{\"resourceType\": \"Patient\", ", 400),
                Arguments.of("POST", "/fhir/Patient", "{\"resourceType\": \"Observation\", \"status\": \"final\"}", 400),
                Arguments.of("GET", "/fhir/Patient/does-not-exist", null, 404),
                Arguments.of("GET", "/fhir/NoSuchType?name=x", null, 404),
                Arguments.of("GET", "/fhir/ImagingStudy?no-such-parameter=1", null, 400),
                Arguments.of("GET", "/fhir/ImagingStudy?started=not-a-date", null, 400),
                Arguments.of("POST", "/fhir", "{\"resourceType\": \"Bundle\", \"type\": \"transaction\", \"entry\": ["
                        + "{\"resource\": {\"resourceType\": \"ImagingStudy\", \"status\": \"available\", "
                        + "\"subject\": {\"reference\": \"Patient/999999\"}}, \"request\": {\"method\": \"POST\", \"url\": \"ImagingStudy\"}}]}", 422),
                // not valid R4 (obs-6: a value and a reason it is absent; qty-3: a unit code without a system)
                Arguments.of("POST", "/fhir/Observation", "{\"resourceType\": \"Observation\", \"status\": \"final\", "
                        + "\"code\": {\"text\": \"x\"}, \"valueQuantity\": {\"value\": 1, \"code\": \"mm\"}, "
                        + "\"dataAbsentReason\": {\"text\": \"unknown\"}}", 422));
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @MethodSource("badRequests")
    void badRequestsGetA4xxWithAnOperationOutcome(String method, String path, String body, int status) throws Exception {
        HttpRequest.Builder request = TestTokens.request(baseUrl() + path)
                .header("Accept", "application/fhir+json");
        if (body != null) {
            request.header("Content-Type", "application/fhir+json").method(method, HttpRequest.BodyPublishers.ofString(body));
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        OperationOutcome outcome = FHIR.newJsonParser().parseResource(OperationOutcome.class, response.body());
        assertThat(outcome.getIssueFirstRep().getSeverity()).isIn(OperationOutcome.IssueSeverity.ERROR, OperationOutcome.IssueSeverity.FATAL);
        assertThat(outcome.getIssueFirstRep().getDiagnostics()).isNotBlank();
    }

    /** One page big enough for every study the other tests of the shared gateway store. */
    private Bundle search(String type, String parameter, String value) {
        return fhirClient().search().byUrl(type + "?" + parameter + "=" + java.net.URLEncoder.encode(value, StandardCharsets.UTF_8)
                + "&_count=1000").returnBundle(Bundle.class).execute();
    }

    private static List<String> idsOf(Bundle bundle) {
        return bundle.getEntry().stream()
                .map(e -> e.getResource().getIdElement().toUnqualifiedVersionless().getValue()).toList();
    }
}
