package io.imaginggateway.dicom;

import com.pixelmed.dicom.StoredFilePathStrategy;
import com.pixelmed.network.ReceivedObjectHandler;
import com.pixelmed.network.StorageSOPClassSCPDispatcher;
import io.imaginggateway.health.InboundListener;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.spring.boot.CamelContextConfiguration;
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
 * and its file moved to {@code received/.failed}. It still gets a success status: PixelMed (20220618) builds every
 * C-STORE response with status Success once the file is written, and an exception from here aborts the whole
 * association, so the sender would not send the association's remaining, good instances.
 */
@Component
public class DicomReceiver implements SmartLifecycle, CamelContextConfiguration, InboundListener {

    private static final Logger log = LoggerFactory.getLogger(DicomReceiver.class);

    private final DicomProperties properties;
    private final DicomIntake intake;
    private final ProducerTemplate routes;
    private volatile StorageSOPClassSCPDispatcher dispatcher;
    private volatile Thread thread;

    DicomReceiver(DicomProperties properties, DicomIntake intake, ProducerTemplate routes) {
        this.properties = properties;
        this.intake = intake;
        this.routes = routes;
    }

    @Override
    public void beforeApplicationStart(CamelContext camel) {
        // nothing before the routes start
    }

    /** Once the routes run (Camel starts after the Spring lifecycle beans): nothing is received before they can take it. */
    @Override
    public void afterApplicationStart(CamelContext camel) {
        start();
    }

    /** Started by {@link #afterApplicationStart}, stopped by Spring with the other lifecycle beans. */
    @Override
    public boolean isAutoStartup() {
        return false;
    }

    @Override
    public void start() {
        if (properties.port() == 0 || dispatcher != null) {
            log.info("DICOM receiver off (gateway.dicom.port=0)");
            return;
        }
        try {
            Files.createDirectories(properties.received());
            resumeLeftovers();
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

    /**
     * Files received before a crash or kill whose metadata was never committed (they are deleted or archived once
     * it is): they go through the route again, so an instance that got a success status is not lost.
     */
    private void resumeLeftovers() throws IOException {
        List<Path> leftovers;
        try (Stream<Path> files = Files.list(properties.received())) {
            leftovers = files.filter(Files::isRegularFile).sorted().toList();
        }
        if (!leftovers.isEmpty()) {
            log.info("DICOM receiver: {} instance(s) received before the last stop are stored now", leftovers.size());
        }
        for (Path file : leftovers) {
            accept(file, "urn:dicom:ae:unknown");
        }
    }

    /** Reads a received file and hands it to the route; a file that is not a usable instance is set aside. */
    private void accept(Path file, String source) {
        try {
            routes.sendBody("direct:dicom-instances", intake.read(file, properties.received(), source));
        } catch (IOException e) {
            // logged and moved to received/.failed by read
        }
    }

    private final class Handler extends ReceivedObjectHandler {
        @Override
        public void sendReceivedObjectIndication(String fileName, String transferSyntax, String callingAeTitle) {
            accept(new File(fileName).toPath(), "urn:dicom:ae:" + callingAeTitle.strip());
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

    /** Stops before the routes it feeds. */
    @Override
    public int getPhase() {
        return Integer.MAX_VALUE - 2000;
    }
}
