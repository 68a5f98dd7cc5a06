package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.Group;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.parser.ModelClassFactory;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Base;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Property;
import org.hl7.fhir.r4.model.ResourceFactory;

/**
 * One site rule for a field the built-in mappers do not read — a Z-segment's field, or a standard field a site uses its
 * own way (e.g. OBR-44): where the value is in the message and where it goes on a FHIR resource.
 *
 * @param source where: segment, field, repetition, component, sub-component ({@code ZDS-1.1}, {@code ZPI-3},
 *               {@code PID-13[2].4}); a path without component reads component 1, or, for a coded target, the
 *               whole code ^ text ^ coding system
 * @param target what it becomes
 */
public record FieldRule(Path source, Target target) {

    /** The FHIR resources a rule may write to: those one message has once per message or once per order. */
    public static final Set<String> RESOURCES = Set.of("Patient", "Encounter", "ServiceRequest", "DiagnosticReport");

    /** Where a value is in a message: {@code SEG-field[repetition].component.subcomponent}, all counted from 1. */
    public record Path(String segment, int field, int repetition, int component, int subcomponent, boolean wholeField) {

        private static final Pattern SYNTAX = Pattern.compile(
                "([A-Z][A-Z0-9]{2})-(\\d{1,3})(?:\\[(\\d{1,3})])?(?:\\.(\\d{1,2})(?:\\.(\\d{1,2}))?)?");

        /**
         * Reads and checks a path: its segment must be a Z-segment or one of HL7 v2.5.1 (the model every version is
         * read into), and its field and component must exist there.
         */
        public static Path parse(String text) {
            Matcher m = SYNTAX.matcher(text == null ? "" : text.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + text + "' is not a field path such as ZDS-1.1, ZPI-3 or PID-13[2].4");
            }
            Path path = new Path(m.group(1), Integer.parseInt(m.group(2)), m.group(3) == null ? 1 : Integer.parseInt(m.group(3)),
                    m.group(4) == null ? 1 : Integer.parseInt(m.group(4)), m.group(5) == null ? 1 : Integer.parseInt(m.group(5)),
                    m.group(4) == null);
            if (path.field < 1 || path.repetition < 1 || path.component < 1 || path.subcomponent < 1) {
                throw new IllegalArgumentException("'" + text + "': fields, repetitions and components count from 1");
            }
            path.checkAgainstStandard(text);
            return path;
        }

        private void checkAgainstStandard(String text) {
            if (segment.startsWith("Z")) {
                return;
            }
            Segment standard = standardSegment(segment);
            if (standard == null) {
                throw new IllegalArgumentException("'" + text + "': " + segment
                        + " is neither a Z-segment nor a segment of HL7 v2.5.1");
            }
            if (field > standard.numFields()) {
                throw new IllegalArgumentException("'" + text + "': " + segment + " has " + standard.numFields()
                        + " fields in HL7 v2.5.1, the version every message is read as");
            }
            try {
                Type type = standard.getField(field, 0);
                int components = type instanceof Composite composite ? composite.getComponents().length : 1;
                if (component > components) {
                    throw new IllegalArgumentException("'" + text + "': " + segment + "-" + field + " (" + type.getName()
                            + ") has " + components + " component" + (components == 1 ? "" : "s"));
                }
            } catch (HL7Exception e) {
                throw new IllegalArgumentException("'" + text + "': " + e.getMessage(), e);
            }
        }

        private static Segment standardSegment(String name) {
            try {
                Class<?> type = Class.forName("ca.uhn.hl7v2.model.v251.segment." + name);
                ORU_R01 message = new ORU_R01();
                return (Segment) type.getConstructor(Group.class, ModelClassFactory.class)
                        .newInstance(message, message.getModelClassFactory());
            } catch (ReflectiveOperationException | ClassCastException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return segment + "-" + field + (repetition > 1 ? "[" + repetition + "]" : "")
                    + (wholeField ? "" : "." + component + (subcomponent > 1 ? "." + subcomponent : ""));
        }
    }

    /** What a value becomes. */
    public sealed interface Target {
        /** The resource type written to; null for {@link StudyInstanceUid}. */
        String resource();
    }

    /** The order's Study Instance UID: an ImagingStudy registered for it, as from IPC-3 (IHE's ZDS-1 is this). */
    public record StudyInstanceUid() implements Target {
        @Override
        public String resource() {
            return null;
        }
    }

    /** An identifier of the resource, with its system and, optionally, its type. */
    public record IdentifierTarget(String resource, String system, Coding type) implements Target {}

    /** An extension (valueString) of the resource. */
    public record ExtensionTarget(String resource, String url) implements Target {}

    /** A note (Annotation.text) of the resource. */
    public record NoteTarget(String resource) implements Target {}

    /**
     * A CodeableConcept element of the resource (e.g. ServiceRequest.orderDetail): the code, translated by a ConceptMap
     * when one is named, with {@code system} as its system (else the coding system the message names).
     */
    public record ConceptTarget(String resource, String element, String system, String conceptMap) implements Target {}

    /**
     * A target from its written form: {@code study-instance-uid}, or {@code Resource.element} where element is
     * {@code identifier}, {@code extension}, {@code note} or a CodeableConcept element of the resource. Checks that
     * the resource and element exist and that what the form needs is given.
     */
    public static Target target(String to, String system, Coding type, String url, String conceptMap) {
        String written = to == null ? "" : to.trim();
        if (written.equals("study-instance-uid")) {
            return new StudyInstanceUid();
        }
        int dot = written.indexOf('.');
        String resource = dot < 0 ? written : written.substring(0, dot);
        String element = dot < 0 ? "" : written.substring(dot + 1);
        if (!RESOURCES.contains(resource) || element.isEmpty()) {
            throw new IllegalArgumentException("'" + to + "' is not a target: write study-instance-uid or Resource.element,"
                    + " where Resource is one of " + String.join(", ", RESOURCES.stream().sorted().toList()));
        }
        switch (element) {
            case "identifier" -> {
                return new IdentifierTarget(resource, required(system, "system", to), type);
            }
            case "extension" -> {
                return new ExtensionTarget(resource, required(url, "url", to));
            }
            default -> {
                String expected = element.equals("note") ? "Annotation" : "CodeableConcept";
                Base empty = ResourceFactory.createResource(resource);
                Property property = empty.getNamedProperty(element);
                if (property == null || !property.getTypeCode().equals(expected)) {
                    throw new IllegalArgumentException("'" + to + "': " + resource + " has no " + expected + " element '"
                            + element + "' (targets: identifier, extension, note or a CodeableConcept element)");
                }
                return element.equals("note") ? new NoteTarget(resource) : new ConceptTarget(resource, element, system, conceptMap);
            }
        }
    }

    private static String required(String value, String key, String to) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("'" + to + "' needs '" + key + "'");
        }
        return value.trim();
    }

    /** The rules of a rule set that write to this resource type. */
    static List<FieldRule> writingTo(List<FieldRule> rules, String resource) {
        return rules.stream().filter(rule -> resource.equals(rule.target().resource())).toList();
    }
}
