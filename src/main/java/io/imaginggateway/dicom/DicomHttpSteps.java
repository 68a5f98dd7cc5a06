package io.imaginggateway.dicom;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imaginggateway.mapping.dicom.DicomInstance;
import io.imaginggateway.site.Feed;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.camel.Exchange;
import io.imaginggateway.audit.AuditTrail;
import io.imaginggateway.security.Callers;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.camel.component.platform.http.springboot.PlatformHttpMessage;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The steps of DICOM metadata over HTTP (camel-routes/dicom-http.camel.yaml), each stored before the answer:
 * <ul>
 *   <li>{@code POST /dicom/import?path=<folder>}: a one-shot import of a folder tree on the gateway's machine (any
 *       depth, no DICOMDIR needed; {@code bin/gateway import <folder>} calls it). Only folders below the data
 *       directory or a configured import root ({@code gateway.dicom.import-roots}) are read, and nothing in them is
 *       ever moved or changed: files that are not usable instances are listed with the reason and left where they
 *       are. Symbolic links are not followed.</li>
 *   <li>{@code POST /dicom/instances}: an array of instances in the PS3.18 Annex F DICOM JSON model, as QIDO-RS or
 *       WADO-RS metadata return them.</li>
 * </ul>
 * Both take {@code feed=<id>} to map with that feed's rules (default: feed default).
 * Both answer with what was stored and what was not (and why); bad input gets a 4xx with an OperationOutcome, and
 * DICOM JSON of which an instance was not stored (an identity conflict) a 409.
 */
@Component("dicomHttp")
public class DicomHttpSteps {

    private static final Logger log = LoggerFactory.getLogger(DicomHttpSteps.class);
    private static final String IMPORT = "urn:dicom:import";
    private static final String JSON = "urn:dicom:json";

    private final DicomIntake intake;
    private final FhirContext fhir;
    private final List<Path> importRoots;
    private final ObjectMapper json = new ObjectMapper();

    private final AuditTrail audit;

    DicomHttpSteps(DicomIntake intake, FhirContext fhir, DicomProperties properties,
            @Value("${gateway.data-dir}") Path dataDir, AuditTrail audit) {
        this.intake = intake;
        this.audit = audit;
        this.fhir = fhir;
        List<Path> roots = new ArrayList<>(properties.importRoots());
        roots.add(dataDir);
        this.importRoots = roots.stream().map(DicomHttpSteps::real).filter(Objects::nonNull).toList();
    }

    /** What was stored, and each file or instance that could not be used, with the reason. */
    public record ImportReport(int instances, int studies, List<Failure> failed) {}

    public record Failure(String file, String reason) {}

    /** The files of a folder tree read: each an instance, or why it is not one. */
    public record FolderRead(List<FileRead> files) {}

    public record FileRead(Path file, ReceivedInstance instance, Failure failure) {}

    /** Instances sent as DICOM JSON. */
    public record JsonInstances(List<ReceivedInstance> instances) {}

    /** Import, read step: the folder checked, every file's header read (on every core: an import is a burst). */
    public FolderRead readFolder(String path, String feed) throws IOException {
        Feed rules = feed(feed);
        Path root = path == null ? null : real(Path.of(path));
        if (root == null || !Files.isDirectory(root)) {
            throw new BadInput(404, "'" + path + "' is not a folder on the gateway's machine");
        }
        if (importRoots.stream().noneMatch(root::startsWith)) {
            throw new BadInput(403, "'" + path + "' is not below an import root: the gateway imports"
                    + " only from its data directory and the folders in gateway.dicom.import-roots");
        }
        List<Path> files;
        try (Stream<Path> all = Files.walk(root)) {
            files = all.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                    .filter(f -> !f.getFileName().toString().equalsIgnoreCase("DICOMDIR")).sorted().toList();
        }
        return new FolderRead(files.parallelStream().map(file -> read(file, rules)).toList());
    }

    /** The feed a request names ({@code feed=<id>}); feed default when it names none. */
    private Feed feed(String id) {
        try {
            return intake.feed(id);
        } catch (IllegalArgumentException e) {
            throw new BadInput(400, e.getMessage());
        }
    }

    /** Import, store step: the usable instances written; the answer lists what could not be used or stored. */
    public ImportReport storeFolder(FolderRead read) {
        List<ReceivedInstance> instances = read.files().stream().map(FileRead::instance).filter(Objects::nonNull).toList();
        List<Failure> failed = new ArrayList<>(read.files().stream().map(FileRead::failure).filter(Objects::nonNull).toList());
        Map<ReceivedInstance, Path> fileOf = new IdentityHashMap<>();
        read.files().stream().filter(r -> r.instance() != null).forEach(r -> fileOf.put(r.instance(), r.file()));
        List<DicomIntake.NotStored> notStored = intake.storeNow(instances);
        notStored.forEach(n -> failed.add(new Failure(fileOf.get(n.instance()).toString(), n.reason())));
        return report(instances, notStored, failed);
    }

    private FileRead read(Path file, Feed feed) {
        try {
            return new FileRead(file, new ReceivedInstance(intake.read(file), IMPORT, feed), null);
        } catch (IOException e) {
            return new FileRead(file, null, new Failure(file.toString(), DicomHeaderReader.DicomReadException.reasonOf(e)));
        } catch (RuntimeException e) { // a file no reader expected: reported like any other, the import goes on
            return new FileRead(file, null, new Failure(file.toString(), "not a readable DICOM instance (" + e + ")"));
        }
    }

    /** DICOM JSON, parse step: a non-empty array of instance objects, each with what an ImagingStudy needs. */
    public JsonInstances readJson(String body, String feed) {
        Feed rules = feed(feed);
        JsonNode array;
        try {
            array = json.readTree(body == null ? "" : body);
        } catch (JsonProcessingException e) {
            throw new BadInput(400, "not JSON: " + e.getOriginalMessage());
        }
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw new BadInput(400, "expected a non-empty JSON array of DICOM JSON instances (PS3.18 F)");
        }
        List<ReceivedInstance> instances = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isObject()) {
                throw new BadInput(400, "instance " + i + " is not a JSON object");
            }
            try {
                instances.add(new ReceivedInstance(DicomInstance.of(new DicomJsonAttributes(array.get(i))), JSON, rules));
            } catch (IllegalArgumentException e) {
                throw new BadInput(422, "instance " + i + ": " + e.getMessage());
            }
        }
        return new JsonInstances(instances);
    }

    /** DICOM JSON, store step: all instances written, or a 409 naming those that were not and why. */
    public ImportReport storeJson(JsonInstances sent) {
        List<ReceivedInstance> instances = sent.instances();
        List<DicomIntake.NotStored> notStored = intake.storeNow(instances);
        if (!notStored.isEmpty()) {
            throw new BadInput(409, (instances.size() - notStored.size()) + " of " + instances.size()
                    + " instances stored; not stored: " + String.join("; ", notStored.stream()
                    .map(n -> n.instance().instance().sopInstanceUid() + ": " + n.reason()).toList()));
        }
        return report(instances, notStored, List.of());
    }

    /** Answer step: the report as JSON (and the import or DICOM JSON request audited). */
    public String answer(ImportReport report, Exchange exchange) throws JsonProcessingException {
        audited(exchange, report.instances() + " instance(s) of " + report.studies() + " study(ies) stored, "
                + report.failed().size() + " not", report.failed().isEmpty());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        return json.writeValueAsString(report);
    }

    /** The answer to what failed: its status and an OperationOutcome saying why (500 for what the client cannot fix). */
    public String failed(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int status = failure instanceof BadInput bad ? bad.status : 500;
        if (status == 500) {
            log.error("DICOM over HTTP: {} failed", exchange.getFromEndpoint().getEndpointUri(), failure);
        }
        audited(exchange, "refused " + status + ": " + (failure == null ? "" : failure.getMessage()), false);
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(switch (status) {
                    case 404 -> OperationOutcome.IssueType.NOTFOUND;
                    case 403 -> OperationOutcome.IssueType.FORBIDDEN;
                    case 409 -> OperationOutcome.IssueType.CONFLICT;
                    case 500 -> OperationOutcome.IssueType.EXCEPTION;
                    default -> OperationOutcome.IssueType.INVALID;
                })
                .setDiagnostics(failure == null ? "unknown error" : failure.getMessage());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/fhir+json");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, status);
        return fhir.newJsonParser().encodeResourceToString(outcome);
    }

    /** Who asked (the token's client, HttpSecurityConfig), from where, what it was and how it went. */
    private void audited(Exchange exchange, String outcome, boolean success) {
        HttpServletRequest request = exchange.getIn() instanceof PlatformHttpMessage http ? http.getRequest() : null;
        String what = "dicom-import".equals(exchange.getFromRouteId())
                ? "DICOM folder " + exchange.getIn().getHeader("path", String.class) : "DICOM JSON";
        audit.adminAction(request == null ? "unknown" : Callers.of(request), request == null ? null
                : request.getRemoteAddr(), "import", what + ": " + outcome, success);
    }

    private static ImportReport report(List<ReceivedInstance> instances, List<DicomIntake.NotStored> notStored,
            List<Failure> failed) {
        Set<ReceivedInstance> refused = Collections.newSetFromMap(new IdentityHashMap<>());
        notStored.forEach(n -> refused.add(n.instance()));
        List<ReceivedInstance> stored = instances.stream().filter(i -> !refused.contains(i)).toList();
        return new ImportReport(stored.size(),
                (int) stored.stream().map(ReceivedInstance::studyInstanceUid).distinct().count(), failed);
    }

    /** The path with links resolved, as the import root check needs it; null when it does not exist. */
    private static Path real(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return null;
        }
    }

    /** Input the request cannot be served with: answered with this status and an OperationOutcome. */
    static final class BadInput extends RuntimeException {
        final int status;

        BadInput(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
