# deploy/bench soak: sourced by deploy/bench, which has built the executable. The soak itself is
# deploy/benchmarks/soak.py (Debian's python3 with requests and websockets); SOAK_S sets its
# length (600 s).
BENCH_NAME=soak
source "$ROOT/deploy/benchmarks/common.sh"
echo "# $(date -u +%FT%TZ) $(nproc) cores; soak for ${SOAK_S:-600} s"
/usr/bin/python3 "$ROOT/deploy/benchmarks/soak.py" "$ROOT/build/crypto-trading" "$WORK"
