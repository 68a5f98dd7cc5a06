package io.imaginggateway.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.ParserConfiguration;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import ca.uhn.hl7v2.validation.impl.NoValidation;
import io.imaginggateway.audit.AuditTrail;
import io.imaginggateway.journal.Arrival;
import io.imaginggateway.site.Feed;
import io.imaginggateway.site.Feeds;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.camel.Exchange;
import org.apache.camel.component.mllp.MllpConstants;
import org.apache.camel.component.mllp.MllpEndpoint;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The first steps of every MLLP feed's route: {@link #decode} (the received frame's bytes to text in its character
 * set, and its MSH) and {@link #parse} (checks, then HAPI's parse), or a rejection the sender is told about. Checks, in
 * order: not a batch, a readable MSH, MSH-9 and MSH-10 present, a version (MSH-12) this gateway can read and the feed
 * accepts, a message type and trigger (MSH-9) the gateway maps and the feed accepts, and that HAPI can parse the rest.
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

    /** Exchange properties the acknowledgement is built from, also when a later step fails (Java to Java only). */
    static final String HEADER = "hl7Header";
    static final String CHARSET = "hl7Charset";
    static final String RECEIVED = "hl7Received";
    /** The journal's record of the frame: as much as is known so far. */
    static final String ARRIVAL = "hl7Arrival";

    private static final Logger log = LoggerFactory.getLogger(Hl7Intake.class);
    private static final byte START_OF_BLOCK = 0x0B;
    private static final Pattern SEGMENT_NAME = Pattern.compile("[A-Z][A-Z0-9]{2}");
    /** What older senders mean by a message type without trigger. */
    private static final Map<String, String> DEFAULT_TRIGGERS = Map.of("ORM", "O01", "ORU", "R01");

    /** A frame read as text, with the feed it came in on and how it arrived. */
    public record Hl7Decoded(Feed feed, MshHeader msh, Charset charset, String text, Arrival arrival) {}

    private final Hl7Decoder decoder;
    private final Feeds feeds;
    private final PipeParser parser;
    private final AuditTrail audit;

    Hl7Intake(Hl7Properties properties, Feeds feeds, AuditTrail audit) {
        this.decoder = new Hl7Decoder(properties.defaultCharset());
        this.feeds = feeds;
        this.audit = audit;
        this.parser = newParser();
    }

    /** The parser every supported version goes through (thread-safe). */
    public static PipeParser newParser() {
        ParserConfiguration configuration = new ParserConfiguration();
        configuration.setIdGenerator(new InMemoryIDGenerator()); // HAPI's default writes an id_file into the working directory
        PipeParser parser = new PipeParser(new V251ClassFactory());
        parser.setParserConfiguration(configuration);
        parser.setValidationContext(new NoValidation());
        return parser;
    }

    /**
     * Decode step: the frame's bytes as text, in MSH-18's character set, with the feed whose MLLP port the route
     * listens on; AR when the connection's address or MSH-3^MSH-4 is not one of the feed's peers (audited).
     */
    public Hl7Decoded decode(byte[] frame, Exchange exchange) {
        byte[] content = lastFrame(frame);
        Feed feed = feedOf(exchange);
        Hl7Decoded decoded = decode(content, feed, new Arrival(Instant.ofEpochMilli(exchange.getClock().getCreated()),
                Arrival.Kind.HL7, "mllp", feed.id(), null, null, null, null, null, null, null, null, null, content, null,
                null, false), exchange);
        String address = remoteAddress(exchange);
        String refusal = feed.peers().refusesAddress(address);
        boolean byAddress = refusal != null;
        if (refusal == null) {
            refusal = feed.peers().refusesSender(decoded.msh().sender());
        }
        if (refusal != null) {
            audit.peerRejected("MLLP feed " + feed.id(), decoded.msh().sender(), address, refusal);
            throw new Hl7Rejection(Acknowledgement.Code.AR, "207", byAddress ? "" : "MSH-3",
                    "Not accepted from this peer: " + refusal);
        }
        return decoded;
    }

    /** The sender's IP address ("/10.1.2.3:40000" as camel-mllp gives it, without slash and port). */
    private static String remoteAddress(Exchange exchange) {
        String socket = exchange.getIn().getHeader(MllpConstants.MLLP_REMOTE_ADDRESS, "", String.class);
        String withoutSlash = socket.substring(socket.indexOf('/') + 1);
        int port = withoutSlash.lastIndexOf(':');
        return port < 0 ? withoutSlash : withoutSlash.substring(0, port);
    }

    /** Decode step of a replay: a journaled message's content decoded as a frame of its feed would be. */
    public Hl7Decoded redecode(Hl7Replayer.Hl7Replay replay, Exchange exchange) {
        Feed feed = replay.arrival().feed() == null ? feeds.defaultFeed() : feeds.get(replay.arrival().feed());
        return decode(replay.content(), feed, replay.arrival(), exchange);
    }

    private Hl7Decoded decode(byte[] content, Feed feed, Arrival arrival, Exchange exchange) {
        exchange.setProperty(ARRIVAL, arrival);
        Hl7Decoder.Decoded decoded = decoder.decode(content);
        exchange.setProperty(ARRIVAL, arrival.withCharset(decoded.charset().name()));
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
        MessageKeys keys = MessageKeys.of(text, msh);
        Arrival known = exchange.getProperty(ARRIVAL, Arrival.class).withMessage(feed.id(), msh.sender(), msh.type(),
                msh.controlId(), digest(text), keys.patient(), keys.accession(), keys.studyUid());
        exchange.setProperty(ARRIVAL, known);
        return new Hl7Decoded(feed, msh, decoded.charset(), text, known);
    }

    private Feed feedOf(Exchange exchange) {
        if (!(exchange.getFromEndpoint() instanceof MllpEndpoint mllp)) {
            throw new IllegalStateException("decode is the step of an MLLP route, not of " + exchange.getFromEndpoint());
        }
        return feeds.forMllpPort(mllp.getPort());
    }

    /** Parse step: the checks above, then HAPI's parse. */
    public Hl7Received parse(Hl7Decoded decoded, Exchange exchange) {
        MshHeader msh = decoded.msh();
        Feed feed = decoded.feed();
        String text = decoded.text();
        if (msh.messageCode().isEmpty()) {
            throw new Hl7Rejection(Acknowledgement.Code.AR, "101", "MSH-9", "MSH-9 (message type) is empty");
        }
        if (msh.controlId().isEmpty()) {
            throw new Hl7Rejection(Acknowledgement.Code.AR, "101", "MSH-10", "MSH-10 (message control ID) is empty");
        }
        String version = Feed.readableVersion(msh.version());
        if (version == null) {
            throw new Hl7Rejection(Acknowledgement.Code.AR, "203", "MSH-12", "HL7 version '" + msh.version()
                    + "' cannot be read here: the gateway reads versions 2.1 to 2.8.1");
        }
        if (!feed.hl7Versions().contains(version)) {
            throw new Hl7Rejection(Acknowledgement.Code.AR, "203", "MSH-12", "HL7 version '" + msh.version()
                    + "' is not accepted on feed " + feed.id() + " (accepted: " + String.join(", ", feed.hl7Versions()) + ")");
        }
        String trigger = msh.triggerEvent().isEmpty() ? DEFAULT_TRIGGERS.getOrDefault(msh.messageCode(), "")
                : msh.triggerEvent();
        if (!feed.accepts(msh.messageCode(), trigger)) {
            boolean typeKnown = feed.messageTypes().stream().anyMatch(type -> type.startsWith(msh.messageCode() + "^"));
            throw new Hl7Rejection(Acknowledgement.Code.AR, typeKnown ? "201" : "200", "MSH-9", (typeKnown
                    ? "Trigger event " + msh.messageCode() + "^" + msh.triggerEvent() : "Message type " + msh.messageCode())
                    + " is not handled on feed " + feed.id() + " (handled: " + String.join(", ", feed.messageTypes()) + ")");
        }
        checkSegmentNames(text, msh.fieldSeparator());
        Hl7Received received = new Hl7Received(feed, msh, decoded.charset(), text, decoded.arrival(),
                parse(text, msh, version));
        exchange.setProperty(RECEIVED, received);
        return received;
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
