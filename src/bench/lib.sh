# Shared by the benchmark scripts (sourced).

# replace_block NAME TEXT: puts TEXT (which starts and ends with the markers) in place of the
# <!-- bench:NAME --> ... <!-- /bench:NAME --> block of $OUT, appending the block when it is not there yet.
replace_block() {
  local name=$1 text=$2
  [ -f "$OUT" ] || printf '# Benchmarks\n' >"$OUT"
  grep -q "<!-- bench:$name -->" "$OUT" || printf '\n<!-- bench:%s -->\n<!-- /bench:%s -->\n' "$name" "$name" >>"$OUT"
  local blockfile; blockfile=$(mktemp)
  printf '%s\n' "$text" >"$blockfile"
  awk -v f="$blockfile" -v open="<!-- bench:$name -->" -v closing="<!-- /bench:$name -->" '
    $0 == open { while ((getline line < f) > 0) print line; skip = 1; next }
    $0 == closing { skip = 0; next }
    !skip { print }' "$OUT" >"$OUT.tmp" && mv "$OUT.tmp" "$OUT"
  rm -f "$blockfile"
}

# wait_ready LOG PID: waits for the gateway's "Gateway ready" line; exits with its log if it dies first.
# the benchmarks' gateways take this static token with every scope (README: Security); curl sends it
BENCH_TOKEN_OPTIONS=(--gateway.security.tokens.bench.value=bench-token
  "--gateway.security.tokens.bench.scopes=system/*.cruds gateway/admin gateway/metrics")
BENCH_AUTH=(-H "Authorization: Bearer bench-token")

wait_ready() {
  local log=$1 pid=$2
  until grep -aq "Gateway ready in" "$log"; do
    kill -0 "$pid" 2>/dev/null || { echo "gateway died; log:" >&2; tail -20 "$log" >&2; exit 1; }
    sleep 0.02
  done
}
