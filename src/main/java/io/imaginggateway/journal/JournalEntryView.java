package io.imaginggateway.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.List;

/**
 * A journal entry as the REST API shows it. HL7: {@code type} MSH-9, {@code messageId} MSH-10, {@code sender}
 * MSH-3^MSH-4. DICOM: {@code type} the SOP Class UID, {@code messageId} the SOP Instance UID, {@code sender} the
 * calling AE title (or the folder or channel it came by).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JournalEntryView(long id, Instant receivedAt, String kind, String channel, String feed, String sender,
        String type, String messageId, String patient, String patientIssuer, String accession, String studyUid,
        String seriesUid, String status, String reason, String ackCode, List<String> resources, String file,
        String fileStatus, Long replayOf, Boolean edited, Long resolvedBy, String gateway,
        // detail only
        String content, String contentEncoding, String ack, List<JournalEntryView> replays) {

    JournalEntryView withDetail(String newContent, String encoding, String newAck, List<JournalEntryView> newReplays) {
        return new JournalEntryView(id, receivedAt, kind, channel, feed, sender, type, messageId, patient, patientIssuer,
                accession, studyUid, seriesUid, status, reason, ackCode, resources, file, fileStatus, replayOf, edited,
                resolvedBy, gateway, newContent, encoding, newAck, newReplays);
    }
}
