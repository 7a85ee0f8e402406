# deploy/bench optimize: a 1,000-trial walk-forward search (the default strategy's lookback x
# threshold, 40 x 25 points, 4 folds) over the bundled candles replayed end to end to at least
# CANDLES candles: first with --jobs 1, then with every core, then on two local worker processes
# (`crypto-trading worker`, one job each, the coordinator running none); a 100-trial search with
# every core shows that memory does not grow with the trials. The baseline, measured in the same run: the
# single backtest's candles/s of deploy/bench backtest (one core). All three searches must report
# the same trials. Sourced by deploy/bench, which has built the executables.
# Env: CANDLES (1000000).

CANDLES="${CANDLES:-1000000}"
BENCH_NAME=optimize
source "$ROOT/deploy/benchmarks/common.sh"
CORES="$(nproc)"
echo "# $(date -u +%FT%TZ) $CORES cores; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"

BUNDLED="$(cat "$ROOT"/deploy/candles/*.csv | grep -vc '^timestamp')"
LOOPS=$(( (CANDLES + BUNDLED - 1) / BUNDLED ))
/usr/bin/python3 "$ROOT/deploy/benchmarks/loop_candles.py" "$LOOPS" "$WORK/candles" "$ROOT"/deploy/candles/*.csv
DATA=()
for f in "$WORK"/candles/*.csv; do DATA+=(--data "$f"); done

BT="$("$ROOT/build/tests/backtest_bench" --candles 10000000 --repeat 3 --data "$ROOT"/deploy/candles/*.csv)"
BT_RATE="$(field "$(grep '^run ' <<<"$BT")" candles_per_s)"
echo "backtest (one core) candles_per_s=$BT_RATE"

SPACE=(--space strategy.momentum_lookback=2..41 --space strategy.momentum_threshold_pct=0.1..2.5:0.1)
search() {  # search LABEL JOBS TRIALS: one search; its summary line, labelled
  "$ROOT/build/crypto-trading" optimize "${DATA[@]}" "${SPACE[@]}" --jobs "$2" --trials "$3" \
    --folds 4 --report "$WORK/$1.json" | sed "s/^optimize /$1 /"
}
J1="$(search jobs1 1 1000)"; echo "$J1"
JN="$(search "jobs$CORES" "$CORES" 1000)"; echo "$JN"
SMALL="$(search trials100 "$CORES" 100)"; echo "$SMALL"
start_worker() {  # start_worker NAME: a worker on a free loopback port; stopped at exit
  "$ROOT/build/crypto-trading" worker --listen 127.0.0.1:0 --jobs 1 >"$WORK/$1.out" 2>"$WORK/$1.err" &
  PIDS+=($!)
  for _ in $(seq 100); do
    grep -q '^worker listening' "$WORK/$1.out" 2>/dev/null && break
    sleep 0.1
  done
}
address_of() { awk '/^worker listening/ {print $4}' "$WORK/$1.out"; }
start_worker w1
start_worker w2
W1="$(address_of w1)"
W2="$(address_of w2)"
WK="$("$ROOT/build/crypto-trading" optimize "${DATA[@]}" "${SPACE[@]}" --jobs 0 --workers "$W1,$W2" \
  --trials 1000 --folds 4 --report "$WORK/workers.json" | sed "s/^optimize /workers2 /")"
echo "$WK"

J1_RATE="$(field "$J1" candle_evals_per_s)"
JN_RATE="$(field "$JN" candle_evals_per_s)"
SCALING="$(awk -v a="$JN_RATE" -v b="$J1_RATE" 'BEGIN{printf "%.3f", a/b}')"
RATIO="$(awk -v a="$JN_RATE" -v b="$BT_RATE" 'BEGIN{printf "%.3f", a/b}')"
RSS="$(field "$JN" peak_rss_mb)"
RSS_SMALL="$(field "$SMALL" peak_rss_mb)"
SAME="$(/usr/bin/python3 - "$WORK/jobs1.json" "$WORK/jobs$CORES.json" "$WORK/workers.json" <<'PY'
import json, sys
facts = ("elapsed_s", "candle_evals_per_s", "trials_per_s", "jobs")
a, b, c = ({k: v for k, v in json.load(open(p)).items() if k not in facts} for p in sys.argv[1:])
print(1 if a == b == c else 0)
PY
)"
WK_RATE="$(field "$WK" candle_evals_per_s)"
echo "trials/s: jobs1 $(field "$J1" trials_per_s), jobs$CORES $(field "$JN" trials_per_s), two workers $(field "$WK" trials_per_s); peak RSS: 1000 trials ${RSS} MB, 100 trials ${RSS_SMALL} MB"
echo "optimize trials=$(field "$JN" trials) candle_evals_per_s=$JN_RATE jobs1_evals_per_s=$J1_RATE scaling=$SCALING workers_evals_per_s=$WK_RATE peak_rss_mb=$RSS jobs=$CORES candles=$(( BUNDLED * LOOPS )) backtest_candles_per_s=$BT_RATE ratio=$RATIO peak_rss_100_trials_mb=$RSS_SMALL"
check "$(is "$(field "$JN" trials) == 1000")" "the search did not run 1000 trials"
check "$SAME" "jobs 1, jobs $CORES and two workers found different trials"
check "$(is "$(field "$WK" trials) == 1000")" "the workers did not run 1000 trials"
check "$(is "$RSS <= $RSS_SMALL * 1.1 + 8")" "memory grew with the number of trials"
finish
