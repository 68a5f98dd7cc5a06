package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.v251.datatype.XAD;
import io.imaginggateway.mapping.CodeTranslations;
import org.hl7.fhir.r4.model.Address;

/**
 * XAD (PID-11) to Address: street and other designation as lines, city, state, postal code, country, and use and type
 * from the address type (table 0190, ConceptMaps {@code v2-address-type-to-address-use} and {@code -to-address-type}).
 */
public final class XadToAddress {

    private XadToAddress() {}

    /** Null when empty. */
    public static Address address(XAD xad, CodeTranslations codes) {
        Address address = new Address();
        line(address, xad.getStreetAddress().getStreetOrMailingAddress().getValue());
        line(address, xad.getOtherDesignation().getValue());
        set(xad.getCity().getValue(), address::setCity);
        set(xad.getStateOrProvince().getValue(), address::setState);
        set(xad.getZipOrPostalCode().getValue(), address::setPostalCode);
        set(xad.getCountry().getValue(), address::setCountry);
        set(xad.getCountyParishCode().getValue(), address::setDistrict);
        if (address.isEmpty()) {
            return null;
        }
        String type = xad.getAddressType().getValue();
        if (!HdToSystem.blank(type)) {
            codes.translate("v2-address-type-to-address-use", type.trim()).ifPresent(use -> address.getUseElement().setValueAsString(use));
            codes.translate("v2-address-type-to-address-type", type.trim()).ifPresent(kind -> address.getTypeElement().setValueAsString(kind));
        }
        return address;
    }

    private static void line(Address address, String value) {
        if (!HdToSystem.blank(value)) {
            address.addLine(V2Text.plain(value).trim());
        }
    }

    private static void set(String value, java.util.function.Consumer<String> setter) {
        if (!HdToSystem.blank(value)) {
            setter.accept(V2Text.plain(value).trim());
        }
    }
}
