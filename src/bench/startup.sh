#!/usr/bin/env bash
# Start-up benchmark: time from process start to the "Gateway ready" log line, and resident memory at that moment,
# for the JVM configuration bin/gateway uses and for variants that each undo one of its choices.
# Called by `bin/gateway bench startup` with APP_JAR, CDS_ARCHIVE and DEFAULT_JAVA_OPTS set.
# Writes its block of BENCHMARKS.md between <!-- bench:startup --> markers.
set -euo pipefail
RUNS=${BENCH_STARTUP_RUNS:-3}
OUT=${BENCH_OUT:-BENCHMARKS.md}
source "$(dirname "$0")/lib.sh"

# one_start DATA_DIR COMMAND... -> prints "<ready ms> <rss MB> <cpu s>"
one_start() {
  local data=$1; shift
  local log; log=$(mktemp)
  local t0; t0=$(date +%s%N)
  "$@" --gateway.data-dir="$data" --server.port=0 --gateway.hl7.mllp-port=0 --gateway.dicom.port=0 >"$log" 2>&1 &
  local pid=$!
  wait_ready "$log" $pid
  local t1; t1=$(date +%s%N)
  local rss; rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)
  local cpu; cpu=$(awk '{printf "%.1f", ($14+$15)/100}' /proc/$pid/stat)
  kill $pid; wait $pid 2>/dev/null || true
  rm -f "$log"
  echo "$(( (t1 - t0) / 1000000 )) $rss $cpu"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# measure LABEL COMMAND... -> table rows for a fresh data directory and a restart on existing data
measure() {
  local label=$1; shift
  local data; data=$(mktemp -d)
  local fresh=() restart=()
  for i in $(seq 1 "$RUNS"); do
    rm -rf "${data:?}"/*
    fresh+=("$(one_start "$data" "$@")")
    restart+=("$(one_start "$data" "$@")")
  done
  rm -rf "$data"
  for kind in fresh restart; do
    local -n runs=$kind
    local ready rss cpu
    ready=$(printf '%s\n' "${runs[@]}" | awk '{print $1}' | median)
    rss=$(printf '%s\n' "${runs[@]}" | awk '{print $2}' | median)
    cpu=$(printf '%s\n' "${runs[@]}" | awk '{print $3}' | median)
    printf '| %s | %s | %s s | %s MB | %s s |\n' "$label" "$kind" "$(awk -v ms="$ready" 'BEGIN {printf "%.1f", ms/1000}')" "$rss" "$cpu"
    echo "  $label, $kind: ready $ready ms, RSS $rss MB, CPU $cpu s" >&2
  done
}

CDS="-XX:SharedArchiveFile=$CDS_ARCHIVE -Xshare:auto"
TIERED=$(echo "$DEFAULT_JAVA_OPTS" | sed 's/-XX:TieredStopAtLevel=1//')
rows=$(
  measure "as \`bin/gateway run\` starts it: $DEFAULT_JAVA_OPTS + CDS" java $DEFAULT_JAVA_OPTS $CDS -jar "$APP_JAR"
  measure "without the class-data-sharing archive" java $DEFAULT_JAVA_OPTS -jar "$APP_JAR"
  measure "full tiered JIT (C2) instead of the quick tier" java $TIERED $CDS -jar "$APP_JAR"
  measure "JVM defaults (G1, heap 1/4 of RAM), CDS kept" java -XX:TieredStopAtLevel=1 $CDS -jar "$APP_JAR"
)

block=$(cat <<MD
<!-- bench:startup -->
Measured by \`bin/gateway bench startup\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1), median of $RUNS runs each.
"ready" is the time from launching \`java\` to the gateway's "Gateway ready" log line (HTTP, database, routes up);
RSS and CPU (user+system) are read from /proc at that moment. "fresh" starts on an empty data directory (HAPI's
migrator creates the schema), "restart" on the database the fresh start left.

| JVM configuration | data | ready | RSS | CPU |
|---|---|---|---|---|
$rows
<!-- /bench:startup -->
MD
)
replace_block startup "$block"
echo "$block"
