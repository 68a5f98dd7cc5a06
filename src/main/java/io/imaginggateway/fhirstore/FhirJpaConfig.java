package io.imaginggateway.fhirstore;

import ca.uhn.fhir.batch2.jobs.config.BatchCommonCtx;
import ca.uhn.fhir.batch2.jobs.expunge.DeleteExpungeAppCtx;
import ca.uhn.fhir.batch2.jobs.reindex.ReindexAppCtx;
import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.config.ThreadPoolFactoryConfig;
import ca.uhn.fhir.jpa.batch2.JpaBatch2Config;
import ca.uhn.fhir.jpa.config.HapiJpaConfig;
import ca.uhn.fhir.jpa.config.util.HapiEntityManagerFactoryUtil;
import ca.uhn.fhir.jpa.model.config.PartitionSettings;
import ca.uhn.fhir.jpa.model.config.SubscriptionSettings;
import ca.uhn.fhir.jpa.subscription.channel.config.SubscriptionChannelConfig;
import jakarta.persistence.EntityManagerFactory;
import java.util.Properties;
import javax.sql.DataSource;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.orm.jpa.JpaTransactionManager;
import org.springframework.orm.jpa.LocalContainerEntityManagerFactoryBean;

/** The HAPI FHIR JPA storage layer (R4) on the configured database. */
@Configuration
// Of HAPI's batch jobs only reindexing (after a search parameter changes) and delete-with-expunge are kept:
// bulk import/export and terminology upload jobs are not part of the gateway.
@Import({FhirR4Config.class, HapiJpaConfig.class, ThreadPoolFactoryConfig.class, JpaBatch2Config.class,
        BatchCommonCtx.class, ReindexAppCtx.class, DeleteExpungeAppCtx.class, SubscriptionChannelConfig.class})
class FhirJpaConfig {

    @Bean
    JpaStorageSettings storageSettings() {
        JpaStorageSettings settings = new JpaStorageSettings();
        // identifier:of-type=...v2-0203|ACSN|<accession> is how clients find a study or an order by accession
        settings.setIndexIdentifierOfType(true);
        settings.setHibernateSearchIndexFullText(false);
        settings.setAdvancedHSearchIndexing(false);
        settings.setAutoCreatePlaceholderReferenceTargets(false);
        settings.setAllowMultipleDelete(true);
        settings.setExpungeEnabled(true);
        // HAPI would answer a repeated search from a 60 s result cache: a client polling for a study that has just
        // arrived would not see it. Searches here always read the current data.
        settings.setReuseCachedSearchResultsForMillis(null);
        settings.setStoreMetaSourceInformation(JpaStorageSettings.StoreMetaSourceInformationEnum.SOURCE_URI_AND_REQUEST_ID);
        // the feeds' conditional creates (an order or study a report or images point at) resolve from memory once seen
        settings.setMatchUrlCacheEnabled(true);
        return settings;
    }

    @Bean
    PartitionSettings partitionSettings() {
        return new PartitionSettings();
    }

    @Bean
    SubscriptionSettings subscriptionSettings() {
        return new SubscriptionSettings();
    }

    @Bean
    DatabaseKind databaseKind(DataSourceProperties dataSource) {
        return DatabaseKind.fromJdbcUrl(dataSource.determineUrl());
    }

    @Bean
    @Primary
    LocalContainerEntityManagerFactoryBean entityManagerFactory(ConfigurableListableBeanFactory beanFactory,
            DataSource dataSource, DatabaseKind kind, FhirContext fhirContext, JpaStorageSettings storageSettings,
            FhirStoreProperties properties) {
        SchemaManager.prepare(dataSource, kind, properties.schema());
        LocalContainerEntityManagerFactoryBean factory =
                HapiEntityManagerFactoryUtil.newEntityManagerFactory(beanFactory, fhirContext, storageSettings);
        factory.setPersistenceUnitName("HAPI_PU");
        factory.setDataSource(dataSource);
        Properties jpa = new Properties();
        jpa.put("hibernate.dialect", kind.dialectClassName());
        jpa.put("hibernate.hbm2ddl.auto", "none");
        jpa.put("hibernate.search.enabled", "false");
        jpa.put("hibernate.format_sql", "false");
        jpa.put("hibernate.show_sql", "false");
        // Envers audits only HAPI's MDM links, which the gateway does not use.
        jpa.put("hibernate.integration.envers.enabled", "false");
        jpa.put("hibernate.query.startup_check", "false");
        factory.setJpaProperties(jpa);

        return factory;
    }

    @Bean
    @Primary
    JpaTransactionManager transactionManager(EntityManagerFactory entityManagerFactory) {
        return new JpaTransactionManager(entityManagerFactory);
    }
}
