# deploy/bench dashboard: the page in headless Chromium against the service trading live with
# 50 ms scans on a market 6000x faster than real time (a closed candle per scan): the time from
# navigation to the first drawn chart of 1,000 candles, and the page's JS heap once it settled
# (60 s) and after SOAK_S (600) seconds of live updates, with the largest sample between. The ratio is the heap's end over its start (the
# page's buffers are bounded: timeline 500 rows, chart 1,000 candles, two backtests).
# Sourced by deploy/bench, which has built the executable and the browser tests' modules.

SOAK_S="${SOAK_S:-600}"
BENCH_NAME=dashboard
source "$ROOT/deploy/benchmarks/common.sh"
echo "# $(date -u +%FT%TZ) $(nproc) cores; SOAK_S=$SOAK_S; $(/usr/bin/chromium --version 2>/dev/null)"
API_PORT="$(free_port)"
cat >"$WORK/config.json" <<JSON
{"scan_interval_ms": 50, "autostart": true, "log_level": "warn", "exchange": {"speed": 6000}}
JSON
"$ROOT/build/crypto-trading" --port "$API_PORT" --config "$WORK/config.json" \
  --data-dir "$WORK/data" >"$WORK/service.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$API_PORT/health"
# Until the market has 1,000 closed candles to show (about 40 s at this speed).
count() {
  curl -sf "http://127.0.0.1:$API_PORT/api/candles?symbol=ADA-BTC&limit=1000" |
    /usr/bin/python3 -c 'import json,sys; print(len(json.load(sys.stdin)["candles"]))'
}
for _ in $(seq 1 1200); do
  [[ "$(count)" == 1000 ]] && break
  sleep 0.1
done
SCANS_BEFORE="$(scans)"
OUT="$(CT_BROWSER_MODULES="$ROOT/build/tests/browser" node "$ROOT/deploy/benchmarks/dashboard.mjs" \
  "http://127.0.0.1:$API_PORT/" "$SOAK_S")"
echo "$OUT"
SCANS_AFTER="$(scans)"
START="$(field "$OUT" heap_start_mb)"
END="$(field "$OUT" heap_end_mb)"
RATIO="$(awk -v a="$END" -v b="$START" 'BEGIN{printf "%.3f", a/b}')"
echo "dashboard first_chart_ms=$(field "$OUT" first_chart_ms) heap_start_mb=$START heap_end_mb=$END heap_max_mb=$(field "$OUT" heap_max_mb) ratio=$RATIO candles=$(field "$OUT" candles) scans=$((SCANS_AFTER - SCANS_BEFORE))"
check "$(is "$(field "$OUT" candles) == 1000")" "the chart did not get 1,000 candles"
check "$([[ "$(field "$OUT" stream)" == live ]] && echo 1 || echo 0)" "the stream was not live at the end"
check "$(is "$SCANS_AFTER > $SCANS_BEFORE")" "no scan during the soak: nothing was live"
finish
