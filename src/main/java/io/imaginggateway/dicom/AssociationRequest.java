package io.imaginggateway.dicom;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The first PDU of a connection, an A-ASSOCIATE-RQ (PS3.8 9.3.2), read before PixelMed sees the connection so that a
 * peer not on its feed's allow-list, or one over the association limit, gets an A-ASSOCIATE-RJ with the reason
 * (PS3.8 9.3.4) and never an association.
 */
final class AssociationRequest {

    private static final int ASSOCIATE_RQ = 0x01;
    private static final int ASSOCIATE_RJ = 0x03;
    private static final int HEADER = 6;
    /** protocol version, reserved, called and calling AE titles, reserved: before the variable items */
    private static final int FIXED_FIELDS = 68;
    private static final int CALLED_AE = HEADER + 4;
    private static final int CALLING_AE = CALLED_AE + 16;

    /** A-ASSOCIATE-RJ result: rejected-permanent, rejected-transient. */
    static final int PERMANENT = 1;
    static final int TRANSIENT = 2;
    /** source service-user, reasons no-reason-given and calling-AE-title-not-recognized */
    static final int SERVICE_USER = 1;
    static final int NO_REASON = 1;
    static final int CALLING_AE_NOT_RECOGNIZED = 3;
    /** source service-provider (presentation related), reason local-limit-exceeded */
    static final int SERVICE_PROVIDER_PRESENTATION = 3;
    static final int LOCAL_LIMIT_EXCEEDED = 2;

    private final byte[] pdu;

    private AssociationRequest(byte[] pdu) {
        this.pdu = pdu;
    }

    /** @param in the connection's input (its PDUs already limited in length) */
    static AssociationRequest read(InputStream in) throws IOException {
        byte[] header = in.readNBytes(HEADER);
        if (header.length < HEADER) {
            throw new EOFException("connection closed before an A-ASSOCIATE-RQ");
        }
        if (header[0] != ASSOCIATE_RQ) {
            throw new IOException("the first PDU is not an A-ASSOCIATE-RQ (PDU type " + (header[0] & 0xff) + ")");
        }
        int length = (int) PduLimitedInputStream.length(header);
        if (length < FIXED_FIELDS) {
            throw new IOException("A-ASSOCIATE-RQ of " + length + " bytes is too short");
        }
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
            throw new EOFException("connection closed within the A-ASSOCIATE-RQ");
        }
        byte[] pdu = new byte[HEADER + length];
        System.arraycopy(header, 0, pdu, 0, HEADER);
        System.arraycopy(body, 0, pdu, HEADER, length);
        return new AssociationRequest(pdu);
    }

    String callingAeTitle() {
        return new String(pdu, CALLING_AE, 16, StandardCharsets.US_ASCII).strip();
    }

    /** The PDU as received, for PixelMed to read. */
    byte[] bytes() {
        return pdu.clone();
    }

    static void reject(OutputStream out, int result, int source, int reason) throws IOException {
        out.write(new byte[] {ASSOCIATE_RJ, 0, 0, 0, 0, 4, 0, (byte) result, (byte) source, (byte) reason});
        out.flush();
    }
}
