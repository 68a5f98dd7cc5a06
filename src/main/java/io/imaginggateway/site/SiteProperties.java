package io.imaginggateway.site;

import java.time.ZoneId;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gateway.site.*}: the choices the standards leave to each hospital.
 *
 * @param timeZone          zone of date-times that arrive without an offset (HL7 DTM, DICOM DA/TM); FHIR needs an
 *                          offset on every time, and the JVM's zone is never used silently
 * @param identifierSystems assigning authority or issuer name (HL7 CX.4 / EI namespace ID, DICOM Issuer of Patient
 *                          ID) to the Identifier.system URI it stands for, e.g. {@code HOSP: urn:oid:1.2.3.4}
 */
@ConfigurationProperties("gateway.site")
public record SiteProperties(
        @DefaultValue("UTC") ZoneId timeZone,
        @DefaultValue Map<String, String> identifierSystems) {}
