#!/usr/bin/env bash
# DICOM benchmarks:
#  - header reads per second on one thread (DicomBench read), over CT-sized files (512x512x16 bit);
#  - instances to stored ImagingStudy per second: 10,000 instances of 100 studies imported by POST /dicom/import
#    (the answer comes once all is committed);
#  - C-STORE receive rate: dcmtk's storescu sending 2,000 CT-sized instances on one association, then until they
#    are all in their ImagingStudy.
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

"${BENCH_JAVA[@]}" io.imaginggateway.bench.DicomBench generate "$work/ct" 4 1 500 512 1
"${BENCH_JAVA[@]}" io.imaginggateway.bench.DicomBench generate "$work/ct-warm" 4 1 500 512 5
"${BENCH_JAVA[@]}" io.imaginggateway.bench.DicomBench generate "$work/many" 100 2 50 64 2
"${BENCH_JAVA[@]}" io.imaginggateway.bench.DicomBench generate "$work/many-warm-1" 100 2 50 64 3
"${BENCH_JAVA[@]}" io.imaginggateway.bench.DicomBench generate "$work/many-warm-2" 100 2 50 64 4
reads=$("${BENCH_JAVA[@]}" io.imaginggateway.bench.DicomBench read "$work/ct" 10 | grep '^RESULT')
echo "header reads: $reads" >&2
reads_per_s=$(echo "$reads" | sed 's/.*reads_per_s=\([0-9]*\).*/\1/')
hz=$(getconf CLK_TCK)
now() { date +%s.%N; }

# measure LABEL JAVA_OPTS... -> table rows (import, C-STORE, versions) for a fresh gateway started with those options
measure() {
  local label=$1; shift
  local data log http dicom pid
  data=$(mktemp -d -p "$work"); log="$data.log"; http=$((20000 + RANDOM % 20000)); dicom=$((http + 1))
  java "$@" -jar "$APP_JAR" --gateway.data-dir="$data" --server.port=$http --gateway.hl7.mllp-port=0 \
    --gateway.dicom.port=$dicom >"$log" 2>&1 &
  pid=$!
  wait_ready "$log" $pid
  cpu() { awk '{print $14 + $15}' /proc/$pid/stat; }
  instances_in() { # instances_in STUDY_UID_PREFIX -> instances stored in the studies whose UID starts with it
    curl -s "http://localhost:$http/fhir/ImagingStudy?_count=1000&_elements=identifier,numberOfInstances" | python3 -c "
import json, sys
total = 0
for e in json.load(sys.stdin).get('entry', []):
    r = e['resource']
    if any(i.get('value', '').startswith('urn:oid:$1') for i in r.get('identifier', [])):
        total += r.get('numberOfInstances', 0)
print(total)"
  }
  # warm-up, as a gateway that has been running a while (the JIT has compiled the paths): twice the import's and as
  # many C-STOREs as measured first, of other studies
  for warm in many-warm-1 many-warm-2; do
    curl -s -X POST -G --data-urlencode "path=$work/$warm" "http://localhost:$http/dicom/import" >/dev/null
  done
  storescu -aec FHIRGATEWAY localhost $dicom "$work"/ct-warm/*.dcm >&2

  local c0 c1 c2 c3 t0 t1 t2 t3 t4 answer versions
  c0=$(cpu); t0=$(now)
  answer=$(curl -s -X POST -G --data-urlencode "path=$work/many" "http://localhost:$http/dicom/import")
  t1=$(now); c1=$(cpu)
  echo "  $label, import: $answer" >&2

  c2=$(cpu); t2=$(now)
  storescu -aec FHIRGATEWAY -aet BENCHSCU localhost $dicom "$work"/ct/*.dcm >&2
  t3=$(now)
  until [ "$(instances_in 1.2.826.0.1.3680043.9.7001.77.1.)" -ge 2000 ]; do sleep 0.05; done
  t4=$(now); c3=$(cpu)
  versions=$(curl -s "http://localhost:$http/fhir/ImagingStudy/_history?_count=1&_summary=count" | python3 -c "import json,sys; print(json.load(sys.stdin).get('total'))")
  kill $pid; wait $pid 2>/dev/null || true

  python3 - "$label" "$t0" "$t1" "$t2" "$t3" "$t4" "$c0" "$c1" "$c2" "$c3" "$hz" "$versions" "$answer" <<'PY'
import sys, json
label = sys.argv[1]
t0, t1, t2, t3, t4 = map(float, sys.argv[2:7]); c0, c1, c2, c3, hz = map(float, sys.argv[7:12])
versions, answer = sys.argv[12], json.loads(sys.argv[13])
imp = answer["instances"] / (t1 - t0)
print(f"| 10,000 instances of 100 studies, `POST /dicom/import`, until committed; {label} | **{imp:,.0f} instances/s** ({t1 - t0:.1f} s; gateway CPU {(c1 - c0) * 1000 / hz / answer['instances']:.2f} ms per instance) | ≥5,000/s (DICOMcast: ≥4 FHIR calls per instance, one thread) |")
print(f"| C-STORE, storescu, 1 association, 2,000 CT instances (512 KB); {label} | **{2000 / (t3 - t2):,.0f} C-STOREs/s** received ({t3 - t2:.1f} s; gateway CPU {(c3 - c2) * 1000 / hz / 2000:.2f} ms per instance); all in their ImagingStudy after {t4 - t2:.1f} s = {2000 / (t4 - t2):,.0f} instances/s stored | ≥500/s (pynetdicom ~20/s) |")
print(f"| ImagingStudy versions written for all 34,000 instances of 308 studies; {label} | {versions} | a handful per study, not one per instance |")
PY
}

TIERED=$(echo "$DEFAULT_JAVA_OPTS" | sed 's/-XX:TieredStopAtLevel=1//')
CDS="-XX:SharedArchiveFile=$CDS_ARCHIVE -Xshare:auto"
rows_run=$(measure "as \`bin/gateway run\` starts it (quick JIT tier)" $DEFAULT_JAVA_OPTS $CDS)
rows_full=$(measure "full tiered JIT (C2)" $TIERED $CDS)
block=$(printf '| header reads, 1 thread (CT 512x512, 2,000 files in the page cache) | **%s reads/s** | ≥10,000/s (fo-dicom ~2,500/s, pydicom ~1,500/s, as the issue quotes them) |\n%s\n%s' \
  "$(python3 -c "print(f'{$reads_per_s:,}')")" "$rows_run" "$rows_full")
echo "$block" >&2
text=$(cat <<MD
<!-- bench:dicom -->
Measured by \`bin/gateway bench dicom\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1), H2; a fresh
gateway per JVM configuration, warmed up with other instances through the same path first (20,000 imported, 2,000
C-STOREs); storescu and the gateway on the same cores. Instances are generated with PixelMed (CT, about 40 attributes each).

| what | measured | goal / peers |
|---|---|---|
$block
<!-- /bench:dicom -->
MD
)
replace_block dicom "$text"
echo "$text"
