package io.imaginggateway.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;

/**
 * Who a bearer token is: a static token of the configuration or the local admin token (compared by SHA-256 in
 * constant time), else a JWT of the configured issuer (signature by its JWKS, {@code iss}, {@code exp}, {@code nbf}
 * with a minute's clock skew, and {@code aud} when configured). Anything else is an invalid token (401).
 */
final class BearerTokens implements AuthenticationManager {

    /** A client of a static token. */
    private record Client(String name, byte[] sha256, List<SimpleGrantedAuthority> authorities) { }

    private final List<Client> clients = new ArrayList<>();
    private final JwtAuthenticationProvider jwts;

    BearerTokens(Map<String, SecurityProperties.StaticToken> tokens, String localToken, SecurityProperties.Jwt jwt) {
        tokens.forEach((name, token) -> {
            if ((token.value() == null) == (token.sha256() == null)) {
                throw new IllegalArgumentException("gateway.security.tokens." + name + ": set either value or sha256");
            }
            byte[] hash = token.value() != null ? sha256(token.value()) : HexFormat.of().parseHex(token.sha256().strip());
            clients.add(new Client(name, hash, authorities(token.scopes())));
        });
        if (localToken != null) {
            clients.add(new Client("local-admin", sha256(localToken), authorities(AccessGrant.EVERYTHING)));
        }
        this.jwts = jwt.configured() ? jwtProvider(jwt) : null;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String token = ((BearerTokenAuthenticationToken) authentication).getToken();
        byte[] hash = sha256(token);
        for (Client client : clients) {
            if (MessageDigest.isEqual(client.sha256(), hash)) {
                return new StaticTokenAuthentication(client);
            }
        }
        if (jwts != null && token.chars().filter(c -> c == '.').count() == 2) {
            return jwts.authenticate(authentication);
        }
        throw new InvalidBearerTokenException("The token is not known to this gateway");
    }

    private static JwtAuthenticationProvider jwtProvider(SecurityProperties.Jwt jwt) {
        if (jwt.jwkSetUri().isBlank()) {
            throw new IllegalArgumentException("gateway.security.jwt.jwk-set-uri: needed with gateway.security.jwt.issuer");
        }
        // SMART backend services sign with RS384 or ES384; Spring's default is RS256 alone
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwt.jwkSetUri()).jwsAlgorithms(algorithms -> {
            algorithms.add(SignatureAlgorithm.RS256);
            algorithms.add(SignatureAlgorithm.RS384);
            algorithms.add(SignatureAlgorithm.RS512);
            algorithms.add(SignatureAlgorithm.ES256);
            algorithms.add(SignatureAlgorithm.ES384);
            algorithms.add(SignatureAlgorithm.PS384);
        }).build();
        List<OAuth2TokenValidator<Jwt>> validators = new ArrayList<>();
        validators.add(JwtValidators.createDefaultWithIssuer(jwt.issuer()));
        if (!jwt.audience().isBlank()) {
            validators.add(token -> token.getAudience() != null && token.getAudience().contains(jwt.audience())
                    ? OAuth2TokenValidatorResult.success()
                    : OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token",
                            "The token is not for audience " + jwt.audience(), null)));
        }
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(validators));
        JwtAuthenticationProvider provider = new JwtAuthenticationProvider(decoder);
        JwtGrantedAuthoritiesConverter scopes = new JwtGrantedAuthoritiesConverter();
        // SMART backend services name the client in client_id (RFC 9068), some servers only in azp or sub
        provider.setJwtAuthenticationConverter(token -> new JwtAuthenticationToken(token, scopes.convert(token),
                firstClaim(token, "client_id", "azp", "sub")));
        return provider;
    }

    private static String firstClaim(Jwt token, String... names) {
        for (String name : names) {
            String value = token.getClaimAsString(name);
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return "unnamed-client";
    }

    private static List<SimpleGrantedAuthority> authorities(String scopes) {
        return AccessGrant.parse(scopes).stream()
                .map(scope -> new SimpleGrantedAuthority(AccessGrant.SCOPE_AUTHORITY + scope)).toList();
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An authenticated static token: its client's name and scopes. */
    private static final class StaticTokenAuthentication extends AbstractAuthenticationToken {

        private final String name;

        StaticTokenAuthentication(Client client) {
            super(client.authorities());
            this.name = client.name();
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public Object getPrincipal() {
            return name;
        }
    }
}
