package io.imaginggateway.fhirstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.StoredResourcesCheck;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other test of the shared gateway (junit-platform.properties orders classes by {@link Order}) and
 * validates every resource they made it store — HL7 orders and reports, DICOM studies, FHIR clients' writes —
 * against base R4 and the gateway's profiles. The gateways other tests start themselves check theirs when they stop
 * ({@code GatewayInstance}), and CrashIT after its restart.
 */
@Order(Integer.MAX_VALUE)
class StoredResourcesValidityIT extends GatewayIT {

    @Test
    void everyResourceTheSuiteStoredIsValidR4AndConformsToTheProfiles() {
        StoredResourcesCheck.Findings findings = StoredResourcesCheck.check(fhirClient());
        assertThat(findings.resources()).as("resources stored by the suite").isGreaterThan(200);
        assertThat(findings.errors()).isEmpty();
    }
}
