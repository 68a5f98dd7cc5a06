package io.imaginggateway.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Certificates made for one test run by openssl (never committed): the gateway's (CN=localhost, for localhost and
 * 127.0.0.1) and a client's (CN=test-modality), each self-signed, each trusting the other.
 */
public final class TestCertificates {

    public static final String BUNDLE = "gateway-tls";
    private static final String PASSWORD = "changeit";

    private final Path folder;

    private TestCertificates(Path folder) {
        this.folder = folder;
    }

    public static TestCertificates create() {
        try {
            Path folder = Files.createTempDirectory("gateway-tls-");
            openssl(folder, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1", "-keyout", "server.key", "-out", "server.pem");
            openssl(folder, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=test-modality",
                    "-keyout", "client.key", "-out", "client.pem");
            openssl(folder, "pkcs12", "-export", "-in", "client.pem", "-inkey", "client.key", "-out", "client.p12",
                    "-passout", "pass:" + PASSWORD);
            return new TestCertificates(folder);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A Spring Boot PEM SSL bundle named {@link #BUNDLE}: the gateway's key, trusting the client's certificate. */
    public Map<String, Object> bundleProperties() {
        Map<String, Object> properties = new HashMap<>();
        String prefix = "spring.ssl.bundle.pem." + BUNDLE + ".";
        properties.put(prefix + "keystore.certificate", "file:" + file("server.pem"));
        properties.put(prefix + "keystore.private-key", "file:" + file("server.key"));
        properties.put(prefix + "truststore.certificate", "file:" + file("client.pem"));
        return properties;
    }

    public Path file(String name) {
        return folder.resolve(name);
    }

    /** A client's TLS context: trusts the gateway; with the client certificate when {@code withCertificate}. */
    public SSLContext clientContext(boolean withCertificate) {
        try (InputStream pem = Files.newInputStream(file("server.pem"))) {
            KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
            trusted.load(null, null);
            trusted.setCertificateEntry("gateway", CertificateFactory.getInstance("X.509").generateCertificate(pem));
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            KeyManagerFactory keys = null;
            if (withCertificate) {
                KeyStore client = KeyStore.getInstance("PKCS12");
                try (InputStream p12 = Files.newInputStream(file("client.p12"))) {
                    client.load(p12, PASSWORD.toCharArray());
                }
                keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                keys.init(client, PASSWORD.toCharArray());
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys == null ? null : keys.getKeyManagers(), trust.getTrustManagers(), null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void openssl(Path folder, String... arguments) throws IOException {
        String[] command = new String[arguments.length + 1];
        command[0] = "openssl";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        Process process = new ProcessBuilder(command).directory(folder.toFile()).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes());
            if (process.waitFor() != 0) {
                throw new IOException("openssl " + String.join(" ", arguments) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }
}
