package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.datatype.HD;
import io.imaginggateway.mapping.MappingRules;
import org.hl7.fhir.r4.model.Identifier;

/** CX (PID-3, PV1-19, ...): CX.1 value, CX.4 assigning authority -> system, CX.5 identifier type -> type. */
public final class CxToIdentifier {

    private CxToIdentifier() {}

    /**
     * Null when CX.1 is empty. {@code defaultType} applies when CX.5 is empty (e.g. VN for PV1-19);
     * {@code localSystem} is the system of an ID without assigning authority (null: the local one of its type).
     */
    public static Identifier identifier(CX cx, MappingRules rules, String defaultType, String localSystem) {
        HD authority = cx.getAssigningAuthority();
        String type = HdToSystem.blank(cx.getIdentifierTypeCode().getValue()) ? defaultType : cx.getIdentifierTypeCode().getValue();
        if (HdToSystem.blank(cx.getIDNumber().getValue())) {
            return null;
        }
        String system = HdToSystem.system(authority.getNamespaceID().getValue(), authority.getUniversalID().getValue(),
                authority.getUniversalIDType().getValue(), rules);
        if (system == null) {
            system = localSystem != null ? localSystem : HdToSystem.localSystem(type);
        }
        return HdToSystem.identifier(cx.getIDNumber().getValue(), system, type);
    }
}
