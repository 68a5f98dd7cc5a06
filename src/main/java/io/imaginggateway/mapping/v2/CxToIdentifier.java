package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.datatype.HD;
import io.imaginggateway.mapping.MappingRules;
import org.hl7.fhir.r4.model.Identifier;

/** CX (PID-3, PV1-19, ...): CX.1 value, CX.4 assigning authority -> system, CX.5 identifier type -> type. */
public final class CxToIdentifier {

    private CxToIdentifier() {}

    /** Null when CX.1 is empty. {@code defaultType} applies when CX.5 is empty (e.g. VN for PV1-19). */
    public static Identifier identifier(CX cx, MappingRules rules, String defaultType) {
        HD authority = cx.getAssigningAuthority();
        String type = cx.getIdentifierTypeCode().getValue();
        return HdToSystem.identifier(cx.getIDNumber().getValue(), authority.getNamespaceID().getValue(),
                authority.getUniversalID().getValue(), authority.getUniversalIDType().getValue(),
                HdToSystem.blank(type) ? defaultType : type, rules);
    }
}
