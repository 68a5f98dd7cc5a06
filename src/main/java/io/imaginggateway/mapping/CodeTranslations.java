package io.imaginggateway.mapping;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.ConceptMap;

/**
 * Code translations held as FHIR ConceptMaps (source code -> target code), so that a site changes a translation by
 * dropping a ConceptMap with the same id into its own folder instead of changing code. Loaded once at start.
 */
public final class CodeTranslations {

    /** The built-in maps, in {@code src/main/resources/conceptmaps/}. */
    public static final List<String> BUILT_IN = List.of(
            "v2-order-status-to-request-status", "v2-order-control-to-request-status",
            "v2-priority-to-request-priority", "v2-patient-class-to-encounter-class",
            "v2-sex-to-administrative-gender", "v2-coding-system-to-uri",
            "v2-result-status-to-report-status", "v2-observation-status-to-observation-status",
            "dicom-body-part-to-snomed");

    private final Map<String, Map<String, String>> maps;

    private CodeTranslations(Map<String, Map<String, String>> maps) {
        this.maps = maps;
    }

    /** The built-in maps, then every ConceptMap (*.json) in {@code siteFolder} replacing the one with its id. */
    public static CodeTranslations load(FhirContext fhir, Path siteFolder) {
        Map<String, Map<String, String>> maps = new HashMap<>();
        for (String id : BUILT_IN) {
            try (InputStream in = CodeTranslations.class.getResourceAsStream("/conceptmaps/" + id + ".json")) {
                add(maps, fhir, new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException("Built-in ConceptMap " + id + " missing", e);
            }
        }
        if (siteFolder != null && Files.isDirectory(siteFolder)) {
            try (Stream<Path> files = Files.list(siteFolder)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                    add(maps, fhir, Files.readString(file));
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read site ConceptMaps in " + siteFolder, e);
            }
        }
        return new CodeTranslations(maps);
    }

    private static void add(Map<String, Map<String, String>> maps, FhirContext fhir, String json) {
        ConceptMap map = fhir.newJsonParser().parseResource(ConceptMap.class, json);
        Map<String, String> codes = new HashMap<>();
        map.getGroup().forEach(group -> group.getElement().forEach(element -> element.getTarget().stream()
                .filter(target -> target.hasCode())
                .findFirst().ifPresent(target -> codes.put(element.getCode(), target.getCode()))));
        maps.put(map.getIdElement().getIdPart(), Map.copyOf(codes));
    }

    /** The target code for {@code code} in the map with this id; empty when the map has none (codes are kept then). */
    public Optional<String> translate(String mapId, String code) {
        Map<String, String> map = maps.get(mapId);
        if (map == null) {
            throw new IllegalArgumentException("No ConceptMap '" + mapId + "'");
        }
        return code == null ? Optional.empty() : Optional.ofNullable(map.get(code));
    }
}
