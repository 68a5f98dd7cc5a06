package io.imaginggateway.hl7;

import io.imaginggateway.linking.IdentityConflict;

/**
 * The HL7 field an identity conflict's identifier came from, for the ERR segment and the text an integration engineer
 * reads: the link step speaks FHIR (a filler number, a study UID), the sender speaks segments and fields.
 */
final class ConflictFields {

    private ConflictFields() {}

    static String field(IdentityConflict conflict, String message) {
        if ("urn:dicom:uid".equals(conflict.identifier().getSystem())) {
            return message.contains("\rIPC|") ? "IPC-3" : message.contains("\rOBX|") ? "OBX-5" : "ZDS-1";
        }
        if ("Observation".equals(conflict.resourceType())) {
            return "OBX-3";
        }
        if ("Patient".equals(conflict.resourceType())) {
            return "PID-3";
        }
        String type = conflict.identifierType();
        boolean orc = message.contains("\rORC|");
        return switch (type == null ? "" : type) {
            case "PLAC" -> orc ? "ORC-2" : "OBR-2";
            case "FILL" -> orc ? "ORC-3" : "OBR-3";
            case "ACSN" -> message.contains("\rIPC|") ? "IPC-1" : "OBR-18";
            case "VN" -> "PV1-19";
            default -> "";
        };
    }
}
