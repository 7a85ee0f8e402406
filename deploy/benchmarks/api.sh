# deploy/bench api: the REST API under wrk, with nginx answering a constant body in the same run
# as the physical limit. Sourced by deploy/bench, which has built the executable.
# Env: DURATION (10s), CONNS (64), THREADS (2), PEER=1 to add the original Python service.

DURATION="${DURATION:-10s}"
CONNS="${CONNS:-64}"
THREADS="${THREADS:-2}"
WORK="$(mktemp -d /tmp/ct-bench-api.XXXXXX)"
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

# run_wrk LABEL URL: one line of figures; raw output kept in $WORK.
run_wrk() {
  local label="$1" url="$2" raw="$WORK/wrk-$1.txt"
  wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency --timeout 5s "$url" >"$raw" 2>&1
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

field() { sed -n "s/.*$2=\([^ ]*\).*/\1/p" <<<"$1"; }

NGINX_PORT="$(free_port)"
mkdir -p "$WORK/nginx"
sed -e "s#__PORT__#$NGINX_PORT#" -e "s#__DIR__#$WORK/nginx#" "$ROOT/deploy/benchmarks/nginx-constant.conf" \
  >"$WORK/nginx/nginx.conf"
/usr/sbin/nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g "error_log $WORK/nginx/error.log warn;" \
  >"$WORK/nginx/stdout.log" 2>&1 &
PIDS+=($!)

API_PORT="$(free_port)"
cat >"$WORK/config.json" <<JSON
{"scan_interval_ms": 50, "autostart": true, "log_level": "warn"}
JSON
"$ROOT/build/crypto-trading" --port "$API_PORT" --config "$WORK/config.json" \
  --data-dir "$WORK/data" >"$WORK/service.log" 2>&1 &
PIDS+=($!)

wait_http "http://127.0.0.1:$NGINX_PORT/health"
wait_http "http://127.0.0.1:$API_PORT/health"
curl -sf "http://127.0.0.1:$API_PORT/api/status" | grep -q '"trading":true' || {
  echo "trading is not on" >&2; exit 1; }

echo "# $(date -u +%FT%TZ) $(nproc) cores; wrk -t$THREADS -c$CONNS -d$DURATION --latency; scan_interval_ms=50, trading on"
# nginx runs before and after, and the better of the two is the baseline: a machine whose speed
# drifts during the run can only make the ratio look worse.
NGINX1="$(run_wrk nginx http://127.0.0.1:$NGINX_PORT/health)"; echo "$NGINX1 endpoint=/health"
HEALTH="$(run_wrk api_health http://127.0.0.1:$API_PORT/health)"; echo "$HEALTH endpoint=/health"
STATUS="$(run_wrk api_status http://127.0.0.1:$API_PORT/api/status)"; echo "$STATUS endpoint=/api/status"
NGINX2="$(run_wrk nginx http://127.0.0.1:$NGINX_PORT/health)"; echo "$NGINX2 endpoint=/health"
NGINX="$NGINX1"
awk -v a="$(field "$NGINX1" req_s)" -v b="$(field "$NGINX2" req_s)" 'BEGIN{exit !(b > a)}' && NGINX="$NGINX2"
SCANS="$(curl -sf "http://127.0.0.1:$API_PORT/api/status" | sed -n 's/.*"scans":\([0-9]*\).*/\1/p')"
echo "# the bot kept scanning meanwhile: scans=$SCANS"

if [[ "${PEER:-0}" == 1 ]]; then
  PEER_RUN="$ROOT/../shared/peers/fastapi_service/run.sh"
  if [[ -x "$PEER_RUN" ]]; then
    PEER_PORT="$(free_port)"
    CRYPTO_PORT=$PEER_PORT CRYPTO_SCAN_INTERVAL=0.05 "$PEER_RUN" start >/dev/null
    PEER_HEALTH="$(run_wrk peer_health http://127.0.0.1:$PEER_PORT/health)"; echo "$PEER_HEALTH endpoint=/health"
    PEER_STATUS="$(run_wrk peer_status http://127.0.0.1:$PEER_PORT/api/status)"; echo "$PEER_STATUS endpoint=/api/status"
    CRYPTO_PORT=$PEER_PORT "$PEER_RUN" stop >/dev/null
    echo "# api_status/peer_status ratio=$(awk -v a="$(field "$STATUS" req_s)" -v b="$(field "$PEER_STATUS" req_s)" 'BEGIN{printf "%.2f", a/b}')"
  else
    echo "# PEER=1: $PEER_RUN not found" >&2
  fi
fi

STATUS_RPS="$(field "$STATUS" req_s)"
NGINX_RPS="$(field "$NGINX" req_s)"
ERRORS=$(( $(field "$STATUS" errors) + $(field "$HEALTH" errors) ))
RATIO="$(awk -v a="$STATUS_RPS" -v b="$NGINX_RPS" 'BEGIN{printf "%.2f", a/b}')"
echo "api status_req_s=$STATUS_RPS nginx_req_s=$NGINX_RPS ratio=$RATIO p99_ms=$(field "$STATUS" p99_ms) health_req_s=$(field "$HEALTH" req_s) errors=$ERRORS"
