package io.imaginggateway.mapping.v2;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;

/**
 * HL7 v2 DTM/TS ({@code YYYY[MM[DD[HH[MM[SS[.S...]]]]]][+/-ZZZZ]}) and DICOM DA+TM to FHIR dateTime or date, keeping
 * the precision that was sent: HL7 allows four fractional digits, DICOM six (Siemens and Philips send six), FHIR up to
 * nine, so up to nine are kept. FHIR requires an offset once a time is present: the value's own offset when it has
 * one, else the given zone at that moment (daylight saving included) — never the JVM's zone. An hour without minutes
 * is widened to minutes, since FHIR has no hour precision. A value that is not a DTM gives null: a bad optional date
 * should not cost the whole message.
 */
public final class DtmToDateTime {

    private static final Pattern DTM = Pattern.compile(
            "(\\d{4})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:(\\d{2})(?:\\.(\\d{1,9}))?)?)?)?)?)?\\s*([+-]\\d{4})?");

    private DtmToDateTime() {}

    public static DateTimeType dateTime(String dtm, ZoneId zone) {
        Matcher m = match(dtm);
        if (m == null) {
            return null;
        }
        StringBuilder iso = new StringBuilder(m.group(1));
        if (m.group(2) != null) {
            iso.append('-').append(m.group(2));
        }
        if (m.group(3) != null) {
            iso.append('-').append(m.group(3));
        }
        if (m.group(4) == null) {
            return new DateTimeType(iso.toString());
        }
        String minute = m.group(5) != null ? m.group(5) : "00";
        iso.append('T').append(m.group(4)).append(':').append(minute).append(':')
                .append(m.group(6) != null ? m.group(6) : "00");
        if (m.group(7) != null) {
            iso.append('.').append(m.group(7));
        }
        try {
            iso.append(offset(m, zone));
            return new DateTimeType(iso.toString());
        } catch (IllegalArgumentException | DateTimeException e) {
            return null; // e.g. month 13, hour 25
        }
    }

    /** The date part only (PID-7 birth date). */
    public static DateType date(String dtm) {
        Matcher m = match(dtm);
        if (m == null) {
            return null;
        }
        String iso = m.group(1) + (m.group(2) != null ? "-" + m.group(2) : "") + (m.group(3) != null ? "-" + m.group(3) : "");
        try {
            return new DateType(iso);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** Whether the value carries a time of day (PID-7 longer than a date adds the patient-birthTime extension). */
    public static boolean hasTime(String dtm) {
        Matcher m = match(dtm);
        return m != null && m.group(4) != null;
    }

    /** The offset a DTM carries ({@code +0100}), as a zone; null when it has none or is not a DTM. */
    public static ZoneOffset offsetOf(String dtm) {
        Matcher m = match(dtm);
        if (m == null || m.group(8) == null) {
            return null;
        }
        try {
            return ZoneOffset.of(m.group(8).substring(0, 3) + ":" + m.group(8).substring(3));
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static Matcher match(String dtm) {
        if (dtm == null || dtm.isBlank()) {
            return null;
        }
        Matcher m = DTM.matcher(dtm.trim());
        return m.matches() ? m : null;
    }

    private static String offset(Matcher m, ZoneId zone) {
        String sent = m.group(8);
        if (sent != null) {
            return sent.substring(0, 3) + ":" + sent.substring(3);
        }
        LocalDateTime local = LocalDateTime.of(Integer.parseInt(m.group(1)),
                m.group(2) != null ? Integer.parseInt(m.group(2)) : 1, m.group(3) != null ? Integer.parseInt(m.group(3)) : 1,
                Integer.parseInt(m.group(4)), m.group(5) != null ? Integer.parseInt(m.group(5)) : 0);
        ZoneOffset offset = zone.getRules().getOffset(local);
        return offset.getTotalSeconds() == 0 ? "Z" : offset.getId();
    }
}
