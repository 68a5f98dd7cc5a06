package io.imaginggateway.dicom;

import io.imaginggateway.mapping.dicom.DicomInstance;
import java.nio.file.Path;

/** An instance's header, the file it came in (disposed of once committed), and who sent it (meta.source). */
public record ReceivedInstance(DicomInstance instance, Path file, String source) {

    /** The batch key: instances of one study are written together. */
    public String studyInstanceUid() {
        return instance.studyInstanceUid();
    }
}
