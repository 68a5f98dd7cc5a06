package io.imaginggateway.mapping.dicom;

import java.util.List;

/**
 * What the gateway reads from one DICOM instance's header (never its pixel data), as the DICOM strings were sent:
 * the study, series and instance attributes an ImagingStudy and its Patient are made of. Read from a Part 10 file or
 * from PS3.18 DICOM JSON; the mappers convert the values.
 */
public record DicomInstance(
        // instance
        String sopClassUid, String sopInstanceUid, String instanceNumber, String documentTitle, List<String> imageType,
        // series
        String seriesInstanceUid, String seriesNumber, String modality, String seriesDescription, String seriesDate,
        String seriesTime, String bodyPartExamined, String laterality, List<String> performingPhysicians,
        List<String> operators,
        // study
        String studyInstanceUid, String studyId, String accessionNumber, Issuer accessionIssuer, String studyDate,
        String studyTime, String timezoneOffset, String studyDescription, String referringPhysician,
        List<String> readingPhysicians, List<Code> procedureCodes, String reasonForRequestedProcedure,
        List<Code> reasonCodes, String institutionName, String performedLocation,
        // patient
        String patientId, Issuer patientIdIssuer, String patientName, String birthDate, String sex) {

    /** A code sequence item: Code Value (or Long/URN Code Value), Coding Scheme Designator, Code Meaning. */
    public record Code(String value, String scheme, String meaning) {}

    /**
     * Who issued an identifier: Issuer of Patient ID (0010,0021) or the Local Namespace Entity ID (0040,0031),
     * Universal Entity ID (0040,0032) and its type (0040,0033) of an issuer sequence.
     */
    public record Issuer(String namespace, String universalId, String universalIdType) {
        public boolean isEmpty() {
            return blank(namespace) && blank(universalId);
        }
    }

    static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
