package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.v251.datatype.XPN;
import io.imaginggateway.mapping.CodeTranslations;
import org.hl7.fhir.r4.model.HumanName;

/**
 * XPN (PID-5) to HumanName: family, given and further given names, prefix, suffix and degree, and the use from the
 * name type (table 0200, ConceptMap {@code v2-name-type-to-name-use}: L legal -> official, D display -> usual, M
 * maiden, A alias -> nickname, ...).
 */
public final class XpnToHumanName {

    private XpnToHumanName() {}

    public static HumanName name(XPN xpn, CodeTranslations codes) {
        HumanName name = name(xpn.getFamilyName().getSurname().getValue(), xpn.getGivenName().getValue(),
                xpn.getSecondAndFurtherGivenNamesOrInitialsThereof().getValue(), xpn.getSuffixEgJRorIII().getValue(),
                xpn.getPrefixEgDR().getValue(), xpn.getDegreeEgMD().getValue());
        String nameType = xpn.getNameTypeCode().getValue();
        if (name != null && !HdToSystem.blank(nameType)) {
            codes.translate("v2-name-type-to-name-use", nameType.trim()).ifPresent(use -> name.getUseElement().setValueAsString(use));
        }
        return name;
    }

    /** Null when no part is present. Shared with XCN and CNN, whose name parts are the same, and DICOM PN. */
    public static HumanName name(String family, String given, String further, String suffix, String prefix, String degree) {
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
        return name;
    }

    private static void addIfPresent(String value, java.util.function.Consumer<String> add) {
        if (!HdToSystem.blank(value)) {
            add.accept(V2Text.plain(value).trim());
        }
    }
}
