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

    /** Why an input is not a usable DICOM instance; the message names the input. */
    final class DicomReadException extends IOException {
        private final String reason;

        public DicomReadException(String name, String reason, Throwable cause) {
            super(name + ": " + reason, cause);
            this.reason = reason;
        }

        /** Why, without the input's name (for a peer that knows which instance it sent). */
        public String reason() {
            return reason;
        }

        /** Why a file could not be used: the reader's reason, or the I/O error's message. */
        public static String reasonOf(IOException e) {
            return e instanceof DicomReadException unusable ? unusable.reason() : e.getMessage();
        }
    }
}
