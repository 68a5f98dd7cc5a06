package io.imaginggateway.dicom;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A DICOM connection's input, refused at the first PDU whose header announces more than the limit: PixelMed reads a
 * whole PDU into memory, so a length a sender made up (up to 4 GiB) would otherwise be an out-of-memory.
 */
final class PduLimitedInputStream extends FilterInputStream {

    private static final int HEADER = 6;

    private final long maxLength;
    private final byte[] header = new byte[HEADER];
    private int headerRead;
    private long remaining;

    PduLimitedInputStream(InputStream in, long maxLength) {
        super(in);
        this.maxLength = maxLength;
    }

    /** A PDU header's length field (bytes 3 to 6, big endian). */
    static long length(byte[] header) {
        return ((header[2] & 0xffL) << 24) | ((header[3] & 0xffL) << 16) | ((header[4] & 0xffL) << 8) | (header[5] & 0xffL);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (remaining > 0) {
            int n = in.read(buffer, offset, (int) Math.min(length, remaining));
            remaining -= Math.max(n, 0);
            return n;
        }
        int n = in.read(buffer, offset, Math.min(length, HEADER - headerRead));
        if (n > 0) {
            System.arraycopy(buffer, offset, header, headerRead, n);
            headerRead += n;
            if (headerRead == HEADER) {
                headerRead = 0;
                remaining = length(header);
                if (remaining > maxLength) {
                    throw new IOException("PDU of " + remaining + " bytes announced, more than the " + maxLength
                            + " this receiver takes");
                }
            }
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        return read(new byte[(int) Math.min(n, 8192)], 0, (int) Math.min(n, 8192));
    }
}
