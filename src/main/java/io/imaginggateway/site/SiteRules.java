package io.imaginggateway.site;

import ca.uhn.fhir.context.FhirContext;
import io.imaginggateway.mapping.CodeTranslations;
import io.imaginggateway.mapping.MappingRules;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The site's configuration as the plain {@link MappingRules} the mappers take. */
@Configuration
class SiteRules {

    @Bean
    MappingRules mappingRules(SiteProperties site, FhirContext fhir) {
        return new MappingRules(site.timeZone(), site.identifierSystems(), site.localPatientIdSystem().trim(),
                site.accessionSystem().isBlank() ? null : site.accessionSystem().trim(), site.obr24(),
                CodeTranslations.load(fhir, site.conceptMaps()));
    }
}
