package io.imaginggateway.fhirstore;

/**
 * The message a transaction came from, as far as re-sending goes: its sender, its ID (HL7 MSH-10, unique per sender
 * only as long as the sender keeps it so) and a digest of its content. The same three again is a message re-sent
 * because its acknowledgement got lost; the same ID with other content is another message (real senders reuse IDs).
 *
 * @param sender        who sent it, on which feed, e.g. {@code feed:default:urn:hl7v2:RIS:RADIOLOGY}
 * @param messageId     its ID within the sender
 * @param type          its kind, e.g. {@code ORU^R01} (recorded, for operators)
 * @param contentDigest digest of its content, without what changes when the same message is sent again (MSH-7)
 */
public record SourceMessage(String sender, String messageId, String type, String contentDigest) {}
