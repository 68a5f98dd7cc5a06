package io.imaginggateway.mapping;

import java.util.Set;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Identifier;

/**
 * Which patient identifiers may find a stored Patient: a number is unique only within its assigning authority and for
 * its kind, so only kinds that name one person in their authority's scope identify (medical record numbers, internal
 * patient IDs). Shared or non-unique numbers (SS, DL, insurance numbers) are stored on the Patient but never matched
 * on: two patients sharing one are never merged.
 *
 * @param matchTypes   identifier types (HL7 table 0203 code, or the type text a sender put in CX.5) that identify
 * @param matchUntyped whether an identifier sent without a type (CX.5 empty; DICOM Patient ID) identifies
 */
public record PatientIdentity(Set<String> matchTypes, boolean matchUntyped) {

    /**
     * The default: medical record numbers (MR, and MRN as many senders write it in CX.5), internal, external and
     * enterprise patient identifiers, person numbers.
     */
    public static final Set<String> DEFAULT_TYPES = Set.of("MR", "MRT", "PI", "PT", "PE", "PN", "MRN");

    public boolean identifies(Identifier identifier) {
        String type = typeOf(identifier);
        return type == null ? matchUntyped : matchTypes.contains(type);
    }

    /** The identifier's type code (a table 0203 coding, else the type's text); null when it has none. */
    public static String typeOf(Identifier identifier) {
        for (Coding coding : identifier.getType().getCoding()) {
            if (coding.hasCode()) {
                return coding.getCode();
            }
        }
        return identifier.getType().hasText() ? identifier.getType().getText() : null;
    }
}
