package io.imaginggateway.dicom;

import io.imaginggateway.mapping.dicom.DicomInstance;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/** Reads an instance's header, up to (never into) its pixel data: the one place the DICOM library is used. */
public interface DicomHeaderReader {

    /** @throws DicomReadException when the file is not DICOM, is cut short, or lacks the UIDs an instance needs */
    DicomInstance read(Path file) throws IOException;

    /** A Part 10 stream (preamble, "DICM", meta header, data set) or a bare data set in implicit VR little endian. */
    DicomInstance read(InputStream in, String name) throws IOException;

    /** Why an input is not a usable DICOM instance, naming the input. */
    final class DicomReadException extends IOException {
        public DicomReadException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
