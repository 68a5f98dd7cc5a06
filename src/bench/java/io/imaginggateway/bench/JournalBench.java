package io.imaginggateway.bench;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;

/**
 * The journal's benchmarks against a running gateway on PostgreSQL.
 * <ul>
 *   <li>{@code search <base URL> <jdbc URL> <runs>}: every filter of {@code GET /api/messages}, each run with another
 *       value drawn from the generated journal (src/bench/journal.sh generates it), p50 and p95 of the answer time;</li>
 *   <li>{@code seed-failures <jdbc URL> <count>}: journal entries of {@code count} failed orders (the orders MllpLoad
 *       sends), as a database outage leaves them;</li>
 *   <li>{@code replay <base URL> <count>}: replays them in one call, twice, and counts what is stored.</li>
 * </ul>
 */
public final class JournalBench {

    private static final HttpClient HTTP = HttpClient.newHttpClient();
    /** the static token the benchmark's gateway takes (src/bench/lib.sh) */
    private static final String TOKEN = "bench-token";

    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "search" -> search(args[1], args[2], Integer.parseInt(args[3]));
            case "seed-failures" -> seedFailures(args[1], Integer.parseInt(args[2]));
            case "replay" -> replay(args[1], Integer.parseInt(args[2]));
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void search(String base, String jdbc, int runs) throws Exception {
        Instant newest;
        long rows;
        try (Connection db = DriverManager.getConnection(jdbc); Statement st = db.createStatement();
                ResultSet r = st.executeQuery("SELECT MAX(RECEIVED_AT), COUNT(*) FROM GW_JOURNAL")) {
            r.next();
            newest = r.getObject(1, OffsetDateTime.class).toInstant();
            rows = r.getLong(2);
        }
        Random random = new Random(42);
        Map<String, IntFunction<String>> filters = new LinkedHashMap<>();
        filters.put("newest first, no filter", i -> "");
        filters.put("feed", i -> "feed=" + List.of("default", "hospital-b", "lab").get(i % 3));
        filters.put("status (error)", i -> "status=error");
        filters.put("status (held, rare)", i -> "status=held");
        filters.put("unresolved failures", i -> "unresolved=true");
        filters.put("type", i -> "type=" + enc(List.of("ORM^O01", "ORU^R01", "OMI^O23").get(i % 3)));
        filters.put("sender", i -> "sender=" + enc("RIS" + (i % 10) + "^HOSP"));
        filters.put("msh10", i -> "msh10=MSG" + (1 + random.nextInt((int) rows)));
        filters.put("patient", i -> "patient=PAT" + random.nextInt(50_000));
        filters.put("accession", i -> "accession=ACC" + (1 + random.nextInt((int) rows)));
        filters.put("study", i -> "study=1.2.826.0.1.3680043.10." + (1 + random.nextInt((int) rows)));
        filters.put("since/until (1 hour)", i -> range(newest, random, 1));
        filters.put("reason + status", i -> "status=error&reason=not+in+map+" + (i % 7));
        filters.put("feed + status + type + 1 day", i -> "feed=lab&status=error&type=ORU%5ER01&" + range(newest, random, 24));
        filters.put("text, 1 day", i -> "text=" + enc("Doe" + random.nextInt(5000) + "^Jane") + "&" + range(newest, random, 24));
        filters.put("text, 1 hour", i -> "text=" + enc("Doe" + random.nextInt(5000) + "^Jane") + "&" + range(newest, random, 1));
        filters.put("page 20 of stored (cursor)", i -> "status=stored&cursor=" + (rows - 1000L - random.nextInt(100_000)));
        for (Map.Entry<String, IntFunction<String>> filter : filters.entrySet()) {
            get(base + "/api/messages?" + filter.getValue().apply(0)); // warm
            long[] times = new long[runs];
            int found = 0;
            for (int i = 0; i < runs; i++) {
                long start = System.nanoTime();
                String body = get(base + "/api/messages?" + filter.getValue().apply(i));
                times[i] = System.nanoTime() - start;
                found += body.split("\"id\":", -1).length - 1;
            }
            Arrays.sort(times);
            System.out.printf(Locale.ROOT, "RESULT filter=%s runs=%d p50_ms=%.0f p95_ms=%.0f max_ms=%.0f found_avg=%.1f%n",
                    filter.getKey().replace(' ', '_'), runs, times[runs / 2] / 1e6, times[(int) Math.ceil(runs * 0.95) - 1] / 1e6,
                    times[runs - 1] / 1e6, (double) found / runs);
        }
    }

    private static String range(Instant newest, Random random, int hours) {
        Instant since = newest.minus(1 + random.nextInt(29 * 24 - hours), ChronoUnit.HOURS);
        return "since=" + since + "&until=" + since.plus(hours, ChronoUnit.HOURS);
    }

    private static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static void seedFailures(String jdbc, int count) throws Exception {
        try (Connection db = DriverManager.getConnection(jdbc)) {
            db.setAutoCommit(false);
            List<Long> ids = new ArrayList<>();
            try (Statement st = db.createStatement();
                    ResultSet r = st.executeQuery("SELECT nextval('gw_journal_seq') FROM generate_series(1, " + count + ")")) {
                while (r.next()) {
                    ids.add(r.getLong(1));
                }
            }
            OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC).minusMinutes(10);
            try (PreparedStatement entry = db.prepareStatement("INSERT INTO GW_JOURNAL (ID, RECEIVED_AT, KIND, CHANNEL, FEED, "
                    + "SENDER, MESSAGE_TYPE, MESSAGE_ID, STATUS, REASON, EDITED, ACK_CODE, GATEWAY) VALUES (?, ?, 'hl7', 'mllp', "
                    + "'default', 'EPIC^GENHOSP', 'ORM^O01', ?, 'error', 'The message could not be stored: database away', "
                    + "false, 'AE', 'bench')");
                    PreparedStatement content = db.prepareStatement("INSERT INTO GW_JOURNAL_CONTENT (ID, RECEIVED_AT, CONTENT, "
                            + "CHARSET) VALUES (?, ?, ?, 'UTF-8')")) {
                for (int n = 0; n < count; n++) {
                    String id = "replay-" + n;
                    entry.setLong(1, ids.get(n));
                    entry.setObject(2, at);
                    entry.setString(3, id);
                    entry.addBatch();
                    content.setLong(1, ids.get(n));
                    content.setObject(2, at);
                    content.setBytes(3, MllpLoad.order(id, n));
                    content.addBatch();
                }
                entry.executeBatch();
                content.executeBatch();
            }
            db.commit();
        }
        System.out.println("seeded " + count + " failed orders");
    }

    private static void replay(String base, int count) throws Exception {
        for (String round : List.of("first", "again")) {
            long start = System.nanoTime();
            String answer = post(base + "/api/messages/replay?status=error&reason=database+away&limit=" + count);
            double seconds = (System.nanoTime() - start) / 1e9;
            String byStatus = answer.substring(answer.indexOf("\"byStatus\""), answer.indexOf('}', answer.indexOf("\"byStatus\"")) + 1);
            System.out.printf(Locale.ROOT, "RESULT round=%s seconds=%.1f msg_per_s=%.0f %s service_requests=%s patients=%s%n",
                    round, seconds, count / seconds, "by_status=" + byStatus.replace("\"byStatus\":", "")
                            .replace("\"", "").replace(" ", "").replace("{", "").replace("}", ""),
                    total(base, "ServiceRequest"), total(base, "Patient"));
        }
    }

    private static String total(String base, String type) throws Exception {
        String body = get(base + "/fhir/" + type + "?_summary=count");
        int at = body.indexOf("\"total\"");
        return body.substring(at + 8, body.indexOf(',', at) < 0 ? body.indexOf('}', at) : Math.min(body.indexOf(',', at),
                body.indexOf('}', at))).trim();
    }

    private static String get(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + TOKEN).build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    private static String post(String url) throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(url))
                .header("Authorization", "Bearer " + TOKEN)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(url + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }
}
