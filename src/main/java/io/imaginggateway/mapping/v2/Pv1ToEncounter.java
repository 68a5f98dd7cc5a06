package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.v251.datatype.XCN;
import ca.uhn.hl7v2.model.v251.segment.PV1;
import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingRules;
import java.util.List;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Encounter;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Reference;

/**
 * PV1 to Encounter (V2-to-FHIR IG PV1 map): PV1-19 visit number -> identifier (type VN), PV1-2 patient class ->
 * class (ConceptMap), PV1-7/8/9/17 -> participants (ATND, REF, CON, ADM), PV1-44/45 -> period and status.
 * A visit number is unique only where it was assigned: its system is PV1-19's assigning authority (CX.4), else its
 * assigning facility (CX.6), else the facility of the patient's location (PV1-3.4), else the site's own visit numbers.
 * Only a visit with a visit number becomes an Encounter: without one nothing could find it again, and every message
 * would add another. Left out: PV1-3 location (the gateway does not keep Location resources), financial fields.
 */
public final class Pv1ToEncounter {

    static final String ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode";
    static final String PARTICIPATION = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType";

    private Pv1ToEncounter() {}

    /** The visit's Encounter (null when there is no PV1 or no visit number) and its referring doctor (PV1-8). */
    public record Visit(Reference encounter, Reference referrer) {}

    /** The site's field rules writing to Encounter apply to it ({@link SiteFieldRules}). */
    public static Visit visit(V2Message message, Reference patient, MappingContext context) {
        MappingRules rules = context.rules();
        PV1 pv1 = message.pv1();
        if (pv1 == null) {
            return new Visit(null, null);
        }
        String facility = CxToIdentifier.system(pv1.getVisitNumber().getAssigningFacility(), rules);
        if (facility == null) {
            facility = CxToIdentifier.system(pv1.getAssignedPatientLocation().getFacility(), rules);
        }
        Identifier visit = CxToIdentifier.identifier(pv1.getVisitNumber(), rules, "VN", facility);
        if (visit == null) {
            return new Visit(null, pv1.getReferringDoctorReps() == 0 ? null
                    : XcnToPractitioner.practitioner(pv1.getReferringDoctor(0), context));
        }
        Encounter encounter = new Encounter().addIdentifier(visit).setSubject(patient);
        String patientClass = pv1.getPatientClass().getValue();
        encounter.setClass_(rules.codes().translate("v2-patient-class-to-encounter-class", patientClass)
                .map(code -> new Coding(ACT_CODE, code, null))
                .orElse(new Coding("http://terminology.hl7.org/CodeSystem/v3-NullFlavor", "UNK", "unknown")));
        DateTimeType admitted = V2Dates.dateTime(pv1.getAdmitDateTime(), "PV1-44", context);
        DateTimeType discharged = V2Dates.dateTime(pv1.getDischargeDateTime(0), "PV1-45", context);
        if (admitted != null) {
            encounter.getPeriod().setStartElement(admitted);
        }
        if (discharged != null) {
            encounter.getPeriod().setEndElement(discharged);
        }
        encounter.setStatus(discharged != null ? Encounter.EncounterStatus.FINISHED
                : admitted != null ? Encounter.EncounterStatus.INPROGRESS : Encounter.EncounterStatus.UNKNOWN);
        participants(encounter, pv1.getAttendingDoctor(), "ATND", context);
        Reference referrer = participants(encounter, pv1.getReferringDoctor(), "REF", context);
        participants(encounter, pv1.getConsultingDoctor(), "CON", context);
        participants(encounter, pv1.getAdmittingDoctor(), "ADM", context);
        SiteFieldRules.apply(encounter, message, null, context);
        return new Visit(context.transaction().upsert(encounter, List.of(visit)), referrer);
    }

    /** Adds the people as participants in this role; returns the first of them (null: none). */
    private static Reference participants(Encounter encounter, XCN[] people, String role, MappingContext context) {
        Reference first = null;
        for (XCN xcn : people) {
            Reference practitioner = XcnToPractitioner.practitioner(xcn, context);
            if (practitioner != null) {
                encounter.addParticipant().setIndividual(practitioner).addType().addCoding(new Coding(PARTICIPATION, role, null));
                first = first != null ? first : practitioner;
            }
        }
        return first;
    }
}
