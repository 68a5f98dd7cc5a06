package io.imaginggateway.hl7;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the bytes of an MLLP frame into message text with CR segment separators.
 *
 * <p>The character set is MSH-18's first repetition (HL7 table 0211, plus the spellings real senders use: Java
 * names, DICOM's ISO_IR terms); when MSH-18 is empty or unknown, the configured default. The default {@code auto}
 * reads UTF-8 when the bytes are valid UTF-8 and ISO-8859-1 otherwise — many senders leave MSH-18 empty whatever they
 * send. A byte-order mark wins over everything. Segments may end in CR, LF or CRLF.
 */
public final class Hl7Decoder {

    private static final Map<String, Charset> TABLE_0211 = Map.ofEntries(
            Map.entry("ASCII", StandardCharsets.US_ASCII), Map.entry("ISO IR6", StandardCharsets.US_ASCII),
            Map.entry("8859/1", StandardCharsets.ISO_8859_1), Map.entry("ISO IR100", StandardCharsets.ISO_8859_1),
            Map.entry("UNICODE", StandardCharsets.UTF_8), Map.entry("UNICODE UTF-8", StandardCharsets.UTF_8),
            Map.entry("ISO IR192", StandardCharsets.UTF_8), Map.entry("UNICODE UTF-16", StandardCharsets.UTF_16),
            Map.entry("UNICODE UTF-32", Charset.forName("UTF-32")));
    private static final Map<String, String> OTHER_0211 = Map.of(
            "GB 18030-2000", "GB18030", "KS X 1001", "EUC-KR", "CNS 11643-1992", "x-EUC-TW", "BIG-5", "Big5",
            "ISO IR87", "ISO-2022-JP", "ISO IR159", "ISO-2022-JP", "ISO IR14", "JIS_X0201");

    private final Charset defaultCharset;

    /** @param defaultCharset a Java charset name, or {@code auto} */
    public Hl7Decoder(String defaultCharset) {
        this.defaultCharset = "auto".equalsIgnoreCase(defaultCharset) ? null : Charset.forName(defaultCharset);
    }

    /** Message text (CR-separated segments) and the charset it was read with (acknowledgements are written in it). */
    public record Decoded(String text, Charset charset) {}

    public Decoded decode(byte[] frame) {
        Charset charset = byteOrderMark(frame);
        int skip = 0;
        if (charset == StandardCharsets.UTF_8) {
            skip = 3;
        }
        if (charset == null) {
            charset = charsetOf(msh18(frame));
        }
        if (charset == null) {
            charset = defaultCharset != null ? defaultCharset : (isUtf8(frame) ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        }
        String text = new String(frame, skip, frame.length - skip, charset);
        return new Decoded(normaliseSegments(text), charset);
    }

    /** The charset an MSH-18 value names; null when empty or unknown. */
    public static Charset charsetOf(String msh18) {
        if (msh18 == null || msh18.isBlank()) {
            return null;
        }
        String name = msh18.trim().toUpperCase(Locale.ROOT).replace('_', ' ');
        Charset known = TABLE_0211.get(name);
        if (known == null && name.startsWith("8859/")) {
            name = "ISO-8859-" + name.substring(5);
        } else if (known == null && name.startsWith("ISO IR")) {
            known = switch (name.replace(" ", "")) {
                case "ISOIR100" -> StandardCharsets.ISO_8859_1;
                case "ISOIR192" -> StandardCharsets.UTF_8;
                default -> null;
            };
        }
        if (known != null) {
            return known;
        }
        try {
            return Charset.forName(OTHER_0211.getOrDefault(name, name.replace(' ', '-')));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** MSH-18's first repetition, read from the raw bytes (MSH itself is ASCII in every 0211 charset but UTF-16/32). */
    static String msh18(byte[] frame) {
        String head = new String(frame, 0, Math.min(frame.length, 2048), StandardCharsets.ISO_8859_1);
        MshHeader msh = MshHeader.read(normaliseSegments(head));
        return msh == null ? null : msh.primaryCharacterSet();
    }

    static String normaliseSegments(String text) {
        return text.stripLeading().replace("\r\n", "\r").replace('\n', '\r');
    }

    private static Charset byteOrderMark(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xEF && (b[1] & 0xFF) == 0xBB && (b[2] & 0xFF) == 0xBF) {
            return StandardCharsets.UTF_8;
        }
        if (b.length >= 2 && ((b[0] & 0xFF) == 0xFE && (b[1] & 0xFF) == 0xFF || (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xFE)) {
            return StandardCharsets.UTF_16;
        }
        return null;
    }

    private static boolean isUtf8(byte[] frame) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(frame));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
