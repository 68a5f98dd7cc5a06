package io.imaginggateway.fhirstore;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.config.JpaConfig;
import ca.uhn.fhir.jpa.dao.ITransactionProcessorVersionAdapter;
import ca.uhn.fhir.jpa.dao.r4.FhirSystemDaoR4;
import ca.uhn.fhir.jpa.dao.r4.TransactionProcessorVersionAdapterR4;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.term.TermLoaderSvcImpl;
import ca.uhn.fhir.jpa.term.TermVersionAdapterSvcR4;
import ca.uhn.fhir.jpa.term.api.ITermCodeSystemStorageSvc;
import ca.uhn.fhir.jpa.term.api.ITermDeferredStorageSvc;
import ca.uhn.fhir.jpa.term.api.ITermLoaderSvc;
import ca.uhn.fhir.jpa.term.api.ITermVersionAdapterSvc;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Meta;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.core.env.Environment;

/**
 * The R4 part of HAPI's JPA server, in place of HAPI's {@code JpaR4Config}: the same core beans, but DAOs only for
 * the configured resource types (see {@link ResourceDaoRegistrar}) and none of the GraphQL, member-match and
 * patient-merge operations the gateway does not offer.
 */
@Configuration
@Import(JpaConfig.class)
class FhirR4Config {

    @Bean(name = "primaryFhirContext")
    @Primary
    FhirContext fhirContext() {
        return FhirContextPreload.take();
    }

    @Bean
    static ResourceDaoRegistrar resourceDaoRegistrar(Environment environment) {
        return new ResourceDaoRegistrar(environment);
    }

    @Bean
    static LazyRepositories lazyRepositories() {
        return new LazyRepositories();
    }

    @Bean
    ITermVersionAdapterSvc terminologyVersionAdapterSvc() {
        return new TermVersionAdapterSvcR4();
    }

    @Bean
    ITransactionProcessorVersionAdapter<?, ?> transactionProcessorVersionFacade() {
        return new TransactionProcessorVersionAdapterR4();
    }

    @Bean(name = "mySystemDaoR4")
    IFhirSystemDao<Bundle, Meta> systemDaoR4() {
        return new FhirSystemDaoR4();
    }

    @Bean(name = "mySystemProviderR4")
    JpaSystemProvider<Bundle, Meta> systemProviderR4(FhirContext fhirContext, IFhirSystemDao<Bundle, Meta> systemDao) {
        JpaSystemProvider<Bundle, Meta> provider = new JpaSystemProvider<>();
        provider.setContext(fhirContext);
        provider.setDao(systemDao);
        return provider;
    }

    @Bean
    ITermLoaderSvc termLoaderService(ITermDeferredStorageSvc deferredStorage, ITermCodeSystemStorageSvc codeSystemStorage) {
        return new TermLoaderSvcImpl(deferredStorage, codeSystemStorage);
    }
}
