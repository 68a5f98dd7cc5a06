package io.imaginggateway.hl7;

import java.util.regex.Pattern;

/**
 * What the journal finds a message by, read from its text (also when HAPI cannot parse it): the patient (PID-3's
 * first repetition: ID, and assigning authority when sent, as {@code ID^^^authority}), the accession number (IPC-1,
 * else OBR-18) and the Study Instance UID (IPC-3, else ZDS-1). Values are as sent, escapes included.
 */
record MessageKeys(String patient, String accession, String studyUid) {

    static MessageKeys of(String text, MshHeader msh) {
        String separator = Pattern.quote(String.valueOf(msh.fieldSeparator()));
        String encoding = msh.encodingCharacters();
        char component = encoding.isEmpty() ? '^' : encoding.charAt(0);
        char repetition = encoding.length() > 1 ? encoding.charAt(1) : '~';
        char subcomponent = encoding.length() > 3 ? encoding.charAt(3) : '&';
        String patient = null;
        String accession = null;
        String obrAccession = null;
        String studyUid = null;
        String zdsStudy = null;
        for (String segment : text.split("[\r\n]+")) {
            if (segment.length() < 4) {
                continue;
            }
            String name = segment.substring(0, 3);
            String[] fields = segment.split(separator, -1);
            switch (name) {
                case "PID" -> {
                    if (patient == null) {
                        String[] cx = firstRepetition(field(fields, 3), repetition).split(Pattern.quote(String.valueOf(component)), -1);
                        String id = cx[0];
                        String authority = cx.length > 3 ? firstOf(cx[3], subcomponent) : "";
                        patient = id.isEmpty() ? null : authority.isEmpty() ? id : id + "^^^" + authority;
                    }
                }
                case "IPC" -> {
                    accession = first(accession, component(field(fields, 1), component, repetition));
                    studyUid = first(studyUid, component(field(fields, 3), component, repetition));
                }
                case "OBR" -> obrAccession = first(obrAccession, component(field(fields, 18), component, repetition));
                case "ZDS" -> zdsStudy = first(zdsStudy, component(field(fields, 1), component, repetition));
                default -> { }
            }
        }
        return new MessageKeys(patient, first(accession, obrAccession), first(studyUid, zdsStudy));
    }

    private static String field(String[] fields, int n) {
        return fields.length > n ? fields[n] : "";
    }

    private static String component(String field, char component, char repetition) {
        String value = firstOf(firstRepetition(field, repetition), component);
        return value.isBlank() ? null : value;
    }

    private static String firstRepetition(String field, char repetition) {
        return firstOf(field, repetition);
    }

    private static String firstOf(String value, char delimiter) {
        int end = value.indexOf(delimiter);
        return end < 0 ? value : value.substring(0, end);
    }

    private static String first(String value, String otherwise) {
        return value != null ? value : otherwise;
    }
}
