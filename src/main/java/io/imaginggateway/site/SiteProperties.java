package io.imaginggateway.site;

import io.imaginggateway.mapping.MappingRules;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code gateway.site.*}: the choices the standards leave to each hospital.
 *
 * @param timeZone          zone of date-times that arrive without an offset (HL7 DTM, DICOM DA/TM); FHIR needs an
 *                          offset on every time, and the JVM's zone is never used silently
 * @param messageOffset     whether an HL7 message's times sent without an offset take the offset of its MSH-7 (when
 *                          MSH-7 has one) before {@code timeZone}: the sender's clock says which zone it writes in
 * @param identifierSystems assigning authority or issuer name (HL7 CX.4 / EI namespace ID, DICOM Issuer of Patient
 *                          ID) to the Identifier.system URI it stands for, e.g. {@code HOSP: urn:oid:1.2.3.4}
 * @param localPatientIdSystem Identifier.system of patient IDs that arrive without an assigning authority (PID-3
 *                          without CX.4) or issuer (DICOM Patient ID without (0010,0021)): the hospital's own MRNs
 * @param accessionSystem   Identifier.system of accession numbers that arrive without an issuer (OBR-18, IPC-1,
 *                          DICOM (0008,0050) without (0008,0051)): the RIS's accession numbers
 * @param localSystemBase   start of the systems of other numbers sent without an authority (placer, filler and
 *                          visit numbers, staff IDs): a second hospital's feed sets its own, so that its order
 *                          number 1001 is not the first hospital's
 * @param patientIdentity   which patient identifiers find a stored Patient
 * @param obr24             what OBR-24 carries here: {@code modality} (IHE Radiology: CT, MR, ...) or
 *                          {@code service-section} (HL7 table 0074: RAD, CT, ...)
 * @param reportCategory    DiagnosticReport.category of every imaging report, as {@code system|code|display}; with
 *                          {@code obr24: service-section} a report's OBR-24 is its category instead
 * @param defaultCategory   kind of service of an order or report whose message does not tell (no known service
 *                          section, no imaging coding system): an observation-category code
 * @param reportTextTypes   OBX value types whose lines make up the report text (presentedForm), not Observations;
 *                          a site whose RIS sends its report as ST lines adds ST
 * @param conceptMaps       folder of ConceptMap JSON files replacing the built-in code translations with the same id
 * @param fieldRules        file of field rules: where fields the built-in mappers do not read (Z-segments) go
 * @param hl7Versions       HL7 versions (MSH-12) accepted (all the gateway reads, 2.1 to 2.8.1, by default; a version
 *                          written with a trailing ".0" counts as the one it names); others are answered AR, ERR 203
 * @param messageTypes      message types accepted, of those the gateway maps (ORM^O01, OMI^O23, ORU^R01)
 * @param acknowledge       when an HL7 message gets its AA: {@code after-commit} (its resources are committed) or
 *                          {@code after-journal} (parsed, mapped and journaled; written to FHIR in the background, in
 *                          larger batches: for bulk and migration feeds)
 * @param peers             who may send: addresses, HL7 senders, DICOM calling AE titles (README: Security)
 * @param mllpTls           TLS on the feed's MLLP port
 */
@Validated
@ConfigurationProperties(prefix = "gateway.site", ignoreUnknownFields = false)
public record SiteProperties(
        @DefaultValue("UTC") ZoneId timeZone,
        @DefaultValue("true") boolean messageOffset,
        @DefaultValue Map<String, String> identifierSystems,
        @DefaultValue("http://imaginggateway.io/fhir/NamingSystem/local-patient-id") String localPatientIdSystem,
        @DefaultValue("http://imaginggateway.io/fhir/NamingSystem/local-accession") String accessionSystem,
        @DefaultValue("http://imaginggateway.io/fhir/NamingSystem/local-") String localSystemBase,
        @DefaultValue PatientIdentityProperties patientIdentity,
        @DefaultValue("modality") MappingRules.Obr24Meaning obr24,
        @DefaultValue("http://terminology.hl7.org/CodeSystem/v2-0074|RAD|Radiology") String reportCategory,
        @DefaultValue("imaging") @Pattern(regexp = "imaging|laboratory|procedure|therapy|exam",
                message = "must be imaging, laboratory, procedure, therapy or exam") String defaultCategory,
        @DefaultValue({"TX", "FT"}) Set<String> reportTextTypes,
        @DefaultValue("./site/conceptmaps") Path conceptMaps,
        @DefaultValue("./camel-routes/field-rules.yaml") Path fieldRules,
        @DefaultValue({"2.1", "2.2", "2.3", "2.3.1", "2.4", "2.5", "2.5.1", "2.6", "2.7", "2.7.1", "2.8", "2.8.1"})
        List<String> hl7Versions,
        @DefaultValue({"ORM^O01", "OMI^O23", "ORU^R01"}) List<String> messageTypes,
        @DefaultValue("after-commit") Acknowledge acknowledge,
        @DefaultValue PeerAllowList peers,
        @DefaultValue TlsSettings mllpTls) {

    /** When an HL7 message is acknowledged AA. */
    public enum Acknowledge { AFTER_COMMIT, AFTER_JOURNAL }

    /**
     * {@code gateway.site.patient-identity.*}: which patient identifiers find a stored Patient.
     *
     * @param matchTypes   identifier types (CX.5: HL7 table 0203 codes, or what a sender writes there, such as MRN)
     *                     that identify a patient in their authority's scope; others (SS, DL, insurance numbers, ...)
     *                     are stored but never matched on
     * @param matchUntyped whether identifiers sent without a type (CX.5 empty) identify
     */
    public record PatientIdentityProperties(
            @DefaultValue({"MR", "MRT", "PI", "PT", "PE", "PN", "MRN"}) Set<String> matchTypes,
            @DefaultValue("true") boolean matchUntyped) {}
}
