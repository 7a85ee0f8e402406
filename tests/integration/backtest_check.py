"""An independent reading of a backtest report: its metrics recomputed with numpy from the
equity curve and the trades, and its trades reconciled exactly (Decimal) with its cash. Used by
test_backtest.py; runnable on its own: backtest_check.py REPORT."""

import json
import sys
from datetime import datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import numpy as np

YEAR_S = 365 * 86400.0
UNIT = Decimal("0.00000001")


def seconds(text):
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def close(a, b, rel=1e-9, abs_=1e-12):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= max(abs_, rel * max(abs(a), abs(b)))


def expected_metrics(report):
    start = float(report["starting_cash"])
    curve = report["equity_curve"]
    eq = np.array([p["equity"] for p in curve], dtype=np.float64)
    at = np.array([seconds(p["at"]) for p in curve])
    t0, t1 = seconds(report["from"]), seconds(report["to"])
    step = at[1] - at[0]
    prev = np.concatenate([[start], eq[:-1]])
    r = eq / prev - 1.0
    per_year = np.sqrt(YEAR_S / step)
    sd = r.std(ddof=1)
    down = np.sqrt(np.mean(np.minimum(r, 0.0) ** 2))
    final = eq[-1]
    years = (t1 - t0) / YEAR_S
    cagr = ((final / start) ** (1.0 / years) - 1.0) * 100.0 if final > 0 else None
    series = np.concatenate([[start], eq])
    times = np.concatenate([[t0], at])
    peaks = np.maximum.accumulate(series)
    dd = ((peaks - series) / peaks).max() * 100.0
    # The moment of the running peak at each point: the last time equity was at or above it.
    peak_at = np.zeros_like(times)
    last = t0
    for i, (v, p) in enumerate(zip(series, peaks)):
        if v >= p:
            last = times[i]
        peak_at[i] = last
    duration = float((times - peak_at).max())
    pnl = np.array([float(t["pnl"]) for t in report["trades"]])
    wins, losses = pnl[pnl > 0].sum(), -pnl[pnl <= 0].sum()
    return {
        "total_return_pct": (final / start - 1.0) * 100.0,
        "cagr_pct": cagr,
        "sharpe": r.mean() / sd * per_year if sd > 0 else None,
        "sortino": r.mean() / down * per_year if down > 0 else None,
        "calmar": cagr / dd if cagr is not None and dd > 0 else None,
        "max_drawdown_pct": dd,
        "max_drawdown_duration_s": duration,
        "profit_factor": wins / losses if losses > 0 else None,
        "win_rate_pct": (pnl > 0).mean() * 100.0 if len(pnl) else None,
        "expectancy": pnl.mean() if len(pnl) else None,
        "trades": len(pnl),
    }


def exposure_bounds(report):
    """Points with a position surely open (entered before, left after), and those where it may
    be (a trade entering or leaving exactly at the point's time)."""
    at = np.array([seconds(p["at"]) for p in report["equity_curve"]])
    sure = np.zeros(len(at), dtype=bool)
    maybe = np.zeros(len(at), dtype=bool)
    for t in report["trades"]:
        e, x = seconds(t["entry_at"]), seconds(t["exit_at"])
        sure |= (at > e) & (at < x)
        maybe |= (at > e) & (at <= x)
    return sure.mean() * 100.0, maybe.mean() * 100.0


def check(report):
    """Returns a list of disagreements (empty when the report holds up)."""
    problems = []
    want = expected_metrics(report)
    got = report["metrics"]
    for key, value in want.items():
        if not close(got[key], value, rel=1e-6):
            problems.append(f"metrics.{key}: report {got[key]}, numpy {value}")
    lo, hi = exposure_bounds(report)
    if not lo - 1e-9 <= got["exposure_pct"] <= hi + 1e-9:
        problems.append(f"metrics.exposure_pct {got['exposure_pct']} outside [{lo}, {hi}]")
    # Exact reconciliation: each trade's P&L from its prices, and the cash from the P&L.
    total = Decimal(0)
    for t in report["trades"]:
        q, entry, exit_ = (Decimal(str(t[k])) for k in ("quantity", "entry_price", "exit_price"))
        cost = (q * entry).quantize(UNIT, rounding=ROUND_CEILING)
        proceeds = (q * exit_).quantize(UNIT, rounding=ROUND_FLOOR)
        pnl, fee = Decimal(str(t["pnl"])), Decimal(str(t["fee"]))
        if pnl + fee != proceeds - cost:
            problems.append(f"trade {t}: pnl + fee != proceeds - cost ({proceeds - cost})")
        total += pnl
    start, final = Decimal(str(report["starting_cash"])), Decimal(str(report["final_equity"]))
    if start + total != final:
        problems.append(f"final_equity {final} != starting_cash + sum(pnl) {start + total}")
    if not close(report["equity_curve"][-1]["equity"], float(final)):
        problems.append("the equity curve does not end at final_equity")
    return problems


if __name__ == "__main__":
    with open(sys.argv[1]) as f:
        found = check(json.load(f))
    print("\n".join(found) or "ok")
    sys.exit(1 if found else 0)
