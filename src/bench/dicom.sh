#!/usr/bin/env bash
# DICOM benchmarks:
#  - header reads per second on one thread (DicomBench read), over CT-sized files (512x512x16 bit);
#  - instances to stored ImagingStudy per second: 10,000 instances of 100 studies imported by POST /dicom/import
#    (the answer comes once all is committed), three rounds of new studies (median and each round);
#  - C-STORE receive rate: dcmtk's storescu sending 2,000 CT-sized instances on one association, then until they
#    are all in their ImagingStudy; three rounds of new studies. Storescu runs with TCP_NODELAY=1: Debian's dcmtk
#    otherwise leaves Nagle's algorithm on, and each instance then waits for the receiver's delayed ACK (about 40 ms;
#    its own storescp receives 11-17/s so), which would measure the sender's socket, not the gateway.
# Both on a fresh gateway warmed up with other instances through the same path first (20,000 imported, 2,000
# C-STOREs), once with the JVM options bin/gateway uses (quick JIT tier, for start-up) and once with the full JIT.
# Called by `bin/gateway bench dicom` with APP_JAR, CDS_ARCHIVE and DEFAULT_JAVA_OPTS set.
# Writes its block of BENCHMARKS.md between <!-- bench:dicom --> markers.
set -euo pipefail
OUT=${BENCH_OUT:-BENCHMARKS.md}
source "$(dirname "$0")/lib.sh"

mvn -q -B -Dstyle.color=never -Pbench test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt
BENCH_CP="target/test-classes:target/classes:$(cat target/bench-classpath.txt)"
BENCH_JAVA=(java -Dlogback.configurationFile=src/bench/logback-bench.xml -cp "$BENCH_CP")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# three measured rounds per JVM, each of new studies (UID roots ...77.<seed>.), after warm-up sets of other studies
ROUNDS=3
for r in 1 2 3; do
  "${BENCH_JAVA[@]}" io.imaginggateway.bench.DicomBench generate "$work/ct-$r" 4 1 500 512 $((10 + r))
  "${BENCH_JAVA[@]}" io.imaginggateway.bench.DicomBench generate "$work/many-$r" 100 2 50 64 $((20 + r))
done
"${BENCH_JAVA[@]}" io.imaginggateway.bench.DicomBench generate "$work/ct-warm" 4 1 500 512 5
"${BENCH_JAVA[@]}" io.imaginggateway.bench.DicomBench generate "$work/many-warm-1" 100 2 50 64 3
"${BENCH_JAVA[@]}" io.imaginggateway.bench.DicomBench generate "$work/many-warm-2" 100 2 50 64 4
reads=$("${BENCH_JAVA[@]}" io.imaginggateway.bench.DicomBench read "$work/ct-1" 10 | grep '^RESULT')
echo "header reads: $reads" >&2
reads_per_s=$(echo "$reads" | sed 's/.*reads_per_s=\([0-9]*\).*/\1/')
hz=$(getconf CLK_TCK)
now() { date +%s.%N; }

# measure LABEL GATEWAY_OPTION JAVA_OPTS... -> table rows (import, C-STORE, versions) for a fresh gateway started with
# those JVM options and that gateway option (e.g. --gateway.fhir.validation=off; "" for none)
measure() {
  local label=$1 option=$2; shift 2
  local data log http dicom pid
  data=$(mktemp -d -p "$work"); log="$data.log"; http=$((20000 + RANDOM % 20000)); dicom=$((http + 1))
  java "$@" -jar "$APP_JAR" --gateway.data-dir="$data" --server.port=$http --gateway.hl7.mllp-port=0 \
    --gateway.dicom.port=$dicom --gateway.dicom.import-roots="$work" "${BENCH_TOKEN_OPTIONS[@]}" $option >"$log" 2>&1 &
  pid=$!
  wait_ready "$log" $pid
  cpu() { awk '{print $14 + $15}' /proc/$pid/stat; }
  instances_in() { # instances_in SET -> instances stored in the 4 CT studies of that generated set
    local uids
    uids=$(printf 'urn:oid:1.2.826.0.1.3680043.9.7001.77.%s.%s,' "$1" 1 "$1" 2 "$1" 3 "$1" 4)
    curl -s "${BENCH_AUTH[@]}" -G "http://localhost:$http/fhir/ImagingStudy" --data-urlencode "identifier=${uids%,}" \
      --data-urlencode "_elements=numberOfInstances" | python3 -c "
import json, sys
print(sum(e['resource'].get('numberOfInstances', 0) for e in json.load(sys.stdin).get('entry', [])))"
  }
  # warm-up, as a gateway that has been running a while (the JIT has compiled the paths): twice the import's and as
  # many C-STOREs as measured first, of other studies
  for warm in many-warm-1 many-warm-2; do
    curl -s "${BENCH_AUTH[@]}" -X POST -G --data-urlencode "path=$work/$warm" "http://localhost:$http/dicom/import" >/dev/null
  done
  TCP_NODELAY=1 storescu -aec FHIRGATEWAY localhost $dicom "$work"/ct-warm/*.dcm >&2

  local rounds c0 c1 c2 c3 t0 t1 t2 t3 t4 answer versions
  rounds=$(mktemp -p "$work")
  for r in $(seq $ROUNDS); do
    c0=$(cpu); t0=$(now)
    answer=$(curl -s "${BENCH_AUTH[@]}" -X POST -G --data-urlencode "path=$work/many-$r" "http://localhost:$http/dicom/import")
    t1=$(now); c1=$(cpu)
    echo "  $label, import $r: $answer" >&2
    echo "import $(python3 -c "import json; print(json.loads('$answer')['instances'])") $t0 $t1 $c0 $c1" >>"$rounds"

    c2=$(cpu); t2=$(now)
    TCP_NODELAY=1 storescu -aec FHIRGATEWAY -aet BENCHSCU localhost $dicom "$work"/ct-$r/*.dcm >&2
    t3=$(now)
    until [ "$(instances_in $((10 + r)))" -ge 2000 ]; do sleep 0.05; done
    t4=$(now); c3=$(cpu)
    echo "cstore 2000 $t2 $t3 $c2 $c3 $t4" >>"$rounds"
  done
  versions=$(curl -s "${BENCH_AUTH[@]}" "http://localhost:$http/fhir/ImagingStudy/_history?_count=1&_summary=count" | python3 -c "import json,sys; print(json.load(sys.stdin).get('total'))")
  kill $pid; wait $pid 2>/dev/null || true

  python3 - "$label" "$hz" "$versions" "$rounds" <<'PY'
import sys, statistics
label, hz, versions = sys.argv[1], float(sys.argv[2]), sys.argv[3]
imports, stores = [], []
for line in open(sys.argv[4]):
    kind, n, start, end, cpu0, cpu1, *rest = line.split()
    n, start, end, cpu0, cpu1 = int(n), float(start), float(end), float(cpu0), float(cpu1)
    row = (n / (end - start), (cpu1 - cpu0) * 1000 / hz / n)
    if kind == "import":
        imports.append(row)
    else:
        stores.append(row + (n / (float(rest[0]) - start),))
def summary(values, unit):
    values = sorted(values)
    return f"**{statistics.median(values):,.0f} {unit}** (rounds: {', '.join(f'{v:,.0f}' for v in values)})"
cpu = lambda rows: f"gateway CPU {statistics.median(r[1] for r in rows):.2f} ms per instance"
print(f"| 10,000 instances of 100 studies, `POST /dicom/import`, until committed; {label} | {summary([r[0] for r in imports], 'instances/s')}; {cpu(imports)} | ≥5,000/s (DICOMcast: ≥4 FHIR calls per instance, one thread) |")
print(f"| C-STORE, storescu, 1 association, 2,000 CT instances (512 KB) of 4 studies; {label} | {summary([r[0] for r in stores], 'C-STOREs/s')} received; {cpu(stores)}; all in their ImagingStudy: {summary([r[2] for r in stores], 'instances/s')} | ≥500/s (pynetdicom ~20/s) |")
print(f"| ImagingStudy versions written for all {20000 + 2000 + len(imports) * 10000 + len(stores) * 2000:,} instances of {200 + 4 + len(imports) * 100 + len(stores) * 4} studies; {label} | {versions} | a handful per study, not one per instance |")
PY
}

TIERED=$(echo "$DEFAULT_JAVA_OPTS" | sed 's/-XX:TieredStopAtLevel=1//')
CDS="-XX:SharedArchiveFile=$CDS_ARCHIVE -Xshare:auto"
rows_run=$(measure "as \`bin/gateway run\` starts it (quick JIT tier)" "" $DEFAULT_JAVA_OPTS $CDS)
# the same without validation before storage: what validating every stored version costs
rows_off=$(measure "quick JIT tier, validation off (\`gateway.fhir.validation=off\`)" --gateway.fhir.validation=off $DEFAULT_JAVA_OPTS $CDS)
rows_full=$(measure "full tiered JIT (C2)" "" $TIERED $CDS)
block=$(printf '| header reads and completeness check, 1 thread (CT 512x512, 2,000 files in the page cache) | **%s reads/s** | ≥10,000/s (fo-dicom ~2,500/s, pydicom ~1,500/s, as the issue quotes them) |\n%s\n%s\n%s' \
  "$(python3 -c "print(f'{$reads_per_s:,}')")" "$rows_run" "$rows_off" "$rows_full")
echo "$block" >&2
text=$(cat <<MD
<!-- bench:dicom -->
Measured by \`bin/gateway bench dicom\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1), H2; a fresh
gateway per JVM configuration, warmed up with other instances through the same path first (20,000 imported, 2,000
C-STOREs); storescu (with \`TCP_NODELAY=1\`) and the gateway on the same cores. Instances are generated with PixelMed (CT, about 40 attributes each).

| what | measured | goal / peers |
|---|---|---|
$block
<!-- /bench:dicom -->
MD
)
replace_block dicom "$text"
echo "$text"
