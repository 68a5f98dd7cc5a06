package io.imaginggateway.linking;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.hl7.fhir.r4.model.Identifier;

/**
 * A message or instance whose identifiers point at a stored resource it must not change: one that belongs to another
 * patient, one whose other numbers disagree, or two different resources at once. Nothing of it is written; the intake
 * answers with the reason (HL7 AE, a DICOM failure status, HTTP 409) and keeps the conflict for an operator.
 * The text names identifiers and resource ids, never a patient's name.
 */
public class IdentityConflict extends RuntimeException {

    public enum Kind {
        /** The stored resource belongs to another patient than the one the message is about. */
        OTHER_PATIENT,
        /** The stored resource has another number of the same kind (same authority and type). */
        NUMBERS_DISAGREE,
        /** The identifiers name two different stored resources. */
        TWO_RESOURCES
    }

    private static final Map<String, String> NOUNS = Map.of("ServiceRequest", "order", "DiagnosticReport", "report",
            "Observation", "result", "ImagingStudy", "study", "Encounter", "visit", "Patient", "patient");
    private static final Map<String, String> NUMBERS = Map.of("PLAC", "placer order number", "FILL", "filler order number",
            "ACSN", "accession number", "VN", "visit number", "MR", "medical record number");

    private final Kind kind;
    private final String resourceType;
    private final Identifier identifier;
    private final List<String> storedResources;
    private final String description;

    /**
     * @param identifier      the incoming identifier that found the stored resource
     * @param storedResources the stored resource(s) concerned, {@code Type/id}
     * @param description     what is wrong, to follow the identifier: "belongs to an order of another patient"
     */
    public IdentityConflict(Kind kind, String resourceType, Identifier identifier, List<String> storedResources,
            String description) {
        super(describe(identifier) + " " + description
                + (storedResources.isEmpty() ? "" : " (" + String.join(", ", storedResources) + ")"));
        this.kind = kind;
        this.resourceType = resourceType;
        this.identifier = identifier;
        this.storedResources = List.copyOf(storedResources);
        this.description = description;
    }

    public Kind kind() {
        return kind;
    }

    /** The type of the resource the message would have changed. */
    public String resourceType() {
        return resourceType;
    }

    /** The incoming identifier at issue. */
    public Identifier identifier() {
        return identifier;
    }

    /** The identifier's kind as its v2-0203 type code (PLAC, FILL, ACSN, VN, MR, ...), or null. */
    public String identifierType() {
        return identifier.getType().getCoding().stream().map(c -> c.getCode()).filter(c -> c != null).findFirst().orElse(null);
    }

    public List<String> storedResources() {
        return storedResources;
    }

    /** What is wrong, without the identifier: "belongs to an order of another patient". */
    public String description() {
        return description;
    }

    /** "an order", "a study", ... */
    static String aNoun(String resourceType) {
        String noun = NOUNS.getOrDefault(resourceType, resourceType);
        return ("aeiou".indexOf(noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
    }

    static String plural(String resourceType) {
        String noun = NOUNS.getOrDefault(resourceType, resourceType);
        return noun.endsWith("y") && !noun.endsWith("ey") ? noun.substring(0, noun.length() - 1) + "ies" : noun + "s";
    }

    /** "filler order number FO-1 (urn:id:RIS)": the number's kind, value and system. */
    static String describe(Identifier identifier) {
        String value = identifier.getValue() == null ? "" : identifier.getValue().replaceFirst("^urn:oid:", "");
        return kind(identifier) + " " + value + (identifier.hasSystem() && !"urn:dicom:uid".equals(identifier.getSystem())
                ? " (" + identifier.getSystem() + ")" : "");
    }

    /** "filler order number", "Study Instance UID", "SS identifier": what kind of number an identifier is. */
    static String kind(Identifier identifier) {
        String type = identifier.getType().getCoding().stream().map(c -> c.getCode()).filter(c -> c != null).findFirst()
                .orElse(identifier.getType().getText());
        return "urn:dicom:uid".equals(identifier.getSystem()) ? "Study Instance UID"
                : type == null ? "identifier" : NUMBERS.getOrDefault(type.toUpperCase(Locale.ROOT), type + " identifier");
    }
}
