package io.imaginggateway.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;

/**
 * An OAuth2 authorisation server as far as a resource server sees one: its keys at a JWKS URL (a real HTTP server on
 * loopback) and the JWTs it signs. The tests' gateways accept its tokens ({@link #properties()}).
 */
public final class TestIssuer {

    public static final String ISSUER = "https://auth.hospital.test/realms/imaging";
    private static final RSAKey KEY = newKey("test-key");
    /** a key the issuer does not publish: what it signs must be refused */
    private static final RSAKey FOREIGN_KEY = newKey("test-key");
    private static final String JWKS_URI = startJwksServer();

    private TestIssuer() {
    }

    public static Map<String, Object> properties() {
        return Map.of("gateway.security.jwt.issuer", ISSUER, "gateway.security.jwt.jwk-set-uri", JWKS_URI,
                "gateway.security.jwt.audience", "imaging-gateway");
    }

    /** A token for a backend client with these scopes, valid for five minutes. */
    public static String token(String clientId, String scopes) {
        return sign(KEY, ISSUER, clientId, scopes, Instant.now().plus(Duration.ofMinutes(5)));
    }

    public static String expiredToken(String clientId, String scopes) {
        return sign(KEY, ISSUER, clientId, scopes, Instant.now().minus(Duration.ofMinutes(10)));
    }

    public static String tokenOfIssuer(String issuer, String clientId, String scopes) {
        return sign(KEY, issuer, clientId, scopes, Instant.now().plus(Duration.ofMinutes(5)));
    }

    public static String tokenOfForeignKey(String clientId, String scopes) {
        return sign(FOREIGN_KEY, ISSUER, clientId, scopes, Instant.now().plus(Duration.ofMinutes(5)));
    }

    private static String sign(RSAKey key, String issuer, String clientId, String scopes, Instant expires) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject(clientId).claim("client_id", clientId)
                .audience("imaging-gateway").claim("scope", scopes).issueTime(Date.from(expires.minus(Duration.ofMinutes(5))))
                .expirationTime(Date.from(expires)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS384).keyID(key.getKeyID()).build(), claims);
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    private static RSAKey newKey(String id) {
        try {
            return new RSAKeyGenerator(2048).keyID(id).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String startJwksServer() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            byte[] jwks = new JWKSet(KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks", exchange -> {
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, jwks.length);
                exchange.getResponseBody().write(jwks);
                exchange.close();
            });
            server.setExecutor(null);
            server.start();
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
