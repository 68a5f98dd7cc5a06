package io.imaginggateway.hl7;

import java.util.regex.Pattern;

/**
 * The MSH fields an acknowledgement needs, read straight from the message text so that even a message HAPI cannot
 * parse gets an answer addressed to its sender. Fields are raw (still escaped); empty strings where absent.
 */
public record MshHeader(
        char fieldSeparator, String encodingCharacters, String sendingApplication, String sendingFacility,
        String receivingApplication, String receivingFacility, String messageCode, String triggerEvent,
        String controlId, String processingId, String version, String characterSet) {

    /** For a frame that does not even start with MSH: an answer is still sent, with what little is known. */
    public static final MshHeader UNREADABLE = new MshHeader('|', "^~\\&", "", "", "", "", "", "", "", "P", "2.5.1", "");

    /** Null when the text does not start with a readable MSH segment. */
    public static MshHeader read(String text) {
        if (text == null || !text.startsWith("MSH") || text.length() < 8) {
            return null;
        }
        int end = text.indexOf('\r');
        String segment = end < 0 ? text : text.substring(0, end);
        char separator = segment.charAt(3);
        String[] f = segment.split(Pattern.quote(String.valueOf(separator)), -1);
        String encoding = f.length > 1 ? f[1] : "^~\\&";
        char component = encoding.isEmpty() ? '^' : encoding.charAt(0);
        String[] type = field(f, 9).split(Pattern.quote(String.valueOf(component)), -1);
        return new MshHeader(separator, encoding, first(field(f, 3), component), first(field(f, 4), component),
                first(field(f, 5), component), first(field(f, 6), component),
                type.length > 0 ? type[0].trim() : "", type.length > 1 ? type[1].trim() : "", field(f, 10).trim(),
                first(field(f, 11), component), first(field(f, 12), component).trim(), field(f, 18));
    }

    /**
     * For a batch (FHS or BHS first): an answer addressed from the batch header, whose fields 3 to 6 are MSH's and
     * whose field 11 is the batch's control ID.
     */
    static MshHeader readBatch(String text) {
        MshHeader header = read("MSH" + text.substring(3));
        return header == null ? UNREADABLE : new MshHeader(header.fieldSeparator, header.encodingCharacters,
                header.sendingApplication, header.sendingFacility, header.receivingApplication, header.receivingFacility,
                "", "", header.processingId, "P", "2.5.1", "");
    }

    /** The message text with MSH-12's version replaced (the rest, components included, kept). */
    static String withVersion(String text, String version) {
        MshHeader msh = read(text);
        char component = msh == null || msh.encodingCharacters.isEmpty() ? '^' : msh.encodingCharacters.charAt(0);
        return replaceField(text, 12, field -> {
            int end = field.indexOf(component);
            return end < 0 ? version : version + field.substring(end);
        });
    }

    /** The message text with MSH-7 (date/time of message) empty. */
    static String withoutTime(String text) {
        return replaceField(text, 7, field -> "");
    }

    private static String replaceField(String text, int n, java.util.function.UnaryOperator<String> change) {
        int end = text.indexOf('\r');
        String segment = end < 0 ? text : text.substring(0, end);
        String separator = String.valueOf(segment.charAt(3));
        String[] fields = segment.split(Pattern.quote(separator), -1);
        if (fields.length < n) {
            return text;
        }
        fields[n - 1] = change.apply(fields[n - 1]);
        return String.join(separator, fields) + (end < 0 ? "" : text.substring(end));
    }

    /** MSH-n as split by the field separator (MSH-1 is the separator itself, so MSH-n is element n-1). */
    private static String field(String[] fields, int n) {
        return fields.length > n - 1 ? fields[n - 1] : "";
    }

    private static String first(String field, char component) {
        int i = field.indexOf(component);
        return i < 0 ? field : field.substring(0, i);
    }

    /** MSH-18's first repetition: the character set of the message (later ones name code extensions). */
    public String primaryCharacterSet() {
        char repetition = encodingCharacters.length() > 1 ? encodingCharacters.charAt(1) : '~';
        int end = characterSet.indexOf(repetition);
        return end < 0 ? characterSet : characterSet.substring(0, end);
    }

    /** MSH-9 as the journal and the metrics name it: {@code ORU^R01}, or the code alone when no trigger is sent. */
    public String type() {
        return messageCode + (triggerEvent.isEmpty() ? "" : "^" + triggerEvent);
    }

    /** MSH-3^MSH-4: who sent it, the scope in which MSH-10 is unique. */
    public String sender() {
        return sendingApplication + "^" + sendingFacility;
    }
}
