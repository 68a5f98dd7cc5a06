package io.imaginggateway.site;

import io.imaginggateway.mapping.MappingRules;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gateway.site.*}: the choices the standards leave to each hospital.
 *
 * @param timeZone          zone of date-times that arrive without an offset (HL7 DTM, DICOM DA/TM); FHIR needs an
 *                          offset on every time, and the JVM's zone is never used silently
 * @param identifierSystems assigning authority or issuer name (HL7 CX.4 / EI namespace ID, DICOM Issuer of Patient
 *                          ID) to the Identifier.system URI it stands for, e.g. {@code HOSP: urn:oid:1.2.3.4}
 * @param localPatientIdSystem Identifier.system of patient IDs that arrive without an assigning authority (PID-3
 *                          without CX.4) or issuer (DICOM Patient ID without (0010,0021)): the hospital's own MRNs
 * @param accessionSystem   Identifier.system of accession numbers that arrive without an issuer (OBR-18, DICOM
 *                          (0008,0050) without (0008,0051)): the RIS's accession numbers
 * @param obr24             what OBR-24 carries here: {@code modality} (IHE Radiology: CT, MR, ...) or
 *                          {@code service-section} (HL7 table 0074: RAD, CT, ...)
 * @param reportCategory    DiagnosticReport.category of every report, as {@code system|code|display}; with
 *                          {@code obr24: service-section} a report's OBR-24 is its category instead
 * @param reportTextTypes   OBX value types whose lines make up the report text (presentedForm), not Observations;
 *                          a site whose RIS sends its report as ST lines adds ST
 * @param conceptMaps       folder of ConceptMap JSON files replacing the built-in code translations with the same id
 */
@ConfigurationProperties("gateway.site")
public record SiteProperties(
        @DefaultValue("UTC") ZoneId timeZone,
        @DefaultValue Map<String, String> identifierSystems,
        @DefaultValue("http://imaginggateway.io/fhir/NamingSystem/local-patient-id") String localPatientIdSystem,
        @DefaultValue("http://imaginggateway.io/fhir/NamingSystem/local-accession") String accessionSystem,
        @DefaultValue("modality") MappingRules.Obr24Meaning obr24,
        @DefaultValue("http://terminology.hl7.org/CodeSystem/v2-0074|RAD|Radiology") String reportCategory,
        @DefaultValue({"TX", "FT"}) Set<String> reportTextTypes,
        @DefaultValue("./site/conceptmaps") Path conceptMaps) {}
