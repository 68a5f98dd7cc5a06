package io.imaginggateway.mapping.dicom;

import java.util.List;

/**
 * A DICOM data set as the gateway reads it, whatever it was encoded in (a Part 10 file read by the DICOM library,
 * PS3.18 DICOM JSON): string values by tag ({@code 0x0020000D}), blank values as null, and sequence items.
 */
public interface DicomAttributes {

    /** The first value, trimmed; null when absent or blank. A person name is its alphabetic group. */
    String string(int tag);

    /** Every non-blank value, trimmed. */
    List<String> strings(int tag);

    /** The items of a sequence; empty when absent. */
    List<DicomAttributes> items(int tag);
}
