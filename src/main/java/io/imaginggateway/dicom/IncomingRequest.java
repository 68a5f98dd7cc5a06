package io.imaginggateway.dicom;

import com.pixelmed.dicom.Attribute;
import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.DicomOutputStream;
import com.pixelmed.dicom.FileMetaInformation;
import com.pixelmed.dicom.TagFromName;
import com.pixelmed.dicom.TransferSyntax;
import com.pixelmed.network.Association;
import com.pixelmed.network.CompositeResponseHandler;
import com.pixelmed.network.DicomNetworkException;
import com.pixelmed.network.PDataPDU;
import com.pixelmed.network.PresentationDataValue;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One DIMSE request as it arrives on an association (PixelMed's P-DATA handling): the command set, and a C-STORE's
 * data set streamed as sent into a Part 10 file (file meta information, then the sender's bytes; never decoded).
 * Other requests' data sets are read and dropped.
 *
 * <p>PixelMed's own SCP answers every C-STORE with Success before its handler sees the file; collecting the request
 * here lets {@link StorageAssociation} answer with the outcome. (PixelMed opens its P-DATA hook to applications only
 * through {@link CompositeResponseHandler}, so this extends it and replaces its whole handling.)
 */
final class IncomingRequest extends CompositeResponseHandler {

    static final int C_STORE_RQ = 0x0001;
    static final int C_ECHO_RQ = 0x0030;
    private static final int NO_DATA_SET = 0x0101;

    /** A command set is a few hundred bytes; more is not a command (PS3.7 9.3). */
    private static final int MAX_COMMAND_BYTES = 64 * 1024;

    private final Path incoming;
    private final long maxInstanceBytes;
    private long instanceBytes;
    private final ByteArrayOutputStream commandBytes = new ByteArrayOutputStream(256);
    private AttributeList command;
    private byte presentationContext;
    private Path file;
    private OutputStream data;

    /**
     * @param incoming where a C-STORE's file is written while it arrives
     * @param maxInstanceBytes the largest data set taken (more ends the association)
     */
    IncomingRequest(Path incoming, long maxInstanceBytes) {
        this.incoming = incoming;
        this.maxInstanceBytes = maxInstanceBytes;
    }

    @Override
    public void sendPDataIndication(PDataPDU pdu, Association association)
            throws DicomNetworkException, DicomException, IOException {
        for (Object item : pdu.getPDVList()) {
            PresentationDataValue pdv = (PresentationDataValue) item;
            if (pdv.isCommand()) {
                if (commandBytes.size() + pdv.getValue().length > MAX_COMMAND_BYTES) {
                    throw new DicomNetworkException("Command set larger than " + MAX_COMMAND_BYTES + " bytes");
                }
                commandBytes.write(pdv.getValue());
                if (pdv.isLastFragment()) {
                    presentationContext = pdv.getPresentationContextID();
                    command = getAttributeListFromCommandOrData(commandBytes.toByteArray(), TransferSyntax.ImplicitVRLittleEndian);
                    setDone(Attribute.getSingleIntegerValueOrDefault(command, TagFromName.CommandDataSetType, 0) == NO_DATA_SET);
                }
            } else {
                if (command == null) {
                    throw new DicomNetworkException("Data set fragment before the command set");
                }
                if (data == null) {
                    data = openData(association);
                }
                instanceBytes += pdv.getValue().length;
                if (instanceBytes > maxInstanceBytes) {
                    throw new DicomNetworkException("Instance " + affectedSopInstanceUid() + " larger than "
                            + maxInstanceBytes + " bytes (gateway.dicom.max-instance-size)");
                }
                data.write(pdv.getValue());
                if (pdv.isLastFragment()) {
                    data.close();
                    setDone(true);
                }
            }
        }
    }

    /** A C-STORE's data set goes into a Part 10 file; any other request's is not wanted. */
    private OutputStream openData(Association association) throws DicomNetworkException, DicomException, IOException {
        if (commandField() != C_STORE_RQ) {
            return OutputStream.nullOutputStream();
        }
        Files.createDirectories(incoming);
        file = Files.createTempFile(incoming, fileNameSafe(affectedSopInstanceUid()) + "-", ".dcm");
        FileMetaInformation meta = new FileMetaInformation(affectedSopClassUid(), affectedSopInstanceUid(),
                association.getTransferSyntaxForPresentationContextID(presentationContext),
                association.getCallingAETitle());
        ByteArrayOutputStream header = new ByteArrayOutputStream(512);
        DicomOutputStream metaOut = new DicomOutputStream(header, TransferSyntax.ExplicitVRLittleEndian, null);
        meta.getAttributeList().write(metaOut);
        metaOut.flush();
        // unbuffered: the data set comes in fragments as large as the PDUs, each written as it is
        OutputStream out = Files.newOutputStream(file);
        header.writeTo(out);
        return out;
    }

    /** A file name part from a UID (digits and dots); anything else a sender put there is replaced. */
    private static String fileNameSafe(String uid) {
        String safe = uid.replaceAll("[^0-9.]", "_");
        return safe.isEmpty() ? "instance" : safe;
    }

    int commandField() {
        return Attribute.getSingleIntegerValueOrDefault(command, TagFromName.CommandField, 0);
    }

    int messageId() {
        return Attribute.getSingleIntegerValueOrDefault(command, TagFromName.MessageID, 0);
    }

    String affectedSopClassUid() {
        return Attribute.getSingleStringValueOrEmptyString(command, TagFromName.AffectedSOPClassUID);
    }

    String affectedSopInstanceUid() {
        return Attribute.getSingleStringValueOrEmptyString(command, TagFromName.AffectedSOPInstanceUID);
    }

    byte presentationContext() {
        return presentationContext;
    }

    /** The received C-STORE data set as a Part 10 file (null for other requests). */
    Path file() {
        return file;
    }

    /** Deletes what an aborted transfer left. */
    void discard() {
        try {
            if (data != null) {
                data.close();
            }
            if (file != null) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            // a left-over temporary file is removed at the next start
        }
    }

    /** Not used: the requests a peer sends are collected by {@link #sendPDataIndication}, not evaluated as responses. */
    @Override
    protected void evaluateStatusAndSetSuccess(AttributeList list) {
        throw new UnsupportedOperationException("an incoming request is not a response");
    }
}
