package io.imaginggateway.journal;

import java.time.Instant;

/**
 * What came in, as the journal keeps it: when, how, from whom, what it is and what it is about, and its bytes.
 *
 * @param receivedAt    when the gateway had it (the frame read, the file found, the request received)
 * @param kind          hl7, dicom or fhir
 * @param channel       how it came: mllp, c-store, inbox, import, dicom-json, fhir-inbox, replay
 * @param feed          the feed whose rules apply (null: not known, e.g. a frame that could not be read)
 * @param sender        HL7 MSH-3^MSH-4; DICOM the calling AE title; a file's folder
 * @param type          HL7 MSH-9 (e.g. ORU^R01); DICOM the SOP Class UID
 * @param messageId     HL7 MSH-10; DICOM the SOP Instance UID
 * @param contentDigest what makes a re-sent message the same message (HL7: without MSH-7)
 * @param patient       the patient identifier as sent (PID-3's first, DICOM Patient ID with its issuer)
 * @param accession     the accession number as sent
 * @param studyUid      the Study Instance UID, when the message names one
 * @param seriesUid     DICOM the Series Instance UID
 * @param file          the file it came in (DICOM), null when none is the gateway's
 * @param content       the raw bytes (HL7 the frame; FHIR the Bundle; DICOM none: the file is the content)
 * @param charset       the character set the content was read with
 * @param replayOf      the journal entry this is a replay of (null: it came from outside)
 * @param edited        a replay whose content was edited by an operator
 */
public record Arrival(Instant receivedAt, Kind kind, String channel, String feed, String sender, String type,
        String messageId, String contentDigest, String patient, String accession, String studyUid, String seriesUid,
        String file, byte[] content, String charset, Long replayOf, boolean edited) {

    public enum Kind {
        HL7, DICOM, FHIR;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The same arrival, its file now at {@code newFile} (set aside, held), without content or digest. */
    public Arrival withFile(String newFile) {
        return new Arrival(receivedAt, kind, channel, feed, sender, type, messageId, null, patient, accession, studyUid,
                seriesUid, newFile, null, null, replayOf, false);
    }

    /** The same arrival, its content read with this character set. */
    public Arrival withCharset(String newCharset) {
        return new Arrival(receivedAt, kind, channel, feed, sender, type, messageId, contentDigest, patient, accession,
                studyUid, seriesUid, file, content, newCharset, replayOf, edited);
    }

    /** The same arrival with what was read from its content (a frame's header, keys, feed). */
    public Arrival withMessage(String newFeed, String newSender, String newType, String newMessageId, String digest,
            String newPatient, String newAccession, String newStudyUid) {
        return new Arrival(receivedAt, kind, channel, newFeed, newSender, newType, newMessageId, digest, newPatient,
                newAccession, newStudyUid, seriesUid, file, content, charset, replayOf, edited);
    }
}
