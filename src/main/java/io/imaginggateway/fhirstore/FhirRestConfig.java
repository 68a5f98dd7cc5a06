package io.imaginggateway.fhirstore;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.jpa.provider.JpaCapabilityStatementProvider;
import ca.uhn.fhir.jpa.provider.BaseJpaResourceProvider;
import ca.uhn.fhir.jpa.provider.JpaSystemProvider;
import ca.uhn.fhir.jpa.search.DatabaseBackedPagingProvider;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import ca.uhn.fhir.rest.server.interceptor.ResponseHighlighterInterceptor;
import ca.uhn.fhir.rest.server.util.ISearchParamRegistry;
import io.imaginggateway.audit.BalpAudit;
import io.imaginggateway.security.SmartScopes;
import java.util.List;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The FHIR REST API at {@code /fhir}: HAPI's RestfulServer over the JPA DAOs. */
@Configuration
class FhirRestConfig {

    static final String FHIR_PATH = "/fhir";

    @Bean
    RestfulServer fhirRestfulServer(FhirContext fhirContext, DaoRegistry daoRegistry,
            List<BaseJpaResourceProvider<?>> resourceProviders,
            JpaSystemProvider<?, ?> systemProvider, IFhirSystemDao<?, ?> systemDao, JpaStorageSettings storageSettings,
            ISearchParamRegistry searchParamRegistry, IValidationSupport validationSupport,
            DatabaseBackedPagingProvider pagingProvider, FhirStoreProperties properties, SmartScopes smartScopes,
            BalpAudit balpAudit) {
        // HAPI's internal look-ups (transactions, _include) then refuse types the server does not store.
        daoRegistry.setSupportedResourceTypes(ResourceDaoRegistrar.storedTypes(properties));

        RestfulServer server = new RestfulServer(fhirContext);
        server.registerProviders(resourceProviders);
        server.registerProvider(systemProvider);
        pagingProvider.setDefaultPageSize(properties.defaultPageSize());
        pagingProvider.setMaximumPageSize(properties.maxPageSize());
        server.setPagingProvider(pagingProvider);
        server.setDefaultResponseEncoding(EncodingEnum.JSON);
        server.setServerConformanceProvider(new JpaCapabilityStatementProvider(
                server, systemDao, storageSettings, searchParamRegistry, validationSupport));
        server.registerInterceptor(new ResponseHighlighterInterceptor());
        // who may do what (the caller's SMART scopes), and an AuditEvent of every access (README: Security)
        server.registerInterceptor(smartScopes);
        server.registerInterceptor(balpAudit.interceptor());
        return server;
    }

    @Bean
    ServletRegistrationBean<RestfulServer> fhirServlet(RestfulServer server) {
        ServletRegistrationBean<RestfulServer> registration = new ServletRegistrationBean<>(server, FHIR_PATH + "/*");
        registration.setName("fhir");
        // Initialise with the context, not on the first request: readiness then means the API answers at once.
        registration.setLoadOnStartup(1);
        return registration;
    }
}
