package io.imaginggateway.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Sends orders or reports to a running gateway over MLLP as interface engines do (each connection sends a message and
 * waits for its ACK before the next) and reports messages/s and ACK latency. Every order is a new one (new placer and
 * accession numbers and study UID) for one of 1,000 patients from one of 20 ordering physicians, as an EHR's order
 * feed looks; every report (ORU^R01, final, 10 text lines, one coded finding, the study UID) reports the order of the
 * same run label and number, by one of 5 radiologists, as a RIS's report feed looks after the orders went out.
 *
 * <p>Usage: {@code MllpLoad <port> <connections> <messages per connection> <run label> [orders|reports]}; prints one
 * result line.
 */
public final class MllpLoad {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int connections = Integer.parseInt(args[1]);
        int perConnection = Integer.parseInt(args[2]);
        String label = args.length > 3 ? args[3] : "run";
        boolean reports = args.length > 4 && args[4].equals("reports");
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        List<Future<long[]>> results = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            int connection = c;
            results.add(pool.submit(() -> send(port, label, connection, perConnection, reports)));
        }
        long[] latencies = new long[connections * perConnection];
        int i = 0;
        for (Future<long[]> result : results) {
            for (long latency : result.get()) {
                latencies[i++] = latency;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        Arrays.sort(latencies);
        System.out.printf(Locale.ROOT, "RESULT connections=%d messages=%d seconds=%.1f msg_per_s=%.0f p50_ms=%.1f p99_ms=%.1f%n",
                connections, latencies.length, seconds, latencies.length / seconds,
                latencies[latencies.length / 2] / 1e6, latencies[(int) (latencies.length * 0.99)] / 1e6);
    }

    private static long[] send(int port, String label, int connection, int count, boolean reports) throws IOException {
        long[] latencies = new long[count];
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setTcpNoDelay(true);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < count; i++) {
                String id = label + "-" + connection + "-" + i;
                byte[] message = reports ? report(id, connection * 100_000 + i) : order(id, connection * 100_000 + i);
                long sent = System.nanoTime();
                out.write(0x0B);
                out.write(message);
                out.write(new byte[] {0x1C, 0x0D});
                out.flush();
                String ack = readFrame(in);
                latencies[i] = System.nanoTime() - sent;
                if (!ack.contains("MSA|AA|")) {
                    throw new IllegalStateException("Not accepted: " + ack.replace('\r', '\n'));
                }
            }
        }
        return latencies;
    }

    static byte[] order(String id, int n) {
        int patient = Math.floorMod(id.hashCode(), 1000);
        int doctor = n % 20;
        String text = "MSH|^~\\&|EPIC|GENHOSP|RIS|RADIOLOGY|20261123081500||ORM^O01|" + id + "|P|2.3.1\r"
                + "PID|1||BP" + patient + "^^^HOSP^MR||Patient" + patient + "^Bench^Q||19650412|M|||1 Main St^^Springfield^IL^62701\r"
                + "PV1|1|O|RAD^^^GENHOSP||||" + doctor + "^Doctor" + doctor + "^Ann^^^Dr^^^HOSP\r"
                + "ORC|NW|PO-" + id + "^EPIC||||SC||^^^20261124093000^^R||20261123081400|||" + doctor + "^Doctor" + doctor + "^Ann^^^Dr^^^HOSP\r"
                + "OBR|1|PO-" + id + "^EPIC||71250^CT CHEST WITHOUT CONTRAST^C4|||20261123081400||||||Cough|||" + doctor
                + "^Doctor" + doctor + "^Ann^^^Dr^^^HOSP||ACC-" + id + "|RP-" + id + "|SPS-" + id + "||||CT|||^^^20261124093000^^R||||R05^Cough^I10\r"
                + "ZDS|" + studyUid(id, n) + "^^Application^DICOM\r";
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] report(String id, int n) {
        int patient = Math.floorMod(id.hashCode(), 1000);
        int radiologist = n % 5;
        StringBuilder text = new StringBuilder("MSH|^~\\&|RIS|RADIOLOGY|EPIC|GENHOSP|20261124163000||ORU^R01|R-" + id + "|P|2.3.1\r"
                + "PID|1||BP" + patient + "^^^HOSP^MR||Patient" + patient + "^Bench^Q||19650412|M\r"
                + "ORC|RE|PO-" + id + "^EPIC|FO-" + id + "^RIS||CM\r"
                + "OBR|1|PO-" + id + "^EPIC|FO-" + id + "^RIS|71250^CT CHEST WITHOUT CONTRAST^C4|||20261124093500|||||||||||ACC-"
                + id + "||||20261124162900||CT|F|||||||R" + radiologist + "&Radiologist" + radiologist + "&Rita&&&Dr&&&HOSP\r"
                + "OBX|1|HD|113014^DICOM Study^DCM||" + studyUid(id, n) + "||||||F\r"
                + "OBX|2|CWE|RID50149^Pulmonary nodule^RADLEX||RID28472^Absent^RADLEX||||||F\r");
        String[] lines = {"History: persistent cough.", "Technique: CT chest without contrast, 1 mm slices.", "Findings:",
                "Lungs: no nodule, no consolidation.", "Pleura: no effusion.", "Mediastinum: no lymphadenopathy.",
                "Heart and great vessels: normal.", "Bones: degenerative changes of the thoracic spine.", "Impression:",
                "No acute cardiopulmonary finding."};
        for (int i = 0; i < lines.length; i++) {
            text.append("OBX|").append(i + 3).append("|TX|GDT^Report text^L||").append(lines[i]).append("||||||F\r");
        }
        return text.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static String studyUid(String id, int n) {
        return "1.2.826.0.1.3680043.9.7001." + Math.abs(id.hashCode()) + "." + (n + 1);
    }

    private static String readFrame(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) != 0x0B) {
            if (b < 0) {
                throw new IOException("connection closed");
            }
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        while ((b = in.read()) != 0x1C) {
            frame.write(b);
        }
        in.read();
        return frame.toString(StandardCharsets.ISO_8859_1);
    }
}
