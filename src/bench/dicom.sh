#!/usr/bin/env bash
# DICOM benchmarks:
#  - header reads per second on one thread (DicomBench read), over CT-sized files (512x512x16 bit);
#  - instances to stored ImagingStudy per second: 10,000 instances of 100 studies imported by POST /dicom/import
#    into a fresh gateway (the answer comes once all is committed);
#  - C-STORE receive rate: dcmtk's storescu sending 2,000 CT-sized instances on one association, then until they
#    are all in their ImagingStudy.
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
"${BENCH_JAVA[@]}" io.imaginggateway.bench.DicomBench generate "$work/many" 100 2 50 64 2
reads=$("${BENCH_JAVA[@]}" io.imaginggateway.bench.DicomBench read "$work/ct" 10 | grep '^RESULT')
echo "header reads: $reads" >&2
reads_per_s=$(echo "$reads" | sed 's/.*reads_per_s=\([0-9]*\).*/\1/')

data="$work/data"; log="$work/gateway.log"; http=$((20000 + RANDOM % 20000)); dicom=$((http + 1))
java $DEFAULT_JAVA_OPTS -XX:SharedArchiveFile=$CDS_ARCHIVE -Xshare:auto -jar "$APP_JAR" --gateway.data-dir="$data" \
  --server.port=$http --gateway.hl7.mllp-port=0 --gateway.dicom.port=$dicom >"$log" 2>&1 &
pid=$!
wait_ready "$log" $pid
cpu() { awk '{print $14 + $15}' /proc/$pid/stat; }
now() { date +%s.%N; }
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

# warm-up: one study through each path
"${BENCH_JAVA[@]}" io.imaginggateway.bench.DicomBench generate "$work/warm" 2 1 100 64 3
curl -s -X POST -G --data-urlencode "path=$work/warm" "http://localhost:$http/dicom/import" >/dev/null
storescu -aec FHIRGATEWAY localhost $dicom "$work"/warm/*.dcm

c0=$(cpu); t0=$(now)
answer=$(curl -s -X POST -G --data-urlencode "path=$work/many" "http://localhost:$http/dicom/import")
t1=$(now); c1=$(cpu)
echo "import: $answer" >&2
versions=$(curl -s "http://localhost:$http/fhir/ImagingStudy/_history?_count=1&_summary=count" | python3 -c "import json,sys; print(json.load(sys.stdin).get('total'))")

c2=$(cpu); t2=$(now)
storescu -aec FHIRGATEWAY -aet BENCHSCU localhost $dicom "$work"/ct/*.dcm
t3=$(now)
until [ "$(instances_in 1.2.826.0.1.3680043.9.7001.77.1.)" -ge 2000 ]; do sleep 0.05; done
t4=$(now); c3=$(cpu)
kill $pid; wait $pid 2>/dev/null || true

hz=$(getconf CLK_TCK)
block=$(python3 - "$t0" "$t1" "$t2" "$t3" "$t4" "$c0" "$c1" "$c2" "$c3" "$hz" "$reads_per_s" "$versions" "$answer" <<'PY'
import sys, json
t0, t1, t2, t3, t4 = map(float, sys.argv[1:6]); c0, c1, c2, c3, hz = map(float, sys.argv[6:11])
reads, versions, answer = sys.argv[11], sys.argv[12], json.loads(sys.argv[13])
imp = answer["instances"] / (t1 - t0)
print(f"| header reads, 1 thread (CT 512x512, 2,000 files in the page cache) | **{int(reads):,} reads/s** | ≥10,000/s (fo-dicom ~2,500/s, pydicom ~1,500/s, as the issue quotes them) |")
print(f"| 10,000 instances of 100 studies, `POST /dicom/import`, until committed | **{imp:,.0f} instances/s** ({t1 - t0:.1f} s; gateway CPU {(c1 - c0) * 1000 / hz / answer['instances']:.2f} ms per instance) | ≥5,000/s (DICOMcast: ≥4 FHIR calls per instance, one thread) |")
print(f"| C-STORE, storescu, 1 association, 2,000 CT instances (512 KB) | **{2000 / (t3 - t2):,.0f} C-STOREs/s** received ({t3 - t2:.1f} s); all in their ImagingStudy after {t4 - t2:.1f} s = {2000 / (t4 - t2):,.0f} instances/s stored | ≥500/s (pynetdicom ~20/s) |")
print(f"|  ImagingStudy versions written for those 12,000 instances of 104 studies (+2 warm-up studies) | {versions} | a handful per study, not one per instance |")
PY
)
echo "$block" >&2
text=$(cat <<MD
<!-- bench:dicom -->
Measured by \`bin/gateway bench dicom\` on $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1), H2; the gateway
as \`bin/gateway run\` starts it, storescu and the gateway on the same 2 cores. Instances are generated with
PixelMed (CT, about 40 attributes each).

| what | measured | goal / peers |
|---|---|---|
$block
<!-- /bench:dicom -->
MD
)
replace_block dicom "$text"
echo "$text"
