package io.imaginggateway.journal;

import java.util.List;

/**
 * What became of an arrival.
 *
 * @param status     see {@link Status}
 * @param reason     why it was not stored (null when it was)
 * @param resources  the FHIR resources written, with their versions ({@code Patient/12/_history/3})
 * @param fileStatus what became of its file: deleted, archived, set-aside, held, kept (null: no file)
 * @param ackCode    the HL7 acknowledgement code sent (AA, AE, AR), or null
 * @param ack        the acknowledgement sent, as sent
 */
public record Outcome(Status status, String reason, List<String> resources, String fileStatus, String ackCode,
        String ack) {

    /** What happened, in the words operators filter by. */
    public enum Status {
        /** Its resources are committed. */
        STORED,
        /** The same message (sender, ID, content) was stored before: nothing written. */
        DUPLICATE,
        /** Refused unread (AR): a version, type or syntax the feed does not take, or a site step's refusal. */
        REJECTED,
        /** Not stored (AE): cannot be mapped, not valid FHIR, or the database failed. */
        ERROR,
        /** Not stored: its identifiers point at another patient's resources; held for an operator. */
        HELD,
        /** Acknowledged after the journal; its FHIR write is still to come. */
        PENDING,
        /** Acknowledged (AA, DICOM Success), then not stored. */
        FAILED_AFTER_ACK;

        public String code() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }

        public static Status ofCode(String code) {
            return valueOf(code.toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
        }

        /** A failure an operator has to look at until a later arrival of the same message is stored. */
        public boolean isFailure() {
            return this == ERROR || this == HELD || this == FAILED_AFTER_ACK || this == REJECTED;
        }
    }

    public static Outcome stored(List<String> resources, String fileStatus, String ackCode, String ack) {
        return new Outcome(Status.STORED, null, resources, fileStatus, ackCode, ack);
    }

    public static Outcome failed(Status status, String reason, String fileStatus, String ackCode, String ack) {
        return new Outcome(status, reason, List.of(), fileStatus, ackCode, ack);
    }
}
