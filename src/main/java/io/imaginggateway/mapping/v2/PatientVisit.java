package io.imaginggateway.mapping.v2;

import io.imaginggateway.mapping.MappingContext;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;

/**
 * Whom and which visit a message is about, shared by its orders and reports: the Patient of PID and the Encounter of
 * PV1 (null without a visit number), each written once per message.
 */
record PatientVisit(Reference patient, Reference encounter) {

    static PatientVisit of(V2Message message, MappingContext context) {
        Patient patient = PidToPatient.patient(message.pid(), context);
        Reference patientReference = context.transaction().upsert(patient, patient.getIdentifier());
        return new PatientVisit(patientReference, Pv1ToEncounter.encounter(message.pv1(), patientReference, context));
    }
}
