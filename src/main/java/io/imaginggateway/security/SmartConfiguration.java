package io.imaginggateway.security;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /.well-known/smart-configuration} (SMART App Launch 2.0): how a backend client gets a token, and which
 * scopes and capabilities the gateway understands. Without a configured authorisation server, the static tokens are
 * the only way in, and the document says so by naming no token endpoint.
 */
@RestController
class SmartConfiguration {

    private final SecurityProperties properties;

    SmartConfiguration(SecurityProperties properties) {
        this.properties = properties;
    }

    @GetMapping(path = "/.well-known/smart-configuration", produces = "application/json")
    Map<String, Object> configuration() {
        Map<String, Object> document = new LinkedHashMap<>();
        if (properties.jwt().configured()) {
            document.put("issuer", properties.jwt().issuer());
            document.put("jwks_uri", properties.jwt().jwkSetUri());
        }
        if (!properties.smart().tokenEndpoint().isBlank()) {
            document.put("token_endpoint", properties.smart().tokenEndpoint());
            document.put("grant_types_supported", List.of("client_credentials"));
            document.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
            document.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
        }
        document.put("scopes_supported", List.of("system/*.cruds", "system/*.rs", "system/ImagingStudy.rs",
                "system/DiagnosticReport.rs", "system/ServiceRequest.rs", "system/Patient.rs", AccessGrant.ADMIN,
                AccessGrant.METRICS));
        document.put("capabilities", List.of("client-confidential-asymmetric", "permission-v2", "permission-v1"));
        return document;
    }
}
