package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.v251.datatype.HD;
import ca.uhn.hl7v2.model.v251.datatype.XCN;
import io.imaginggateway.mapping.MappingContext;
import java.util.List;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.Reference;

/**
 * XCN (ORC-12, OBR-16, OBR-32..35, PV1-7/8/9/17) to a Practitioner identified by XCN.1 with XCN.9 assigning authority
 * as system; name from XCN.2-7. A person sent with a name but no ID gets no resource (nothing could tell two such
 * entries apart or find them again): the reference then only carries the name as display.
 */
public final class XcnToPractitioner {

    private XcnToPractitioner() {}

    /** Null when the field is empty. */
    public static Reference practitioner(XCN xcn, MappingContext context) {
        HumanName name = XpnToHumanName.name(xcn.getFamilyName().getSurname().getValue(), xcn.getGivenName().getValue(),
                xcn.getSecondAndFurtherGivenNamesOrInitialsThereof().getValue(), xcn.getSuffixEgJRorIII().getValue(),
                xcn.getPrefixEgDR().getValue(), xcn.getDegreeEgMD().getValue());
        HD authority = xcn.getAssigningAuthority();
        return practitioner(xcn.getIDNumber().getValue(), name, authority.getNamespaceID().getValue(),
                authority.getUniversalID().getValue(), authority.getUniversalIDType().getValue(),
                xcn.getIdentifierTypeCode().getValue(), context);
    }

    /** A person by ID (with assigning authority HD parts and identifier type) and name; null when both are empty. */
    static Reference practitioner(String id, HumanName name, String authorityNamespace, String authorityUniversalId,
            String authorityUniversalIdType, String identifierType, MappingContext context) {
        Identifier identifier = null;
        if (!HdToSystem.blank(id)) {
            String system = HdToSystem.system(authorityNamespace, authorityUniversalId, authorityUniversalIdType, context.rules());
            identifier = HdToSystem.senderTyped(id, system != null ? system : HdToSystem.localSystem(identifierType, context.rules()), identifierType,
                    context.rules());
        }
        if (identifier == null) {
            return name == null ? null : new Reference().setDisplay(name.getNameAsSingleString());
        }
        Practitioner practitioner = new Practitioner().addIdentifier(identifier);
        if (name != null) {
            practitioner.addName(name);
        }
        Reference reference = context.transaction().upsert(practitioner, List.of(identifier));
        if (name != null) {
            reference.setDisplay(name.getNameAsSingleString());
        }
        return reference;
    }
}
