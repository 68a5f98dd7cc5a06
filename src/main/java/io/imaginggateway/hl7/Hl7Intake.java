package io.imaginggateway.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.Version;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.ParserConfiguration;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.NoValidation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * First step of the MLLP route: the received frame's bytes to a parsed HL7 message, or a rejection the sender is
 * told about. Checks, in order: not a batch, a readable MSH, MSH-9 and MSH-10 present, a version (MSH-12) this
 * gateway can read and the site accepts, a supported message type and trigger (MSH-9), and that HAPI can parse the
 * rest.
 *
 * <p>Every version HAPI HL7v2 reads (2.1 to 2.8.1) is parsed into its v2.5.1 classes (a later version's model reads
 * the earlier ones' fields at the same positions, and later versions only add fields at the end), so the mappers are
 * written once; a version written with a trailing ".0" ("2.5.0", as some senders write it) is read as the version it
 * names. Parsing is lenient: HAPI's validation is off, because a value the mappers cannot use is reported by them,
 * naming the field, and real senders break the rules on fields the gateway never reads.
 *
 * <p>Batches (FHS/BHS ... BTS/FTS in one frame) are refused with AR: each message must come in its own frame, where it
 * gets its own acknowledgement after its own commit.
 */
@Component("hl7Intake")
public class Hl7Intake {

    /** Exchange properties the acknowledgement is built from, also when a later step fails. */
    public static final String HEADER = "hl7Header";
    public static final String CHARSET = "hl7Charset";
    public static final String RECEIVED = "hl7Received";
    /** Message header naming the kind of message, for the route's choice: {@code order} or {@code result}. */
    public static final String KIND = "hl7Kind";

    private static final Logger log = LoggerFactory.getLogger(Hl7Intake.class);
    private static final byte START_OF_BLOCK = 0x0B;
    private static final Pattern SEGMENT_NAME = Pattern.compile("[A-Z][A-Z0-9]{2}");
    /** Message type -> (trigger -> kind). An ORM or ORU without a trigger is one too: older senders leave it out. */
    private static final Map<String, Map<String, String>> SUPPORTED = Map.of(
            "ORM", Map.of("O01", "order", "", "order"),
            "OMI", Map.of("O23", "order"),
            "ORU", Map.of("R01", "result", "", "result"));

    private final Hl7Decoder decoder;
    private final Hl7Properties properties;
    private final PipeParser parser;

    Hl7Intake(Hl7Properties properties) {
        this.properties = properties;
        this.decoder = new Hl7Decoder(properties.defaultCharset());
        this.parser = newParser();
    }

    /** The parser every supported version goes through (thread-safe). */
    public static PipeParser newParser() {
        ParserConfiguration configuration = new ParserConfiguration();
        configuration.setIdGenerator(new InMemoryIDGenerator()); // HAPI's default writes an id_file into the working directory
        PipeParser parser = new PipeParser(new CanonicalModelClassFactory("2.5.1"));
        parser.setParserConfiguration(configuration);
        parser.setValidationContext(new NoValidation());
        return parser;
    }

    public Hl7Received receive(byte[] frame, Exchange exchange) {
        Hl7Decoder.Decoded decoded = decoder.decode(lastFrame(frame));
        exchange.setProperty(CHARSET, decoded.charset());
        String text = decoded.text();
        if (text.startsWith("FHS") || text.startsWith("BHS")) {
            MshHeader batch = MshHeader.readBatch(text);
            exchange.setProperty(HEADER, batch);
            throw new Hl7Rejection(Acknowledgement.Code.AR, "200", text.substring(0, 3),
                    "HL7 batches (FHS/BHS) are not accepted: send each message in its own MLLP frame");
        }
        MshHeader msh = MshHeader.read(text);
        exchange.setProperty(HEADER, msh == null ? MshHeader.UNREADABLE : msh);
        if (msh == null) {
            throw new Hl7Rejection(Acknowledgement.Code.AR, "100", "MSH", "The message does not start with an MSH segment");
        }
        if (msh.messageCode().isEmpty()) {
            throw new Hl7Rejection(Acknowledgement.Code.AR, "101", "MSH-9", "MSH-9 (message type) is empty");
        }
        if (msh.controlId().isEmpty()) {
            throw new Hl7Rejection(Acknowledgement.Code.AR, "101", "MSH-10", "MSH-10 (message control ID) is empty");
        }
        String version = readableVersion(msh.version());
        if (version == null) {
            throw new Hl7Rejection(Acknowledgement.Code.AR, "203", "MSH-12", "HL7 version '" + msh.version()
                    + "' cannot be read here: the gateway reads versions 2.1 to 2.8.1");
        }
        if (!properties.versions().contains(version)) {
            throw new Hl7Rejection(Acknowledgement.Code.AR, "203", "MSH-12", "HL7 version '" + msh.version()
                    + "' is not accepted here (accepted: " + String.join(", ", properties.versions()) + ")");
        }
        Map<String, String> triggers = SUPPORTED.get(msh.messageCode());
        if (triggers == null) {
            throw new Hl7Rejection(Acknowledgement.Code.AR, "200", "MSH-9", "Message type " + msh.messageCode()
                    + " is not handled here (handled: ORM^O01, OMI^O23, ORU^R01)");
        }
        String kind = triggers.get(msh.triggerEvent());
        if (kind == null) {
            throw new Hl7Rejection(Acknowledgement.Code.AR, "201", "MSH-9", "Trigger event " + msh.messageCode() + "^"
                    + msh.triggerEvent() + " is not handled here");
        }
        exchange.getIn().setHeader(KIND, kind);
        checkSegmentNames(text, msh.fieldSeparator());
        Hl7Received received = new Hl7Received(msh, decoded.charset(), text, digest(text), parse(text, msh, version));
        exchange.setProperty(RECEIVED, received);
        return received;
    }

    /**
     * The version HAPI reads a message of this MSH-12 as: the version itself, or without trailing ".0" parts
     * ("2.5.0" is 2.5); null when HAPI cannot read it.
     */
    static String readableVersion(String sent) {
        String version = sent;
        while (!Version.supportsVersion(version) && version.endsWith(".0")) {
            version = version.substring(0, version.length() - 2);
        }
        return Version.supportsVersion(version) ? version : null;
    }

    private Message parse(String text, MshHeader msh, String version) {
        String readable = version.equals(msh.version()) ? text : MshHeader.withVersion(text, version);
        try {
            return parser.parse(readable);
        } catch (HL7Exception e) {
            String location = e.getLocation() == null || e.getLocation().getSegmentName() == null ? ""
                    : e.getLocation().getSegmentName() + (e.getLocation().getField() > 0 ? "-" + e.getLocation().getField() : "");
            // HAPI's syntax errors carry 1xx codes; anything else it reports (e.g. 207) is still a message it cannot read
            int code = e.getErrorCode() >= 100 && e.getErrorCode() < 200 ? e.getErrorCode() : 100;
            throw new Hl7Rejection(Acknowledgement.Code.AR, String.valueOf(code), location,
                    "The message cannot be parsed: " + e.getMessage());
        }
    }

    /**
     * What makes a message the same message when sent again: its text without MSH-7 (a sender re-stamps the time
     * when it re-sends), as SHA-256 in hex.
     */
    static String digest(String text) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256")
                    .digest(MshHeader.withoutTime(text).strip().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(hash);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every segment must start with a three-character name and the field separator; says which one does not. */
    private static void checkSegmentNames(String text, char separator) {
        String[] segments = text.split("\r");
        for (int i = 1; i < segments.length; i++) {
            String segment = segments[i];
            if (segment.isBlank()) {
                continue;
            }
            boolean named = segment.length() >= 3 && SEGMENT_NAME.matcher(segment.substring(0, 3)).matches()
                    && (segment.length() == 3 || segment.charAt(3) == separator);
            if (!named) {
                String start = segment.length() > 20 ? segment.substring(0, 20) + "..." : segment;
                throw new Hl7Rejection(Acknowledgement.Code.AR, "100", "", "Segment " + (i + 1) + " ('" + start
                        + "') does not start with a three-character segment name: the message cannot be parsed");
            }
        }
    }

    /**
     * The bytes after the last start-of-block: a sender that gave up on a frame without sending its end bytes and
     * sent the message again leaves the unfinished frame in front of the new one. Only the new one is answered.
     */
    private static byte[] lastFrame(byte[] payload) {
        for (int i = payload.length - 1; i >= 0; i--) {
            if (payload[i] == START_OF_BLOCK) {
                log.warn("Discarded {} bytes of an MLLP frame that never ended", i);
                return Arrays.copyOfRange(payload, i + 1, payload.length);
            }
        }
        return payload;
    }
}
