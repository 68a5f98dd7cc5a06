package io.imaginggateway.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Resource;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the tests that run the whole gateway: HTTP on a random port, a fresh data directory, and a FHIR client
 * talking to {@code /fhir} over HTTP as any other client would. Subclasses share one running gateway.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
// Spring Boot's tests turn metrics export off; the gateway's /actuator/prometheus is part of what is tested
@AutoConfigureObservability(tracing = false)
public abstract class GatewayIT {

    private static final Set<Integer> GIVEN_PORTS = new HashSet<>();
    protected static final FhirContext FHIR = FhirContext.forR4Cached();
    protected static final Path DATA_DIR = newDataDir();
    protected static final int MLLP_PORT = freePort();
    protected static final int DICOM_PORT = freePort();
    protected static final int MAX_FRAME_BYTES = 4 << 20;

    @LocalServerPort
    protected int httpPort;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry registry) {
        registry.add("gateway.data-dir", DATA_DIR::toString);
        registry.add("gateway.hl7.mllp-port", () -> MLLP_PORT);
        registry.add("gateway.dicom.port", () -> DICOM_PORT);
        // the tests import folders they make under the temporary directory
        registry.add("gateway.dicom.import-roots", () -> System.getProperty("java.io.tmpdir"));
        TestTokens.properties().forEach((key, value) -> registry.add(key, () -> value));
        // a quarter of the default: camel-mllp grows its buffer 8 KiB at a time, so an oversize frame takes long to fill
        registry.add("gateway.hl7.max-frame-bytes", () -> MAX_FRAME_BYTES);
    }

    protected String baseUrl() {
        return "http://localhost:" + httpPort;
    }

    protected IGenericClient fhirClient() {
        FHIR.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        return TestTokens.withAdmin(FHIR.newRestfulGenericClient(baseUrl() + "/fhir"));
    }

    /** The resources a FHIR search {@code Type?query} finds. */
    protected <T extends Resource> List<T> search(Class<T> type, String query) {
        Bundle bundle = fhirClient().search().byUrl(type.getSimpleName() + "?" + query).returnBundle(Bundle.class).execute();
        return bundle.getEntry().stream().map(e -> type.cast(e.getResource())).toList();
    }

    /** The one resource a FHIR search finds; fails when it finds none or more. */
    protected <T extends Resource> T one(Class<T> type, String query) {
        List<T> found = search(type, query);
        assertThat(found).as(type.getSimpleName() + "?" + query).hasSize(1);
        return found.get(0);
    }

    /**
     * A port nothing listens on now and no other test of this run was given (camel-mllp cannot report the port it
     * picked for 0; the system may hand out a port it just freed again).
     */
    public static synchronized int freePort() {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (GIVEN_PORTS.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static Path newDataDir() {
        try {
            return Files.createTempDirectory("gateway-it-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
