"""Writes candle CSV files replayed end to end LOOPS times, each replay's times shifted by the
file's span, so that a search can run over a long, gapless range built from the bundled candles.

    loop_candles.py LOOPS OUT_DIR FILE.csv...
"""

import os
import sys


def loop_file(path, loops, out_dir):
    with open(path) as f:
        lines = f.read().splitlines()
    rows = [line.split(",", 1) for line in lines[1:] if line]
    first, last = int(rows[0][0]), int(rows[-1][0])
    step = int(rows[1][0]) - first
    span = last - first + step
    out = os.path.join(out_dir, os.path.basename(path))
    with open(out, "w") as f:
        f.write(lines[0] + "\n")
        for k in range(loops):
            f.writelines(f"{int(t) + k * span},{rest}\n" for t, rest in rows)
    return out


def main():
    loops, out_dir = int(sys.argv[1]), sys.argv[2]
    os.makedirs(out_dir, exist_ok=True)
    for path in sys.argv[3:]:
        loop_file(path, loops, out_dir)


if __name__ == "__main__":
    main()
