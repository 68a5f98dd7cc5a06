package io.imaginggateway.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.imaginggateway.hl7.MllpBadInputIT;
import io.imaginggateway.testsupport.DicomStudies;
import io.imaginggateway.testsupport.GatewayIT;
import io.imaginggateway.testsupport.MllpClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Input that would exhaust memory or connections: an MLLP frame over the limit, a sender that trickles a byte at a
 * time, a DICOM PDU that announces gigabytes. Each is refused or waited for on its own connection, and other
 * senders are served meanwhile.
 */
class BoundedInputIT extends GatewayIT {

    @Test
    void anMllpFrameOverTheLimitEndsItsConnectionAndOthersAreServed() throws Exception {
        try (Socket flooding = new Socket("localhost", MLLP_PORT)) {
            flooding.setSoTimeout(120_000);
            // 6 MiB, over the limit, from a thread of its own: the write blocks once the gateway stops reading
            CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = flooding.getOutputStream();
                    out.write(MllpClient.START);
                    out.write("MSH|^~\\&|EPIC|GENHOSP|RIS|RADIOLOGY|20261123081500||ORM^O01|CTRL-HUGE|P|2.3.1\rNTE|1||"
                            .getBytes(StandardCharsets.US_ASCII));
                    byte[] megabyte = new byte[1 << 20];
                    java.util.Arrays.fill(megabyte, (byte) 'A');
                    for (int i = 0; i < (MAX_FRAME_BYTES >> 20) + 2; i++) {
                        out.write(megabyte);
                    }
                    out.write(new byte[] {MllpClient.END, MllpClient.CR});
                    out.flush();
                } catch (IOException closedWhileSending) {
                    // what the gateway does to it
                }
            });
            assertThat(readsNoAcknowledgement(flooding.getInputStream()))
                    .as("the oversize frame's connection is closed without an acknowledgement").isTrue();
        }
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            assertThat(MllpClient.segment(sender.send(MllpBadInputIT.order("AFTER-HUGE")), "MSA")).startsWith("MSA|AA|");
        }
    }

    @Test
    void aTricklingSenderDoesNotHoldUpTheOthers() throws Exception {
        byte[] frame = ("\u000b" + MllpBadInputIT.order("TRICKLE") + "\u001c\r").getBytes(StandardCharsets.US_ASCII);
        CompletableFuture<String> trickled = CompletableFuture.supplyAsync(() -> {
            try (Socket socket = new Socket("localhost", MLLP_PORT)) {
                socket.setSoTimeout(60_000);
                OutputStream out = socket.getOutputStream();
                for (int i = 0; i < frame.length; i++) {
                    out.write(frame[i]);
                    out.flush();
                    Thread.sleep(i < 60 ? 100 : 0); // the header slowly (6 s), then the rest
                }
                return new String(new MllpClient(socket).readAcknowledgement(), StandardCharsets.US_ASCII);
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        try (MllpClient sender = new MllpClient(MLLP_PORT)) {
            for (int i = 0; i < 3; i++) {
                assertThat(MllpClient.segment(sender.send(MllpBadInputIT.order("BESIDE-TRICKLE-" + i)), "MSA"))
                        .startsWith("MSA|AA|");
            }
            assertThat(trickled).as("the others were answered while the trickle went on").isNotDone();
        }
        assertThat(MllpClient.segment(trickled.get(60, TimeUnit.SECONDS), "MSA")).startsWith("MSA|AA|");
    }

    @Test
    void aDicomPduAnnouncingGigabytesIsRefusedAndTheReceiverGoesOn() throws Exception {
        try (Socket socket = new Socket("localhost", DICOM_PORT)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(new byte[] {1, 0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0, 1});
            socket.getOutputStream().flush();
            assertThat(socket.getInputStream().read()).as("connection closed").isEqualTo(-1);
        }
        DicomStudies.Result echo = DicomStudies.run("echoscu", "-aec", "FHIRGATEWAY", "localhost",
                String.valueOf(DICOM_PORT));
        assertThat(echo.exitCode()).as(echo.output()).isZero();
    }

    /** True when the connection ends without a frame coming back (false: a frame, or nothing for 2 minutes). */
    private static boolean readsNoAcknowledgement(InputStream in) {
        try {
            return in.read() == -1;
        } catch (java.net.SocketTimeoutException stillOpen) {
            return false;
        } catch (IOException reset) {
            return true;
        }
    }
}
