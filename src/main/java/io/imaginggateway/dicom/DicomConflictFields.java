package io.imaginggateway.dicom;

import io.imaginggateway.linking.IdentityConflict;

/** An identity conflict in DICOM's terms: the attribute its identifier came from, then the conflict. */
final class DicomConflictFields {

    private DicomConflictFields() {}

    /** The attribute, the identifier and the conflict, for the operator and the log of conflicts. */
    static String describe(IdentityConflict conflict) {
        return prefix(conflict) + conflict.getMessage();
    }

    /** The attribute and what is wrong, without values (for a log line and the 64 characters of Error Comment). */
    static String brief(IdentityConflict conflict) {
        return prefix(conflict) + conflict.description();
    }

    private static String prefix(IdentityConflict conflict) {
        String attribute = "urn:dicom:uid".equals(conflict.identifier().getSystem()) ? "(0020,000D)"
                : "Patient".equals(conflict.resourceType()) ? "(0010,0020)"
                : "ACSN".equals(conflict.identifierType()) ? "(0008,0050)" : "";
        return attribute.isEmpty() ? "" : attribute + " ";
    }
}
