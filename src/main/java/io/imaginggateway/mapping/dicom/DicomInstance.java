package io.imaginggateway.mapping.dicom;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

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

    /**
     * The instance in a data set.
     *
     * @throws IllegalArgumentException when the data set lacks a Study, Series or SOP Instance UID (the message
     *         names the attribute)
     */
    public static DicomInstance of(DicomAttributes a) {
        for (int[] required : new int[][] {{0x0020000D, 0}, {0x0020000E, 1}, {0x00080018, 2}}) {
            if (a.string(required[0]) == null) {
                String name = List.of("Study Instance UID (0020,000D)", "Series Instance UID (0020,000E)",
                        "SOP Instance UID (0008,0018)").get(required[1]);
                throw new IllegalArgumentException("no " + name);
            }
        }
        String laterality = a.string(0x00200060);
        String patientIssuer = a.string(0x00100021);
        return new DicomInstance(
                a.string(0x00080016), a.string(0x00080018), a.string(0x00200013), conceptName(a), a.strings(0x00080008),
                a.string(0x0020000E), a.string(0x00200011), a.string(0x00080060), a.string(0x0008103E),
                a.string(0x00080021), a.string(0x00080031), a.string(0x00180015),
                laterality != null ? laterality : a.string(0x00200062),
                a.strings(0x00081050), a.strings(0x00081070),
                a.string(0x0020000D), a.string(0x00200010), a.string(0x00080050), issuer(a, 0x00080051, null),
                a.string(0x00080020), a.string(0x00080030), a.string(0x00080201), a.string(0x00081030),
                a.string(0x00080090), a.strings(0x00081060), codes(a, 0x00081032), a.string(0x00401002),
                codes(a, 0x0040100A), a.string(0x00080080), a.string(0x00400243),
                a.string(0x00100020), issuer(a, 0x00100024, patientIssuer),
                a.string(0x00100010), a.string(0x00100030), a.string(0x00100040));
    }

    /**
     * Whose and which study this instance says it is: Patient ID with its issuer, and Accession Number with its
     * issuer. Instances of one study that differ here do not belong together.
     */
    public String identityKey() {
        return String.join("|", String.valueOf(patientId), String.valueOf(patientIdIssuer), String.valueOf(accessionNumber),
                String.valueOf(accessionIssuer));
    }

    private static List<Code> codes(DicomAttributes a, int sequence) {
        List<Code> codes = new ArrayList<>();
        for (DicomAttributes item : a.items(sequence)) {
            String value = Stream.of(0x00080100, 0x00080119, 0x00080120).map(item::string)
                    .filter(v -> v != null).findFirst().orElse(null);
            String meaning = item.string(0x00080104);
            if (value != null || meaning != null) {
                codes.add(new Code(value, item.string(0x00080102), meaning));
            }
        }
        return codes;
    }

    /** Document Title of an SR or KO: the Concept Name Code Sequence's meaning. */
    private static String conceptName(DicomAttributes a) {
        return a.items(0x0040A043).stream().map(item -> item.string(0x00080104)).filter(m -> m != null)
                .findFirst().orElse(null);
    }

    /** An issuer sequence's first item (Local Namespace, Universal Entity ID and type), or a plain issuer name. */
    private static Issuer issuer(DicomAttributes a, int sequence, String namespace) {
        List<DicomAttributes> items = a.items(sequence);
        DicomAttributes item = items.isEmpty() ? null : items.get(0);
        String local = item == null ? null : item.string(0x00400031);
        Issuer issuer = new Issuer(namespace != null ? namespace : local, item == null ? null : item.string(0x00400032),
                item == null ? null : item.string(0x00400033));
        return issuer.isEmpty() ? null : issuer;
    }

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
