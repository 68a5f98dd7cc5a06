package io.imaginggateway.hl7;

import ca.uhn.hl7v2.model.Message;
import io.imaginggateway.fhirstore.SourceMessage;
import io.imaginggateway.journal.Arrival;
import io.imaginggateway.site.Feed;
import java.nio.charset.Charset;

/**
 * A message as it came in and was read: the feed it came in on, its header, the character set it was read with, its
 * text, how it arrived as the journal records it (with a digest of its content, without MSH-7, which a sender
 * changes when it sends the same message again) and HAPI's parse of it.
 */
public record Hl7Received(Feed feed, MshHeader msh, Charset charset, String text, Arrival arrival, Message message) {

    /**
     * The message as the store keeps track of it: sender on its feed, MSH-10 and content. The feed is part of the
     * sender: two hospitals' systems may both call themselves RIS^RADIOLOGY, and the same message on two feeds maps to
     * two hospitals' resources, so one must not pass for a re-sent copy of the other (AA with nothing written).
     */
    public SourceMessage source() {
        return new SourceMessage("feed:" + feed.id() + ":urn:hl7v2:" + msh.sender(), msh.controlId(), msh.type(),
                arrival.contentDigest());
    }
}
