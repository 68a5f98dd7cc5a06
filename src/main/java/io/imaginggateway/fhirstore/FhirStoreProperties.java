package io.imaginggateway.fhirstore;

import java.nio.file.Path;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code gateway.fhir.*}: the embedded FHIR server.
 *
 * @param schema        what start-up does with the database schema: {@code migrate} runs HAPI's migrator (creates a
 *                      new schema, upgrades an old one); {@code validate} only checks it is current and refuses to
 *                      start otherwise (for sites where a DBA runs the migration)
 * @param resourceTypes the resource types the server stores and serves (HAPI's own SearchParameter, CodeSystem,
 *                      ValueSet and ConceptMap are always added)
 * @param defaultPageSize search page size when the client names none
 * @param maxPageSize   largest {@code _count} honoured
 * @param inbox         folder whose FHIR transaction/batch Bundle JSON files are stored (route fhir-bundle-inbox)
 * @param profiles      folder of the StructureDefinitions every stored resource of their type must conform to
 * @param validation    {@code enforce}: every resource version is validated against R4 and the profiles before the
 *                      commit, and an invalid one is not stored; {@code off} only to measure what validation costs
 */
@ConfigurationProperties("gateway.fhir")
public record FhirStoreProperties(
        @DefaultValue("migrate") SchemaMode schema,
        @DefaultValue({"Patient", "Practitioner", "Encounter", "ServiceRequest", "DiagnosticReport", "Observation",
                "ImagingStudy", "Endpoint", "Organization", "Provenance", "AuditEvent"})
        List<String> resourceTypes,
        @DefaultValue("20") int defaultPageSize,
        @DefaultValue("500") int maxPageSize,
        @DefaultValue("${gateway.data-dir}/fhir-inbox") Path inbox,
        @DefaultValue("./fhir-profiles") Path profiles,
        @DefaultValue("enforce") Validation validation) {

    public enum SchemaMode { MIGRATE, VALIDATE }

    public enum Validation { ENFORCE, OFF }
}
