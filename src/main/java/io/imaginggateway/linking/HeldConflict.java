package io.imaginggateway.linking;

import java.time.Instant;
import java.util.List;

/**
 * An identity conflict kept for an operator: what came in (an HL7 message, a DICOM instance), from whom, why nothing of
 * it was written, and what it would have changed. The held content is the message text or the path of the held file,
 * so that it can be looked at and sent again once the records are put right. Names are never part of the reason.
 *
 * @param id              the conflict's number (null before it is kept)
 * @param heldAt          when it was held
 * @param intake          {@code hl7} or {@code dicom}
 * @param source          who sent it: HL7 {@code MSH-3^MSH-4}, DICOM calling AE title, import
 * @param reference       which message or instance: HL7 MSH-10, DICOM SOP Instance UID
 * @param reason          the conflict, in words
 * @param resourceType    the type of the stored resource it would have changed
 * @param identifier      the identifier at issue, {@code system|value}
 * @param storedResources the stored resource(s) concerned, {@code Type/id}
 * @param content         the message text (HL7), null otherwise
 * @param heldFile        where the instance's file was put aside (DICOM), null otherwise
 */
public record HeldConflict(Long id, Instant heldAt, String intake, String source, String reference, String reason,
        String resourceType, String identifier, List<String> storedResources, String content, String heldFile) {

    /** A conflict to keep, from the link step's {@link IdentityConflict}. */
    public static HeldConflict of(IdentityConflict conflict, String intake, String source, String reference,
            String reason, String content, String heldFile) {
        String identifier = conflict.identifier().getSystem() + "|" + conflict.identifier().getValue();
        return new HeldConflict(null, Instant.now(), intake, source, reference, reason, conflict.resourceType(),
                identifier, conflict.storedResources(), content, heldFile);
    }
}
