package io.imaginggateway.dicom;

import io.imaginggateway.audit.AuditTrail;
import io.imaginggateway.health.InboundListener;
import io.imaginggateway.metrics.GatewayMetrics;
import io.imaginggateway.security.TlsPorts;
import io.imaginggateway.site.Feeds;
import io.imaginggateway.site.PeerAllowList;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The DICOM receiver (C-ECHO and C-STORE of every storage SOP class) on {@code gateway.dicom.port} with AE title
 * {@code gateway.dicom.ae-title}; each association is served by a {@link StorageAssociation}. A received instance is
 * written to {@code gateway.dicom.received/.incoming} while it arrives, then moved to {@code gateway.dicom.received}
 * and its header read; then the instance goes through the route that consumes the {@code dicom:store} endpoint
 * ({@link DicomComponent}; camel-routes/dicom-receiver.camel.yaml: check, then {@code direct:dicom-instances}, which
 * writes the instances per study in batches) before the C-STORE is answered with what that route did. The file stays
 * until its metadata is committed, so an instance that got Success survives a crash. The route's consumer starts and
 * stops the receiver.
 *
 * <p>An instance that is not usable (cut short, no Study Instance UID) gets status C000 (Cannot Understand) with the
 * reason as Error Comment, is logged naming the sender and the reason, and its file moved to {@code received/.failed};
 * the association goes on.
 */
@Component
public class DicomReceiver implements InboundListener {

    private static final Logger log = LoggerFactory.getLogger(DicomReceiver.class);
    /** meta.source of what a C-STORE sent: this, then the calling AE title. */
    static final String SOURCE_PREFIX = "urn:dicom:ae:";
    /**
     * Start of the name of a received file's folder, then its sender's calling AE title (URL-encoded): never empty and
     * never a dot folder (.incoming, .failed), whatever the AE title.
     */
    private static final String SENDER_FOLDER = "from-";

    private final GatewayMetrics metrics;
    private final DicomProperties properties;
    private final DicomIntake intake;
    private final Feeds feeds;
    private final TlsPorts tlsPorts;
    private final AuditTrail audit;
    private final Set<Socket> associations = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private ExecutorService workers;
    private volatile Route route;

    /** The route a received instance goes through before its C-STORE is answered. */
    interface Route {
        /** @throws IOException or a runtime exception: what the route failed with (the C-STORE's status says it) */
        void take(ReceivedInstance received) throws IOException;
    }

    DicomReceiver(DicomProperties properties, DicomIntake intake, Feeds feeds, GatewayMetrics metrics, TlsPorts tlsPorts,
            AuditTrail audit) {
        this.metrics = metrics;
        this.properties = properties;
        this.intake = intake;
        this.feeds = feeds;
        this.tlsPorts = tlsPorts;
        this.audit = audit;
    }

    /** Started by the route's consumer once the routes it hands on to run. */
    synchronized void start(Route route) {
        if (server != null) {
            return;
        }
        this.route = route;
        if (properties.port() == 0) {
            log.info("DICOM receiver off (gateway.dicom.port=0)");
            return;
        }
        try {
            Files.createDirectories(properties.received());
            clearIncoming();
            resumeLeftovers();
            server = properties.tls().enabled() ? tlsPorts.serverSocket(properties.tls(), properties.port())
                    : new ServerSocket(properties.port());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the DICOM receiver on port " + properties.port(), e);
        }
        AtomicInteger number = new AtomicInteger();
        workers = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "dicom-association-" + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        Thread acceptor = new Thread(() -> acceptAssociations(server), "dicom-receiver");
        acceptor.setDaemon(true);
        acceptor.start();
        log.info("DICOM receiver {} listening on port {}{}", properties.aeTitle(), properties.port(),
                properties.tls().enabled() ? " (TLS)" : "");
    }

    private void acceptAssociations(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket socket = listening.accept();
                associations.add(socket);
                workers.execute(() -> {
                    try {
                        serve(socket);
                    } finally {
                        associations.remove(socket);
                    }
                });
            } catch (IOException e) {
                if (!listening.isClosed()) {
                    log.warn("DICOM receiver: cannot accept a connection: {}", e.getMessage());
                }
            }
        }
    }

    /**
     * One connection: its TLS handshake, then its A-ASSOCIATE-RQ, checked against the allow-list of the feed its
     * calling AE title belongs to and against the association limit (refused: A-ASSOCIATE-RJ, logged, audited), then
     * the association itself. Every PDU is limited to what the receiver offered; a connection that sends nothing for
     * {@code gateway.dicom.idle-timeout} is dropped.
     */
    private void serve(Socket socket) {
        String address = socket.getInetAddress().getHostAddress();
        try (socket) {
            socket.setSoTimeout((int) properties.idleTimeout().toMillis());
            if (socket instanceof SSLSocket tls) {
                tls.startHandshake();
            }
            InputStream input = new PduLimitedInputStream(socket.getInputStream(), StorageAssociation.MAX_PDU_LENGTH);
            AssociationRequest request = AssociationRequest.read(input);
            String callingAeTitle = request.callingAeTitle();
            PeerAllowList peers = feeds.forCallingAeTitle(callingAeTitle).peers();
            String refusal = peers.refusesAddress(socket.getInetAddress());
            int reason = AssociationRequest.NO_REASON;
            if (refusal == null) {
                refusal = peers.refusesAeTitle(callingAeTitle);
                reason = AssociationRequest.CALLING_AE_NOT_RECOGNIZED;
            }
            if (refusal != null) {
                log.warn("DICOM association from {} at {} rejected: {}", callingAeTitle, address, refusal);
                audit.peerRejected("DICOM", callingAeTitle, address, refusal);
                AssociationRequest.reject(socket.getOutputStream(), AssociationRequest.PERMANENT,
                        AssociationRequest.SERVICE_USER, reason);
                return;
            }
            if (associations.size() > properties.maxAssociations()) {
                log.warn("DICOM association from {} at {} rejected: {} associations at once (gateway.dicom.max-associations)",
                        callingAeTitle, address, properties.maxAssociations());
                AssociationRequest.reject(socket.getOutputStream(), AssociationRequest.TRANSIENT,
                        AssociationRequest.SERVICE_PROVIDER_PRESENTATION, AssociationRequest.LOCAL_LIMIT_EXCEEDED);
                return;
            }
            new StorageAssociation(new ReplayingSocket(socket, request.bytes(), input), properties.aeTitle(), incoming(),
                    properties.maxInstanceSize().toBytes(), this::accept, new AssociationAudit(address)).run();
        } catch (IOException | RuntimeException e) {
            // a failed TLS handshake, a connection that was not DICOM, a PDU over the limit
            log.warn("DICOM connection from {} refused: {}", address, e.getMessage());
            if (socket instanceof SSLSocket) {
                audit.peerRejected("DICOM TLS", "", address, String.valueOf(e.getMessage()));
            }
        }
    }

    /** Counts each association and audits what it brought. */
    private final class AssociationAudit implements StorageAssociation.Listener {

        private final String address;

        AssociationAudit(String address) {
            this.address = address;
        }

        @Override
        public void associated(String callingAeTitle) {
            metrics.dicomAssociation(callingAeTitle);
        }

        @Override
        public void ended(String callingAeTitle, Set<String> studies, int stored, int failed, String ending) {
            audit.dicomAssociation(callingAeTitle, address, properties.aeTitle(), studies, stored, failed, ending);
        }
    }

    private Path incoming() {
        return properties.received().resolve(".incoming");
    }

    /** Parts of instances whose transfer a stop or crash cut off: never acknowledged, so the sender still has them. */
    private void clearIncoming() throws IOException {
        if (Files.isDirectory(incoming())) {
            try (Stream<Path> parts = Files.list(incoming())) {
                for (Path part : parts.toList()) {
                    Files.deleteIfExists(part);
                }
            }
        }
    }

    /**
     * Files received before a crash or kill whose metadata was never committed (they are deleted or archived once
     * it is): they go through the route again, with the sender (and so the feed) their folder names, so an instance
     * that got a success status is not lost.
     */
    private void resumeLeftovers() throws IOException {
        List<Path> leftovers;
        try (Stream<Path> files = Files.walk(properties.received(), 2)) {
            leftovers = files.filter(Files::isRegularFile).filter(f -> {
                Path below = properties.received().relativize(f);
                return below.getNameCount() == 1 || below.getName(0).toString().startsWith(SENDER_FOLDER);
            }).sorted().toList();
        }
        if (!leftovers.isEmpty()) {
            log.info("DICOM receiver: {} instance(s) received before the last stop are stored now", leftovers.size());
        }
        for (Path file : leftovers) {
            Path below = properties.received().relativize(file);
            String callingAeTitle = below.getNameCount() == 2 ? URLDecoder.decode(
                    below.getName(0).toString().substring(SENDER_FOLDER.length()), StandardCharsets.UTF_8) : "unknown";
            try {
                take(file, callingAeTitle);
            } catch (IOException | DicomIntake.InstanceHeld e) {
                // logged, and moved to received/.failed or held
            }
        }
    }

    /**
     * A C-STORE's file, complete: kept until committed in the received folder's folder of its sender (which a restart
     * after a crash reads the sender from), read, and handed to the route.
     */
    private String accept(Path arrived, String callingAeTitle) throws IOException {
        Path folder = properties.received().resolve(SENDER_FOLDER + URLEncoder.encode(callingAeTitle, StandardCharsets.UTF_8));
        Files.createDirectories(folder);
        return take(Files.move(arrived, folder.resolve(arrived.getFileName())), callingAeTitle);
    }

    /**
     * Reads a received file and hands it to the route; a file that is not a usable instance is set aside, one that
     * conflicts held (both thrown).
     *
     * @return its Study Instance UID
     */
    private String take(Path file, String callingAeTitle) throws IOException {
        ReceivedInstance received = intake.readOrSetAside(file, properties.received(), SOURCE_PREFIX + callingAeTitle,
                feeds.forCallingAeTitle(callingAeTitle));
        route.take(received);
        return received.studyInstanceUid();
    }

    @Override
    public String describe() {
        return properties.port() == 0 ? "DICOM receiver off" : "DICOM " + properties.aeTitle() + " :" + properties.port();
    }

    /** Stops listening and ends open associations; an instance still arriving was not acknowledged and is dropped. */
    synchronized void stop() {
        ServerSocket running = server;
        server = null;
        if (running == null) {
            return;
        }
        try {
            running.close();
        } catch (IOException e) {
            log.warn("DICOM receiver: closing port {}: {}", properties.port(), e.getMessage());
        }
        for (Socket socket : associations) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
        workers.shutdown();
        try {
            workers.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
