# deploy/bench store: timeline events committed per second through the storage actor (group
# commits, each fsynced), against one commit per event as the baseline; then /api/timeline
# paging latency on the real service over a database of EVENTS events, with wrk picking random
# pages, and nginx's constant body in the same run for scale.
# Sourced by deploy/bench, which has built the executables.
# Env: EVENTS (1000000), COMMIT_EVENTS (200000), PRODUCERS (4), DURATION (10s), CONNS (8),
# THREADS (2).

EVENTS="${EVENTS:-1000000}"
COMMIT_EVENTS="${COMMIT_EVENTS:-200000}"
PRODUCERS="${PRODUCERS:-4}"
DURATION="${DURATION:-10s}"
CONNS="${CONNS:-8}"
THREADS="${THREADS:-2}"
BENCH_NAME=store
source "$ROOT/deploy/benchmarks/common.sh"
# On the project's disk, not a tmpfs: the fsyncs must be real.
DATA="$(mktemp -d "$ROOT/build/bench-store.XXXXXX")"
trap 'cleanup; rm -rf "$DATA"' EXIT

echo "# $(date -u +%FT%TZ) $(nproc) cores; data on $(df --output=source,fstype "$DATA" | tail -1)"
FILL="$("$ROOT/build/tests/store_bench" --data-dir "$DATA" --events "$EVENTS" \
  --commit-events "$COMMIT_EVENTS" --producers "$PRODUCERS")"
echo "$FILL"
COMMITS="$(field "$(grep '^commit ' <<<"$FILL")" events_per_s)"
UNGROUPED="$(field "$(grep '^ungrouped ' <<<"$FILL")" events_per_s)"
LATENCY="$(grep '^latency ' <<<"$FILL")"
STORED="$(field "$(grep '^filled ' <<<"$FILL")" events)"
echo "# database: $(du -h "$DATA/crypto-trading.db" | cut -f1) for $STORED events"

start_nginx
API_PORT="$(free_port)"
# The bot trades meanwhile (50 ms scans): pages are read while the store commits.
echo '{"log_level": "warn", "autostart": true, "scan_interval_ms": 50}' >"$WORK/config.json"
"$ROOT/build/crypto-trading" --port "$API_PORT" --config "$WORK/config.json" \
  --data-dir "$DATA" >"$WORK/service.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$API_PORT/health"

for filter in "" "&type=order_filled"; do
  cat >"$WORK/pages${filter:+_type}.lua" <<LUA
math.randomseed(42)
local newest = $STORED
request = function()
  return wrk.format("GET", "/api/timeline?limit=100${filter}&before_seq=" .. math.random(101, newest))
end
LUA
done
SCANS_BEFORE="$(scans)"
echo "# wrk -t$THREADS -c$CONNS -d$DURATION --latency; random pages of 100 events, then of one type"
PAGES="$(run_wrk timeline_pages "http://127.0.0.1:$API_PORT" "$WORK/pages.lua")"; echo "$PAGES"
TYPED="$(run_wrk timeline_type_pages "http://127.0.0.1:$API_PORT" "$WORK/pages_type.lua")"; echo "$TYPED type=order_filled"
SCANS_AFTER="$(scans)"
echo "# the bot traded meanwhile: scans=$((SCANS_AFTER - SCANS_BEFORE))"
NGINX="$(run_wrk nginx "http://127.0.0.1:$NGINX_PORT/health")"; echo "$NGINX endpoint=/health"
RATIO="$(awk -v a="$COMMITS" -v b="$UNGROUPED" 'BEGIN{printf "%.1f", a/b}')"
echo "store committed_events_per_s=$COMMITS ungrouped_events_per_s=$UNGROUPED group_commit_ratio=$RATIO commit_p50_ms=$(field "$LATENCY" p50_ms) commit_p99_ms=$(field "$LATENCY" p99_ms) timeline_page_p99_ms=$(field "$PAGES" p99_ms) timeline_page_req_s=$(field "$PAGES" req_s) type_page_p99_ms=$(field "$TYPED" p99_ms) type_page_req_s=$(field "$TYPED" req_s) nginx_p99_ms=$(field "$NGINX" p99_ms) errors=$(( $(field "$PAGES" errors) + $(field "$TYPED" errors) )) events=$STORED"
check "$(is "$STORED == $EVENTS")" "the database holds $STORED events, not $EVENTS"
check "$(is "$(field "$PAGES" errors) + $(field "$TYPED" errors) == 0")" "paging errors (every page must be a 200)"
check "$(is "$SCANS_AFTER - $SCANS_BEFORE > 0")" "the bot made no scan while the pages were read"
check "$(is "$COMMITS > 0 && $UNGROUPED > 0")" "a commit run measured nothing"
finish
