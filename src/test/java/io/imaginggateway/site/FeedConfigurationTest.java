package io.imaginggateway.site;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;

/**
 * What a site writes in its feed files, read as the gateway reads them at start: the feed's site section overrides
 * gateway.site, and each kind of mistake stops the start with a message naming the file and the key.
 */
class FeedConfigurationTest {

    private static final FhirContext FHIR = FhirContext.forR4Cached();

    @TempDir
    Path dir;

    private Map<String, Object> environmentVariables = Map.of();

    @Test
    void aFeedsSiteSectionOverridesTheSiteKeyByKeyAndItsMapsAddToTheSites() throws IOException {
        Feeds feeds = feeds("""
                gateway:
                  site:
                    time-zone: Europe/Berlin
                    identifier-systems: {HOSP: "urn:oid:1.2.3"}
                  feeds:
                    clinic:
                      mllp-port: 2590
                      site:
                        time-zone: America/Chicago
                        identifier-systems: {CLINIC: "urn:oid:1.2.4"}
                        hl7-versions: ["2.3"]
                """);
        Feed clinic = feeds.get("clinic");
        assertThat(clinic.mllpPort()).isEqualTo(2590);
        assertThat(clinic.rules().timeZone()).isEqualTo(ZoneId.of("America/Chicago"));
        assertThat(clinic.rules().identifierSystems()).containsEntry("CLINIC", "urn:oid:1.2.4").containsEntry("HOSP", "urn:oid:1.2.3");
        assertThat(clinic.hl7Versions()).containsExactly("2.3");
        assertThat(clinic.rules().accessionSystem()).isEqualTo(feeds.defaultFeed().rules().accessionSystem());
        assertThat(feeds.defaultFeed().rules().timeZone()).isEqualTo(ZoneId.of("Europe/Berlin"));
        assertThat(feeds.defaultFeed().hl7Versions()).contains("2.5.1", "2.8.1");
        assertThat(feeds.defaultFeed().rules().fieldRules()).as("the default rule set: ZDS-1").hasSize(1);
    }

    @Test
    void anEnvironmentVariableOverridesAValueOfAFeedTheFilesDeclare() throws IOException {
        environmentVariables = Map.of("GATEWAY_FEEDS_CLINIC_MLLPPORT", "2599",
                "GATEWAY_FEEDS_CLINIC_SITE_TIMEZONE", "America/Denver");
        Feeds feeds = feeds("""
                gateway:
                  feeds:
                    clinic:
                      mllp-port: 2590
                """);
        assertThat(feeds.get("clinic").mllpPort()).isEqualTo(2599);
        assertThat(feeds.get("clinic").rules().timeZone()).isEqualTo(ZoneId.of("America/Denver"));
        assertThat(feeds.all()).extracting(Feed::id).containsExactlyInAnyOrder("default", "clinic");
    }

    @Test
    void anUnknownKeyNamesTheFileAndTheKey() {
        assertThatThrownBy(() -> feeds("""
                gateway:
                  feeds:
                    clinic:
                      site:
                        time-zon: America/Chicago
                """)).isInstanceOf(InvalidConfiguration.class)
                .hasMessageContaining("gateway.feeds.clinic.site.time-zon").hasMessageContaining("feed.yaml")
                .hasMessageContaining("unknown key 'time-zon'");
    }

    @Test
    void aValueThatIsNotOfItsKindNamesTheFileAndTheKey() {
        assertThatThrownBy(() -> feeds("""
                gateway:
                  feeds:
                    clinic:
                      site:
                        time-zone: Mars/Olympus
                """)).isInstanceOf(InvalidConfiguration.class)
                .hasMessageContaining("site.time-zone").hasMessageContaining("feed.yaml").hasMessageContaining("Mars/Olympus");
    }

    @Test
    void aRulePathThatCannotExistNamesTheRuleFileAndTheRule() throws IOException {
        Path rules = Files.writeString(dir.resolve("clinic-rules.yaml"), """
                rules:
                  - from: ZDS-1
                    to: study-instance-uid
                  - from: OBR-99
                    to: ServiceRequest.note
                """);
        assertThatThrownBy(() -> feeds("""
                gateway:
                  feeds:
                    clinic:
                      site:
                        field-rules: %s
                """.formatted(rules))).isInstanceOf(InvalidConfiguration.class)
                .hasMessageContaining("clinic-rules.yaml: rule 2").hasMessageContaining("OBR-99")
                .hasMessageContaining("OBR has 50 fields");
    }

    @Test
    void aRuleTargetThatIsNotAnElementOfItsResourceIsRefused() throws IOException {
        Path rules = Files.writeString(dir.resolve("rules.yaml"), """
                rules:
                  - from: ZPI-1
                    to: Patient.orderDetail
                """);
        assertThatThrownBy(() -> feeds("gateway:\n  site:\n    field-rules: " + rules + "\n"))
                .isInstanceOf(InvalidConfiguration.class).hasMessageContaining("rules.yaml: rule 1")
                .hasMessageContaining("Patient has no CodeableConcept element 'orderDetail'");
    }

    @Test
    void aConceptMapThatDoesNotParseNamesItsFile() throws IOException {
        Path maps = Files.createDirectories(dir.resolve("maps"));
        Files.writeString(maps.resolve("v2-sex-to-administrative-gender.json"), "{\"resourceType\": \"ConceptMap\", \"id\": ");
        assertThatThrownBy(() -> feeds("""
                gateway:
                  feeds:
                    clinic:
                      site:
                        concept-maps: %s
                """.formatted(maps))).isInstanceOf(InvalidConfiguration.class)
                .hasMessageContaining("gateway.feeds.clinic.site.concept-maps")
                .hasMessageContaining("v2-sex-to-administrative-gender.json");
    }

    @Test
    void aPortUsedTwiceNamesBothKeys() {
        assertThatThrownBy(() -> feeds("""
                gateway:
                  dicom:
                    port: 2591
                  feeds:
                    clinic:
                      mllp-port: 2591
                """)).isInstanceOf(InvalidConfiguration.class)
                .hasMessageContaining("gateway.feeds.clinic.mllp-port: port 2591 is already gateway.dicom.port");
    }

    @Test
    void aMessageTypeTheGatewayDoesNotMapIsRefused() {
        assertThatThrownBy(() -> feeds("""
                gateway:
                  feeds:
                    clinic:
                      site:
                        message-types: ["ORU^R01", "ADT^A01"]
                """)).isInstanceOf(InvalidConfiguration.class)
                .hasMessageContaining("gateway.feeds.clinic.site.message-types: 'ADT^A01'");
    }

    /** The feeds of application.yaml's defaults plus this feed file, as the gateway builds them at start. */
    private Feeds feeds(String feedYaml) throws IOException {
        Path file = Files.writeString(dir.resolve("feed.yaml"), feedYaml);
        StandardEnvironment environment = new StandardEnvironment();
        YamlPropertySourceLoader loader = new YamlPropertySourceLoader();
        loader.load("feed", new FileSystemResource(file)).forEach(environment.getPropertySources()::addLast);
        loader.load("defaults", new FileSystemResource("src/main/resources/application.yaml"))
                .forEach(environment.getPropertySources()::addLast);
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, environmentVariables));
        environment.getPropertySources().addFirst(new org.springframework.core.env.MapPropertySource("test",
                Map.of("gateway.routes.dir", "camel-routes", "gateway.data-dir", dir.toString())));
        SiteProperties site = Binder.get(environment).bindOrCreate("gateway.site", SiteProperties.class);
        return new FeedConfiguration().feeds(environment, site, FHIR, 2575);
    }
}
