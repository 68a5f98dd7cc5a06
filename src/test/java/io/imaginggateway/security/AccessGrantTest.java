package io.imaginggateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.imaginggateway.security.AccessGrant.Interaction;
import org.junit.jupiter.api.Test;

class AccessGrantTest {

    private static AccessGrant grant(String scopes) {
        return new AccessGrant("client", AccessGrant.parse(scopes));
    }

    @Test
    void smartV2ScopesGrantTheirInteractionsOnTheirType() {
        AccessGrant viewer = grant("system/ImagingStudy.rs system/Patient.r");
        assertThat(viewer.allows("ImagingStudy", Interaction.READ)).isTrue();
        assertThat(viewer.allows("ImagingStudy", Interaction.SEARCH)).isTrue();
        assertThat(viewer.allows("ImagingStudy", Interaction.CREATE)).isFalse();
        assertThat(viewer.allows("Patient", Interaction.READ)).isTrue();
        assertThat(viewer.allows("Patient", Interaction.SEARCH)).isFalse();
        assertThat(viewer.allows("ServiceRequest", Interaction.READ)).isFalse();
        assertThat(viewer.admin()).isFalse();
    }

    @Test
    void wildcardsAndV1ScopesAreUnderstood() {
        assertThat(grant("system/*.cruds").allows("DiagnosticReport", Interaction.DELETE)).isTrue();
        assertThat(grant("system/*.rs").allows("DiagnosticReport", Interaction.UPDATE)).isFalse();
        assertThat(grant("system/Observation.read").allows("Observation", Interaction.SEARCH)).isTrue();
        assertThat(grant("system/Observation.write").allows("Observation", Interaction.UPDATE)).isTrue();
        assertThat(grant("system/Observation.write").allows("Observation", Interaction.READ)).isFalse();
        assertThat(grant("system/Observation.*").allows("Observation", Interaction.DELETE)).isTrue();
    }

    @Test
    void patientAndUserScopesAndScopesWithAQueryGrantNothing() {
        assertThat(grant("patient/ImagingStudy.rs").allows("ImagingStudy", Interaction.READ)).isFalse();
        assertThat(grant("user/*.cruds").allows("ImagingStudy", Interaction.READ)).isFalse();
        assertThat(grant("system/Observation.rs?category=laboratory").allows("Observation", Interaction.READ)).isFalse();
        // letters out of SMART's order are not a scope
        assertThat(grant("system/Observation.sr").allows("Observation", Interaction.READ)).isFalse();
    }

    @Test
    void adminIsItsOwnScope() {
        assertThat(grant("gateway/admin").admin()).isTrue();
        assertThat(grant("system/*.cruds").admin()).isFalse();
    }
}
