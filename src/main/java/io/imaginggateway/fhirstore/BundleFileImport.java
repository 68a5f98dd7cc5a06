package io.imaginggateway.fhirstore;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Stores FHIR transaction or batch Bundles given as JSON files (the {@code fhir-bundle-inbox} route): reference data
 * such as Practitioners, Organizations and Endpoints, or resources exported from another FHIR server.
 */
@Component("fhirBundleFileImport")
public class BundleFileImport {

    private static final Logger log = LoggerFactory.getLogger(BundleFileImport.class);

    private final FhirContext fhirContext;
    private final FhirStore store;

    BundleFileImport(FhirContext fhirContext, FhirStore store) {
        this.fhirContext = fhirContext;
        this.store = store;
    }

    /**
     * @throws IllegalArgumentException when the file is not a FHIR JSON transaction or batch Bundle
     */
    public void store(String json, String fileName) {
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
        Bundle response = store.store(bundle).response();
        log.info("Stored FHIR bundle file {}: {} entries", fileName, response.getEntry().size());
    }
}
