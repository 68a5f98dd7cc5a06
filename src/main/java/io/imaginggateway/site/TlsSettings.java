package io.imaginggateway.site;

import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * TLS on a listening port (MLLP per feed, the DICOM receiver; HTTPS is Spring Boot's own {@code server.ssl.bundle}).
 *
 * @param bundle     a Spring Boot SSL bundle ({@code spring.ssl.bundle.pem.<name>} or {@code .jks.<name>}): the
 *                   port's key and certificate, and the trust store its client certificates are checked against;
 *                   empty: no TLS
 * @param clientAuth whether peers must show a certificate the bundle trusts: {@code none}, {@code want}, {@code need}
 */
public record TlsSettings(@DefaultValue("") String bundle, @DefaultValue("none") ClientAuth clientAuth) {

    /** Whether a TLS port asks its peers for a certificate. */
    public enum ClientAuth { NONE, WANT, NEED }

    public boolean enabled() {
        return !bundle.isBlank();
    }
}
