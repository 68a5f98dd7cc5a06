package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Segment;
import ca.uhn.hl7v2.util.Terser;
import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingRules;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.StringType;

/**
 * The feed's field rules ({@code gateway.site.field-rules}) applied to a message: each rule's value, read from the
 * first segment of its name in the order group, else in the message before the first order, written where the rule
 * says. A rule whose segment or field is absent writes nothing.
 */
public final class SiteFieldRules {

    private SiteFieldRules() {}

    /** Applies the rules writing to this resource's type; {@code group}: the order it belongs to (null: the message). */
    public static void apply(DomainResource resource, V2Message message, V2Message.OrderGroup group, MappingContext context) {
        for (FieldRule rule : FieldRule.writingTo(context.rules().fieldRules(), resource.fhirType())) {
            Segment segment = message.segment(rule.source().segment(), group);
            String value = value(segment, rule.source(), 0);
            if (HdToSystem.blank(value)) {
                continue;
            }
            String text = V2Text.plain(value).trim();
            FieldRule.Target target = rule.target();
            if (target instanceof FieldRule.IdentifierTarget identifierTarget) {
                Identifier identifier = new Identifier().setSystem(identifierTarget.system()).setValue(text);
                if (identifierTarget.type() != null) {
                    identifier.getType().addCoding(identifierTarget.type().copy());
                }
                resource.setProperty("identifier", identifier);
            } else if (target instanceof FieldRule.ExtensionTarget extension) {
                resource.addExtension(extension.url(), new StringType(text));
            } else if (target instanceof FieldRule.NoteTarget) {
                resource.setProperty("note", new Annotation().setText(text));
            } else if (target instanceof FieldRule.ConceptTarget concept) {
                resource.setProperty(concept.element(), concept(segment, rule.source(), text, concept, context));
            }
        }
    }

    /** The Study Instance UIDs the order's fields name by the rules (IHE: ZDS-1), with the field each came from. */
    static List<Sourced> studyInstanceUids(V2Message.OrderGroup group, MappingRules rules) {
        List<Sourced> uids = new ArrayList<>();
        for (FieldRule rule : rules.fieldRules()) {
            if (rule.target() instanceof FieldRule.StudyInstanceUid) {
                Segment segment = V2Message.first(group.segments(), rule.source().segment());
                String value = value(segment, rule.source(), 0);
                if (!HdToSystem.blank(value)) {
                    uids.add(new Sourced(value, rule.source().toString()));
                }
            }
        }
        return uids;
    }

    /** A value and where in the message it came from. */
    record Sourced(String value, String field) {}

    private static CodeableConcept concept(Segment segment, FieldRule.Path path, String code,
            FieldRule.ConceptTarget target, MappingContext context) {
        String display = path.wholeField() ? value(segment, path, 1) : null;
        String codingSystem = path.wholeField() ? value(segment, path, 2) : null;
        Coding translated = target.conceptMap() == null ? new Coding(null, code, null)
                : context.rules().codes().translateCoding(target.conceptMap(), code).orElse(null);
        if (translated == null) {
            context.warn(path.toString(), "'" + code + "' is not in ConceptMap " + target.conceptMap() + "; kept as text");
            return new CodeableConcept().setText(display != null ? display : code);
        }
        if (target.system() != null || !translated.hasSystem()) {
            translated.setSystem(target.system() != null ? target.system()
                    : CweToCodeableConcept.system(codingSystem, context.rules()));
        }
        CodeableConcept concept = new CodeableConcept(translated);
        if (!HdToSystem.blank(display)) {
            concept.setText(V2Text.plain(display).trim());
        }
        return concept;
    }

    /** The value at the path; {@code nextComponents}: that many components further on (code ^ text ^ system). */
    private static String value(Segment segment, FieldRule.Path path, int nextComponents) {
        if (segment == null) {
            return null;
        }
        try {
            return Terser.get(segment, path.field(), path.repetition() - 1, path.component() + nextComponents,
                    path.subcomponent());
        } catch (HL7Exception e) {
            return null; // a field the segment, as sent, does not have
        }
    }
}
