package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.Composite;
import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Attachment;

/**
 * The report as a document, to a DiagnosticReport.presentedForm attachment:
 * <ul>
 *   <li>an ED OBX value ({@code source^type of data^data subtype^encoding^data}): ED-4 (table 0299) decides how the
 *       data is read — Base64, Hex, or A (the characters as they are: a CDA document, HTML, RTF sent as text, kept as
 *       text with its content type and UTF-8). When ED-4 is empty, data that is valid base64 is read as base64, other
 *       data as text, with a warning. ED-3, else ED-2, gives the content type. An ED without data is left out with a
 *       warning (the rest of the report is kept); data that ED-4 says is base64 or hex and is not cannot be stored
 *       faithfully, and the message is refused (AE 102, naming the OBX).</li>
 *   <li>an RP OBX value ({@code pointer^application^type of data^subtype}) that is a URL, to an attachment by URL.</li>
 * </ul>
 */
final class ObxToAttachment {

    /** ED-3 data subtype (table 0291 and what senders write) -> media type. */
    private static final Map<String, String> MEDIA_TYPES = Map.ofEntries(
            Map.entry("PDF", "application/pdf"), Map.entry("RTF", "application/rtf"), Map.entry("HTML", "text/html"),
            Map.entry("XML", "application/xml"), Map.entry("CDA", "application/xml"),
            Map.entry("X-HL7-CDA-LEVEL-ONE", "application/xml"), Map.entry("SGML", "text/sgml"),
            Map.entry("POSTSCRIPT", "application/postscript"), Map.entry("JPEG", "image/jpeg"), Map.entry("JPG", "image/jpeg"),
            Map.entry("PNG", "image/png"), Map.entry("GIF", "image/gif"), Map.entry("TIFF", "image/tiff"),
            Map.entry("TIF", "image/tiff"), Map.entry("DICOM", "application/dicom"), Map.entry("PLAIN", "text/plain"),
            Map.entry("BASIC", "text/plain"), Map.entry("OCTET-STREAM", "application/octet-stream"));
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");

    private enum Encoding { BASE64, HEX, TEXT }

    private ObxToAttachment() {}

    /** Null when the ED has no data (with a warning). */
    static Attachment encapsulated(Composite ed, V2Message.Result result, MappingContext context) {
        String data = CweToCodeableConcept.part(ed, 4);
        if (HdToSystem.blank(data)) {
            context.warn(result.field("5.5"), result.label() + " is an ED without data; left out");
            return null;
        }
        Encoding encoding = encoding(CweToCodeableConcept.part(ed, 3), data, result, context);
        byte[] bytes = decode(data, encoding, result);
        String mediaType = mediaType(CweToCodeableConcept.part(ed, 1), CweToCodeableConcept.part(ed, 2));
        if (encoding == Encoding.TEXT && isText(mediaType)) {
            mediaType += "; charset=utf-8";
        }
        if (mediaType.equals("application/pdf") && !new String(bytes, 0, Math.min(5, bytes.length), StandardCharsets.ISO_8859_1).equals("%PDF-")) {
            context.warn(result.field("5"), result.label() + " says PDF but its data does not start with %PDF-");
        }
        Attachment attachment = new Attachment().setContentType(mediaType).setData(bytes);
        String title = result.obx().getObservationIdentifier().getText().getValue();
        return attachment.setTitle(HdToSystem.blank(title) ? "Report" : V2Text.plain(title).strip());
    }

    /** An RP value; only a URL can be followed by a reader (null otherwise, with a warning). */
    static Attachment pointer(Composite pointer, V2Message.Result result, MappingContext context) {
        String url = CweToCodeableConcept.part(pointer, 0);
        if (HdToSystem.blank(url) || !url.contains("://")) {
            context.warn(result.field("5"), "reference pointer '" + url + "' is not a URL; left out");
            return null;
        }
        return new Attachment().setUrl(url.strip())
                .setContentType(mediaType(CweToCodeableConcept.part(pointer, 2), CweToCodeableConcept.part(pointer, 3)));
    }

    /** ED-4 as table 0299 has it (and the spellings senders use); empty: what the data looks like. */
    private static Encoding encoding(String ed4, String data, V2Message.Result result, MappingContext context) {
        String sent = ed4 == null ? "" : ed4.trim().toUpperCase(Locale.ROOT);
        switch (sent) {
            case "BASE64", "B64", "BASE-64" -> {
                return Encoding.BASE64;
            }
            case "HEX" -> {
                return Encoding.HEX;
            }
            case "A" -> {
                return Encoding.TEXT;
            }
            default -> {
                String compact = data.replaceAll("\\s", "");
                boolean base64 = compact.length() % 4 == 0 && BASE64.matcher(compact).matches();
                context.warn(result.field("5.4"), result.label() + (sent.isEmpty() ? " does not say how its ED data is"
                        + " encoded (ED-4)" : " names the unknown ED encoding '" + sent + "' (ED-4, table 0299)")
                        + "; read as " + (base64 ? "base64" : "text"));
                return base64 ? Encoding.BASE64 : Encoding.TEXT;
            }
        }
    }

    private static byte[] decode(String data, Encoding encoding, V2Message.Result result) {
        try {
            return switch (encoding) {
                case TEXT -> data.getBytes(StandardCharsets.UTF_8);
                case HEX -> HexFormat.of().parseHex(data.replaceAll("\\s", ""));
                case BASE64 -> Base64.getDecoder().decode(data.replaceAll("\\s", ""));
            };
        } catch (IllegalArgumentException e) {
            throw new MappingException(MappingException.Problem.INVALID_VALUE, result.field("5.5"),
                    result.label() + ": the " + (encoding == Encoding.HEX ? "hexadecimal" : "base64")
                            + " data of the ED cannot be decoded (" + e.getMessage() + ")");
        }
    }

    /** From ED-2/RP-3 type of data and ED-3/RP-4 subtype; a subtype that is already a media type is kept. */
    private static String mediaType(String type, String subtype) {
        if (!HdToSystem.blank(subtype) && subtype.contains("/")) {
            return subtype.trim().toLowerCase(Locale.ROOT);
        }
        String known = subtype == null ? null : MEDIA_TYPES.get(subtype.trim().toUpperCase(Locale.ROOT));
        if (known != null) {
            return known;
        }
        return type != null && type.trim().equalsIgnoreCase("TEXT") ? "text/plain" : "application/octet-stream";
    }

    private static boolean isText(String mediaType) {
        return mediaType.startsWith("text/") || mediaType.endsWith("xml") || mediaType.equals("application/rtf");
    }
}
