package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Type;
import io.imaginggateway.mapping.MappingRules;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;

/**
 * CE / CWE (OBR-4, OBR-31, IPC-5, ...) to CodeableConcept: both triplets (identifier ^ text ^ coding system, then the
 * alternate ones) become codings, local codes included; the text, or CWE.9 original text, becomes the text.
 * Coding-system names (CWE-3, HL7 table 0396) become FHIR URIs: by the {@code v2-coding-system-to-uri} ConceptMap
 * (LN, SCT, DCM, RADLEX, ...), {@code HL7nnnn} as the FHIR code system of v2 table nnnn, a name that already is an
 * absolute URI as it is; any other name becomes {@code urn:hl7v2:coding-system:<name>} (percent-encoded), so nothing is
 * dropped and no system holds a space. Null when the field is empty.
 */
public final class CweToCodeableConcept {

    private static final Pattern HL7_TABLE = Pattern.compile("HL7(\\d{4})");

    private CweToCodeableConcept() {}

    public static CodeableConcept concept(Composite cwe, MappingRules rules) {
        return concept(cwe, null, rules);
    }

    /** {@code defaultCodingSystem}: the coding system of a code sent without one (the field's table, e.g. HL70002). */
    public static CodeableConcept concept(Composite cwe, String defaultCodingSystem, MappingRules rules) {
        CodeableConcept concept = new CodeableConcept();
        addCoding(concept, part(cwe, 0), part(cwe, 1), part(cwe, 2), defaultCodingSystem, rules);
        addCoding(concept, part(cwe, 3), part(cwe, 4), part(cwe, 5), defaultCodingSystem, rules);
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

    /** The FHIR URI of an HL7 v2 coding-system name; null when the name is empty. */
    public static String system(String codingSystem, MappingRules rules) {
        if (HdToSystem.blank(codingSystem)) {
            return null;
        }
        String name = codingSystem.trim();
        String mapped = rules.codes().translate("v2-coding-system-to-uri", name.toUpperCase(Locale.ROOT)).orElse(null);
        if (mapped != null) {
            return mapped;
        }
        Matcher table = HL7_TABLE.matcher(name.toUpperCase(Locale.ROOT));
        if (table.matches()) {
            return "http://terminology.hl7.org/CodeSystem/v2-" + table.group(1);
        }
        if (name.contains(":") && HdToSystem.isAbsoluteUri(name)) {
            return name;
        }
        return "urn:hl7v2:coding-system:" + HdToSystem.encode(name);
    }

    private static void addCoding(CodeableConcept concept, String code, String display, String system,
            String defaultSystem, MappingRules rules) {
        if (!HdToSystem.blank(code)) {
            concept.addCoding(coding(code, display, HdToSystem.blank(system) ? defaultSystem : system, rules));
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
