package io.imaginggateway.audit;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventAction;
import org.hl7.fhir.r4.model.AuditEvent.AuditEventOutcome;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.sql.SQLTransientException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;

/**
 * The audit trail: FHIR R4 AuditEvents stored in the gateway's own FHIR store ({@code /fhir/AuditEvent}, searchable
 * like any resource, readable with {@code system/AuditEvent.rs}), written before the access they record is answered.
 * FHIR reads, searches and writes by clients come from HAPI's BALP capture ({@link BalpAudit}); the gateway's own
 * events (HL7 messages, DICOM associations, refused logins and peers, admin replays and imports) from here, coded
 * with DICOM's audit event IDs (PS3.15 A.5). An event the database cannot take now (an outage; for the gateway's own
 * events, any failure) is kept as a file in {@code gateway.audit.spool} and stored when it can be: no event lives
 * only in memory.
 */
@Component
public class AuditTrail {

    private static final Logger log = LoggerFactory.getLogger(AuditTrail.class);
    private static final String DCM = "http://dicom.nema.org/resources/ontology/DCM";
    private static final String ENTITY_TYPE = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
    private static final String ENTITY_ROLE = "http://terminology.hl7.org/CodeSystem/object-role";
    private static final String NETWORK_IP = "2";
    /** The journal entry an AuditEvent names (GET /api/messages/{id}). */
    private static final String JOURNAL_SYSTEM = "urn:imaginggateway:journal";
    /**
     * Refused logins recorded per address and second; more (a password-guessing loop) are counted, and the next one
     * recorded says how many were left out: a flood of bad requests cannot flood the database.
     */
    private static final int REFUSALS_PER_SECOND = 20;

    private final ObjectProvider<DaoRegistry> daos;
    private final FhirContext fhirContext;
    private final Path spool;
    private final String observer;
    private final Map<String, long[]> refusals = new ConcurrentHashMap<>();

    AuditTrail(ObjectProvider<DaoRegistry> daos, FhirContext fhirContext,
            @Value("${gateway.audit.spool:${gateway.data-dir}/audit-spool}") Path spool,
            @Value("${gateway.journal.instance:}") String instance) {
        this.daos = daos;
        this.fhirContext = fhirContext;
        this.spool = spool;
        this.observer = "imaging-gateway " + (instance.isBlank() ? hostName() : instance);
    }

    /** An HL7 v2 message received, with what became of it. */
    public void hl7Message(String sender, String address, String feed, String messageType, String controlId,
            Long journalId, String patient, String status, boolean stored) {
        AuditEvent event = event(DCM, "110107", "Import", AuditEventAction.C, stored, "HL7 " + messageType + " "
                + controlId + ": " + status + (journalId == null ? "" : " (journal entry " + journalId + ")"));
        agent(event, sender, address, true);
        agent(event, "feed " + feed, null, false);
        AuditEvent.AuditEventEntityComponent message = event.addEntity();
        message.setType(new Coding(ENTITY_TYPE, "2", "System Object")).setRole(new Coding(ENTITY_ROLE, "20", "Job"))
                .setName("HL7 " + messageType + " " + controlId);
        if (journalId != null) {
            message.setWhat(new Reference().setIdentifier(new Identifier().setSystem(JOURNAL_SYSTEM)
                    .setValue(String.valueOf(journalId))));
        }
        patient(event, patient);
        record(event);
    }

    /** A DICOM association ended: who, what it brought (studies), how it went. */
    public void dicomAssociation(String callingAeTitle, String address, String calledAeTitle, Collection<String> studies,
            int stored, int failed, String ending) {
        AuditEvent event = event(DCM, "110104", "DICOM Instances Transferred", AuditEventAction.C, failed == 0,
                stored + " instance(s) stored, " + failed + " not; " + ending);
        agent(event, callingAeTitle, address, true);
        agent(event, calledAeTitle, null, false);
        for (String study : studies) {
            event.addEntity().setType(new Coding(ENTITY_TYPE, "2", "System Object"))
                    .setRole(new Coding(ENTITY_ROLE, "3", "Report"))
                    .setWhat(new Reference().setIdentifier(new Identifier().setSystem("urn:dicom:uid")
                            .setValue("urn:oid:" + study)));
        }
        record(event);
    }

    /** An MLLP or DICOM peer that is not on its feed's allow-list. */
    public void peerRejected(String channel, String peer, String address, String reason) {
        AuditEvent event = event(DCM, "110113", "Security Alert", AuditEventAction.E, false,
                channel + " peer refused: " + reason);
        agent(event, peer, address, true);
        record(event);
    }

    /** An HTTP request without a valid token. */
    public void authenticationFailed(String address, String request, String reason) {
        long second = System.currentTimeMillis() / 1000;
        long[] window = refusals.computeIfAbsent(address, a -> new long[3]); // second, recorded in it, left out
        long leftOut;
        synchronized (window) {
            if (window[0] != second) {
                window[0] = second;
                window[1] = 0;
            }
            if (++window[1] > REFUSALS_PER_SECOND) {
                window[2]++;
                return;
            }
            leftOut = window[2];
            window[2] = 0;
        }
        if (refusals.size() > 10_000) {
            refusals.clear();
        }
        AuditEvent event = event(DCM, "110114", "User Authentication", AuditEventAction.E, false,
                request + ": " + reason + (leftOut > 0 ? " (and " + leftOut + " more refused from this address)" : ""));
        event.addSubtype(new Coding(DCM, "110122", "Login"));
        agent(event, "unauthenticated", address, true);
        record(event);
    }

    /** A client whose token may not do what it asked. */
    public void accessDenied(String client, String address, String reason) {
        AuditEvent event = event(DCM, "110113", "Security Alert", AuditEventAction.E, false, reason);
        agent(event, client, address, true);
        record(event);
    }

    /** An operator's replay or import. */
    public void adminAction(String client, String address, String action, String what, boolean success) {
        AuditEvent event = "import".equals(action)
                ? event(DCM, "110107", "Import", AuditEventAction.C, success, action + " " + what)
                : event(DCM, "110100", "Application Activity", AuditEventAction.E, success, action + " " + what);
        agent(event, client, address, true);
        record(event);
    }

    /**
     * A client's access (BALP): stored in the caller's transaction or its own, or kept on disk while the database is
     * away. Any other failure is thrown: the access fails with it rather than pass unrecorded.
     */
    public void write(AuditEvent event) {
        try {
            store(event);
        } catch (RuntimeException e) {
            if (!databaseAway(e)) {
                throw e;
            }
            keep(event, e);
        }
    }

    /**
     * The gateway's own events, recorded after what they record is done (an HL7 message stored, an association
     * ended): a failure to store one is kept on disk and logged, never thrown, so that a stored message is not
     * answered as if it had failed.
     */
    private void record(AuditEvent event) {
        try {
            store(event);
        } catch (RuntimeException e) {
            keep(event, e);
        }
    }

    private void store(AuditEvent event) {
        daos.getObject().getResourceDao(AuditEvent.class).create(event, new SystemRequestDetails());
    }

    private static boolean databaseAway(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof DataAccessException || cause instanceof TransactionException
                    || cause instanceof SQLTransientException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Events kept on disk, stored now. While the database is away the first failure ends the round; an event the
     * store refuses for any other reason is moved to {@code .failed} (and logged) so that it does not hold up the rest.
     */
    @Scheduled(fixedDelayString = "${gateway.journal.spool-check-millis:5000}")
    public void storeKept() {
        if (!Files.isDirectory(spool)) {
            return;
        }
        try (Stream<Path> files = Files.list(spool)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                try {
                    store(fhirContext.newJsonParser().parseResource(AuditEvent.class,
                            Files.readString(file, StandardCharsets.UTF_8)));
                    Files.delete(file);
                } catch (RuntimeException e) {
                    if (databaseAway(e)) {
                        return;
                    }
                    Path failed = Files.createDirectories(spool.resolve(".failed")).resolve(file.getFileName());
                    Files.move(file, failed);
                    log.error("AuditEvent {} cannot be stored ({}): moved to {}", file.getFileName(),
                            e.getClass().getSimpleName(), failed);
                }
            }
        } catch (IOException e) {
            log.error("Audit spool {} cannot be read: {}", spool, e.getMessage());
        }
    }

    /** On disk until it can be stored; logged without the failure's text, which may quote the event's content. */
    private void keep(AuditEvent event, RuntimeException cause) {
        try {
            Files.createDirectories(spool);
            Path file = spool.resolve(System.currentTimeMillis() + "-" + UUID.randomUUID() + ".json");
            Files.writeString(file, fhirContext.newJsonParser().encodeResourceToString(event), StandardCharsets.UTF_8);
            log.warn("AuditEvent {} kept in {} ({}): stored when the database takes it", event.getType().getCode(),
                    file, cause.getClass().getSimpleName());
        } catch (IOException e) {
            // nowhere to keep it: fail what is being audited rather than let it pass unrecorded
            throw new IllegalStateException("The audit trail cannot be written", e);
        }
    }

    private AuditEvent event(String system, String code, String display, AuditEventAction action, boolean success,
            String description) {
        AuditEvent event = new AuditEvent();
        event.setType(new Coding(system, code, display));
        event.setAction(action);
        event.setRecorded(new Date());
        event.setOutcome(success ? AuditEventOutcome._0 : AuditEventOutcome._4);
        event.setOutcomeDesc(description);
        event.getSource().setObserver(new Reference().setDisplay(observer)).setType(List.of(
                new Coding("http://terminology.hl7.org/CodeSystem/security-source-type", "4", "Application Server")));
        return event;
    }

    private static void agent(AuditEvent event, String who, String address, boolean requestor) {
        AuditEvent.AuditEventAgentComponent agent = event.addAgent().setRequestor(requestor)
                .setWho(new Reference().setDisplay(who == null || who.isBlank() ? "unknown" : who));
        if (address != null && !address.isBlank()) {
            agent.getNetwork().setAddress(address).setType(AuditEvent.AuditEventAgentNetworkType.fromCode(NETWORK_IP));
        }
    }

    private static void patient(AuditEvent event, String patient) {
        if (patient != null && !patient.isBlank()) {
            event.addEntity().setType(new Coding(ENTITY_TYPE, "1", "Person"))
                    .setRole(new Coding(ENTITY_ROLE, "1", "Patient"))
                    .setWhat(new Reference().setIdentifier(new Identifier().setValue(patient)));
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
