package io.imaginggateway.mapping.v2;

import ca.uhn.hl7v2.model.v251.datatype.XAD;
import org.hl7.fhir.r4.model.Address;

/** XAD (PID-11) to Address: street and other designation as lines, city, state, postal code, country, use. */
public final class XadToAddress {

    private XadToAddress() {}

    /** Null when empty. */
    public static Address address(XAD xad) {
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
        if (type != null) {
            switch (type.trim()) {
                case "H", "P" -> address.setUse(Address.AddressUse.HOME);
                case "B", "O" -> address.setUse(Address.AddressUse.WORK);
                case "C" -> address.setUse(Address.AddressUse.TEMP);
                case "BA" -> address.setUse(Address.AddressUse.OLD);
                case "M" -> address.setType(Address.AddressType.POSTAL);
                default -> { }
            }
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
