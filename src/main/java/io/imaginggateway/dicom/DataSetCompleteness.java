package io.imaginggateway.dicom;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Set;

/**
 * Whether a DICOM file holds its whole data set: every element's value is as long as its length says, and every
 * sequence, item and encapsulated pixel data of undefined length is closed by its delimiter. A file cut short (a
 * copy that stopped, a transfer cut off) is otherwise read without complaint up to Pixel Data, which the header reader
 * never reads. Walks the element headers only: values are skipped, not read, so a 500 MB instance costs about what its
 * header costs. Deflated data sets cannot be walked without inflating them and are not checked.
 */
final class DataSetCompleteness {

    private static final int ITEM = 0xFFFEE000;
    private static final int ITEM_END = 0xFFFEE00D;
    private static final int SEQUENCE_END = 0xFFFEE0DD;
    private static final long UNDEFINED = 0xFFFFFFFFL;
    /** Explicit VRs with a 4-byte length (after 2 reserved bytes); the others have a 2-byte length. */
    private static final Set<String> LONG_VRS = Set.of("OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR",
            "UT", "UV");
    /** Enough for most headers in one read; a larger header is read on in steps of this size. */
    private static final int BUFFER = 8 * 1024;

    /** Where the file was cut: the element and what is missing. */
    static final class CutShort extends IOException {
        CutShort(String reason) {
            super(reason);
        }
    }

    private final FileChannel channel;
    private final long size;
    private final boolean explicit;
    private final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
    private long bufferStart;
    private long position;

    private DataSetCompleteness(FileChannel channel, long start, boolean explicit, boolean bigEndian) throws IOException {
        this.channel = channel;
        this.size = channel.size();
        this.explicit = explicit;
        this.position = start;
        this.bufferStart = start;
        buffer.order(bigEndian ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN).limit(0);
    }

    /**
     * Checks the data set in the file open on {@code channel} (read at positions: the channel's own position is not
     * moved) after the Part 10 meta information (group 0002, explicit VR little endian, after the
     * preamble and "DICM"), or the whole file when it is a bare data set.
     *
     * @throws CutShort when the file ends before the data set does
     */
    static void check(FileChannel channel, boolean explicit, boolean bigEndian) throws IOException {
        new DataSetCompleteness(channel, dataSetStart(channel), explicit, bigEndian).elements(channel.size(), false);
    }

    /** Where the data set begins: after the meta information when the file has the Part 10 preamble, else 0. */
    private static long dataSetStart(FileChannel channel) throws IOException {
        ByteBuffer magic = ByteBuffer.allocate(4);
        if (channel.size() < 132 || channel.read(magic, 128) < 4 || !"DICM".equals(new String(magic.array(),
                java.nio.charset.StandardCharsets.US_ASCII))) {
            return 0;
        }
        DataSetCompleteness meta = new DataSetCompleteness(channel, 132, true, false);
        while (meta.position + 8 <= meta.size) {
            long element = meta.position;
            if (meta.tag() >>> 16 != 0x0002) {
                return element;
            }
            String vr = meta.vr();
            meta.value(0x0002_0000, LONG_VRS.contains(vr) ? meta.longLength(vr) : meta.uint16());
        }
        return meta.position;
    }

    /** The elements up to {@code end}, or (in an item of undefined length) up to the item's delimiter. */
    private void elements(long end, boolean untilItemEnd) throws IOException {
        while (untilItemEnd || position < end) {
            if (!untilItemEnd && end - position < 8) {
                return; // padding too short for an element: no value can be missing
            }
            int tag = tag();
            if (tag == ITEM_END && untilItemEnd) {
                skip(4);
                return;
            }
            String vr = explicit && (tag >>> 16) != 0xFFFE ? vr() : null;
            long length = vr != null && !LONG_VRS.contains(vr) ? uint16() : longLength(vr);
            if (length == UNDEFINED) {
                items(tag, vr);
            } else {
                value(tag, length);
            }
        }
    }

    /** A sequence's items, or encapsulated pixel data's fragments, up to the sequence delimiter. */
    private void items(int owner, String vr) throws IOException {
        boolean fragments = owner == 0x7FE00010 || "OB".equals(vr);
        while (true) {
            int tag = tag();
            long length = uint32();
            if (tag == SEQUENCE_END) {
                return;
            }
            if (tag != ITEM) {
                throw new CutShort("element " + name(owner) + " holds " + name(tag) + " where an item belongs");
            }
            if (length == UNDEFINED && !fragments) {
                elements(-1, true);
            } else {
                value(owner, length);
            }
        }
    }

    private long longLength(String vr) throws IOException {
        if (vr != null) {
            skip(2);
        }
        return uint32();
    }

    private void value(int tag, long length) throws IOException {
        if (position + length > size) {
            throw new CutShort("cut short: element " + name(tag) + " needs " + length + " bytes, the file has "
                    + Math.max(0, size - position) + " left");
        }
        skip(length);
    }

    private int tag() throws IOException {
        int group = uint16();
        return group << 16 | uint16();
    }

    private String vr() throws IOException {
        fill(2);
        byte[] vr = new byte[2];
        buffer.get(vr);
        position += 2;
        return new String(vr, java.nio.charset.StandardCharsets.US_ASCII);
    }

    private int uint16() throws IOException {
        fill(2);
        position += 2;
        return buffer.getShort() & 0xFFFF;
    }

    private long uint32() throws IOException {
        fill(4);
        position += 4;
        return buffer.getInt() & 0xFFFFFFFFL;
    }

    private void skip(long bytes) throws IOException {
        position += bytes;
        if (position <= bufferStart + buffer.limit()) {
            buffer.position((int) (position - bufferStart));
        } else {
            bufferStart = position;
            buffer.limit(0);
        }
    }

    /** At least {@code bytes} buffered at {@code position}; the file ending first is a cut. */
    private void fill(int bytes) throws IOException {
        if (buffer.remaining() >= bytes) {
            return;
        }
        buffer.clear();
        bufferStart = position;
        while (buffer.position() < bytes) {
            if (channel.read(buffer, bufferStart + buffer.position()) < 0) {
                throw new CutShort("cut short: the file ends inside an element header or an item of undefined length"
                        + " at byte " + position);
            }
        }
        buffer.flip();
    }

    private static String name(int tag) {
        return String.format("(%04X,%04X)", tag >>> 16, tag & 0xFFFF);
    }
}
