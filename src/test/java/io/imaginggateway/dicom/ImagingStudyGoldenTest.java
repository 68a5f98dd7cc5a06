package io.imaginggateway.dicom;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.imaginggateway.fhirstore.ResourceValidator;
import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.dicom.DicomInstance;
import io.imaginggateway.mapping.dicom.ImagingStudyAssembler;
import io.imaginggateway.mapping.v2.V2MessageGoldenTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files for the DICOM side: each {@code src/test/resources/golden/dicom/*.json} (instances in the PS3.18 DICOM
 * JSON model, as a PACS returns them) assembles to exactly the Bundle in the {@code .expected.json} beside it, which
 * conforms to the gateway's profiles. {@code -Dgolden.update=true} writes the expected files.
 */
class ImagingStudyGoldenTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden/dicom");
    static final FhirContext FHIR = FhirContext.forR4Cached();

    static Stream<String> studies() throws Exception {
        try (Stream<Path> files = Files.list(GOLDEN)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".json") && !n.endsWith(".expected.json"))
                    .sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("studies")
    void assemblesToTheExpectedBundle(String file) throws Exception {
        List<DicomInstance> instances = new ArrayList<>();
        for (JsonNode instance : new ObjectMapper().readTree(GOLDEN.resolve(file).toFile())) {
            instances.add(DicomInstance.of(new DicomJsonAttributes(instance)));
        }
        MappingContext.Mapped mapped = ImagingStudyAssembler.assemble(instances, V2MessageGoldenTest.RULES,
                "https://pacs.hospital.example.org/dicom-web", "urn:dicom:ae:CT1");
        String actual = FHIR.newJsonParser().setPrettyPrint(true).encodeResourceToString(mapped.bundle()) + "\n";
        Path expected = GOLDEN.resolve(file.replace(".json", ".expected.json"));
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(expected, actual);
        }
        assertThat(expected).as("expected Bundle beside " + file).exists();
        assertThat(actual).isEqualTo(Files.readString(expected));
        assertThat(mapped.warnings()).isEmpty();
        assertThat(ResourceValidator.fromDirectory(FHIR, Path.of("fhir-profiles")).errors(mapped.bundle())).isEmpty();
    }
}
