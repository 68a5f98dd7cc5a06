package io.imaginggateway.security;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code gateway.security.*}: who may call the HTTP APIs (README: Security).
 *
 * @param localToken   the admin token of a new installation: written at first start, printed once
 * @param tokens       static API tokens by client name, each with its SMART scopes (small sites without an OAuth2 server)
 * @param jwt          an OAuth2 authorisation server whose signed JWTs are accepted
 * @param smart        what {@code /.well-known/smart-configuration} tells clients
 * @param corsOrigins  browser origins allowed to call the APIs; none: CORS off
 * @param maxBodySize  the largest HTTP request body taken (larger: 413)
 */
@ConfigurationProperties("gateway.security")
public record SecurityProperties(
        @DefaultValue LocalToken localToken,
        @DefaultValue Map<String, StaticToken> tokens,
        @DefaultValue Jwt jwt,
        @DefaultValue Smart smart,
        @DefaultValue List<String> corsOrigins,
        @DefaultValue("64MB") DataSize maxBodySize) {

    /**
     * @param enabled whether the gateway keeps an admin token of its own in {@code file}
     * @param file    where it is (created with owner-only permissions when missing)
     */
    public record LocalToken(@DefaultValue("true") boolean enabled,
            @DefaultValue("${gateway.data-dir}/admin-token") Path file) { }

    /**
     * A static token: its SHA-256 (hex, {@code sha256}) or, for tests and trials, the token itself ({@code value}).
     *
     * @param scopes space-separated SMART scopes, e.g. {@code system/ImagingStudy.rs system/Patient.r}
     */
    public record StaticToken(String value, String sha256, @DefaultValue("") String scopes) { }

    /**
     * @param issuer    the {@code iss} every token must carry; empty: JWTs are not accepted
     * @param jwkSetUri the issuer's keys (JWKS)
     * @param audience  when set, a token's {@code aud} must contain it
     */
    public record Jwt(@DefaultValue("") String issuer, @DefaultValue("") String jwkSetUri,
            @DefaultValue("") String audience) {

        boolean configured() {
            return !issuer.isBlank();
        }
    }

    /** @param tokenEndpoint the authorisation server's token endpoint, for SMART backend services clients */
    public record Smart(@DefaultValue("") String tokenEndpoint) { }
}
