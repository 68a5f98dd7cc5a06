package io.imaginggateway.mapping;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.ConceptMap;

/**
 * Code translations held as FHIR ConceptMaps (source code -> target code), so that a site changes a translation by
 * dropping a ConceptMap with the same id into its own folder instead of changing code; and the code tables a mapper
 * checks a sender's code against (FHIR CodeSystems, e.g. HL7 table 0203). Loaded once at start.
 */
public final class CodeTranslations {

    /** The built-in maps, in {@code src/main/resources/conceptmaps/}. */
    public static final List<String> BUILT_IN = List.of(
            "v2-order-status-to-request-status", "v2-order-control-to-request-status",
            "v2-priority-to-request-priority", "v2-patient-class-to-encounter-class",
            "v2-sex-to-administrative-gender", "v2-coding-system-to-uri",
            "v2-result-status-to-report-status", "v2-observation-status-to-observation-status",
            "v2-abnormal-flag-to-interpretation", "v2-service-section-to-category", "v2-obr24-to-dicom-modality",
            "v2-name-type-to-name-use", "v2-address-type-to-address-use", "v2-address-type-to-address-type",
            "v2-telecom-equipment-to-contact-point-system", "v2-telecom-equipment-to-contact-point-use",
            "v2-telecom-use-to-contact-point-use", "dicom-body-part-to-snomed", "dicom-laterality-to-snomed");

    /** The built-in code tables, in {@code src/main/resources/codesystems/}. */
    public static final List<String> CODE_TABLES = List.of("v2-0203");

    private final Map<String, Map<String, Coding>> maps;
    private final Map<String, Set<String>> tables;

    private CodeTranslations(Map<String, Map<String, Coding>> maps, Map<String, Set<String>> tables) {
        this.maps = maps;
        this.tables = tables;
    }

    /**
     * The built-in maps, then every ConceptMap (*.json) in {@code siteFolder} replacing the one with its id, or adding
     * a map of the site's own (for a field rule).
     *
     * @throws IllegalArgumentException naming the file, when a file is not a ConceptMap with an id
     */
    public static CodeTranslations load(FhirContext fhir, Path siteFolder) {
        Map<String, Map<String, Coding>> maps = new HashMap<>();
        for (String id : BUILT_IN) {
            addMap(maps, fhir, resource("/conceptmaps/" + id + ".json"));
        }
        if (siteFolder != null && Files.isDirectory(siteFolder)) {
            try (Stream<Path> files = Files.list(siteFolder)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                    try {
                        addMap(maps, fhir, Files.readString(file));
                    } catch (RuntimeException e) {
                        throw new IllegalArgumentException(file + ": not a ConceptMap the gateway can use: " + e.getMessage(), e);
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read site ConceptMaps in " + siteFolder, e);
            }
        }
        Map<String, Set<String>> tables = new HashMap<>();
        for (String id : CODE_TABLES) {
            CodeSystem table = fhir.newJsonParser().parseResource(CodeSystem.class, resource("/codesystems/" + id + ".json"));
            Set<String> codes = new HashSet<>();
            table.getConcept().forEach(concept -> codes.add(concept.getCode()));
            tables.put(id, Set.copyOf(codes));
        }
        return new CodeTranslations(maps, tables);
    }

    private static String resource(String path) {
        try (InputStream in = CodeTranslations.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("Built-in code table " + path + " missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path, e);
        }
    }

    private static void addMap(Map<String, Map<String, Coding>> maps, FhirContext fhir, String json) {
        ConceptMap map = fhir.newJsonParser().parseResource(ConceptMap.class, json);
        if (!map.getIdElement().hasIdPart()) {
            throw new IllegalArgumentException("the ConceptMap has no id (the id says which translation it is)");
        }
        Map<String, Coding> codes = new HashMap<>();
        map.getGroup().forEach(group -> group.getElement().forEach(element -> element.getTarget().stream()
                .filter(target -> target.hasCode())
                .findFirst().ifPresent(target -> codes.put(element.getCode(),
                        new Coding(group.getTarget(), target.getCode(), target.getDisplay())))));
        maps.put(map.getIdElement().getIdPart(), Map.copyOf(codes));
    }

    /** Whether there is a map with this id. */
    public boolean hasMap(String mapId) {
        return maps.containsKey(mapId);
    }

    /**
     * The target code for {@code code} in the map with this id: the code as sent, else its upper-case form (senders
     * spell "Final" and "FINAL"); empty when the map has neither (codes are kept then).
     */
    public Optional<String> translate(String mapId, String code) {
        return translateCoding(mapId, code).map(Coding::getCode);
    }

    /** As {@link #translate}, the target as a Coding: the map group's target system, the code, its display. */
    public Optional<Coding> translateCoding(String mapId, String code) {
        Map<String, Coding> map = maps.get(mapId);
        if (map == null) {
            throw new IllegalArgumentException("No ConceptMap '" + mapId + "'");
        }
        if (code == null) {
            return Optional.empty();
        }
        Coding target = map.get(code);
        target = target != null ? target : map.get(code.trim().toUpperCase(Locale.ROOT));
        return Optional.ofNullable(target == null ? null : target.copy());
    }

    /** Whether the code table with this id (e.g. {@code v2-0203}) has this code. */
    public boolean defines(String tableId, String code) {
        Set<String> table = tables.get(tableId);
        if (table == null) {
            throw new IllegalArgumentException("No code table '" + tableId + "'");
        }
        return code != null && table.contains(code);
    }
}
