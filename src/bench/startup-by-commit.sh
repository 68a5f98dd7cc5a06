#!/usr/bin/env bash
# Start-up of the gateway as built at each given commit, measured the same way in one session: the fat jar run with
# plain `java -jar` (no JVM options), a restart on an existing data directory, median of RUNS. Used to record in
# BENCHMARKS.md what each start-up cut gained.  usage: src/bench/startup-by-commit.sh COMMIT...
set -euo pipefail
RUNS=${RUNS:-3}
root=$(git rev-parse --show-toplevel)
work=$(mktemp -d)
for commit in "$@"; do
  git -C "$root" worktree add -q --detach "$work/$commit" "$commit"
  (cd "$work/$commit" && mvn -q -B -Dstyle.color=never -DskipTests package >/dev/null 2>&1)
  jar=$(ls "$work/$commit"/target/imaging-gateway-*.jar | head -1)
  data=$(mktemp -d)
  readies=() rsss=() cpus=()
  for i in $(seq 0 "$RUNS"); do     # run 0 creates the schema; runs 1..RUNS are the measured restarts
    log=$(mktemp); t0=$(date +%s%N)
    (cd "$work/$commit" && exec java -jar "$jar" --gateway.data-dir="$data" --server.port=0 \
        --gateway.hl7.mllp-port=0 --gateway.dicom.port=0) >"$log" 2>&1 &
    pid=$!
    until grep -qE "Gateway ready in|Started GatewayApplication" "$log"; do kill -0 $pid 2>/dev/null || { tail "$log"; exit 1; }; sleep 0.05; done
    t1=$(date +%s%N)
    jpid=$(pgrep -P $pid java || echo $pid)
    rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$jpid/status)
    cpu=$(awk '{print int(($14+$15)/100)}' /proc/$jpid/stat)
    kill $jpid 2>/dev/null; wait $pid 2>/dev/null || true; rm -f "$log"
    [ "$i" -gt 0 ] && { readies+=($(( (t1-t0)/1000000 ))); rsss+=($rss); cpus+=($cpu); }
  done
  med() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
  printf '%s %s | ready %s ms | CPU %s s | RSS %s MB | jar %s MB\n' "$commit" \
    "$(git -C "$root" log -1 --format=%s "$commit" | cut -c1-70)" "$(med "${readies[@]}")" "$(med "${cpus[@]}")" \
    "$(med "${rsss[@]}")" "$(( $(stat -c %s "$jar") / 1048576 ))"
  rm -rf "$data"
  git -C "$root" worktree remove --force "$work/$commit"
done
rm -rf "$work"
