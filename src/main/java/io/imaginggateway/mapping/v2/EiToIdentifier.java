package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.v251.datatype.EI;
import io.imaginggateway.mapping.MappingRules;
import org.hl7.fhir.r4.model.Identifier;

/** EI (placer/filler order numbers ORC-2/3, OBR-2/3, accession IPC-1): EI.1 value, EI.2-4 namespace -> system. */
public final class EiToIdentifier {

    private EiToIdentifier() {}

    /** Null when EI.1 is empty. */
    public static Identifier identifier(EI ei, String typeCode, MappingRules rules) {
        return HdToSystem.identifier(ei.getEntityIdentifier().getValue(), ei.getNamespaceID().getValue(),
                ei.getUniversalID().getValue(), ei.getUniversalIDType().getValue(), typeCode, rules);
    }
}
