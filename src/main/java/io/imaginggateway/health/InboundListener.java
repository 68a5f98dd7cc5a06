package io.imaginggateway.health;

/**
 * Something the gateway listens on besides HTTP (the MLLP port, the DICOM AE), named in the one log line that says
 * the gateway is ready. Capabilities contribute one bean each.
 */
public interface InboundListener {

    /** For example {@code "MLLP port 2575"}. */
    String describe();
}
