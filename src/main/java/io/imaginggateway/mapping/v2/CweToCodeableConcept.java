package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Type;
import io.imaginggateway.mapping.MappingRules;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/**
 * CE / CWE (OBR-4, OBR-31, IPC-5, ...) to CodeableConcept: both triplets (identifier ^ text ^ coding system, then the
 * alternate ones) become codings, local codes included; the text, or CWE.9 original text, becomes the text. Coding
 * system names are translated by the {@code v2-coding-system-to-uri} ConceptMap; names it does not know become
 * {@code urn:hl7v2:coding-system:<name>}, so nothing is dropped. Null when the field is empty.
 */
public final class CweToCodeableConcept {

    private CweToCodeableConcept() {}

    public static CodeableConcept concept(Composite cwe, MappingRules rules) {
        CodeableConcept concept = new CodeableConcept();
        addCoding(concept, part(cwe, 0), part(cwe, 1), part(cwe, 2), rules);
        addCoding(concept, part(cwe, 3), part(cwe, 4), part(cwe, 5), rules);
        String text = !HdToSystem.blank(part(cwe, 8)) ? part(cwe, 8) : !HdToSystem.blank(part(cwe, 1)) ? part(cwe, 1) : part(cwe, 4);
        if (!HdToSystem.blank(text)) {
            concept.setText(text.trim());
        }
        return concept.hasCoding() || concept.hasText() ? concept : null;
    }

    /** A single coding from code and coding-system name (e.g. an ID field with its table's system). */
    public static Coding coding(String code, String display, String codingSystem, MappingRules rules) {
        Coding coding = new Coding().setCode(code.trim()).setSystem(system(codingSystem, rules));
        if (!HdToSystem.blank(display)) {
            coding.setDisplay(display.trim());
        }
        return coding;
    }

    static String system(String codingSystem, MappingRules rules) {
        if (HdToSystem.blank(codingSystem)) {
            return null;
        }
        String name = codingSystem.trim();
        return rules.codes().translate("v2-coding-system-to-uri", name.toUpperCase())
                .orElseGet(() -> name.contains(":") ? name
                        : "urn:hl7v2:coding-system:" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
    }

    private static void addCoding(CodeableConcept concept, String code, String display, String system, MappingRules rules) {
        if (!HdToSystem.blank(code)) {
            concept.addCoding(coding(code, display, system, rules));
        }
    }

    /**
     * Component {@code index} (0-based) as text (its first subcomponent if it has subcomponents); components beyond
     * what the datatype has are empty.
     */
    static String part(Composite composite, int index) {
        Type[] components = composite.getComponents();
        if (index >= components.length) {
            return null;
        }
        Type component = components[index];
        while (component instanceof Composite inner && inner.getComponents().length > 0) {
            component = inner.getComponents()[0];
        }
        return component instanceof Primitive primitive ? V2Text.plain(primitive.getValue()) : null;
    }
}
