package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.v251.datatype.XTN;
import io.imaginggateway.mapping.CodeTranslations;
import org.hl7.fhir.r4.model.ContactPoint;

/**
 * XTN (PID-13 home, PID-14 business) to ContactPoint. The number is XTN.1 as older senders write it
 * ({@code (555)555-1234}), else XTN.4 for e-mail, else built from XTN.5-8 (country, area, local number, extension),
 * else XTN.12, the unformatted number.
 * System from equipment type (table 0202, ConceptMap {@code v2-telecom-equipment-to-contact-point-system}: PH, FX,
 * BP pager, Internet/X.400 e-mail; phone when not mapped) or XTN.2 NET; use from the equipment type (CP: mobile,
 * {@code v2-telecom-equipment-to-contact-point-use}), else XTN.2 (table 0201, {@code v2-telecom-use-to-contact-point-use}),
 * else the field it came in.
 */
public final class XtnToContactPoint {

    private XtnToContactPoint() {}

    /** Null when no number or address is present. */
    public static ContactPoint contactPoint(XTN xtn, ContactPoint.ContactPointUse fieldUse, CodeTranslations codes) {
        String equipment = trim(xtn.getTelecommunicationEquipmentType().getValue());
        String useCode = trim(xtn.getTelecommunicationUseCode().getValue());
        String system = codes.translate("v2-telecom-equipment-to-contact-point-system", equipment).orElse("phone");
        boolean email = system.equals("email") || "NET".equals(useCode);
        String value = email && !HdToSystem.blank(xtn.getEmailAddress().getValue())
                ? xtn.getEmailAddress().getValue() : number(xtn);
        if (HdToSystem.blank(value)) {
            return null;
        }
        ContactPoint contact = new ContactPoint().setValue(V2Text.plain(value).trim());
        contact.getSystemElement().setValueAsString(email ? "email" : system);
        String use = codes.translate("v2-telecom-equipment-to-contact-point-use", equipment)
                .or(() -> codes.translate("v2-telecom-use-to-contact-point-use", useCode))
                .orElse(fieldUse == null ? null : fieldUse.toCode());
        if (use != null) {
            contact.getUseElement().setValueAsString(use);
        }
        return contact;
    }

    private static String number(XTN xtn) {
        if (!HdToSystem.blank(xtn.getTelephoneNumber().getValue())) {
            return xtn.getTelephoneNumber().getValue();
        }
        String local = xtn.getLocalNumber().getValue();
        if (HdToSystem.blank(local)) {
            String unformatted = xtn.getUnformattedTelephoneNumber().getValue();
            return HdToSystem.blank(unformatted) ? null : unformatted;
        }
        StringBuilder number = new StringBuilder();
        if (!HdToSystem.blank(xtn.getCountryCode().getValue())) {
            number.append('+').append(xtn.getCountryCode().getValue().trim()).append(' ');
        }
        if (!HdToSystem.blank(xtn.getAreaCityCode().getValue())) {
            number.append(xtn.getAreaCityCode().getValue().trim()).append(' ');
        }
        number.append(local.trim());
        if (!HdToSystem.blank(xtn.getExtension().getValue())) {
            number.append(" ext. ").append(xtn.getExtension().getValue().trim());
        }
        return number.toString();
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }
}
