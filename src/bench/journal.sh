#!/usr/bin/env bash
# Journal benchmarks (message journal, replay, retention, after-journal acknowledgement):
#  - search: 1,000,000 generated journal entries (30 days, 3 feeds, 10 senders, 50,000 patients, 2 % failures, ~450
#    bytes of content each) on PostgreSQL; every filter of GET /api/messages, 40 runs each with other values: p50/p95;
#  - replay: 10,000 failed orders in the journal (as a database outage leaves them), replayed in one call, then again;
#    counted: stored, duplicates, ServiceRequests and Patients at /fhir;
#  - prune: ACK latency of 8 MLLP connections while POST /api/journal/prune drops 23 days of content and 16 of
#    metadata, against the same load without a prune;
#  - cost of the journal and after-journal: orders end to end with 8 connections on H2, this build (after-commit and
#    after-journal: ACK rate, then how long the background writes take) and the build before the journal (BASELINE).
# Called by `bin/gateway bench journal` with APP_JAR, CDS_ARCHIVE and DEFAULT_JAVA_OPTS set.
# Writes its block of BENCHMARKS.md between <!-- bench:journal --> markers.
set -euo pipefail
OUT=${BENCH_OUT:-BENCHMARKS.md}
PG_HOST=${GATEWAY_TEST_POSTGRES_HOST:-127.0.0.1}
PG_PORT=${GATEWAY_TEST_POSTGRES_PORT:-5432}
PG_USER=${GATEWAY_TEST_POSTGRES_USER:-postgres}
PG_DB=${GATEWAY_TEST_POSTGRES_DB:-test}
BASELINE=${BENCH_JOURNAL_BASELINE:-a496d20}
source "$(dirname "$0")/lib.sh"

mvn -q -B -Dstyle.color=never -Pbench test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
BENCH_CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
BENCH_JAVA=(java -Dlogback.configurationFile=src/bench/logback-bench.xml -cp "$BENCH_CP")
CDS="-XX:SharedArchiveFile=$CDS_ARCHIVE -Xshare:auto"
SCHEMA=bench_journal_$$
PSQL=(psql -q -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$PG_DB" -v ON_ERROR_STOP=1)
JDBC="jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB?currentSchema=$SCHEMA&user=$PG_USER"

# start_gateway JAR OPTIONS... -> sets PID, HTTP, MLLP
start_gateway() {
  local jar=$1; shift
  DATA=$(mktemp -d); LOG=$(mktemp); MLLP=$((20000 + RANDOM % 20000)); HTTP=$((MLLP + 1))
  java $DEFAULT_JAVA_OPTS $CDS -jar "$jar" --gateway.data-dir="$DATA" --server.port=$HTTP --gateway.hl7.mllp-port=$MLLP \
    --gateway.dicom.port=0 "${BENCH_TOKEN_OPTIONS[@]}" "$@" >"$LOG" 2>&1 &
  PID=$!
  wait_ready "$LOG" $PID
}
stop_gateway() { kill $PID; wait $PID 2>/dev/null || true; PID=; rm -rf "$DATA" "$LOG"; }
field() { echo "$1" | tr ' ' '\n' | awk -F= -v k="$2" '$1 == k {print $2}'; }

# --- search, replay, prune on PostgreSQL ---
"${PSQL[@]}" -c "CREATE SCHEMA $SCHEMA"
base_dir=$(mktemp -d)
cleanup() {
  [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null
  git worktree remove --force "$base_dir/src" 2>/dev/null || true
  rm -rf "$base_dir"
  "${PSQL[@]}" -c "DROP SCHEMA IF EXISTS $SCHEMA CASCADE" >/dev/null 2>&1 || true
}
trap cleanup EXIT
start_gateway "$APP_JAR" --spring.datasource.url="jdbc:postgresql://$PG_HOST:$PG_PORT/$PG_DB?currentSchema=$SCHEMA" \
  --spring.datasource.username="$PG_USER" --gateway.journal.content-retention-days=7 \
  --gateway.journal.metadata-retention-days=14 --gateway.journal.prune-interval-minutes=1440
echo "generating 1,000,000 journal entries" >&2
t0=$(date +%s)
"${PSQL[@]}" <<SQL
SET search_path TO $SCHEMA;
DO \$\$ BEGIN
  FOR d IN 0..31 LOOP
    EXECUTE format('CREATE TABLE IF NOT EXISTS gw_journal_p%s PARTITION OF gw_journal FOR VALUES FROM (%L) TO (%L)',
      to_char(current_date - d, 'YYYYMMDD'), (current_date - d)::timestamp AT TIME ZONE 'UTC', (current_date - d + 1)::timestamp AT TIME ZONE 'UTC');
    EXECUTE format('CREATE TABLE IF NOT EXISTS gw_journal_content_p%s PARTITION OF gw_journal_content FOR VALUES FROM (%L) TO (%L)',
      to_char(current_date - d, 'YYYYMMDD'), (current_date - d)::timestamp AT TIME ZONE 'UTC', (current_date - d + 1)::timestamp AT TIME ZONE 'UTC');
  END LOOP;
END \$\$;
INSERT INTO gw_journal (id, received_at, kind, channel, feed, sender, message_type, message_id, content_digest, patient,
    patient_issuer, accession, study_uid, status, reason, resources, edited, ack_code, gateway)
SELECT nextval('gw_journal_seq'), now() - interval '30 days' + g * interval '2.592 seconds', 'hl7', 'mllp',
    (ARRAY['default','hospital-b','lab'])[1 + g % 3], 'RIS' || (g % 10) || '^HOSP',
    (ARRAY['ORM^O01','ORU^R01','OMI^O23'])[1 + (g / 7) % 3], 'MSG' || g, md5(g::text) || md5((g + 1)::text),
    'PAT' || (g % 50000), 'HOSP', 'ACC' || g, '1.2.826.0.1.3680043.10.' || g,
    CASE WHEN g % 50 = 0 THEN 'error' WHEN g % 397 = 0 THEN 'held' WHEN g % 97 = 0 THEN 'rejected'
         WHEN g % 20 = 1 THEN 'duplicate' ELSE 'stored' END,
    CASE WHEN g % 50 = 0 THEN 'OBR-4: code not in map ' || (g % 7) WHEN g % 397 = 0 THEN 'PID-3 identity conflict'
         WHEN g % 97 = 0 THEN 'MSH-12: version not accepted' END,
    CASE WHEN g % 50 <> 0 AND g % 97 <> 0 AND g % 397 <> 0 THEN 'Patient/' || (g % 50000) || '/_history/1 ServiceRequest/' || g || '/_history/1' END,
    false, CASE WHEN g % 97 = 0 THEN 'AR' WHEN g % 50 = 0 OR g % 397 = 0 THEN 'AE' ELSE 'AA' END, 'bench'
FROM generate_series(1, 1000000) g;
INSERT INTO gw_journal_content (id, received_at, content, charset, ack)
SELECT id, received_at, convert_to('MSH|^~\&|' || split_part(sender, '^', 1) || '|HOSP|GATEWAY|HOSP|20261201080000||'
    || message_type || '|' || message_id || '|P|2.5.1' || chr(13) || 'PID|1||' || patient || '^^^HOSP^MR||Doe'
    || (id % 5000) || '^Jane^^^^^L||19700101|F|||1 Main St^^Springfield^IL^62701' || chr(13) || 'PV1|1|O|RAD^^^HOSP' || chr(13)
    || 'ORC|NW|PO' || id || '^EPIC|' || id || '^RIS||SC||^^^20261201080000^^R' || chr(13) || 'OBR|1|PO' || id
    || '^EPIC|' || id || '^RIS|71250^CT CHEST WITHOUT CONTRAST^C4|||20261201080000|||||||||1234^Smith^John|||'
    || accession || '|||||CT' || chr(13) || 'ZDS|' || study_uid || '^RIS^Application^DICOM', 'UTF8'), 'UTF-8',
    'MSH|^~\&|GATEWAY|HOSP|RIS|HOSP|20261201080000||ACK|A' || id || '|P|2.5.1' || chr(13) || 'MSA|' || ack_code || '|' || message_id
FROM gw_journal;
ANALYZE gw_journal; ANALYZE gw_journal_content;
SQL
generated=$(( $(date +%s) - t0 ))
journal_size=$("${PSQL[@]}" -At -c "SELECT pg_size_pretty(SUM(pg_total_relation_size(c.oid))) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '$SCHEMA' AND c.relkind = 'r' AND c.relname LIKE 'gw_journal%'")
echo "generated in ${generated}s, $journal_size" >&2
search=$("${BENCH_JAVA[@]}" io.imaginggateway.bench.JournalBench search "http://localhost:$HTTP" "$JDBC" 40 | grep '^RESULT')
echo "$search" >&2
search_rows=$(echo "$search" | awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
  f = v["filter"]; gsub("_", " ", f); printf "| %s | %s ms | %s ms | %s ms | %s |\n", f, v["p50_ms"], v["p95_ms"], v["max_ms"], v["found_avg"] }')

"${BENCH_JAVA[@]}" io.imaginggateway.bench.JournalBench seed-failures "$JDBC" 10000 >&2
replay=$("${BENCH_JAVA[@]}" io.imaginggateway.bench.JournalBench replay "http://localhost:$HTTP" 10000 | grep '^RESULT')
echo "$replay" >&2
replay_rows=$(echo "$replay" | awk '{ for (i = 2; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
  s = v["by_status"]; gsub(",", ", ", s); gsub(":", ": ", s)
  printf "| %s | %s s | %s | %s | %s | %s |\n", v["round"], v["seconds"], v["msg_per_s"], s, v["service_requests"], v["patients"] }')

"${BENCH_JAVA[@]}" io.imaginggateway.bench.MllpLoad $MLLP 8 100 warm orders >/dev/null
quiet=$("${BENCH_JAVA[@]}" io.imaginggateway.bench.MllpLoad $MLLP 8 250 quiet orders | grep '^RESULT')
before_prune=$("${PSQL[@]}" -At -c "SELECT pg_size_pretty(SUM(pg_total_relation_size(c.oid))) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '$SCHEMA' AND c.relkind = 'r' AND c.relname LIKE 'gw_journal%'")
"${BENCH_JAVA[@]}" io.imaginggateway.bench.MllpLoad $MLLP 8 250 pruning orders >"$DATA/pruning.out" &
load=$!
sleep 2
p0=$(date +%s%N)
pruned=$(curl -sS "${BENCH_AUTH[@]}" -X POST "http://localhost:$HTTP/api/journal/prune")
prune_ms=$(( ($(date +%s%N) - p0) / 1000000 ))
wait $load
during=$(grep '^RESULT' "$DATA/pruning.out")
after_prune=$("${PSQL[@]}" -At -c "SELECT pg_size_pretty(SUM(pg_total_relation_size(c.oid))) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '$SCHEMA' AND c.relkind = 'r' AND c.relname LIKE 'gw_journal%'")
echo "prune: $pruned in $prune_ms ms; $before_prune -> $after_prune; quiet $quiet; during $during" >&2
stop_gateway

# --- cost of the journal, after-journal (H2, as bin/gateway run starts it) ---
git worktree add -q --detach "$base_dir/src" "$BASELINE"
(cd "$base_dir/src" && mvn -q -B -Dstyle.color=never -DskipTests package >/dev/null 2>&1)
BASE_JAR=$(ls "$base_dir"/src/target/imaging-gateway-*.jar | grep -v -- '-plain' | head -1)
# e2e_row LABEL JAR OPTIONS... -> a table row: orders with 8 connections, then the background writes' end (after-journal)
e2e_row() {
  local label=$1 jar=$2; shift 2
  start_gateway "$jar" "$@"
  "${BENCH_JAVA[@]}" io.imaginggateway.bench.MllpLoad $MLLP 8 125 warm orders >/dev/null
  local t0 r drained=""
  until [ "$(curl -s "${BENCH_AUTH[@]}" "http://localhost:$HTTP/api/messages?status=pending&limit=1" | grep -c '"id"')" = 0 ] 2>/dev/null \
      || ! curl -sf "${BENCH_AUTH[@]}" "http://localhost:$HTTP/api/messages?limit=1" >/dev/null; do sleep 0.2; done
  t0=$(date +%s%N)
  r=$("${BENCH_JAVA[@]}" io.imaginggateway.bench.MllpLoad $MLLP 8 500 run orders | grep '^RESULT')
  if curl -sf "${BENCH_AUTH[@]}" "http://localhost:$HTTP/api/messages?limit=1" >/dev/null; then
    until [ "$(curl -s "${BENCH_AUTH[@]}" "http://localhost:$HTTP/api/messages?status=pending&limit=1" | grep -c '"id"')" = 0 ]; do sleep 0.1; done
    drained=$(awk -v ms=$(( ($(date +%s%N) - t0) / 1000000 )) -v n="$(field "$r" messages)" 'BEGIN { printf "%.0f", n / (ms / 1000) }')
  fi
  stop_gateway
  echo "  $label: $r written_per_s=$drained" >&2
  printf '| %s | %s | %s ms | %s ms | %s |\n' "$label" "$(field "$r" msg_per_s)" "$(field "$r" p50_ms)" "$(field "$r" p99_ms)" \
    "${drained:-(at the ACK)}"
}
e2e_rows=$(
  e2e_row "before the journal ($BASELINE)" "$BASE_JAR" --gateway.routes.dir="$base_dir/src/camel-routes"
  e2e_row "journal, after-commit (default)" "$APP_JAR"
  e2e_row "journal, after-journal" "$APP_JAR" --gateway.site.acknowledge=after-journal
)

block=$(cat <<MD
<!-- bench:journal -->
Measured by \`bin/gateway bench journal\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1),
$("${PSQL[@]}" -At -c 'SHOW server_version' | sed 's/^/PostgreSQL /') on the same machine.

**Journal search.** 1,000,000 entries generated in the journal's tables on PostgreSQL (${generated} s; $journal_size with
content and indexes): 30 days, 3 feeds, 10 senders, 3 message types, 50,000 patients, 2 % errors, 1 % rejected,
0.25 % held, 5 % duplicates, ~450 bytes of content each. A running gateway answers \`GET /api/messages\` (50 per page,
newest first) over HTTP; each filter 40 times with other values (another patient, hour, page, ...). Goal: every p95
under 500 ms.

| Filter | p50 | p95 | max | entries per answer |
|---|---|---|---|---|
$search_rows

**Replay.** 10,000 failed orders in the journal (as a database outage leaves them: reason "database away", the raw
message kept), replayed by one \`POST /api/messages/replay?status=error&reason=database+away\`, then the same call
again. Each replay goes through parse, map, identity rules, validation and the store like a message from MLLP.

| Round | Time | Replays/s | Replays by status | ServiceRequests at /fhir | Patients at /fhir |
|---|---|---|---|---|---|
$replay_rows

**Pruning under load.** The same journal, retention 7 days of content and 14 of metadata: \`POST /api/journal/prune\`
while 8 connections send 2,000 orders. Pruned: \`$pruned\` in $prune_ms ms; the journal's tables and indexes went from
$before_prune to $after_prune on disk (partitions detached concurrently and dropped).

| Load | Orders/s | ACK p50 | ACK p99 |
|---|---|---|---|
| no prune | $(field "$quiet" msg_per_s) | $(field "$quiet" p50_ms) ms | $(field "$quiet" p99_ms) ms |
| prune running | $(field "$during" msg_per_s) | $(field "$during" p50_ms) ms | $(field "$during" p99_ms) ms |

**Cost of the journal, and after-journal.** Orders end to end over MLLP with 8 connections (4,000 after a warm-up of
1,000), H2, as \`bin/gateway run\` starts the gateway (quick JIT tier), the load generator on the same 2 cores. The
build before the journal ($BASELINE) in the same run. "Written" is orders per second from the first order sent to the
last background write committed (after-journal only: the ACK comes before the write).

| Build | ACKs/s | ACK p50 | ACK p99 | Written/s |
|---|---|---|---|---|
$e2e_rows
<!-- /bench:journal -->
MD
)
replace_block journal "$block"
echo "BENCHMARKS.md updated (journal)" >&2
