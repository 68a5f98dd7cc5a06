package io.imaginggateway.hl7;

import static io.imaginggateway.hl7.MllpBadInputIT.order;
import static io.imaginggateway.testsupport.MllpClient.segment;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.GatewayProcess;
import io.imaginggateway.testsupport.MllpClient;
import io.imaginggateway.testsupport.StoredResourcesCheck;
import io.imaginggateway.testsupport.TestTokens;
import java.nio.file.Path;
import java.util.List;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AA means the message can no longer be lost: not even to the process being killed right after the ACK. */
class CrashIT {

    @TempDir
    Path dataDir;

    @Test
    void acknowledgedOrdersSurviveTheGatewayBeingKilled() throws Exception {
        int http = GatewayIT.freePort();
        int mllp = GatewayIT.freePort();
        GatewayProcess gateway = start(http, mllp);
        try (MllpClient sender = new MllpClient(mllp)) {
            for (int i = 0; i < 5; i++) {
                assertThat(segment(sender.send(order("K" + i)), "MSA")).isEqualTo("MSA|AA|CTRL-K" + i);
            }
            gateway.kill(); // SIGKILL, at once after the last AA
        }
        gateway = start(http, mllp);
        try {
            var client = TestTokens.withAdmin(
                    FhirContext.forR4Cached().newRestfulGenericClient("http://localhost:" + http + "/fhir"));
            FhirContext.forR4Cached().getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
            Bundle orders = client.search().byUrl("ServiceRequest?identifier=PO-K0,PO-K1,PO-K2,PO-K3,PO-K4")
                    .returnBundle(Bundle.class).execute();
            assertThat(orders.getEntry()).hasSize(5);
            assertThat(StoredResourcesCheck.check(client).errors()).isEmpty();
        } finally {
            gateway.close();
        }
    }

    private GatewayProcess start(int http, int mllp) throws Exception {
        return GatewayProcess.start(dataDir, List.of("--server.port=" + http, "--gateway.hl7.mllp-port=" + mllp,
                "--gateway.dicom.port=0"));
    }
}
