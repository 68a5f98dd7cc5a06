package io.imaginggateway.hl7;

import io.imaginggateway.journal.Arrival;
import io.imaginggateway.journal.JournalEntryView;
import io.imaginggateway.journal.Replayer;
import java.time.Instant;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.mllp.MllpConstants;
import org.springframework.stereotype.Component;

/**
 * Replays a journaled HL7 message through {@code direct:hl7-replay} (camel-routes/hl7-replay.camel.yaml): decoded
 * with its feed's rules, then the same parse, map, store and acknowledge steps as a message from MLLP; the ACK it gets
 * is journaled, not sent. Edited content may end segments with line feeds (as the API shows them).
 */
@Component
class Hl7Replayer implements Replayer {

    /** The body of direct:hl7-replay: the content to decode and how it arrives. */
    public record Hl7Replay(byte[] content, Arrival arrival) {}

    private final ProducerTemplate camel;

    Hl7Replayer(ProducerTemplate camel) {
        this.camel = camel;
    }

    @Override
    public Arrival.Kind kind() {
        return Arrival.Kind.HL7;
    }

    @Override
    public Replayed replay(JournalEntryView original, long root, byte[] content, String charset, boolean edited) {
        if (content == null) {
            throw new IllegalStateException("the content of entry " + original.id() + " is no longer kept"
                    + " (gateway.journal.content-retention-days): send it with the replay as edited content");
        }
        byte[] frame = edited ? segmentsEndWithCarriageReturn(content) : content;
        Arrival arrival = new Arrival(Instant.now(), Arrival.Kind.HL7, "replay", original.feed(), null, null, null, null,
                null, null, null, null, null, frame, charset, root, edited);
        Exchange done = camel.send("direct:hl7-replay", exchange -> exchange.getIn().setBody(new Hl7Replay(frame, arrival)));
        String code = done.getProperty(MllpConstants.MLLP_ACKNOWLEDGEMENT_TYPE, String.class);
        Long entry = done.getProperty(Hl7Acknowledger.JOURNAL_ID, Long.class);
        Throwable failure = done.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        String status = "AA".equals(code) ? "stored" : "not-stored";
        return new Replayed(original.id(), entry, status, failure == null ? null : failure.getMessage());
    }

    private static byte[] segmentsEndWithCarriageReturn(byte[] content) {
        byte[] copy = new byte[content.length];
        int n = 0;
        for (int i = 0; i < content.length; i++) {
            byte b = content[i];
            if (b == '\n') {
                if (n > 0 && copy[n - 1] == '\r') {
                    continue;
                }
                b = '\r';
            }
            copy[n++] = b;
        }
        return java.util.Arrays.copyOf(copy, n);
    }
}
