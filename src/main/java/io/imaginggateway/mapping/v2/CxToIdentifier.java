package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.datatype.HD;
import io.imaginggateway.mapping.MappingRules;
import org.hl7.fhir.r4.model.Identifier;

/**
 * CX (PID-2/3/4, PV1-19, ...): CX.1 value, CX.4 assigning authority -> system, CX.5 identifier type -> type (a table
 * 0203 code as a coding, anything else as text).
 */
public final class CxToIdentifier {

    private CxToIdentifier() {}

    /**
     * Null when CX.1 is empty. {@code defaultType} applies when CX.5 is empty (e.g. VN for PV1-19);
     * {@code unscopedSystem} is the system of an ID without assigning authority (null: the local one of its type).
     */
    public static Identifier identifier(CX cx, MappingRules rules, String defaultType, String unscopedSystem) {
        if (HdToSystem.blank(cx.getIDNumber().getValue())) {
            return null;
        }
        String type = HdToSystem.blank(cx.getIdentifierTypeCode().getValue()) ? defaultType : cx.getIdentifierTypeCode().getValue();
        String system = system(cx.getAssigningAuthority(), rules);
        if (system == null) {
            system = unscopedSystem != null ? unscopedSystem : HdToSystem.localSystem(type, rules);
        }
        return HdToSystem.senderTyped(cx.getIDNumber().getValue(), system, type, rules);
    }

    /** The system an HD (assigning authority, facility) stands for; null when it is empty. */
    static String system(HD authority, MappingRules rules) {
        return HdToSystem.system(authority.getNamespaceID().getValue(), authority.getUniversalID().getValue(),
                authority.getUniversalIDType().getValue(), rules);
    }
}
