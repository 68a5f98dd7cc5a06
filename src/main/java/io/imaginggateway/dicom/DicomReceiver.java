package io.imaginggateway.dicom;

import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.StoredFilePathStrategy;
import com.pixelmed.network.ReceivedObjectHandler;
import com.pixelmed.network.StorageSOPClassSCPDispatcher;
import io.imaginggateway.health.InboundListener;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The DICOM receiver (C-ECHO and C-STORE of every storage SOP class, PixelMed's network layer) on
 * {@code gateway.dicom.port} with AE title {@code gateway.dicom.ae-title}. Each received file's header is read at once;
 * the instances go to the route {@code direct:dicom-instances}, which writes them per study in batches. The file stays
 * in {@code gateway.dicom.received} until its metadata is committed.
 *
 * <p>An instance that is not usable (cut short, no Study Instance UID) is logged, naming the sender and the reason,
 * and its file moved to {@code received/.failed}. It still gets a success status: PixelMed (20220618) has no way to
 * answer one C-STORE with a failure status from here; an exception aborts the whole association, and the sender would
 * then not send the association's remaining, good instances.
 */
@Component
public class DicomReceiver implements SmartLifecycle, InboundListener {

    private static final Logger log = LoggerFactory.getLogger(DicomReceiver.class);

    private final DicomProperties properties;
    private final DicomHeaderReader reader;
    private final ProducerTemplate routes;
    private volatile StorageSOPClassSCPDispatcher dispatcher;
    private volatile Thread thread;

    DicomReceiver(DicomProperties properties, DicomHeaderReader reader, ProducerTemplate routes) {
        this.properties = properties;
        this.reader = reader;
        this.routes = routes;
    }

    @Override
    public void start() {
        if (properties.port() == 0) {
            log.info("DICOM receiver off (gateway.dicom.port=0)");
            return;
        }
        try {
            Files.createDirectories(properties.received());
            // any transfer syntax, compressed ones included: the pixel data is stored as sent and never decoded
            dispatcher = new StorageSOPClassSCPDispatcher(properties.port(), properties.aeTitle(),
                    properties.received().toFile(), StoredFilePathStrategy.BYSOPINSTANCEUIDINSINGLEFOLDER, new Handler(),
                    null, null, null, new StoreAsSentPolicy(), false);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the DICOM receiver on port " + properties.port(), e);
        }
        thread = new Thread(dispatcher, "dicom-receiver");
        thread.setDaemon(true);
        thread.start();
        log.info("DICOM receiver {} listening on port {}", properties.aeTitle(), properties.port());
    }

    private final class Handler extends ReceivedObjectHandler {
        @Override
        public void sendReceivedObjectIndication(String fileName, String transferSyntax, String callingAeTitle)
                throws DicomException, IOException {
            Path file = new File(fileName).toPath();
            ReceivedInstance received;
            try {
                received = new ReceivedInstance(reader.read(file), file, "urn:dicom:ae:" + callingAeTitle.strip());
            } catch (DicomHeaderReader.DicomReadException e) {
                Path failed = properties.received().resolve(".failed").resolve(file.getFileName());
                log.error("C-STORE from {}: instance not stored, moved to {}: {}", callingAeTitle.strip(), failed, e.getMessage());
                Files.createDirectories(failed.getParent());
                Files.move(file, failed, StandardCopyOption.REPLACE_EXISTING);
                return;
            }
            routes.sendBody("direct:dicom-instances", received);
        }
    }

    @Override
    public String describe() {
        return properties.port() == 0 ? "DICOM receiver off" : "DICOM " + properties.aeTitle() + " :" + properties.port();
    }

    @Override
    public void stop() {
        StorageSOPClassSCPDispatcher running = dispatcher;
        dispatcher = null;
        if (running != null) {
            running.shutdown();
        }
    }

    @Override
    public boolean isRunning() {
        return dispatcher != null;
    }

    /** After the routes it feeds (Camel starts in the default phase) and before the HTTP server announces ready. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2000;
    }
}
