package io.imaginggateway.mapping.v2;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import io.imaginggateway.fhirstore.ResourceValidator;
import io.imaginggateway.hl7.Hl7Decoder;
import io.imaginggateway.hl7.Hl7Intake;
import io.imaginggateway.mapping.CodeTranslations;
import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingRules;
import io.imaginggateway.mapping.PatientIdentity;
import io.imaginggateway.site.FieldRuleFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.Coding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden files: each order and result message in {@code src/test/resources/golden/hl7/} (raw bytes, as a sender would put them
 * on the wire) maps to exactly the Bundle in the {@code .expected.json} beside it, and that Bundle conforms to the
 * gateway's profiles, with exactly the warnings in the {@code .warnings.txt} beside it (none when there is none). For a
 * new message, or after a deliberate mapping change, {@code -Dgolden.update=true} writes the expected files; review
 * their diff before committing it.
 */
public class V2MessageGoldenTest {

    static final Path GOLDEN = Path.of("src/test/resources/golden/hl7");
    static final FhirContext FHIR = FhirContext.forR4Cached();
    private static ResourceValidator validator;

    static final CodeTranslations CODES = CodeTranslations.load(FHIR, null);
    /** The site configuration the golden files were written for, with the shipped default field rules (ZDS-1). */
    public static final MappingRules RULES = new MappingRules("default", ZoneId.of("Europe/Berlin"), true,
            Map.of("HOSP", "urn:oid:1.2.826.0.1.3680043.9.7001.1",
                    "GKV", "http://fhir.de/sid/gkv/kvid-10"),
            "http://hospital.example.org/fhir/NamingSystem/mrn",
            "http://hospital.example.org/fhir/NamingSystem/accession", "http://imaginggateway.io/fhir/NamingSystem/local-",
            new PatientIdentity(PatientIdentity.DEFAULT_TYPES, true), MappingRules.Obr24Meaning.MODALITY,
            new Coding("http://terminology.hl7.org/CodeSystem/v2-0074", "RAD", "Radiology"), "imaging", Set.of("TX", "FT"),
            CODES, FieldRuleFile.read(Path.of("camel-routes/field-rules.yaml"), CODES));

    @BeforeAll
    static void loadProfiles() {
        validator = ResourceValidator.fromDirectory(FHIR, Path.of("fhir-profiles"));
    }

    static Stream<String> messages() throws Exception {
        try (Stream<Path> files = Files.list(GOLDEN)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".hl7")).sorted().toList().stream();
        }
    }

    @ParameterizedTest
    @MethodSource("messages")
    void mapsToTheExpectedBundle(String file) throws Exception {
        MappingContext.Mapped mapped = map(Files.readAllBytes(GOLDEN.resolve(file)));
        String actual = FHIR.newJsonParser().setPrettyPrint(true).encodeResourceToString(mapped.bundle()) + "\n";
        Path expected = GOLDEN.resolve(file.replace(".hl7", ".expected.json"));
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(expected, actual);
        }
        assertThat(expected).as("expected Bundle beside " + file + " (write it with -Dgolden.update=true, then review it)")
                .exists();
        assertThat(actual).isEqualTo(Files.readString(expected));
        // a case whose message warrants warnings lists them beside it, one per line
        Path warnings = GOLDEN.resolve(file.replace(".hl7", ".warnings.txt"));
        if (Boolean.getBoolean("golden.update") && !mapped.warnings().isEmpty()) {
            Files.writeString(warnings, String.join("\n", mapped.warnings()) + "\n");
        }
        assertThat(mapped.warnings()).as("warnings (" + warnings.getFileName() + ")")
                .isEqualTo(Files.exists(warnings) ? Files.readAllLines(warnings) : List.of());
        assertThat(validator.errors(mapped.bundle())).isEmpty();
    }

    static MappingContext.Mapped map(byte[] wire) throws Exception {
        String text = new Hl7Decoder("auto").decode(wire).text();
        return V2MessageToBundle.map(V2Message.read(Hl7Intake.newParser().parse(text)), RULES);
    }
}
