package io.imaginggateway.hl7;

import ca.uhn.hl7v2.ErrorCode;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Builds the ACK for a message: MSH addressed back to the sender, MSA with the code and the received MSH-10, and one
 * ERR per problem. ERR is written as the message's version expects it: ERR-1 (segment^sequence^field^code&text) up to
 * v2.4, ERR-2/3/4/8 (location, HL7 error code, severity, user message) from v2.5, where warnings (severity W) may
 * accompany an AA. MSA-3 repeats the first error's text for receivers that only show that. Control IDs come from an
 * in-memory counter (HAPI's would write an id_file into the working directory).
 *
 * <p>Not HAPI's {@code Message.generateACK} (which camel-hl7's {@code ack()} calls): it needs a parsed message, so it
 * cannot answer a frame that does not parse or a batch; it writes the ACK in the version of the model the message was
 * parsed into (2.5.1 here, whatever the sender's version) and one ERR in the v2.5 layout, where a v2.3 sender
 * expects ERR-1; and it carries one problem, not the mappers' several warnings. The error names are HAPI's.
 */
public final class Acknowledgement {

    public enum Code { AA, AE, AR }

    /** One ERR segment: HL7 table 0357 code, where (e.g. PID-3), human-readable text, severity E or W. */
    public record Problem(String code, String location, String text, boolean warning) {

        public static Problem error(String code, String location, String text) {
            return new Problem(code, location, text, false);
        }

        public static Problem warning(String text) {
            return new Problem("0", "", text, true);
        }
    }

    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSZ");
    private static final AtomicLong SEQUENCE = new AtomicLong(System.currentTimeMillis());

    private Acknowledgement() {}

    public static String build(MshHeader msh, Code code, List<Problem> problems) {
        char f = msh.fieldSeparator();
        char c = msh.encodingCharacters().isEmpty() ? '^' : msh.encodingCharacters().charAt(0);
        char s = msh.encodingCharacters().length() > 3 ? msh.encodingCharacters().charAt(3) : '&';
        String version = msh.version().isEmpty() ? "2.5.1" : msh.version();
        boolean v25 = version.compareTo("2.5") >= 0;
        StringBuilder ack = new StringBuilder();
        ack.append("MSH").append(f).append(msh.encodingCharacters()).append(f)
                .append(msh.receivingApplication()).append(f).append(msh.receivingFacility()).append(f)
                .append(msh.sendingApplication()).append(f).append(msh.sendingFacility()).append(f)
                .append(ZonedDateTime.now().format(TIMESTAMP)).append(f).append(f)
                .append("ACK").append(c).append(msh.triggerEvent()).append(c).append("ACK").append(f)
                .append("GW").append(SEQUENCE.incrementAndGet()).append(f)
                .append(msh.processingId().isEmpty() ? "P" : msh.processingId()).append(f).append(version);
        if (!msh.characterSet().isEmpty()) {
            ack.append(String.valueOf(f).repeat(6)).append(msh.characterSet());
        }
        ack.append('\r');
        ack.append("MSA").append(f).append(code).append(f).append(msh.controlId());
        problems.stream().filter(p -> !p.warning()).findFirst()
                .ifPresent(p -> ack.append(f).append(clean(p.text(), msh)));
        ack.append('\r');
        for (Problem p : problems) {
            if (p.warning() && !v25) {
                continue; // before v2.5 ERR has no severity: a warning would read as an error
            }
            String[] where = location(p.location());
            if (v25) {
                ack.append("ERR").append(f).append(f)
                        .append(where[0]).append(c).append(where[1]).append(c).append(where[2])
                        .append(where[3].isEmpty() ? "" : c + "1" + c + where[3]).append(f)
                        .append(p.code()).append(c).append(clean(errorName(p.code()), msh)).append(c).append("HL70357").append(f)
                        .append(p.warning() ? "W" : "E").append(String.valueOf(f).repeat(4)).append(clean(p.text(), msh)).append('\r');
            } else {
                ack.append("ERR").append(f)
                        .append(where[0]).append(c).append(where[1]).append(c).append(where[2]).append(c)
                        .append(p.code()).append(s).append(clean(p.text(), msh)).append(s).append("HL70357").append('\r');
            }
        }
        return ack.toString();
    }

    private static final Pattern LOCATION = Pattern.compile("([A-Z0-9]{3})(?:\\[(\\d+)])?(?:-(\\d+)(?:\\.(\\d+))?)?.*");

    /** "PID-3" -> {PID, 1, 3, ""}; "OBX[2]-5.5" -> {OBX, 2, 5, 5}; "ORC" -> {ORC, 1, "", ""}. */
    private static String[] location(String location) {
        Matcher m = location == null ? null : LOCATION.matcher(location);
        if (m == null || !m.matches()) {
            return new String[] {"", "", "", ""};
        }
        return new String[] {m.group(1), m.group(2) == null ? "1" : m.group(2), m.group(3) == null ? "" : m.group(3),
                m.group(4) == null ? "" : m.group(4)};
    }

    /** The name of an HL7 table 0357 code, as HAPI knows it. */
    private static String errorName(String code) {
        try {
            return ErrorCode.errorCodeFor(Integer.parseInt(code)).getMessage();
        } catch (NumberFormatException e) {
            return ErrorCode.APPLICATION_INTERNAL_ERROR.getMessage();
        }
    }

    /** Text may not contain the message's delimiters or line breaks; they are replaced by spaces. */
    private static String clean(String text, MshHeader msh) {
        String delimiters = msh.fieldSeparator() + msh.encodingCharacters() + "\r\n";
        StringBuilder out = new StringBuilder();
        for (char ch : (text == null ? "" : text).toCharArray()) {
            out.append(delimiters.indexOf(ch) >= 0 ? ' ' : ch);
        }
        return out.toString();
    }
}
