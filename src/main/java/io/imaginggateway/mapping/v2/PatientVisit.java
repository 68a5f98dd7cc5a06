package io.imaginggateway.mapping.v2;

import io.imaginggateway.mapping.MappingContext;
import org.hl7.fhir.r4.model.Reference;

/**
 * Whom and which visit a message is about, shared by its orders and reports: the Patient of PID (found again by the
 * identifiers the site matches on), the Encounter of PV1 (null without a visit number) and the visit's referring
 * doctor (PV1-8), each written once per message.
 */
record PatientVisit(Reference patient, Reference encounter, Reference referrer) {

    static PatientVisit of(V2Message message, MappingContext context) {
        PidToPatient.MappedPatient mapped = PidToPatient.patient(message.pid(), context);
        SiteFieldRules.apply(mapped.patient(), message, null, context);
        Reference patient = context.transaction().upsert(mapped.patient(), mapped.identity());
        Pv1ToEncounter.Visit visit = Pv1ToEncounter.visit(message, patient, context);
        return new PatientVisit(patient, visit.encounter(), visit.referrer());
    }
}
