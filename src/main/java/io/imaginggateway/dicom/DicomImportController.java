package io.imaginggateway.dicom;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imaginggateway.mapping.dicom.DicomInstance;
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
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * DICOM metadata over HTTP, stored before the answer:
 * <ul>
 *   <li>{@code POST /dicom/import?path=<folder>}: a one-shot import of a folder tree on the gateway's machine (any
 *       depth, no DICOMDIR needed; {@code bin/gateway import <folder>} calls it). Only folders below the data
 *       directory or a configured import root ({@code gateway.dicom.import-roots}) are read, and nothing in them is
 *       ever moved or changed: files that are not usable instances are listed with the reason and left where they
 *       are. Symbolic links are not followed.</li>
 *   <li>{@code POST /dicom/instances}: an array of instances in the PS3.18 Annex F DICOM JSON model, as QIDO-RS or
 *       WADO-RS metadata return them.</li>
 * </ul>
 * Both answer with what was stored and what was not (and why); bad input gets a 4xx with an OperationOutcome, and
 * DICOM JSON of which an instance was not stored (an identity conflict) a 409.
 */
@RestController
@RequestMapping("/dicom")
class DicomImportController {

    private static final String IMPORT = "urn:dicom:import";

    private final DicomIntake intake;
    private final FhirContext fhir;
    private final List<Path> importRoots;
    private final ObjectMapper json = new ObjectMapper();

    DicomImportController(DicomIntake intake, FhirContext fhir, DicomProperties properties,
            @Value("${gateway.data-dir}") Path dataDir) {
        this.intake = intake;
        this.fhir = fhir;
        List<Path> roots = new ArrayList<>(properties.importRoots());
        roots.add(dataDir);
        this.importRoots = roots.stream().map(DicomImportController::real).filter(Objects::nonNull).toList();
    }

    /** What an import stored, and each file or instance it could not use with the reason. */
    record ImportReport(int instances, int studies, List<Failure> failed) {}

    record Failure(String file, String reason) {}

    @PostMapping("/import")
    ImportReport importFolder(@RequestParam String path) throws IOException {
        Path root = real(Path.of(path));
        if (root == null || !Files.isDirectory(root)) {
            throw new BadInput(HttpStatus.NOT_FOUND, "'" + path + "' is not a folder on the gateway's machine");
        }
        if (importRoots.stream().noneMatch(root::startsWith)) {
            throw new BadInput(HttpStatus.FORBIDDEN, "'" + path + "' is not below an import root: the gateway imports"
                    + " only from its data directory and the folders in gateway.dicom.import-roots");
        }
        List<Path> files;
        try (Stream<Path> all = Files.walk(root)) {
            files = all.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS))
                    .filter(f -> !f.getFileName().toString().equalsIgnoreCase("DICOMDIR")).sorted().toList();
        }
        // headers read on every core (an import is a burst); results kept in file order
        List<FileRead> read = files.parallelStream().map(this::read).toList();
        List<ReceivedInstance> instances = read.stream().map(FileRead::instance).filter(Objects::nonNull).toList();
        List<Failure> failed = new ArrayList<>(read.stream().map(FileRead::failure).filter(Objects::nonNull).toList());
        Map<ReceivedInstance, Path> fileOf = new IdentityHashMap<>();
        read.stream().filter(r -> r.instance() != null).forEach(r -> fileOf.put(r.instance(), r.file()));
        List<DicomIntake.NotStored> notStored = intake.storeNow(instances);
        notStored.forEach(n -> failed.add(new Failure(fileOf.get(n.instance()).toString(), n.reason())));
        return report(instances, notStored, failed);
    }

    private record FileRead(Path file, ReceivedInstance instance, Failure failure) {}

    private FileRead read(Path file) {
        try {
            return new FileRead(file, new ReceivedInstance(intake.read(file), IMPORT), null);
        } catch (IOException e) {
            return new FileRead(file, null, new Failure(file.toString(), DicomHeaderReader.DicomReadException.reasonOf(e)));
        } catch (RuntimeException e) { // a file no reader expected: reported like any other, the import goes on
            return new FileRead(file, null, new Failure(file.toString(), "not a readable DICOM instance (" + e + ")"));
        }
    }

    @PostMapping(path = "/instances", consumes = {"application/dicom+json", MediaType.APPLICATION_JSON_VALUE})
    ImportReport instances(@RequestBody String body) {
        JsonNode array;
        try {
            array = json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new BadInput(HttpStatus.BAD_REQUEST, "not JSON: " + e.getOriginalMessage());
        }
        if (array == null || !array.isArray() || array.isEmpty()) {
            throw new BadInput(HttpStatus.BAD_REQUEST, "expected a non-empty JSON array of DICOM JSON instances (PS3.18 F)");
        }
        List<ReceivedInstance> instances = new ArrayList<>();
        for (int i = 0; i < array.size(); i++) {
            if (!array.get(i).isObject()) {
                throw new BadInput(HttpStatus.BAD_REQUEST, "instance " + i + " is not a JSON object");
            }
            try {
                instances.add(new ReceivedInstance(DicomInstance.of(new DicomJsonAttributes(array.get(i))), "urn:dicom:json"));
            } catch (IllegalArgumentException e) {
                throw new BadInput(HttpStatus.UNPROCESSABLE_ENTITY, "instance " + i + ": " + e.getMessage());
            }
        }
        List<DicomIntake.NotStored> notStored = intake.storeNow(instances);
        if (!notStored.isEmpty()) {
            throw new BadInput(HttpStatus.CONFLICT, (instances.size() - notStored.size()) + " of " + instances.size()
                    + " instances stored; not stored: " + String.join("; ", notStored.stream()
                    .map(n -> n.instance().instance().sopInstanceUid() + ": " + n.reason()).toList()));
        }
        return report(instances, notStored, List.of());
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

    @ExceptionHandler(BadInput.class)
    ResponseEntity<String> badInput(BadInput e) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(switch (e.status) {
                    case NOT_FOUND -> OperationOutcome.IssueType.NOTFOUND;
                    case FORBIDDEN -> OperationOutcome.IssueType.FORBIDDEN;
                    case CONFLICT -> OperationOutcome.IssueType.CONFLICT;
                    default -> OperationOutcome.IssueType.INVALID;
                })
                .setDiagnostics(e.getMessage());
        return ResponseEntity.status(e.status).contentType(MediaType.parseMediaType("application/fhir+json"))
                .body(fhir.newJsonParser().encodeResourceToString(outcome));
    }

    /** Input the request cannot be served with: answered with this status and an OperationOutcome. */
    static final class BadInput extends RuntimeException {
        final HttpStatus status;

        BadInput(HttpStatus status, String message) {
            super(message);
            this.status = status;
        }
    }
}
