# deploy/bench ws: N real WebSocket clients on /ws with trading on and a 50 ms scan interval.
# Window 1: the fan-out alone (messages per client, drops, timeline gaps, delay from each
# message's "at" to its arrival). Window 2: the same fan-out while wrk loads /api/status, against
# nginx's constant body loaded the same way under the same fan-out (the REST ratio).
# Sourced by deploy/bench, which has built the executable and installed the client's packages.
# Env: CLIENTS (1000), SECONDS_WS (10), DURATION (wrk, 10s), CONNS (64), THREADS (2),
#      PEER=1 to add the original Python service under its own fan-out tool, back to back.

CLIENTS="${CLIENTS:-1000}"
SECONDS_WS="${SECONDS_WS:-10}"
DURATION="${DURATION:-10s}"
CONNS="${CONNS:-64}"
THREADS="${THREADS:-2}"
BENCH_NAME=ws
source "$ROOT/deploy/benchmarks/common.sh"
WSLOAD="$ROOT/deploy/benchmarks/wsload/wsload.mjs"
start_nginx
start_service
URL="ws://127.0.0.1:$API_PORT/ws"

echo "# $(date -u +%FT%TZ) $(nproc) cores; $CLIENTS clients for ${SECONDS_WS}s; scan_interval_ms=50, trading on"
echo "# window 1: the fan-out alone"
node "$WSLOAD" "$URL" --clients "$CLIENTS" --duration "$SECONDS_WS" | tee "$WORK/ws.txt"
WS="$(tail -n 1 "$WORK/ws.txt")"

echo "# window 2: the same fan-out while wrk -t$THREADS -c$CONNS -d$DURATION loads nginx, /api/status, nginx"
wrk_s="${DURATION%s}"
node "$WSLOAD" "$URL" --clients "$CLIENTS" --duration $((3 * wrk_s + 2)) --label ws_under_rest \
  >"$WORK/ws-loaded.txt" 2>&1 &
LOADED_PID=$!
PIDS+=("$LOADED_PID")
for _ in $(seq 1 600); do  # until every client connected and the window opened, at most 60 s
  grep -q "window open" "$WORK/ws-loaded.txt" && break
  kill -0 "$LOADED_PID" 2>/dev/null || break
  sleep 0.1
done
grep -q "window open" "$WORK/ws-loaded.txt" || { cat "$WORK/ws-loaded.txt" >&2; exit 1; }
NGINX1="$(run_wrk nginx http://127.0.0.1:$NGINX_PORT/health)"; echo "$NGINX1 endpoint=/health"
STATUS="$(run_wrk api_status http://127.0.0.1:$API_PORT/api/status)"; echo "$STATUS endpoint=/api/status"
NGINX2="$(run_wrk nginx http://127.0.0.1:$NGINX_PORT/health)"; echo "$NGINX2 endpoint=/health"
wait "$LOADED_PID" || true
grep -v '^#' "$WORK/ws-loaded.txt" | tail -n 1
NGINX="$(better "$NGINX1" "$NGINX2")"
LOADED="$(tail -n 1 "$WORK/ws-loaded.txt")"
echo "# the bot kept scanning meanwhile: scans=$(scans)"

if [[ "${PEER:-0}" == 1 ]]; then
  PEER_RUN="$ROOT/../shared/peers/fastapi_service/run.sh"
  FANOUT="$ROOT/../shared/peers/load/ws_fanout.py"
  if [[ -x "$PEER_RUN" && -f "$FANOUT" ]]; then
    echo "# the original service and ours under its fan-out tool, back to back"
    PEER_PORT="$(free_port)"
    CRYPTO_PORT=$PEER_PORT CRYPTO_SCAN_INTERVAL=0.05 "$PEER_RUN" start >/dev/null
    echo "peer: $(/usr/bin/python3 "$FANOUT" "ws://127.0.0.1:$PEER_PORT/ws" --clients "$CLIENTS" \
      --duration "$SECONDS_WS" | tr '\n' ' ')"
    CRYPTO_PORT=$PEER_PORT "$PEER_RUN" stop >/dev/null
    echo "ours: $(/usr/bin/python3 "$FANOUT" "$URL" --clients "$CLIENTS" --duration "$SECONDS_WS" | tr '\n' ' ')"
  else
    echo "# PEER=1: the peer or its fan-out tool is not in ../shared" >&2
  fi
fi

STATUS_RPS="$(field "$STATUS" req_s)"
NGINX_RPS="$(field "$NGINX" req_s)"
RATIO="$(awk -v a="$STATUS_RPS" -v b="$NGINX_RPS" 'BEGIN{printf "%.2f", a/b}')"
summary=""
for k in clients connected drops missed_events min_msgs median_msgs max_msgs p50_delay_ms p99_delay_ms; do
  summary+=" $k=$(field "$WS" "$k")"
done
echo "ws${summary} status_req_s=$STATUS_RPS nginx_req_s=$NGINX_RPS rest_ratio=$RATIO" \
  "rest_p99_ms=$(field "$STATUS" p99_ms) rest_errors=$(field "$STATUS" errors)" \
  "loaded_drops=$(field "$LOADED" drops) loaded_p99_delay_ms=$(field "$LOADED" p99_delay_ms)"
check "$(is "$(field "$WS" connected) == $CLIENTS")" "not every client connected"
for k in drops missed_events; do
  check "$(is "$(field "$WS" $k) == 0 && $(field "$LOADED" $k) == 0")" "$k (every client gets every event)"
done
check "$(is "$(field "$WS" min_msgs) > 0")" "a client received nothing"
check "$(is "$(field "$STATUS" errors) == 0")" "REST errors under the fan-out"
finish
