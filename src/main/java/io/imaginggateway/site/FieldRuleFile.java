package io.imaginggateway.site;

import io.imaginggateway.mapping.CodeTranslations;
import io.imaginggateway.mapping.v2.FieldRule;
import io.imaginggateway.mapping.v2.HdToSystem;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * A feed's field rules as a YAML file ({@code gateway.site.field-rules}):
 * <pre>
 * rules:
 *   - from: ZDS-1              # segment-field[repetition].component
 *     to: study-instance-uid   # or Patient.identifier, ServiceRequest.extension, ServiceRequest.orderDetail, ...
 * </pre>
 * Every rule is checked when the gateway starts: an unknown key, a path that cannot exist, a target without what it
 * needs, or a ConceptMap the feed does not have stops the start with the file and the rule.
 */
public final class FieldRuleFile {

    private static final Set<String> KEYS = Set.of("from", "to", "system", "type", "url", "concept-map", "description");

    private FieldRuleFile() {}

    public static List<FieldRule> read(Path file, CodeTranslations codes) {
        Object document;
        try (Reader reader = Files.newBufferedReader(file)) {
            document = new Yaml().load(reader);
        } catch (IOException e) {
            throw new InvalidConfiguration(file + ": cannot read the field rules: " + e.getMessage(), e);
        } catch (YAMLException e) {
            throw new InvalidConfiguration(file + ": not YAML: " + e.getMessage(), e);
        }
        if (!(document instanceof Map<?, ?> top) || !top.keySet().equals(Set.of("rules"))
                || !(top.get("rules") instanceof List<?> entries)) {
            throw new InvalidConfiguration(file + ": a field rule file holds one key, 'rules', with a list of rules");
        }
        List<FieldRule> rules = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            String where = file + ": rule " + (i + 1);
            if (!(entries.get(i) instanceof Map<?, ?> entry)) {
                throw new InvalidConfiguration(where + " is not a map of from, to, ...");
            }
            for (Object key : entry.keySet()) {
                if (!KEYS.contains(String.valueOf(key))) {
                    throw new InvalidConfiguration(where + ": unknown key '" + key + "' (keys: " + String.join(", ",
                            KEYS.stream().sorted().toList()) + ")");
                }
            }
            try {
                rules.add(rule(entry, codes));
            } catch (IllegalArgumentException e) {
                throw new InvalidConfiguration(where + " (from: " + entry.get("from") + "): " + e.getMessage(), e);
            }
        }
        return List.copyOf(rules);
    }

    private static FieldRule rule(Map<?, ?> entry, CodeTranslations codes) {
        FieldRule.Path source = FieldRule.Path.parse(text(entry, "from"));
        String type = text(entry, "type");
        if (type != null && !codes.defines("v2-0203", type)) {
            throw new IllegalArgumentException("type '" + type + "' is not an identifier type of HL7 table 0203");
        }
        String conceptMap = text(entry, "concept-map");
        if (conceptMap != null && !codes.hasMap(conceptMap)) {
            throw new IllegalArgumentException("no ConceptMap '" + conceptMap
                    + "' among the built-in ones and the feed's concept-maps folder");
        }
        FieldRule.Target target = FieldRule.target(text(entry, "to"), text(entry, "system"),
                type == null ? null : new Coding(HdToSystem.V2_0203, type, null), text(entry, "url"), conceptMap);
        return new FieldRule(source, target);
    }

    private static String text(Map<?, ?> entry, String key) {
        Object value = entry.get(key);
        return value == null || value.toString().isBlank() ? null : value.toString().trim();
    }
}
