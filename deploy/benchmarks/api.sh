# deploy/bench api: the REST API under wrk, with nginx answering a constant body in the same run
# as the physical limit. Sourced by deploy/bench, which has built the executable.
# Env: DURATION (10s), CONNS (64), THREADS (2), PEER=1 to add the original Python service.

DURATION="${DURATION:-10s}"
CONNS="${CONNS:-64}"
THREADS="${THREADS:-2}"
BENCH_NAME=api
source "$ROOT/deploy/benchmarks/common.sh"
start_nginx
start_service

SCANS_BEFORE="$(scans)"
echo "# $(date -u +%FT%TZ) $(nproc) cores; wrk -t$THREADS -c$CONNS -d$DURATION --latency; scan_interval_ms=50, trading on"
# nginx runs before and after, and the better of the two is the baseline: a machine whose speed
# drifts during the run can only make the ratio look worse.
NGINX1="$(run_wrk nginx http://127.0.0.1:$NGINX_PORT/health)"; echo "$NGINX1 endpoint=/health"
HEALTH="$(run_wrk api_health http://127.0.0.1:$API_PORT/health)"; echo "$HEALTH endpoint=/health"
STATUS="$(run_wrk api_status http://127.0.0.1:$API_PORT/api/status)"; echo "$STATUS endpoint=/api/status"
NGINX2="$(run_wrk nginx http://127.0.0.1:$NGINX_PORT/health)"; echo "$NGINX2 endpoint=/health"
NGINX="$(better "$NGINX1" "$NGINX2")"
SCANS_AFTER="$(scans)"
echo "# the bot kept scanning meanwhile: scans=$SCANS_AFTER"

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
echo "api status_req_s=$STATUS_RPS nginx_req_s=$NGINX_RPS ratio=$RATIO p99_ms=$(field "$STATUS" p99_ms) health_req_s=$(field "$HEALTH" req_s) errors=$ERRORS scans=$((SCANS_AFTER - SCANS_BEFORE))"
check "$(is "$ERRORS == 0")" "errors=$ERRORS (every answer must be a 2xx)"
check "$(is "$SCANS_AFTER - $SCANS_BEFORE > 0")" "the bot made no scan during the run"
check "$(is "$STATUS_RPS > 0 && $NGINX_RPS > 0")" "a run measured nothing"
finish
