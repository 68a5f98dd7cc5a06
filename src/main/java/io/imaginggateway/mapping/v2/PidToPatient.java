package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.datatype.XAD;
import ca.uhn.hl7v2.model.v251.datatype.XPN;
import ca.uhn.hl7v2.model.v251.datatype.XTN;
import ca.uhn.hl7v2.model.v251.segment.PID;
import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingException;
import io.imaginggateway.mapping.MappingRules;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Patient;

/**
 * PID to Patient (V2-to-FHIR IG PID map).
 * <ul>
 *   <li>PID-3 (every repetition), PID-2 and PID-4 (older senders' external and alternate IDs) -> identifier, CX.4
 *       authority -> system by the site map (no authority: the site's local patient ID system); every one of them
 *       identifies the patient.</li>
 *   <li>PID-5 -> name; PID-7 -> birthDate, plus the patient-birthTime extension when a time was sent;
 *       PID-8 -> gender (ConceptMap); PID-11 -> address; PID-13/14 -> telecom (home/work);
 *       PID-29/30 -> deceased.</li>
 * </ul>
 * Left out: PID-18 (an account number, not the patient's), PID-19 (national IDs need a per-country system), race,
 * ethnicity, language, marital status and religion (not needed for imaging workflow).
 */
public final class PidToPatient {

    static final String BIRTH_TIME = "http://hl7.org/fhir/StructureDefinition/patient-birthTime";

    private PidToPatient() {}

    public static Patient patient(PID pid, MappingContext context) {
        MappingRules rules = context.rules();
        if (pid == null) {
            throw new MappingException(MappingException.Problem.SEGMENT_MISSING, "PID", "No PID segment: the message names no patient");
        }
        Patient patient = new Patient();
        List<CX> ids = new ArrayList<>(List.of(pid.getPatientIdentifierList()));
        ids.add(pid.getPatientID());
        ids.addAll(List.of(pid.getAlternatePatientIDPID()));
        for (CX cx : ids) {
            Identifier identifier = CxToIdentifier.identifier(cx, rules, null, rules.localPatientIdSystem());
            if (identifier != null && patient.getIdentifier().stream().noneMatch(identifier::equalsDeep)) {
                patient.addIdentifier(identifier);
            }
        }
        if (!patient.hasIdentifier()) {
            throw new MappingException(MappingException.Problem.REQUIRED_MISSING, "PID-3",
                    "PID-3 has no patient identifier: the patient cannot be identified");
        }
        for (XPN xpn : pid.getPatientName()) {
            var name = XpnToHumanName.name(xpn);
            if (name != null) {
                patient.addName(name);
            }
        }
        String birth = pid.getDateTimeOfBirth().getTime().getValue();
        patient.setBirthDateElement(DtmToDateTime.date(birth));
        if (patient.hasBirthDate() && DtmToDateTime.hasTime(birth)) {
            patient.getBirthDateElement().addExtension(BIRTH_TIME, V2Dates.dateTime(pid.getDateTimeOfBirth(), "PID-7", context));
        } else if (!patient.hasBirthDate() && !HdToSystem.blank(birth)) {
            context.warn("PID-7", "'" + birth + "' is not an HL7 date; birth date left out");
        }
        rules.codes().translate("v2-sex-to-administrative-gender", pid.getAdministrativeSex().getValue())
                .ifPresent(code -> patient.setGender(Enumerations.AdministrativeGender.fromCode(code)));
        for (XAD xad : pid.getPatientAddress()) {
            var address = XadToAddress.address(xad);
            if (address != null) {
                patient.addAddress(address);
            }
        }
        addTelecom(patient, pid.getPhoneNumberHome(), ContactPoint.ContactPointUse.HOME);
        addTelecom(patient, pid.getPhoneNumberBusiness(), ContactPoint.ContactPointUse.WORK);
        DateTimeType death = V2Dates.dateTime(pid.getPatientDeathDateAndTime(), "PID-29", context);
        if (death != null) {
            patient.setDeceased(death);
        } else if ("Y".equals(pid.getPatientDeathIndicator().getValue())) {
            patient.setDeceased(new org.hl7.fhir.r4.model.BooleanType(true));
        }
        return patient;
    }

    private static void addTelecom(Patient patient, XTN[] numbers, ContactPoint.ContactPointUse use) {
        for (XTN xtn : numbers) {
            ContactPoint contact = XtnToContactPoint.contactPoint(xtn, use);
            if (contact != null) {
                patient.addTelecom(contact);
            }
        }
    }
}
