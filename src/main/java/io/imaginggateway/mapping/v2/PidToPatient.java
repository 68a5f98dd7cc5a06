package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.v251.datatype.CX;
import ca.uhn.hl7v2.model.v251.datatype.XAD;
import ca.uhn.hl7v2.model.v251.datatype.XPN;
import ca.uhn.hl7v2.model.v251.datatype.XTN;
import ca.uhn.hl7v2.model.v251.segment.PID;
import io.imaginggateway.mapping.CodeTranslations;
import io.imaginggateway.mapping.MappingContext;
import io.imaginggateway.mapping.MappingException;
import io.imaginggateway.mapping.MappingRules;
import io.imaginggateway.mapping.PatientIdentity;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.ContactPoint;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.IntegerType;
import org.hl7.fhir.r4.model.Patient;

/**
 * PID to Patient (V2-to-FHIR IG PID map).
 * <ul>
 *   <li>PID-3 (every repetition), PID-2 and PID-4 (older senders' external and alternate IDs) -> identifier, CX.4
 *       authority -> system by the site map. Without an authority each field has its own system: PID-3 the site's
 *       local patient ID system, PID-2 and PID-4 systems of their own, so that numbers from different fields never
 *       meet. Only identifiers of the types the site lets identify a patient ({@link PatientIdentity}: MR, PI, ...)
 *       find a stored Patient; the others (SS, DL, ...) are stored and never matched on.</li>
 *   <li>PID-5 -> name; PID-7 -> birthDate, plus the patient-birthTime extension when a time was sent;
 *       PID-8 -> gender (ConceptMap); PID-11 -> address; PID-13/14 -> telecom (home/work); PID-15 -> communication
 *       (preferred); PID-16 -> maritalStatus (table 0002); PID-24/25 -> multipleBirth (the birth order when sent);
 *       PID-29/30 -> deceased.</li>
 * </ul>
 * Left out: PID-18 (an account number, not the patient's), PID-19 (national IDs need a per-country system), race,
 * ethnicity and religion (not needed for imaging workflow).
 */
public final class PidToPatient {

    static final String BIRTH_TIME = "http://hl7.org/fhir/StructureDefinition/patient-birthTime";

    private PidToPatient() {}

    /** The patient and the identifiers that find it (the subset of its identifiers the site matches on). */
    public record MappedPatient(Patient patient, List<Identifier> identity) {}

    public static MappedPatient patient(PID pid, MappingContext context) {
        MappingRules rules = context.rules();
        if (pid == null) {
            throw new MappingException(MappingException.Problem.SEGMENT_MISSING, "PID", "No PID segment: the message names no patient");
        }
        Patient patient = new Patient();
        for (CX cx : pid.getPatientIdentifierList()) {
            addIdentifier(patient, CxToIdentifier.identifier(cx, rules, null, rules.localPatientIdSystem()));
        }
        addIdentifier(patient, CxToIdentifier.identifier(pid.getPatientID(), rules, null, rules.localSystemBase() + "external-patient-id"));
        for (CX cx : pid.getAlternatePatientIDPID()) {
            addIdentifier(patient, CxToIdentifier.identifier(cx, rules, null, rules.localSystemBase() + "alternate-patient-id"));
        }
        if (!patient.hasIdentifier()) {
            throw new MappingException(MappingException.Problem.REQUIRED_MISSING, "PID-3",
                    "PID-3 has no patient identifier: the patient cannot be identified");
        }
        List<Identifier> identity = patient.getIdentifier().stream().filter(rules.patientIdentity()::identifies).toList();
        if (identity.isEmpty()) {
            Set<String> types = new LinkedHashSet<>();
            patient.getIdentifier().forEach(i -> types.add(Objects.requireNonNullElse(PatientIdentity.typeOf(i), "none")));
            throw new MappingException(MappingException.Problem.REQUIRED_MISSING, "PID-3",
                    "PID-3 has no identifier that may identify a patient here (types sent: " + String.join(", ", types)
                            + "; identifying types: " + String.join(", ", rules.patientIdentity().matchTypes().stream().sorted().toList())
                            + (rules.patientIdentity().matchUntyped() ? " and untyped" : "") + ", gateway.site.patient-identity)");
        }
        for (XPN xpn : pid.getPatientName()) {
            var name = XpnToHumanName.name(xpn, rules.codes());
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
            var address = XadToAddress.address(xad, rules.codes());
            if (address != null) {
                patient.addAddress(address);
            }
        }
        addTelecom(patient, pid.getPhoneNumberHome(), ContactPoint.ContactPointUse.HOME, rules.codes());
        addTelecom(patient, pid.getPhoneNumberBusiness(), ContactPoint.ContactPointUse.WORK, rules.codes());
        CodeableConcept language = CweToCodeableConcept.concept(pid.getPrimaryLanguage(), rules);
        if (language != null) {
            patient.addCommunication().setLanguage(language).setPreferred(true);
        }
        patient.setMaritalStatus(CweToCodeableConcept.concept(pid.getMaritalStatus(), "HL70002", rules));
        multipleBirth(pid, patient, context);
        DateTimeType death = V2Dates.dateTime(pid.getPatientDeathDateAndTime(), "PID-29", context);
        String deathIndicator = pid.getPatientDeathIndicator().getValue();
        if (death != null) {
            patient.setDeceased(death);
        } else if ("Y".equals(deathIndicator) || "N".equals(deathIndicator)) {
            patient.setDeceased(new BooleanType("Y".equals(deathIndicator)));
        }
        return new MappedPatient(patient, identity);
    }

    /** PID-25 birth order (a number) says more than PID-24's Y/N. */
    private static void multipleBirth(PID pid, Patient patient, MappingContext context) {
        String order = pid.getBirthOrder().getValue();
        if (!HdToSystem.blank(order)) {
            try {
                patient.setMultipleBirth(new IntegerType(Integer.parseInt(order.trim())));
                return;
            } catch (NumberFormatException e) {
                context.warn("PID-25", "birth order '" + order.trim() + "' is not a number; left out");
            }
        }
        String indicator = pid.getMultipleBirthIndicator().getValue();
        if ("Y".equals(indicator) || "N".equals(indicator)) {
            patient.setMultipleBirth(new BooleanType("Y".equals(indicator)));
        }
    }

    private static void addIdentifier(Patient patient, Identifier identifier) {
        if (identifier != null && patient.getIdentifier().stream().noneMatch(identifier::equalsDeep)) {
            patient.addIdentifier(identifier);
        }
    }

    private static void addTelecom(Patient patient, XTN[] numbers, ContactPoint.ContactPointUse use, CodeTranslations codes) {
        for (XTN xtn : numbers) {
            ContactPoint contact = XtnToContactPoint.contactPoint(xtn, use, codes);
            if (contact != null) {
                patient.addTelecom(contact);
            }
        }
    }
}
