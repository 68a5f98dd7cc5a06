package io.imaginggateway.dicom;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imaginggateway.mapping.dicom.DicomInstance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.OperationOutcome;
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
 *       depth, no DICOMDIR needed; {@code bin/gateway import <folder>} calls it). The files stay where they are,
 *       except those that are not usable DICOM instances: they are moved to {@code <folder>/.failed} and listed.</li>
 *   <li>{@code POST /dicom/instances}: an array of instances in the PS3.18 Annex F DICOM JSON model, as QIDO-RS or
 *       WADO-RS metadata return them.</li>
 * </ul>
 * Both answer with what was stored; bad input gets a 4xx with an OperationOutcome.
 */
@RestController
@RequestMapping("/dicom")
class DicomImportController {

    private final DicomIntake intake;
    private final FhirContext fhir;
    private final ObjectMapper json = new ObjectMapper();

    DicomImportController(DicomIntake intake, FhirContext fhir) {
        this.intake = intake;
        this.fhir = fhir;
    }

    /** What an import stored, and each file it could not use with the reason. */
    record ImportReport(int instances, int studies, List<Failure> failed) {}

    record Failure(String file, String reason) {}

    @PostMapping("/import")
    ImportReport importFolder(@RequestParam String path) throws IOException {
        Path root = Path.of(path).toAbsolutePath();
        if (!Files.isDirectory(root)) {
            throw new BadInput(HttpStatus.NOT_FOUND, "'" + path + "' is not a folder on the gateway's machine");
        }
        List<Path> files;
        try (Stream<Path> all = Files.walk(root)) {
            files = all.filter(Files::isRegularFile)
                    .filter(f -> !root.relativize(f).toString().startsWith(".failed"))
                    .filter(f -> !f.getFileName().toString().equalsIgnoreCase("DICOMDIR")).sorted().toList();
        }
        // headers read on every core (an import is a burst); results kept in file order
        List<FileRead> read = files.parallelStream().map(file -> read(file, root)).toList();
        List<ReceivedInstance> instances = read.stream().map(FileRead::instance).filter(Objects::nonNull).toList();
        List<Failure> failed = read.stream().map(FileRead::failure).filter(Objects::nonNull).toList();
        intake.storeNow(instances);
        return report(instances, failed);
    }

    private record FileRead(ReceivedInstance instance, Failure failure) {}

    private FileRead read(Path file, Path root) {
        try {
            // no file to dispose of: an import leaves the operator's files where they are
            return new FileRead(new ReceivedInstance(intake.read(file, root, "urn:dicom:import").instance(), null,
                    "urn:dicom:import"), null);
        } catch (IOException e) {
            return new FileRead(null, new Failure(file.toString(), DicomHeaderReader.DicomReadException.reasonOf(e)));
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
                instances.add(new ReceivedInstance(DicomInstance.of(new DicomJsonAttributes(array.get(i))), null,
                        "urn:dicom:json"));
            } catch (IllegalArgumentException e) {
                throw new BadInput(HttpStatus.UNPROCESSABLE_ENTITY, "instance " + i + ": " + e.getMessage());
            }
        }
        intake.storeNow(instances);
        return report(instances, List.of());
    }

    private static ImportReport report(List<ReceivedInstance> instances, List<Failure> failed) {
        return new ImportReport(instances.size(),
                (int) instances.stream().map(ReceivedInstance::studyInstanceUid).distinct().count(), failed);
    }

    @ExceptionHandler(BadInput.class)
    ResponseEntity<String> badInput(BadInput e) {
        OperationOutcome outcome = new OperationOutcome();
        outcome.addIssue().setSeverity(OperationOutcome.IssueSeverity.ERROR)
                .setCode(e.status == HttpStatus.NOT_FOUND ? OperationOutcome.IssueType.NOTFOUND : OperationOutcome.IssueType.INVALID)
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
