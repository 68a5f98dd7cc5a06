package io.imaginggateway.fhirstore;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.dao.JpaResourceDao;
import ca.uhn.fhir.jpa.dao.JpaResourceDaoBundle;
import ca.uhn.fhir.jpa.dao.JpaResourceDaoCodeSystem;
import ca.uhn.fhir.jpa.dao.JpaResourceDaoComposition;
import ca.uhn.fhir.jpa.dao.JpaResourceDaoConceptMap;
import ca.uhn.fhir.jpa.dao.JpaResourceDaoEncounter;
import ca.uhn.fhir.jpa.dao.JpaResourceDaoObservation;
import ca.uhn.fhir.jpa.dao.JpaResourceDaoPatient;
import ca.uhn.fhir.jpa.dao.JpaResourceDaoSearchParameter;
import ca.uhn.fhir.jpa.dao.JpaResourceDaoStructureDefinition;
import ca.uhn.fhir.jpa.dao.JpaResourceDaoValueSet;
import ca.uhn.fhir.jpa.dao.r4.FhirResourceDaoSubscriptionR4;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.config.RuntimeBeanReference;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * Registers one JPA DAO and one REST resource provider per resource type in {@code gateway.fhir.resource-types}.
 *
 * <p>HAPI's generated R4 configuration creates all 146 R4 DAOs whatever the server stores; at about 40 ms each that
 * was the largest single cost of starting the gateway. The DAO class per type follows HAPI's own choice (types with
 * operations such as {@code $everything} or {@code $expand} have their own DAO class).
 */
final class ResourceDaoRegistrar implements BeanDefinitionRegistryPostProcessor {

    private static final Map<String, Class<?>> SPECIAL_DAOS = Map.ofEntries(
            Map.entry("Bundle", JpaResourceDaoBundle.class),
            Map.entry("CodeSystem", JpaResourceDaoCodeSystem.class),
            Map.entry("Composition", JpaResourceDaoComposition.class),
            Map.entry("ConceptMap", JpaResourceDaoConceptMap.class),
            Map.entry("Encounter", JpaResourceDaoEncounter.class),
            Map.entry("Observation", JpaResourceDaoObservation.class),
            Map.entry("Patient", JpaResourceDaoPatient.class),
            Map.entry("SearchParameter", JpaResourceDaoSearchParameter.class),
            Map.entry("StructureDefinition", JpaResourceDaoStructureDefinition.class),
            Map.entry("Subscription", FhirResourceDaoSubscriptionR4.class),
            Map.entry("ValueSet", JpaResourceDaoValueSet.class));

    /** HAPI's own services look these DAOs up by name (terminology, custom search parameters). */
    static final List<String> HAPI_INTERNAL_TYPES = List.of("SearchParameter", "CodeSystem", "ValueSet", "ConceptMap");

    private final Environment environment;

    ResourceDaoRegistrar(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
        FhirStoreProperties properties = Binder.get(environment).bindOrCreate("gateway.fhir", FhirStoreProperties.class);
        for (String type : storedTypes(properties)) {
            Class<?> resourceClass = r4Class("org.hl7.fhir.r4.model." + type, type);

            RootBeanDefinition dao = new RootBeanDefinition(SPECIAL_DAOS.getOrDefault(type, JpaResourceDao.class));
            dao.getPropertyValues().add("resourceType", resourceClass);
            String daoName = "my" + type + "DaoR4";
            registry.registerBeanDefinition(daoName, dao);

            RootBeanDefinition provider = new RootBeanDefinition(r4Class("ca.uhn.fhir.jpa.rp.r4." + type + "ResourceProvider", type));
            provider.getPropertyValues().add("dao", new RuntimeBeanReference(daoName));
            provider.getPropertyValues().add("context", new RuntimeBeanReference(FhirContext.class));
            registry.registerBeanDefinition("my" + type + "RpR4", provider);
        }
    }

    static Set<String> storedTypes(FhirStoreProperties properties) {
        Set<String> types = new LinkedHashSet<>(properties.resourceTypes());
        types.addAll(HAPI_INTERNAL_TYPES);
        return types;
    }

    /** By name: building a FhirContext here to look types up would cost a second or more of start-up. */
    private static Class<?> r4Class(String className, String type) {
        try {
            return Class.forName(className, false, ResourceDaoRegistrar.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("gateway.fhir.resource-types: '" + type + "' is not an R4 resource type", e);
        }
    }
}
