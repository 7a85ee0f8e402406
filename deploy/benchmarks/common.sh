# Helpers shared by the benchmarks (sourced after deploy/lib.sh): a scratch folder, the processes
# started (stopped at exit), free ports, wrk in one line, nginx as the constant-body baseline and
# the service with trading on and a 50 ms scan interval.

WORK="$(mktemp -d "/tmp/ct-bench-${BENCH_NAME:-x}.XXXXXX")"
PIDS=()
cleanup() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

wait_http() {  # wait_http URL: until it answers 200, for at most 20 s
  for _ in $(seq 1 200); do
    curl -sf -o /dev/null --max-time 1 "$1" && return 0
    sleep 0.1
  done
  echo "no answer from $1" >&2; exit 1
}

# run_wrk LABEL URL [LUA_SCRIPT]: one line of figures; raw output kept in $WORK.
run_wrk() {
  local label="$1" url="$2" raw="$WORK/wrk-$1.txt" script=()
  [[ -n "${3:-}" ]] && script=(-s "$3")
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency --timeout 5s "${script[@]}" "$url" >"$raw" 2>&1
  awk -v label="$label" '
    function ms(v,   n, u) { n = v; sub(/[a-z]+$/, "", n); u = v; sub(/^[0-9.]+/, "", u);
      return u == "us" ? n / 1000 : u == "ms" ? n : u == "s" ? n * 1000 : u == "m" ? n * 60000 : -1 }
    /^Requests\/sec:/ { rps = $2 }
    $1 == "50%" { p50 = ms($2) }
    $1 == "99%" { p99 = ms($2) }
    /Non-2xx or 3xx responses/ { non2xx = $NF }
    /Socket errors:/ { gsub(/,/, ""); sockerr = $4 + $6 + $8 + $10 }
    END { printf "%s req_s=%.0f p50_ms=%.3f p99_ms=%.3f errors=%d\n", label, rps, p50, p99, non2xx + sockerr }
  ' "$raw"
}

# Each benchmark checks its own results: `check 1|0 WHAT` records WHAT as wrong when given 0
# (the callers compute the condition); `finish`, after the summary line, exits 1 naming them.
FAILURES=()
check() { [[ "$1" == 1 ]] || FAILURES+=("$2"); }
finish() {
  if ((${#FAILURES[@]} > 0)); then
    printf 'deploy/bench %s: wrong results: %s\n' "$BENCH_NAME" "${FAILURES[*]}" >&2
    exit 1
  fi
}
# is EXPR: 1 when the awk expression holds (numbers with decimals included), else 0.
is() { awk "BEGIN{print ($1) ? 1 : 0}"; }

field() { sed -n "s/.*[ ^]$2=\([^ ]*\).*/\1/p" <<<" $1"; }

# better LINE1 LINE2: the line with more req/s (a machine whose speed drifts during the run can
# only make a ratio against the better baseline look worse).
better() {
  if awk -v a="$(field "$1" req_s)" -v b="$(field "$2" req_s)" 'BEGIN{exit !(b > a)}'; then
    echo "$2"
  else
    echo "$1"
  fi
}

start_nginx() {  # sets NGINX_PORT
  NGINX_PORT="$(free_port)"
  mkdir -p "$WORK/nginx"
  # As many workers as the service's HTTP threads (http.threads, 2 by default): a fair baseline.
  sed -e "s#__PORT__#$NGINX_PORT#" -e "s#__DIR__#$WORK/nginx#" \
    -e "s#__WORKERS__#${NGINX_WORKERS:-2}#" \
    "$ROOT/deploy/benchmarks/nginx-constant.conf" >"$WORK/nginx/nginx.conf"
  /usr/sbin/nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" \
    -g "error_log $WORK/nginx/error.log warn;" >"$WORK/nginx/stdout.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$NGINX_PORT/health"
}

start_service() {  # sets API_PORT; trading on, a scan every 50 ms
  API_PORT="$(free_port)"
  cat >"$WORK/config.json" <<JSON
{"scan_interval_ms": 50, "autostart": true, "log_level": "warn"}
JSON
  "$ROOT/build/crypto-trading" --port "$API_PORT" --config "$WORK/config.json" \
    --data-dir "$WORK/data" >"$WORK/service.log" 2>&1 &
  PIDS+=($!)
  wait_http "http://127.0.0.1:$API_PORT/health"
  curl -sf "http://127.0.0.1:$API_PORT/api/status" | grep -q '"trading":true' || {
    echo "trading is not on" >&2; exit 1; }
}

scans() { curl -sf "http://127.0.0.1:$API_PORT/api/status" | sed -n 's/.*"scans":\([0-9]*\).*/\1/p'; }
