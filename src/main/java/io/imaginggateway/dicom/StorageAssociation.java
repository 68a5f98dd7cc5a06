package io.imaginggateway.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.AttributeTag;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.LongStringAttribute;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.dicom.UniqueIdentifierAttribute;
import com.pixelmed.dicom.UnsignedLongAttribute;
import com.pixelmed.dicom.UnsignedShortAttribute;
import com.pixelmed.network.AReleaseException;
import com.pixelmed.network.Association;
import com.pixelmed.network.AssociationFactory;
import com.pixelmed.network.DicomNetworkException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One association with a sender (PixelMed's association layer): its C-ECHO and C-STORE requests one after the other,
 * each answered once its outcome is known. A C-STORE gets Success once its file is on disk and its header read; an
 * instance that is not usable gets C000 (Cannot Understand) with the reason in Error Comment (0000,0902), and one the
 * gateway cannot take now A700 (Out of Resources), so the sender knows which instance failed while the association
 * goes on with the rest.
 */
final class StorageAssociation implements Runnable {

    /**
     * What the receiver does with a received instance's file: throws {@link DicomHeaderReader.DicomReadException}
     * when the instance is not usable, another exception when it cannot be taken now.
     */
    interface Receipt {
        /** @return the instance's Study Instance UID */
        String accept(Path file, String callingAeTitle) throws IOException;
    }

    /** Told of the association's start and, for its audit, of what it brought when it ends. */
    interface Listener {
        void associated(String callingAeTitle);

        void ended(String callingAeTitle, Set<String> studies, int stored, int failed, String ending);
    }

    /** The largest PDU senders may send us: fewer, larger PDUs per instance than PixelMed's 16 KB default. */
    static final int MAX_PDU_LENGTH = 256 * 1024;

    static final int SUCCESS = 0x0000;
    /** PS3.7 C.4.2: Refused, Out of Resources (the gateway could not take the instance now; the sender may retry). */
    static final int OUT_OF_RESOURCES = 0xA700;
    /** PS3.7 C.4.2: Error, Cannot Understand (not a usable instance: cut short, no Study Instance UID, ...). */
    static final int CANNOT_UNDERSTAND = 0xC000;
    /**
     * Refused: the instance's Patient ID or accession number conflicts with what is stored (the code dcm4chee-arc
     * answers conflicting patient IDs with); Error Comment says which, and the conflict is held for an operator.
     */
    static final int CONFLICTING_PATIENT = 0xA778;
    /** PS3.7 C.4.2 (general status): a request other than C-ECHO and C-STORE. */
    static final int UNRECOGNIZED_OPERATION = 0x0211;
    private static final int NO_DATA_SET = 0x0101;
    private static final AttributeTag COMMAND_GROUP_LENGTH = new AttributeTag(0x0000, 0x0000);
    private static final int ERROR_COMMENT_MAX = 64;

    private static final Logger log = LoggerFactory.getLogger(StorageAssociation.class);

    private final Socket socket;
    private final String aeTitle;
    private final Path incoming;
    private final long maxInstanceBytes;
    private final Receipt receipt;
    private final Listener listener;
    private final Set<String> studies = new LinkedHashSet<>();
    private int stored;
    private int failed;

    /**
     * @param aeTitle  the called AE title the receiver answers to (others are rejected)
     * @param incoming where instances are written while they arrive
     * @param maxInstanceBytes the largest instance taken
     */
    StorageAssociation(Socket socket, String aeTitle, Path incoming, long maxInstanceBytes, Receipt receipt,
            Listener listener) {
        this.socket = socket;
        this.listener = listener;
        this.aeTitle = aeTitle;
        this.incoming = incoming;
        this.maxInstanceBytes = maxInstanceBytes;
        this.receipt = receipt;
    }

    @Override
    public void run() {
        String peer = socket.getRemoteSocketAddress().toString();
        String callingAeTitle = null;
        String ending = "released";
        try (socket) {
            Association association = AssociationFactory.createNewAssociation(socket, aeTitle, MAX_PDU_LENGTH,
                    AssociationFactory.getDefaultReceiveBufferSize(), AssociationFactory.getDefaultSendBufferSize(),
                    new StoreAsSentPolicy());
            callingAeTitle = association.getCallingAETitle().strip();
            peer = callingAeTitle + " " + peer;
            listener.associated(callingAeTitle);
            while (true) {
                serveOneRequest(association);
            }
        } catch (AReleaseException released) {
            log.debug("DICOM association with {} released", peer);
        } catch (DicomNetworkException | DicomException | IOException e) {
            // a rejected association (wrong called AE title, nothing acceptable), an abort, a dropped connection
            ending = "ended: " + e.getMessage();
            log.warn("DICOM association with {} ended: {}", peer, e.getMessage());
        }
        if (callingAeTitle != null) {
            listener.ended(callingAeTitle, studies, stored, failed, ending);
        }
    }

    private void serveOneRequest(Association association)
            throws AReleaseException, DicomNetworkException, DicomException, IOException {
        IncomingRequest request = new IncomingRequest(incoming, maxInstanceBytes);
        association.setReceivedDataHandler(request);
        try {
            association.waitForPDataPDUsUntilHandlerReportsDone();
        } catch (AReleaseException | DicomNetworkException | RuntimeException e) {
            request.discard();
            throw e;
        }
        int status = SUCCESS;
        String comment = null;
        switch (request.commandField()) {
            case IncomingRequest.C_ECHO_RQ -> { }
            case IncomingRequest.C_STORE_RQ -> {
                try {
                    studies.add(receipt.accept(request.file(), association.getCallingAETitle().strip()));
                    stored++;
                } catch (DicomHeaderReader.DicomReadException unusable) {
                    status = CANNOT_UNDERSTAND;
                    comment = unusable.reason();
                } catch (DicomIntake.InstanceHeld held) {
                    status = CONFLICTING_PATIENT;
                    comment = held.comment();
                } catch (IOException | RuntimeException cannotTake) {
                    // the file could not be kept or handed on (disk, shutdown): the sender still has the instance
                    log.error("DICOM: instance {} received but not taken", request.affectedSopInstanceUid(), cannotTake);
                    status = OUT_OF_RESOURCES;
                    comment = "Gateway cannot store now, please resend";
                }
            }
            default -> {
                status = UNRECOGNIZED_OPERATION;
                comment = "Only C-ECHO and C-STORE";
            }
        }
        if (status != SUCCESS && request.commandField() == IncomingRequest.C_STORE_RQ) {
            failed++;
        }
        association.send(request.presentationContext(), response(request, status, comment), null);
    }

    /** The response command set (PS3.7 9.3): implicit VR little endian, group length first. */
    static byte[] response(IncomingRequest request, int status, String comment) throws DicomException, IOException {
        AttributeList list = new AttributeList();
        put(list, new UniqueIdentifierAttribute(TagFromName.AffectedSOPClassUID), request.affectedSopClassUid());
        put(list, new UnsignedShortAttribute(TagFromName.CommandField), 0x8000 | request.commandField());
        put(list, new UnsignedShortAttribute(TagFromName.MessageIDBeingRespondedTo), request.messageId());
        put(list, new UnsignedShortAttribute(TagFromName.CommandDataSetType), NO_DATA_SET);
        put(list, new UnsignedShortAttribute(TagFromName.Status), status);
        if (!request.affectedSopInstanceUid().isEmpty()) {
            put(list, new UniqueIdentifierAttribute(TagFromName.AffectedSOPInstanceUID), request.affectedSopInstanceUid());
        }
        if (comment != null) {
            String oneLine = comment.replaceAll("[\\r\\n\\\\]+", " ").strip();
            put(list, new LongStringAttribute(TagFromName.ErrorComment),
                    oneLine.substring(0, Math.min(ERROR_COMMENT_MAX, oneLine.length())));
        }
        byte[] elements = implicitLittleEndian(list);
        put(list, new UnsignedLongAttribute(COMMAND_GROUP_LENGTH), elements.length);
        return implicitLittleEndian(list);
    }

    private static void put(AttributeList list, Attribute attribute, String value) throws DicomException {
        attribute.addValue(value);
        list.put(attribute);
    }

    private static void put(AttributeList list, Attribute attribute, int value) throws DicomException {
        attribute.addValue(value);
        list.put(attribute);
    }

    private static byte[] implicitLittleEndian(AttributeList list) throws DicomException, IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
        DicomOutputStream out = new DicomOutputStream(bytes, null, TransferSyntax.ImplicitVRLittleEndian);
        list.write(out);
        out.flush();
        return bytes.toByteArray();
    }
}
