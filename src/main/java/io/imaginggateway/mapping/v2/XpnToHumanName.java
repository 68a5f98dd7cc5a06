package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.v251.datatype.XPN;
import org.hl7.fhir.r4.model.HumanName;

/**
 * XPN (PID-5) to HumanName: family, given and further given names, prefix, suffix and degree, and the use from the
 * name type (table 0200: L legal -> official, D display -> usual, M maiden, A alias -> nickname, ...).
 */
public final class XpnToHumanName {

    private XpnToHumanName() {}

    public static HumanName name(XPN xpn) {
        return name(xpn.getFamilyName().getSurname().getValue(), xpn.getGivenName().getValue(),
                xpn.getSecondAndFurtherGivenNamesOrInitialsThereof().getValue(), xpn.getSuffixEgJRorIII().getValue(),
                xpn.getPrefixEgDR().getValue(), xpn.getDegreeEgMD().getValue(), xpn.getNameTypeCode().getValue());
    }

    /** Null when no part is present. Shared with XCN and CNN, whose name parts are the same, and DICOM PN. */
    public static HumanName name(String family, String given, String further, String suffix, String prefix, String degree,
            String nameType) {
        HumanName name = new HumanName();
        if (!HdToSystem.blank(family)) {
            name.setFamily(V2Text.plain(family).trim());
        }
        addIfPresent(given, name::addGiven);
        if (!HdToSystem.blank(further)) {
            for (String part : V2Text.plain(further).trim().split("\\s+")) {
                name.addGiven(part);
            }
        }
        addIfPresent(prefix, name::addPrefix);
        addIfPresent(suffix, name::addSuffix);
        addIfPresent(degree, name::addSuffix);
        if (!name.hasFamily() && !name.hasGiven()) {
            return null;
        }
        HumanName.NameUse use = nameUse(nameType);
        if (use != null) {
            name.setUse(use);
        }
        return name;
    }

    private static HumanName.NameUse nameUse(String nameType) {
        if (HdToSystem.blank(nameType)) {
            return null;
        }
        return switch (nameType.trim()) {
            case "L" -> HumanName.NameUse.OFFICIAL;
            case "D" -> HumanName.NameUse.USUAL;
            case "M" -> HumanName.NameUse.MAIDEN;
            case "A", "N" -> HumanName.NameUse.NICKNAME;
            case "B", "BAD" -> HumanName.NameUse.OLD;
            case "T", "TEMP" -> HumanName.NameUse.TEMP;
            case "S", "K" -> HumanName.NameUse.ANONYMOUS;
            default -> null;
        };
    }

    private static void addIfPresent(String value, java.util.function.Consumer<String> add) {
        if (!HdToSystem.blank(value)) {
            add.accept(V2Text.plain(value).trim());
        }
    }
}
