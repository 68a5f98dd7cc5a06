package io.imaginggateway.dicom;

import io.imaginggateway.mapping.dicom.DicomInstance;
import io.imaginggateway.site.Feed;
import java.nio.file.Path;

/**
 * An instance's header, who sent it (meta.source), the feed whose rules map it, and the file it came in with the folder
 * that file belongs to (the receiver's or the inbox: the file is disposed of once committed, or set aside there).
 * Instances of an import or of DICOM JSON have no file the gateway may touch (null).
 */
public record ReceivedInstance(DicomInstance instance, String source, Feed feed, Path file, Path folder) {

    /** An instance without a file of the gateway's (an import, DICOM JSON). */
    public ReceivedInstance(DicomInstance instance, String source, Feed feed) {
        this(instance, source, feed, null, null);
    }

    /** The batch key: instances of one study are written together. */
    public String studyInstanceUid() {
        return instance.studyInstanceUid();
    }
}
