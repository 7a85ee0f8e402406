# deploy/bench backtest: the default strategy and rules over the bundled candles, replayed end
# to end to at least CANDLES candles, against a bare pass over the same in-memory candles (every
# field read and summed): the memory-speed limit for this work. Peak memory is the process's.
# Each side runs REPEAT times, taking turns; the best time counts. Sourced by deploy/bench, which
# has built the executables. Env: CANDLES (10000000), REPEAT (5).

CANDLES="${CANDLES:-10000000}"
REPEAT="${REPEAT:-5}"
BENCH_NAME=backtest
source "$ROOT/deploy/benchmarks/common.sh"
echo "# $(date -u +%FT%TZ) $(nproc) cores; one core used; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
OUT="$("$ROOT/build/tests/backtest_bench" --candles "$CANDLES" --repeat "$REPEAT" --data "$ROOT"/deploy/candles/*.csv)"
echo "$OUT"
RUN="$(grep '^run ' <<<"$OUT")"
BARE="$(grep '^bare ' <<<"$OUT")"
MEM="$(grep '^memory ' <<<"$OUT")"
RATE="$(field "$RUN" candles_per_s)"
BARE_RATE="$(field "$BARE" candles_per_s)"
RATIO="$(awk -v a="$RATE" -v b="$BARE_RATE" 'BEGIN{printf "%.4f", a/b}')"
echo "backtest candles=$(field "$RUN" candles) candles_per_s=$RATE bare_candles_per_s=$BARE_RATE ratio=$RATIO peak_rss_mb=$(field "$MEM" peak_rss_mb) trades=$(field "$RUN" trades)"
check "$(is "$(field "$RUN" candles) >= $CANDLES")" "fewer candles than asked for"
check "$(is "$(field "$RUN" trades) > 0")" "no trade: the strategy did not run"
finish
