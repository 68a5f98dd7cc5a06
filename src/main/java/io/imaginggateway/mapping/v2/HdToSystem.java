package io.imaginggateway.mapping.v2;

import io.imaginggateway.mapping.MappingRules;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.hl7.fhir.r4.model.Identifier;

/**
 * An HL7 v2 assigning authority or namespace (HD: namespace ID ^ universal ID ^ universal ID type) to a FHIR
 * Identifier.system. In order: the site's map (by namespace, then by universal ID); the universal ID itself when its
 * type says what it is and it is one (ISO and a valid OID -> {@code urn:oid:}, UUID -> {@code urn:uuid:}, URI and an
 * absolute URI -> as is); else {@code urn:id:<name>} so that the authority is kept and stays distinct; no authority at
 * all -> no system. A universal ID that is not what its type says (an "ISO" that is no OID) is taken as a name.
 */
public final class HdToSystem {

    /** An ISO object identifier: arcs of digits without leading zeros, the first 0, 1 or 2. */
    private static final Pattern OID = Pattern.compile("[0-2](\\.(0|[1-9][0-9]*))+");
    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

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
            String id = universalId.trim();
            switch (universalIdType.trim().toUpperCase()) {
                case "ISO" -> {
                    if (OID.matcher(id).matches()) {
                        return "urn:oid:" + id;
                    }
                }
                case "UUID", "GUID" -> {
                    if (UUID.matcher(id).matches()) {
                        return "urn:uuid:" + id.toLowerCase();
                    }
                }
                case "URI", "URL" -> {
                    if (isAbsoluteUri(id)) {
                        return id;
                    }
                }
                default -> { }
            }
        }
        String name = !blank(namespace) ? namespace : universalId;
        return blank(name) ? null : "urn:id:" + encode(name.trim());
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
        return identifier(value, system != null ? system : localSystem(typeCode, rules), typeCode);
    }

    /**
     * The system of identifiers sent without any authority: this site's own numbers of that kind
     * ({@code .../local-plac}, {@code .../local-fill}, {@code .../local-id} for untyped ones such as staff IDs; {@code gateway.site.local-system-base}), so that
     * every identifier the gateway writes says whose number it is, as FHIR recommends.
     */
    static String localSystem(String typeCode, MappingRules rules) {
        return rules.localSystemBase() + (blank(typeCode) ? "id" : encode(typeCode.trim().toLowerCase()));
    }

    /** An identifier whose value is given and whose system comes from an authority, with a v2-0203 type code. */
    public static Identifier identifier(String value, String system, String typeCode) {
        Identifier identifier = new Identifier().setValue(value.trim()).setSystem(system);
        if (typeCode != null && !typeCode.isBlank()) {
            identifier.getType().addCoding().setSystem(V2_0203).setCode(typeCode.trim());
        }
        return identifier;
    }

    /**
     * An identifier with the type a sender gave it (CX.5, XCN.13): a table 0203 code becomes a v2-0203 coding; any
     * other value (MRN, EPI, a number) is kept as the type's text, never passed off as a table 0203 code.
     */
    static Identifier senderTyped(String value, String system, String senderType, MappingRules rules) {
        String type = blank(senderType) ? null : senderType.trim();
        if (type == null || rules.codes().defines("v2-0203", type)) {
            return identifier(value, system, type);
        }
        Identifier identifier = identifier(value, system, null);
        identifier.getType().setText(type);
        return identifier;
    }

    /**
     * An accession number: the system of its issuer (IPC-1's namespace, DICOM's Issuer of Accession Number Sequence),
     * else the site's accession system — the same for every segment and for DICOM, so orders meet their images.
     */
    public static Identifier accession(String value, String namespace, String universalId, String universalIdType,
            MappingRules rules) {
        String system = system(namespace, universalId, universalIdType, rules);
        return identifier(value, system != null ? system : rules.accessionSystem(), "ACSN");
    }

    public static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";

    static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    /** A name as a URI path or URN part: percent-encoded, so that spaces and delimiters never reach a system. */
    static String encode(String name) {
        return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** An absolute URI with a scheme and no spaces (what FHIR's uri type can hold as a system). */
    static boolean isAbsoluteUri(String value) {
        try {
            return new URI(value).isAbsolute();
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
