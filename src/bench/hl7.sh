#!/usr/bin/env bash
# HL7 v2 order and report benchmarks:
#  - end to end over MLLP (MllpLoad): a running gateway, orders and then the reports of those orders sent by 1 and 8
#    connections, each waiting for its ACK (AA = committed), for the JVM options bin/gateway uses and with the full JIT;
#  - conversion only (ConversionBench): message text to FHIR Bundle JSON, the gateway's mappers against
#    LinuxForHealth's hl7v2-fhir-converter in the same JVM.
# Called by `bin/gateway bench hl7` with APP_JAR, CDS_ARCHIVE and DEFAULT_JAVA_OPTS set.
# Writes its block of BENCHMARKS.md between <!-- bench:hl7 --> markers.
set -euo pipefail
OUT=${BENCH_OUT:-BENCHMARKS.md}
MESSAGES=${BENCH_HL7_MESSAGES:-2000}
source "$(dirname "$0")/lib.sh"

mvn -q -B -Dstyle.color=never -Pbench test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
BENCH_CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
BENCH_JAVA=(java -Dlogback.configurationFile=src/bench/logback-bench.xml -cp "$BENCH_CP")

# end_to_end LABEL GATEWAY_OPTION JAVA_OPTS... -> table rows (1 and 8 connections) for a gateway started with those
# JVM options and that gateway option (e.g. --gateway.fhir.validation=off; "" for none)
end_to_end() {
  local label=$1 option=$2; shift 2
  local data log port
  data=$(mktemp -d); log=$(mktemp); port=$((20000 + RANDOM % 20000))
  java "$@" -jar "$APP_JAR" --gateway.data-dir="$data" --server.port=0 --gateway.hl7.mllp-port=$port \
    --gateway.dicom.port=0 $option >"$log" 2>&1 &
  local pid=$!
  wait_ready "$log" $pid
  # warm-up: the JIT compiles the write path; the database gets its first thousand orders
  "${BENCH_JAVA[@]}" io.imaginggateway.bench.MllpLoad $port 8 125 warm orders >/dev/null
  "${BENCH_JAVA[@]}" io.imaginggateway.bench.MllpLoad $port 8 125 warm reports >/dev/null
  for connections in 1 8; do
    for kind in orders reports; do
      local r cpu_before cpu_after
      cpu_before=$(awk '{print $14 + $15}' /proc/$pid/stat)
      r=$("${BENCH_JAVA[@]}" io.imaginggateway.bench.MllpLoad $port $connections $((MESSAGES / connections)) "c$connections" $kind | grep '^RESULT')
      cpu_after=$(awk '{print $14 + $15}' /proc/$pid/stat)
      echo "  $label, $kind, $connections connection(s): $r" >&2
      echo "$r" | awk -v label="$label" -v kind="$kind" -v ticks=$((cpu_after - cpu_before)) -v hz="$(getconf CLK_TCK)" '{
        for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
        printf "| %s | %s | %s | %s | %s | %s ms | %s ms | %.1f ms |\n", label, kind, v["connections"], v["messages"],
          v["msg_per_s"], v["p50_ms"], v["p99_ms"], ticks * 1000 / hz / v["messages"] }'
    done
  done
  kill $pid; wait $pid 2>/dev/null || true
  rm -rf "$data" "$log"
}

CDS="-XX:SharedArchiveFile=$CDS_ARCHIVE -Xshare:auto"
TIERED=$(echo "$DEFAULT_JAVA_OPTS" | sed 's/-XX:TieredStopAtLevel=1//')
rows=$(
  end_to_end "as \`bin/gateway run\` starts it (quick JIT tier)" "" $DEFAULT_JAVA_OPTS $CDS
  # the same without validation before storage: what validating every stored version costs
  end_to_end "quick JIT tier, validation off (\`gateway.fhir.validation=off\`)" --gateway.fhir.validation=off $DEFAULT_JAVA_OPTS $CDS
  end_to_end "full tiered JIT (C2)" "" $TIERED $CDS
)
conversion=$("${BENCH_JAVA[@]}" -Xmx1g io.imaginggateway.bench.ConversionBench src/test/resources/golden/hl7 3)
echo "$conversion" >&2
# conversion_row KIND -> a table row from the RESULT lines of that kind of message
conversion_row() {
  echo "$conversion" | awk -v kind="$1" '$1 == "RESULT" && $2 == "kind=" kind {
    for (i = 3; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
    if (v["converter"] == "gateway") ours = v["msg_per_s"]; else if (v["converter"] != "") peer = v["msg_per_s"]
    if (v["ratio"] != "") ratio = v["ratio"]; if (v["messages"] != "") used = v["messages"] }
    END { gsub(",", ", ", used); printf "| %s | %s | %s | **%sx** | %s |\n", kind, ours, peer, ratio, used }'
}
skipped=$(echo "$conversion" | awk '/^SKIP/ {sub(/^SKIP /, ""); print "- " $0}')

block=$(cat <<MD
<!-- bench:hl7 -->
Measured by \`bin/gateway bench hl7\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1), H2.

**End to end over MLLP.** A fresh gateway (H2 file database) started with the options shown; the load generator
runs on the same 2 cores. Every order is a new ORM^O01 (new placer and accession numbers, a study UID in ZDS:
Patient, Practitioner, ServiceRequest and a registered ImagingStudy) for one of 1,000 patients and 20 physicians.
Every report is the final ORU^R01 of one of those orders (study UID OBX, one coded finding, 10 TX lines, ORC-5 CM:
the order completed, the study linked, a DiagnosticReport and an Observation written) by one of 5 radiologists.
Each connection sends a message and waits for its AA, which the gateway sends only after the commit. After a warm-up
of 1,000 orders and their 1,000 reports, $MESSAGES messages per row; each row of reports reports the orders of the row
before it. Latency is from sending the frame to reading the whole ACK. "CPU" is the
gateway process's CPU time (user+system, all threads) per message: steadier than wall-clock time on this shared VM,
where the hypervisor's steal time reached 60 % during development runs.

| gateway JVM | messages | connections | count | messages/s | p50 ACK | p99 ACK | gateway CPU per message |
|---|---|---|---|---|---|---|---|
$rows

**Conversion only** (message text to FHIR Bundle JSON, no storage), same JVM, best of 3 alternating rounds of 3 s
per kind of message, over the golden files both converters can convert:

| messages | gateway (messages/s) | LinuxForHealth hl7v2-fhir-converter 1.0.19 (messages/s) | ratio | golden files |
|---|---|---|---|---|
$(conversion_row orders)
$(conversion_row reports)

$skipped
<!-- /bench:hl7 -->
MD
)
replace_block hl7 "$block"
echo "$block"
