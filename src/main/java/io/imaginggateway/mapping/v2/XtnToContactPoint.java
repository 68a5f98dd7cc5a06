package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.v251.datatype.XTN;
import org.hl7.fhir.r4.model.ContactPoint;

/**
 * XTN (PID-13 home, PID-14 business) to ContactPoint. The number is XTN.1 as older senders write it
 * ({@code (555)555-1234}), else XTN.4 for e-mail, else built from XTN.5-8 (country, area, local number, extension),
 * else XTN.12, the unformatted number.
 * System from equipment type (table 0202: PH, FX, CP mobile, BP pager, Internet/X.400 e-mail); use from XTN.2
 * (table 0201) or from the field it came in.
 */
public final class XtnToContactPoint {

    private XtnToContactPoint() {}

    /** Null when no number or address is present. */
    public static ContactPoint contactPoint(XTN xtn, ContactPoint.ContactPointUse fieldUse) {
        String equipment = trim(xtn.getTelecommunicationEquipmentType().getValue());
        boolean email = "Internet".equalsIgnoreCase(equipment) || "X.400".equalsIgnoreCase(equipment)
                || "NET".equals(trim(xtn.getTelecommunicationUseCode().getValue()));
        String value = email && !HdToSystem.blank(xtn.getEmailAddress().getValue())
                ? xtn.getEmailAddress().getValue() : number(xtn);
        if (HdToSystem.blank(value)) {
            return null;
        }
        ContactPoint contact = new ContactPoint().setValue(V2Text.plain(value).trim());
        contact.setSystem(email ? ContactPoint.ContactPointSystem.EMAIL : switch (equipment == null ? "" : equipment) {
            case "FX" -> ContactPoint.ContactPointSystem.FAX;
            case "BP" -> ContactPoint.ContactPointSystem.PAGER;
            default -> ContactPoint.ContactPointSystem.PHONE;
        });
        if ("CP".equals(equipment)) {
            contact.setUse(ContactPoint.ContactPointUse.MOBILE);
        } else {
            ContactPoint.ContactPointUse use = switch (trim(xtn.getTelecommunicationUseCode().getValue()) == null ? "" : trim(xtn.getTelecommunicationUseCode().getValue())) {
                case "PRN", "VHN" -> ContactPoint.ContactPointUse.HOME;
                case "WPN" -> ContactPoint.ContactPointUse.WORK;
                case "EMR", "ASN", "ORN" -> ContactPoint.ContactPointUse.TEMP;
                default -> fieldUse;
            };
            if (use != null) {
                contact.setUse(use);
            }
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
