package io.imaginggateway.fhirinbox;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import io.imaginggateway.fhirstore.FhirStore;
import io.imaginggateway.journal.Arrival;
import io.imaginggateway.journal.Journal;
import io.imaginggateway.journal.Outcome;
import io.imaginggateway.metrics.GatewayMetrics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Stores FHIR transaction or batch Bundles given as JSON files (the {@code fhir-bundle-inbox} route): reference data
 * such as Practitioners, Organizations and Endpoints, or resources exported from another FHIR server. Each file is
 * journaled (kind fhir, channel fhir-inbox) with its content and what became of it.
 */
@Component("fhirBundleFileImport")
public class BundleFileImport {

    private static final Logger log = LoggerFactory.getLogger(BundleFileImport.class);

    private final FhirContext fhirContext;
    private final FhirStore store;
    private final Journal journal;
    private final GatewayMetrics metrics;

    BundleFileImport(FhirContext fhirContext, FhirStore store, Journal journal, GatewayMetrics metrics) {
        this.fhirContext = fhirContext;
        this.store = store;
        this.journal = journal;
        this.metrics = metrics;
    }

    /**
     * @throws IllegalArgumentException when the file is not a FHIR JSON transaction or batch Bundle
     */
    public void store(String json, String fileName) {
        Arrival arrival = new Arrival(Instant.now(), Arrival.Kind.FHIR, "fhir-inbox", null, "urn:fhir:inbox", null,
                fileName, null, null, null, null, null, fileName, json.getBytes(StandardCharsets.UTF_8), "UTF-8", null, false);
        try {
            Bundle response = store.store(new FhirStore.Write(parse(json), null,
                    written -> journal.record(arrival, Outcome.stored(written.resources(), "done", null, null)))).response();
            metrics.message("fhir", null, null, Outcome.Status.STORED.code());
            log.info("Stored FHIR bundle file {}: {} entries", fileName, response.getEntry().size());
        } catch (RuntimeException e) {
            journal.recordFailure(arrival, Outcome.failed(Outcome.Status.ERROR, e.getMessage(), "failed", null, null));
            metrics.message("fhir", null, null, Outcome.Status.ERROR.code());
            throw e;
        }
    }

    private Bundle parse(String json) {
        Bundle bundle;
        try {
            bundle = fhirContext.newJsonParser().parseResource(Bundle.class, json);
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("not a FHIR JSON Bundle: " + e.getMessage(), e);
        }
        if (bundle.getType() != Bundle.BundleType.TRANSACTION && bundle.getType() != Bundle.BundleType.BATCH) {
            throw new IllegalArgumentException("Bundle.type is '" + bundle.getType()
                    + "'; only transaction and batch Bundles can be stored");
        }
        return bundle;
    }
}
