package io.imaginggateway.site;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** An IP address literal as an {@link InetAddress}, without a DNS look-up. */
public final class InetAddresses {

    private InetAddresses() {
    }

    /** @throws IllegalArgumentException when the text is not an IP address literal */
    public static InetAddress of(String literal) {
        if (literal == null || literal.isBlank() || !literal.matches("[0-9a-fA-F:.%\\[\\]]+")) {
            throw new IllegalArgumentException("'" + literal + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(literal); // a literal: never resolved
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + literal + "' is not an IP address", e);
        }
    }
}
