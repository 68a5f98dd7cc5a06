package io.imaginggateway.site;

import ca.uhn.fhir.context.FhirContext;
import io.imaginggateway.mapping.CodeTranslations;
import io.imaginggateway.mapping.MappingRules;
import io.imaginggateway.mapping.PatientIdentity;
import org.hl7.fhir.r4.model.Coding;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The site's configuration as the plain {@link MappingRules} the mappers take. */
@Configuration
class SiteRules {

    @Bean
    MappingRules mappingRules(SiteProperties site, FhirContext fhir) {
        return new MappingRules(site.timeZone(), site.messageOffset(), site.identifierSystems(),
                site.localPatientIdSystem().trim(), site.accessionSystem().trim(),
                new PatientIdentity(site.patientIdentity().matchTypes(), site.patientIdentity().matchUntyped()),
                site.obr24(), coding(site.reportCategory()), site.defaultCategory(), site.reportTextTypes(),
                CodeTranslations.load(fhir, site.conceptMaps()));
    }

    /** {@code system|code|display} (display optional). */
    static Coding coding(String setting) {
        String[] parts = setting.trim().split("\\|", 3);
        if (parts.length < 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new IllegalArgumentException("gateway.site.report-category: '" + setting + "' is not system|code|display");
        }
        return new Coding(parts[0], parts[1], parts.length == 3 && !parts[2].isBlank() ? parts[2] : null);
    }
}
