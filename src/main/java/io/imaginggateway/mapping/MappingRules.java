package io.imaginggateway.mapping;

import io.imaginggateway.mapping.v2.FieldRule;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.hl7.fhir.r4.model.Coding;

/**
 * The site's choices a mapper needs, as plain values (no Spring, no I/O): built once from configuration.
 *
 * @param feed              the feed ({@code gateway.feeds.<id>}) these rules are of; every resource written records it
 * @param timeZone          zone of date-times sent without an offset
 * @param messageOffset     whether an HL7 message's own offset (MSH-7) applies to its times sent without one,
 *                          before {@code timeZone}
 * @param identifierSystems assigning authority / issuer name -> Identifier.system
 * @param localPatientIdSystem Identifier.system of patient IDs sent without an assigning authority or issuer
 * @param accessionSystem   Identifier.system of accession numbers sent without an issuer (OBR-18, IPC-1, DICOM)
 * @param localSystemBase   start of the systems of other numbers sent without an authority (placer and filler
 *                          numbers, visit numbers, staff IDs, PID-2/PID-4): this feed's own numbers of that kind
 * @param patientIdentity   which patient identifiers find a stored Patient
 * @param obr24             what OBR-24 (diagnostic service section) holds at this site
 * @param reportCategory    DiagnosticReport.category of imaging reports (unless OBR-24 is read as the service section)
 * @param defaultCategory   kind of service of an order or report nothing else in the message tells
 *                          ({@code imaging}, {@code laboratory}, ...: observation-category codes)
 * @param reportTextTypes   OBX value types (OBX-2) whose lines are the report's text, not Observations
 * @param codes             code translations (ConceptMaps) and code tables
 * @param fieldRules        where fields the built-in mappers do not read (Z-segments, ...) go
 */
public record MappingRules(
        String feed,
        ZoneId timeZone,
        boolean messageOffset,
        Map<String, String> identifierSystems,
        String localPatientIdSystem,
        String accessionSystem,
        String localSystemBase,
        PatientIdentity patientIdentity,
        Obr24Meaning obr24,
        Coding reportCategory,
        String defaultCategory,
        Set<String> reportTextTypes,
        CodeTranslations codes,
        List<FieldRule> fieldRules) {

    /** Tag system of the feed a resource was written by ({@code meta.tag}, searchable with {@code _tag}). */
    public static final String FEED_TAG_SYSTEM = "http://imaginggateway.io/fhir/CodeSystem/feed";

    /** IHE radiology puts the modality in OBR-24; the V2-to-FHIR IG reads it as a service section (RAD, CT, ...). */
    public enum Obr24Meaning { MODALITY, SERVICE_SECTION }
}
