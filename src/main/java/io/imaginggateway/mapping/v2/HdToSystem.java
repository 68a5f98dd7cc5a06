package io.imaginggateway.mapping.v2;

import io.imaginggateway.mapping.MappingRules;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.Identifier;

/**
 * An HL7 v2 assigning authority or namespace (HD: namespace ID ^ universal ID ^ universal ID type) to a FHIR
 * Identifier.system. In order: the site's map (by namespace, then by universal ID); the universal ID itself when its
 * type says what it is (ISO -> {@code urn:oid:}, UUID -> {@code urn:uuid:}, URI -> as is); else
 * {@code urn:id:<namespace>} so that the authority is kept and stays distinct; no authority at all -> no system.
 */
public final class HdToSystem {

    private HdToSystem() {}

    public static String system(String namespace, String universalId, String universalIdType, MappingRules rules) {
        String mapped = blank(namespace) ? null : rules.identifierSystems().get(namespace.trim());
        if (mapped == null && !blank(universalId)) {
            mapped = rules.identifierSystems().get(universalId.trim());
        }
        if (mapped != null) {
            return mapped;
        }
        if (!blank(universalId) && universalIdType != null) {
            switch (universalIdType.trim().toUpperCase()) {
                case "ISO" -> { return "urn:oid:" + universalId.trim(); }
                case "UUID", "GUID" -> { return "urn:uuid:" + universalId.trim().toLowerCase(); }
                case "URI", "URL" -> { return universalId.trim(); }
                default -> { }
            }
        }
        String name = !blank(namespace) ? namespace : universalId;
        return blank(name) ? null : "urn:id:" + URLEncoder.encode(name.trim(), StandardCharsets.UTF_8).replace("+", "%20");
    }

    /**
     * An identifier from a value and the HD parts naming who assigned it (CX.4, EI.2-4, XCN.9); null when the value
     * is empty.
     */
    static Identifier identifier(String value, String namespace, String universalId, String universalIdType,
            String typeCode, MappingRules rules) {
        if (blank(value)) {
            return null;
        }
        String system = system(namespace, universalId, universalIdType, rules);
        return identifier(value, system != null ? system : localSystem(typeCode), typeCode);
    }

    /**
     * The system of identifiers sent without any authority: this site's own numbers of that kind
     * ({@code .../local-plac}, {@code .../local-fill}, {@code .../local-id} for untyped ones such as staff IDs), so that
     * every identifier the gateway writes says whose number it is, as FHIR recommends.
     */
    static String localSystem(String typeCode) {
        return LOCAL_SYSTEM_BASE + (blank(typeCode) ? "id" : typeCode.trim().toLowerCase());
    }

    static final String LOCAL_SYSTEM_BASE = "http://imaginggateway.io/fhir/NamingSystem/local-";

    /** An identifier whose value is given and whose system comes from an authority, with a v2-0203 type code. */
    public static Identifier identifier(String value, String system, String typeCode) {
        Identifier identifier = new Identifier().setValue(value.trim()).setSystem(system);
        if (typeCode != null && !typeCode.isBlank()) {
            identifier.getType().addCoding().setSystem(V2_0203).setCode(typeCode.trim());
        }
        return identifier;
    }

    public static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
