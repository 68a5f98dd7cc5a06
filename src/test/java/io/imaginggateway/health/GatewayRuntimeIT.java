package io.imaginggateway.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.TestTokens;
import io.imaginggateway.testsupport.Poll;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.apache.camel.CamelContext;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** What an operator checks: health and readiness, the routes from camel-routes/, and a route doing its job. */
class GatewayRuntimeIT extends GatewayIT {

    private final HttpClient http = HttpClient.newHttpClient();

    @Autowired
    CamelContext camel;

    @Test
    void healthIsUpWithDatabaseAndRoutes() throws Exception {
        JsonNode health = getJson("/actuator/health");
        assertThat(health.path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("db").path("status").asText()).isEqualTo("UP");
        assertThat(health.path("components").path("camelHealth").path("status").asText()).isEqualTo("UP");
        assertThat(getJson("/actuator/health/readiness").path("status").asText()).isEqualTo("UP");
    }

    @Test
    void routesAreLoadedFromTheCamelRoutesFolder() {
        assertThat(camel.getRoute("fhir-bundle-inbox")).as("route from camel-routes/fhir-bundle-inbox.camel.yaml").isNotNull();
        assertThat(camel.getRoute("fhir-bundle-inbox").getSourceLocation()).contains("camel-routes/fhir-bundle-inbox.camel.yaml");
        assertThat(camel.getRouteController().getRouteStatus("fhir-bundle-inbox").isStarted()).isTrue();
        assertThat(camel.getRoute("hl7-mllp-intake").getSourceLocation()).contains("camel-routes/hl7-mllp-intake.camel.yaml");
        assertThat(camel.getRouteController().getRouteStatus("hl7-mllp-intake").isStarted()).isTrue();
    }

    @Test
    void theReadyLineNamesTheMllpPort(@Autowired java.util.List<InboundListener> listeners) {
        assertThat(listeners).extracting(InboundListener::describe).contains("HL7 MLLP hl7-mllp-intake :" + MLLP_PORT,
                "DICOM FHIRGATEWAY :" + DICOM_PORT);
    }

    @Test
    void bundleDroppedIntoTheInboxIsStoredAndABadOneIsMovedAside() throws Exception {
        Path inbox = DATA_DIR.resolve("fhir-inbox");
        Files.createDirectories(inbox);
        Files.writeString(inbox.resolve("not-a-bundle.json"), "{\"resourceType\": \"Patient\"");
        Files.copy(Path.of("samples/fhir/ct-chest-study.json"), inbox.resolve("ct-chest-study.json"));

        String byAccession = "ImagingStudy?identifier:of-type=http://terminology.hl7.org/CodeSystem/v2-0203%7CACSN%7CACC-2026-0042";
        Bundle found = Poll.until(Duration.ofSeconds(30), "the sample study to be stored", () -> {
            Bundle bundle = fhirClient().search().byUrl(byAccession).returnBundle(Bundle.class).execute();
            return bundle.getEntry().isEmpty() ? null : bundle;
        });
        assertThat(found.getEntry()).hasSize(1);
        Poll.until(Duration.ofSeconds(30), "the bad file in .failed",
                () -> Files.exists(inbox.resolve(".failed/not-a-bundle.json")));
        assertThat(inbox.resolve(".done/ct-chest-study.json")).exists();
    }

    private JsonNode getJson(String path) throws Exception {
        HttpResponse<String> response = http.send(TestTokens.request(baseUrl() + path).build(),
                HttpResponse.BodyHandlers.ofString());
        return new ObjectMapper().readTree(response.body());
    }
}
