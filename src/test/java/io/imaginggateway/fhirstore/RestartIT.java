package io.imaginggateway.fhirstore;

import static org.assertj.core.api.Assertions.assertThat;

import io.imaginggateway.testsupport.GatewayInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.ImagingStudy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The H2 file database under the data directory outlives the process. */
class RestartIT {

    @TempDir
    Path dataDir;

    @Test
    void dataStoredBeforeARestartIsStillThereAfterIt() throws Exception {
        StudyFixture study;
        try (GatewayInstance gateway = GatewayInstance.start(dataDir, Map.of())) {
            study = new StudyFixture().store(gateway.fhirClient());
        }
        assertThat(Files.list(dataDir).map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("fhir-db"));

        try (GatewayInstance gateway = GatewayInstance.start(dataDir, Map.of())) {
            ImagingStudy stored = gateway.fhirClient().read().resource(ImagingStudy.class).withId(study.studyId).execute();
            assertThat(stored.getSeriesFirstRep().getUid()).isEqualTo(study.seriesUid);
            Bundle byAccession = gateway.fhirClient().search().byUrl("ImagingStudy?identifier:of-type="
                    + StudyFixture.V2_0203 + "|ACSN|" + study.accession).returnBundle(Bundle.class).execute();
            assertThat(byAccession.getEntry()).hasSize(1);
            // new writes continue after the old ones (ids and sequences survived)
            String second = new StudyFixture().store(gateway.fhirClient()).studyId;
            assertThat(second).isNotEqualTo(study.studyId);
        }
    }
}
