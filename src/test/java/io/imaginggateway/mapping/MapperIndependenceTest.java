package io.imaginggateway.mapping;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The mappers are pure functions of message and rules: nothing in {@code io.imaginggateway.mapping} may use Camel,
 * Spring, JPA or the gateway's own plumbing, so they read like the mapping tables and are tested without a server.
 */
class MapperIndependenceTest {

    private static final JavaClasses MAPPERS = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.imaginggateway.mapping");

    @Test
    void mappersUseNoCamelSpringOrJpaTypes() {
        noClasses().that().resideInAPackage("io.imaginggateway.mapping..")
                .should().dependOnClassesThat().resideInAnyPackage("org.apache.camel..", "org.springframework..",
                        "jakarta.persistence..", "org.hibernate..", "ca.uhn.fhir.jpa..", "ca.uhn.fhir.rest..")
                .check(MAPPERS);
    }

    @Test
    void mappersUseNoneOfTheGatewaysIntakeStoreOrSiteCode() {
        noClasses().that().resideInAPackage("io.imaginggateway.mapping..")
                .should().dependOnClassesThat().resideInAnyPackage("io.imaginggateway.hl7..", "io.imaginggateway.dicom..",
                        "io.imaginggateway.fhirstore..", "io.imaginggateway.linking..", "io.imaginggateway.site..")
                .check(MAPPERS);
    }
}
