package io.imaginggateway.dicom;

import io.imaginggateway.mapping.dicom.DicomInstance;
import io.imaginggateway.site.Feed;
import io.imaginggateway.journal.Arrival;
import java.nio.file.Path;
import java.time.Instant;

/**
 * An instance's header, who sent it (meta.source), the feed whose rules map it, and the file it came in with the folder
 * that file belongs to (the receiver's or the inbox: the file is disposed of once committed, or set aside there).
 * Instances of an import or of DICOM JSON have no file the gateway may touch (null).
 */
public record ReceivedInstance(DicomInstance instance, String source, Feed feed, Path file, Path folder,
        Instant receivedAt, Long replayOf) {

    /** An instance that came in now. */
    public ReceivedInstance(DicomInstance instance, String source, Feed feed, Path file, Path folder) {
        this(instance, source, feed, file, folder, Instant.now(), null);
    }

    /** An instance without a file of the gateway's (an import, DICOM JSON). */
    public ReceivedInstance(DicomInstance instance, String source, Feed feed) {
        this(instance, source, feed, null, null);
    }

    /** The calling AE title of an instance received over the network (null for a file, an import, DICOM JSON). */
    public String callingAeTitle() {
        return source.startsWith(DicomReceiver.SOURCE_PREFIX) ? source.substring(DicomReceiver.SOURCE_PREFIX.length()) : null;
    }

    /** How it came: c-store, inbox, import, dicom-json. */
    public String channel() {
        return channelOf(source);
    }

    static String channelOf(String source) {
        return source.startsWith(DicomReceiver.SOURCE_PREFIX) ? "c-store" : source.startsWith("urn:dicom:json") ? "dicom-json"
                : source.startsWith("urn:dicom:import") ? "import" : source.startsWith("urn:dicom:inbox") ? "inbox" : "file";
    }

    /** As the journal records it. */
    public Arrival arrival() {
        DicomInstance.Issuer issuer = instance.patientIdIssuer();
        String patient = instance.patientId() == null ? null
                : issuer == null || issuer.namespace() == null ? instance.patientId() : instance.patientId() + "^^^" + issuer.namespace();
        String callingAe = callingAeTitle();
        return new Arrival(receivedAt, Arrival.Kind.DICOM, replayOf == null ? channel() : "replay", feed.id(),
                callingAe != null ? callingAe : source, instance.sopClassUid(), instance.sopInstanceUid(), null, patient,
                instance.accessionNumber(), instance.studyInstanceUid(), instance.seriesInstanceUid(),
                file == null ? null : file.toString(), null, null, replayOf, false);
    }

    /** The batch key: instances of one study are written together. */
    public String studyInstanceUid() {
        return instance.studyInstanceUid();
    }
}
