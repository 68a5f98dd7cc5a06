package io.imaginggateway.testsupport;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import io.imaginggateway.GatewayApplication;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/** A whole gateway started and stopped by a test, for what one shared test context cannot show (restarts, databases). */
public final class GatewayInstance implements AutoCloseable {

    private final ConfigurableApplicationContext context;

    private GatewayInstance(ConfigurableApplicationContext context) {
        this.context = context;
    }

    /** Starts a gateway on random ports with the given data directory and extra properties. */
    public static GatewayInstance start(Path dataDir, Map<String, Object> properties) {
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("server.port", 0);
        all.put("gateway.hl7.mllp-port", 0);
        all.put("gateway.dicom.port", 0);
        all.put("gateway.data-dir", dataDir.toString());
        all.putAll(TestTokens.properties());
        all.putAll(properties);
        // as command-line arguments: builder "properties" are defaults that application.yaml would override
        String[] args = all.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
        return new GatewayInstance(new SpringApplicationBuilder(GatewayApplication.class).run(args));
    }

    public int httpPort() {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    public IGenericClient fhirClient() {
        FhirContext fhir = FhirContext.forR4Cached();
        fhir.getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
        return TestTokens.withAdmin(fhir.newRestfulGenericClient("http://localhost:" + httpPort() + "/fhir"));
    }

    public <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    /** Stops the gateway without the check below (a gateway whose HTTP is HTTPS, which the check's client is not). */
    public void closeWithoutCheck() {
        context.close();
    }

    /** Stops the gateway, after checking that everything it stored is valid R4 and conforms to the profiles. */
    @Override
    public void close() {
        try {
            StoredResourcesCheck.Findings findings = StoredResourcesCheck.check(fhirClient());
            if (!findings.errors().isEmpty()) {
                throw new AssertionError("The gateway stored invalid resources: " + findings.errors());
            }
        } finally {
            context.close();
        }
    }
}
