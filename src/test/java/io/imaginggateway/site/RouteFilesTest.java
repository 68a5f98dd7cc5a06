package io.imaginggateway.site;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every route file in camel-routes/, the examples included, is read by Camel's YAML DSL as the gateway reads it at
 * start (a misspelt key or a wrong indentation fails here, not in a hospital), and every MLLP entry route hands its
 * messages to the shared steps.
 */
class RouteFilesTest {

    static Stream<Path> routeFiles() throws Exception {
        try (Stream<Path> files = Files.walk(Path.of("camel-routes"))) {
            return files.filter(f -> f.toString().endsWith(".camel.yaml")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("routeFiles")
    void loads(Path file) throws Exception {
        try (DefaultCamelContext camel = new DefaultCamelContext()) {
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.resolveResource(camel, "file:" + file));
            List<RouteDefinition> routes = camel.getCamelContextExtension().getContextPlugin(ModelCamelContext.class)
                    .getRouteDefinitions();
            for (RouteDefinition route : routes) {
                if (route.getInput().getEndpointUri().startsWith("mllp:")) {
                    assertThat(route.toString()).as(route.getId() + " hands on to the shared HL7 steps")
                            .contains("direct:hl7-message");
                    assertThat(route.getRouteConfigurationId()).as(route.getId()).isEqualTo("hl7-negative-ack");
                }
            }
        }
    }

    @Test
    void theExampleFeedIsAmongTheFilesRead() throws Exception {
        assertThat(routeFiles()).contains(Path.of("camel-routes/examples/hospital-b/mllp.camel.yaml"));
    }
}
