package io.imaginggateway.journal;

import io.imaginggateway.audit.AuditTrail;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The journal for operators (README: Finding and replaying messages).
 * <ul>
 *   <li>{@code GET /api/messages}: HL7 messages ({@code kind=fhir}: FHIR inbox files), newest first, filtered by feed, status, type, sender, msh10, patient,
 *       accession, study, since, until, reason, unresolved, text (needs since and until); {@code limit} per page
 *       (default 50, at most 1,000) and {@code cursor} (the answer's {@code next}) for the next page;</li>
 *   <li>{@code GET /api/messages/{id}}: one message with its content, ACK, outcome, reason, resources and replays;</li>
 *   <li>{@code POST /api/messages/{id}/replay}: again, as kept, or with the request body as edited content;</li>
 *   <li>{@code POST /api/messages/replay}: every message the same filters find (default: the unresolved failures
 *       among them), oldest first, up to {@code limit} (default 1,000, at most 100,000);</li>
 *   <li>the same under {@code /api/dicom/instances} for DICOM instances (filters feed, status, sender = calling AE,
 *       sop, patient, accession, study, series, since, until, reason, unresolved);</li>
 *   <li>{@code POST /api/journal/prune}: prune now what is past its retention.</li>
 * </ul>
 * A bad request is answered 400, an unknown entry 404, an entry that cannot be replayed 409, each with an
 * OperationOutcome saying why.
 */
@RestController
@RequestMapping("/api")
class JournalController {

    private final JournalReader reader;
    private final JournalReplays replays;
    private final JournalRetention retention;
    private final AuditTrail audit;

    JournalController(JournalReader reader, JournalReplays replays, JournalRetention retention, AuditTrail audit) {
        this.audit = audit;
        this.reader = reader;
        this.replays = replays;
        this.retention = retention;
    }

    /** Prunes now what is past its retention (it also runs every {@code gateway.journal.prune-interval-minutes}). */
    @PostMapping("/journal/prune")
    JournalRetention.Pruned prune(Authentication caller, HttpServletRequest request) {
        audit.adminAction(caller.getName(), request.getRemoteAddr(), "prune", "of the journal", true);
        return retention.prune(Instant.now());
    }

    @GetMapping("/messages")
    JournalReader.Page messages(@RequestParam Map<String, String> query) {
        return reader.search(hl7Filter(query, false), query.get("cursor"), limit(query, 50, 1000));
    }

    @GetMapping("/messages/{id}")
    JournalEntryView message(@PathVariable long id) {
        return reader.find(id).filter(e -> !e.kind().equals(Arrival.Kind.DICOM.code()))
                .orElseThrow(() -> new NoSuchElementException("no message journal entry " + id));
    }

    @PostMapping("/messages/{id}/replay")
    Replayer.Replayed replayMessage(@PathVariable long id, @RequestBody(required = false) byte[] editedContent,
            Authentication caller, HttpServletRequest request) {
        boolean edited = editedContent != null && editedContent.length > 0;
        Replayer.Replayed replayed = replays.replay(Arrival.Kind.HL7, id, edited ? editedContent : null);
        audited(caller, request, replayed, "HL7", edited);
        return replayed;
    }

    @PostMapping("/messages/replay")
    JournalReplays.BulkResult replayMessages(@RequestParam Map<String, String> query, Authentication caller,
            HttpServletRequest request) {
        return audited(caller, request, replays.replayAll(hl7Filter(query, true), limit(query, 1000, 100_000)), "HL7");
    }

    @GetMapping("/dicom/instances")
    JournalReader.Page instances(@RequestParam Map<String, String> query) {
        return reader.search(dicomFilter(query, false), query.get("cursor"), limit(query, 50, 1000));
    }

    @GetMapping("/dicom/instances/{id}")
    JournalEntryView instance(@PathVariable long id) {
        return entry(Arrival.Kind.DICOM, id);
    }

    @PostMapping("/dicom/instances/{id}/replay")
    Replayer.Replayed replayInstance(@PathVariable long id, Authentication caller, HttpServletRequest request) {
        Replayer.Replayed replayed = replays.replay(Arrival.Kind.DICOM, id, null);
        audited(caller, request, replayed, "DICOM", false);
        return replayed;
    }

    @PostMapping("/dicom/instances/replay")
    JournalReplays.BulkResult replayInstances(@RequestParam Map<String, String> query, Authentication caller,
            HttpServletRequest request) {
        return audited(caller, request, replays.replayAll(dicomFilter(query, true), limit(query, 1000, 100_000)), "DICOM");
    }

    /** Each replay is an operator's action on patient data: audited with who, from where and what came of it. */
    private void audited(Authentication caller, HttpServletRequest request, Replayer.Replayed replayed, String kind,
            boolean edited) {
        audit.adminAction(caller.getName(), request.getRemoteAddr(), "replay", kind + " journal entry "
                + replayed.original() + (edited ? " (edited)" : "") + ": " + replayed.status() + " as entry "
                + replayed.entry(), true);
    }

    private JournalReplays.BulkResult audited(Authentication caller, HttpServletRequest request,
            JournalReplays.BulkResult result, String kind) {
        audit.adminAction(caller.getName(), request.getRemoteAddr(), "replay", result.replayed() + " " + kind
                + " journal entries: " + result.byStatus(), true);
        return result;
    }

    private JournalEntryView entry(Arrival.Kind kind, long id) {
        return reader.find(id).filter(e -> e.kind().equals(kind.code()))
                .orElseThrow(() -> new NoSuchElementException("no " + kind.code() + " journal entry " + id));
    }

    /** A bulk replay without a status takes the unresolved failures; a search without one, everything. */
    private static JournalFilter hl7Filter(Map<String, String> q, boolean replay) {
        checkKnown(q, List.of("kind", "feed", "status", "type", "sender", "msh10", "patient", "accession", "study", "since",
                "until", "text", "reason", "unresolved", "cursor", "limit"));
        String kind = q.getOrDefault("kind", "hl7");
        if (!kind.equals("hl7") && !kind.equals("fhir")) {
            throw new IllegalArgumentException("kind is hl7 (the default) or fhir (FHIR inbox files); DICOM instances are"
                    + " at /api/dicom/instances");
        }
        return new JournalFilter(kind.equals("fhir") ? Arrival.Kind.FHIR : Arrival.Kind.HL7, q.get("feed"), q.get("status"), q.get("type"), q.get("sender"),
                q.get("msh10"), q.get("patient"), q.get("accession"), q.get("study"), null, instant(q, "since"),
                instant(q, "until"), q.get("text"), q.get("reason"), unresolved(q, replay));
    }

    private static JournalFilter dicomFilter(Map<String, String> q, boolean replay) {
        checkKnown(q, List.of("feed", "status", "sender", "sop", "patient", "accession", "study", "series", "since",
                "until", "reason", "unresolved", "cursor", "limit"));
        return new JournalFilter(Arrival.Kind.DICOM, q.get("feed"), q.get("status"), null, q.get("sender"), q.get("sop"),
                q.get("patient"), q.get("accession"), q.get("study"), q.get("series"), instant(q, "since"),
                instant(q, "until"), null, q.get("reason"), unresolved(q, replay));
    }

    private static boolean unresolved(Map<String, String> q, boolean replay) {
        if (replay && q.get("status") == null && q.get("unresolved") == null) {
            return true;
        }
        return Boolean.parseBoolean(q.getOrDefault("unresolved", "false"));
    }

    /** A misspelt filter would silently widen a search, or a bulk replay: refused. */
    private static void checkKnown(Map<String, String> query, List<String> known) {
        for (String name : query.keySet()) {
            if (!known.contains(name)) {
                throw new IllegalArgumentException("unknown parameter '" + name + "' (known: " + String.join(", ", known) + ")");
            }
        }
    }

    private static Instant instant(Map<String, String> query, String name) {
        String value = query.get(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " '" + value + "' is not an instant such as 2026-12-01T08:00:00Z");
        }
    }

    private static int limit(Map<String, String> query, int otherwise, int most) {
        try {
            int limit = Integer.parseInt(query.getOrDefault("limit", String.valueOf(otherwise)));
            if (limit < 1 || limit > most) {
                throw new IllegalArgumentException("limit must be 1 to " + most);
            }
            return limit;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("limit '" + query.get("limit") + "' is not a number");
        }
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ResponseEntity<Map<String, Object>> badRequest(IllegalArgumentException e) {
        return outcome(HttpStatus.BAD_REQUEST, "invalid", e.getMessage());
    }

    @ExceptionHandler(NoSuchElementException.class)
    ResponseEntity<Map<String, Object>> notFound(NoSuchElementException e) {
        return outcome(HttpStatus.NOT_FOUND, "not-found", e.getMessage());
    }

    @ExceptionHandler(IllegalStateException.class)
    ResponseEntity<Map<String, Object>> cannotReplay(IllegalStateException e) {
        return outcome(HttpStatus.CONFLICT, "conflict", e.getMessage());
    }

    private static ResponseEntity<Map<String, Object>> outcome(HttpStatus status, String code, String text) {
        return ResponseEntity.status(status).header("Content-Type", "application/fhir+json").body(Map.of(
                "resourceType", "OperationOutcome",
                "issue", List.of(Map.of("severity", "error", "code", code, "diagnostics", String.valueOf(text)))));
    }
}
