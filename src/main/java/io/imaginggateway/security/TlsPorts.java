package io.imaginggateway.security;

import io.imaginggateway.site.TlsSettings;
import java.io.IOException;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.apache.camel.support.jsse.ClientAuthentication;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SSLContextServerParameters;
import org.apache.camel.support.jsse.SecureSocketProtocolsParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.stereotype.Component;

/**
 * TLS for the gateway's own listening ports, from Spring Boot SSL bundles: TLS 1.3 and 1.2 only (BCP 195), with the
 * JDK's default cipher suites, and client certificates as configured.
 */
@Component
public class TlsPorts {

    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};

    private final SslBundles bundles;

    TlsPorts(SslBundles bundles) {
        this.bundles = bundles;
    }

    /** A listening TLS socket (the DICOM receiver's: PixelMed's own TLS offers only TLS 1.0). */
    public SSLServerSocket serverSocket(TlsSettings tls, int port) throws IOException {
        SSLContext context = bundle(tls).createSslContext();
        SSLServerSocket socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(port);
        socket.setEnabledProtocols(Arrays.stream(PROTOCOLS)
                .filter(Arrays.asList(socket.getSupportedProtocols())::contains).toArray(String[]::new));
        switch (tls.clientAuth()) {
            case NEED -> socket.setNeedClientAuth(true);
            case WANT -> socket.setWantClientAuth(true);
            case NONE -> { }
        }
        return socket;
    }

    /** The same for camel-mllp, which takes Camel's JSSE parameters. */
    public SSLContextParameters camelParameters(TlsSettings tls) {
        SslBundle bundle = bundle(tls);
        SSLContextParameters parameters = new SSLContextParameters();
        KeyStoreParameters keyStore = new KeyStoreParameters();
        keyStore.setKeyStore(bundle.getStores().getKeyStore());
        KeyManagersParameters keys = new KeyManagersParameters();
        keys.setKeyStore(keyStore);
        String keyPassword = bundle.getKey().getPassword();
        keys.setKeyPassword(keyPassword == null ? "" : keyPassword);
        parameters.setKeyManagers(keys);
        if (bundle.getStores().getTrustStore() != null) {
            KeyStoreParameters trustStore = new KeyStoreParameters();
            trustStore.setKeyStore(bundle.getStores().getTrustStore());
            TrustManagersParameters trust = new TrustManagersParameters();
            trust.setKeyStore(trustStore);
            parameters.setTrustManagers(trust);
        }
        SecureSocketProtocolsParameters protocols = new SecureSocketProtocolsParameters();
        protocols.setSecureSocketProtocol(Arrays.asList(PROTOCOLS));
        parameters.setSecureSocketProtocols(protocols);
        SSLContextServerParameters server = new SSLContextServerParameters();
        server.setClientAuthentication(switch (tls.clientAuth()) {
            case NEED -> ClientAuthentication.REQUIRE.name();
            case WANT -> ClientAuthentication.WANT.name();
            case NONE -> ClientAuthentication.NONE.name();
        });
        parameters.setServerParameters(server);
        return parameters;
    }

    private SslBundle bundle(TlsSettings tls) {
        return bundles.getBundle(tls.bundle());
    }
}
