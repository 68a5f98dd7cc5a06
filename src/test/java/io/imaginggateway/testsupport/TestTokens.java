package io.imaginggateway.testsupport;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The static API tokens the tests' gateways are configured with ({@link #properties()}): an admin that may do
 * everything, and narrower ones for the security tests.
 */
public final class TestTokens {

    public static final String ADMIN = "test-admin-0123456789abcdef";
    /** may search and read ImagingStudy, nothing else */
    public static final String IMAGING_READER = "test-imaging-reader-0123456789";

    private TestTokens() {
    }

    /** The gateway properties that declare the tokens, and the test issuer whose JWTs it accepts. */
    public static Map<String, Object> properties() {
        Map<String, Object> properties = new HashMap<>(TestIssuer.properties());
        properties.putAll(Map.of(
                "gateway.security.tokens.test-admin.value", ADMIN,
                "gateway.security.tokens.test-admin.scopes", "system/*.cruds gateway/admin gateway/metrics",
                "gateway.security.tokens.imaging-reader.value", IMAGING_READER,
                "gateway.security.tokens.imaging-reader.scopes", "system/ImagingStudy.rs"));
        return properties;
    }

    /** The same as command-line arguments. */
    public static List<String> arguments() {
        return properties().entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toList();
    }

    /** A request with the admin token. */
    public static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + ADMIN);
    }

    /** A FHIR client with the admin token. */
    public static IGenericClient withAdmin(IGenericClient client) {
        client.registerInterceptor(new BearerTokenAuthInterceptor(ADMIN));
        return client;
    }
}
