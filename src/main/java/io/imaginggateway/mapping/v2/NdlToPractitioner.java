package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.v251.datatype.CNN;
import ca.uhn.hl7v2.model.v251.datatype.NDL;
import io.imaginggateway.mapping.MappingContext;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Reference;

/**
 * NDL (OBR-32 principal result interpreter, OBR-33 assistant, OBR-34 technician, OBR-35 transcriptionist) to a
 * Practitioner, like {@link XcnToPractitioner}. The standard puts the person in NDL.1 as subcomponents
 * ({@code id&family&given&middle&suffix&prefix&degree&source table&authority namespace&universal id&type}); many
 * v2.3.1 senders write it as components instead ({@code id^family^given^...}, the XCN layout), which then fills
 * NDL.2 (start date/time) with a name. A non-date NDL.2 with an empty NDL.1.2 is read that second way.
 */
final class NdlToPractitioner {

    private NdlToPractitioner() {}

    /** Null when the field is empty. */
    static Reference practitioner(NDL ndl, MappingContext context) {
        CNN person = ndl.getNDLName();
        String second = part(ndl, 1);
        if (HdToSystem.blank(person.getFamilyName().getValue()) && !HdToSystem.blank(second)
                && !Character.isDigit(second.trim().charAt(0))) {
            HumanName name = XpnToHumanName.name(second, part(ndl, 2), part(ndl, 3), part(ndl, 4), part(ndl, 5),
                    part(ndl, 6));
            // XCN-9 in that layout is NDL.9 with its universal ID and type as subcomponents (HOSP&1.2.3&ISO)
            return XcnToPractitioner.practitioner(person.getIDNumber().getValue(), name, part(ndl, 8),
                    subcomponent(ndl, 8, 1), subcomponent(ndl, 8, 2), null, context);
        }
        HumanName name = XpnToHumanName.name(person.getFamilyName().getValue(), person.getGivenName().getValue(),
                person.getSecondAndFurtherGivenNamesOrInitialsThereof().getValue(), person.getSuffixEgJRorIII().getValue(),
                person.getPrefixEgDR().getValue(), person.getDegreeEgMD().getValue());
        return XcnToPractitioner.practitioner(person.getIDNumber().getValue(), name,
                person.getAssigningAuthorityNamespaceID().getValue(), person.getAssigningAuthorityUniversalID().getValue(),
                person.getAssigningAuthorityUniversalIDType().getValue(), null, context);
    }

    private static String part(NDL ndl, int index) {
        return CweToCodeableConcept.part(ndl, index);
    }

    /** Subcomponent {@code sub} (0-based) of component {@code index}; null when absent. */
    private static String subcomponent(NDL ndl, int index, int sub) {
        if (!(ndl.getComponents()[index] instanceof Composite component)) {
            return null;
        }
        return sub < component.getComponents().length && component.getComponents()[sub] instanceof Primitive primitive
                ? primitive.getValue() : null;
    }
}
