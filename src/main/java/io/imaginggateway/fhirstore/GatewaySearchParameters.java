package io.imaginggateway.fhirstore;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.config.JpaStorageSettings;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.model.DaoMethodOutcome;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.hl7.fhir.r4.model.SearchParameter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * The search parameters the gateway adds to R4 (in {@code src/main/resources/searchparameters/}), stored in the
 * server before the first resource is written (HAPI's registry picks them up as they are stored) so that everything
 * the gateway stores is indexed by them: e.g.
 * {@code DiagnosticReport?study=ImagingStudy/1}, the reports of a study, which plain R4 cannot ask for.
 */
@Component
class GatewaySearchParameters implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(GatewaySearchParameters.class);

    private final DaoRegistry daos;
    private final FhirContext fhirContext;
    private final JpaStorageSettings storageSettings;
    private volatile boolean running;

    GatewaySearchParameters(DaoRegistry daos, FhirContext fhirContext, JpaStorageSettings storageSettings) {
        this.daos = daos;
        this.fhirContext = fhirContext;
        this.storageSettings = storageSettings;
    }

    /**
     * Stores the parameters without asking HAPI to reindex what is stored: its reindex job is registered only once
     * the application has started, and the parameters are stored before the gateway's first write, so nothing
     * written by the gateway predates them. (A parameter changed in a later release needs a $reindex then.)
     */
    @Override
    public void start() {
        boolean reindex = storageSettings.isMarkResourcesForReindexingUponSearchParameterChange();
        storageSettings.setMarkResourcesForReindexingUponSearchParameterChange(false);
        try {
            Resource[] files = new PathMatchingResourcePatternResolver().getResources("classpath:searchparameters/*.json");
            for (Resource file : files) {
                try (InputStream in = file.getInputStream()) {
                    SearchParameter parameter = fhirContext.newJsonParser().parseResource(SearchParameter.class,
                            new String(in.readAllBytes(), StandardCharsets.UTF_8));
                    DaoMethodOutcome outcome =
                            daos.getResourceDao(SearchParameter.class).update(parameter, new SystemRequestDetails());
                    if (!outcome.isNop()) {
                        log.info("Search parameter {} stored", parameter.getUrl());
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the built-in search parameters", e);
        } finally {
            storageSettings.setMarkResourcesForReindexingUponSearchParameterChange(reindex);
        }
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** Before the FHIR store's writer starts. */
    @Override
    public int getPhase() {
        return Integer.MIN_VALUE + 500;
    }
}
