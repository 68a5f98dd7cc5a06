package io.imaginggateway.hl7;

import static io.imaginggateway.hl7.MllpBadInputIT.order;
import static io.imaginggateway.testsupport.MllpClient.segment;
import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.client.api.ServerValidationModeEnum;
import io.imaginggateway.GatewayApplication;
import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.MllpClient;
import io.imaginggateway.testsupport.StoredResourcesCheck;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
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
        Process gateway = start(http, mllp);
        try (MllpClient sender = new MllpClient(mllp)) {
            for (int i = 0; i < 5; i++) {
                assertThat(segment(sender.send(order("K" + i)), "MSA")).isEqualTo("MSA|AA|CTRL-K" + i);
            }
            gateway.destroyForcibly(); // SIGKILL, at once after the last AA
            gateway.waitFor(30, TimeUnit.SECONDS);
        }
        gateway = start(http, mllp);
        try {
            var client = FhirContext.forR4Cached().newRestfulGenericClient("http://localhost:" + http + "/fhir");
            FhirContext.forR4Cached().getRestfulClientFactory().setServerValidationMode(ServerValidationModeEnum.NEVER);
            Bundle orders = client.search().byUrl("ServiceRequest?identifier=PO-K0,PO-K1,PO-K2,PO-K3,PO-K4")
                    .returnBundle(Bundle.class).execute();
            assertThat(orders.getEntry()).hasSize(5);
            assertThat(StoredResourcesCheck.check(client).errors()).isEmpty();
        } finally {
            gateway.destroy();
            gateway.waitFor(30, TimeUnit.SECONDS);
        }
    }

    /** The gateway as its own process (the test's class path), returned once it logged that it is ready. */
    private Process start(int http, int mllp) throws Exception {
        Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                GatewayApplication.class.getName(), "--gateway.data-dir=" + dataDir, "--server.port=" + http,
                "--gateway.hl7.mllp-port=" + mllp, "--gateway.dicom.port=0")
                .redirectErrorStream(true).start();
        CompletableFuture<Void> ready = new CompletableFuture<>();
        Deque<String> tail = new ArrayDeque<>();
        Thread reader = new Thread(() -> {
            // reads the log to its end, so that the process never blocks on a full pipe
            try (BufferedReader log = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = log.readLine()) != null) {
                    tail.addLast(line);
                    if (tail.size() > 30) {
                        tail.removeFirst();
                    }
                    if (line.contains("Gateway ready in")) {
                        ready.complete(null);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
            ready.completeExceptionally(new IllegalStateException(
                    "the gateway process ended before it was ready; its last lines:\n" + String.join("\n", tail)));
        });
        reader.setDaemon(true);
        reader.start();
        ready.get(120, TimeUnit.SECONDS);
        return process;
    }
}
