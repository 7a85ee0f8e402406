"""`crypto-trading backtest` as a user runs it: on the bundled candles in both file formats, each
strategy's metrics checked against numpy (backtest_check.py), and each bad input refused with
the file and line or the setting named, leaving no report behind."""

import csv
import json
import os

import pytest

from backtest_check import check
from conftest import run_binary

CANDLES = os.path.join(os.path.dirname(__file__), "..", "..", "deploy", "candles")
SYMBOLS = ["ADA_BTC", "DASH_BTC", "ETC_BTC", "XLM_BTC", "XMR_BTC", "ZEC_BTC"]
STRATEGIES = ["momentum", "sma_crossover", "ema_crossover", "rsi_reversion"]


def csv_files():
    return [os.path.abspath(os.path.join(CANDLES, f"{s}-5m.csv")) for s in SYMBOLS]


def as_freqtrade_json(csv_path, out_dir):
    """The same candles as Freqtrade's JSON array, numbers written as the CSV has them."""
    with open(csv_path) as f:
        rows = list(csv.reader(f))[1:]
    path = os.path.join(out_dir, os.path.basename(csv_path).replace(".csv", ".json"))
    with open(path, "w") as f:
        f.write("[" + ",".join("[" + ",".join(r) + "]" for r in rows) + "]")
    return path


def backtest(tmp_path, files, *extra, report_name="report.json"):
    report = tmp_path / report_name
    args = ["backtest"]
    for f in files:
        args += ["--data", str(f)]
    r = run_binary(args + list(extra) + ["--report", str(report)], timeout=60)
    return r, report


def load(report):
    with open(report) as f:
        return json.load(f)


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_each_strategy_on_the_bundled_candles_agrees_with_numpy(tmp_path, strategy):
    r, report = backtest(tmp_path, csv_files(), "--strategy", strategy,
                         "--set", "risk.trailing_stop_pct=0.8", "--set", "max_positions=3")
    assert r.returncode == 0, r.stderr
    assert f"strategy={strategy}" in r.stdout
    rep = load(report)
    assert rep["strategy"] == strategy
    assert rep["symbols"] == [s.replace("_", "-") for s in SYMBOLS]
    assert rep["timeframe"] == "5m"
    assert rep["candles"] == 34512
    assert len(rep["equity_curve"]) == 5760
    assert rep["trades"], "the bundled data should give this strategy trades"
    assert rep["rules"]["trailing_stop_pct"] == 0.8
    assert check(rep) == []
    reasons = {t["exit_reason"] for t in rep["trades"]}
    assert reasons <= {"stop_loss", "take_profit", "trailing_stop", "signal", "time_limit",
                       "end_of_data"}
    # The bundled data has holes: they are reported, not fatal.
    assert {g["symbol"] for g in rep["gaps"]} >= {"ADA-BTC"}


def test_json_and_csv_files_give_the_same_report(tmp_path):
    json_files = [as_freqtrade_json(f, tmp_path) for f in csv_files()]
    r1, rep_csv = backtest(tmp_path, csv_files(), report_name="csv.json")
    r2, rep_json = backtest(tmp_path, json_files, report_name="json.json")
    assert r1.returncode == 0 and r2.returncode == 0, r1.stderr + r2.stderr
    a, b = load(rep_csv), load(rep_json)
    for rep in (a, b):
        del rep["elapsed_s"], rep["candles_per_s"]
    assert a == b


def test_params_come_from_the_config_file_and_set_overrides_it(tmp_path):
    cfg = tmp_path / "config.json"
    cfg.write_text(json.dumps({"strategy": {"name": "sma_crossover", "fast_period": 5,
                                            "slow_period": 30},
                               "starting_cash": 2, "risk": {"cooldown_min": 30}}))
    r, report = backtest(tmp_path, csv_files()[:2], "--config", str(cfg),
                         "--set", "strategy.fast_period=7")
    assert r.returncode == 0, r.stderr
    rep = load(report)
    assert rep["strategy"] == "sma_crossover"
    assert rep["params"] == {"fast_period": 7, "slow_period": 30}
    assert rep["starting_cash"] == 2
    assert rep["rules"]["cooldown_min"] == 30
    assert check(rep) == []


def test_from_and_to_choose_the_candles(tmp_path):
    r, report = backtest(tmp_path, csv_files(), "--from", "2018-01-15", "--to",
                         "2018-01-20T00:00:00Z")
    assert r.returncode == 0, r.stderr
    rep = load(report)
    assert rep["from"] == "2018-01-15T00:00:00.000Z"
    assert rep["to"] == "2018-01-20T00:00:00.000Z"
    assert len(rep["equity_curve"]) == 5 * 288
    assert check(rep) == []
    # The strategy saw the 100 candles before --from first (strategy.warmup_candles). Without
    # them, momentum over 10 candles signals at the earliest on the 11th close: no entry before.
    assert rep["warmup_candles"] == 100
    r, cold_report = backtest(tmp_path, csv_files(), "--from", "2018-01-15", "--to",
                              "2018-01-20T00:00:00Z", "--set", "strategy.warmup_candles=0",
                              report_name="cold.json")
    assert r.returncode == 0, r.stderr
    cold = load(cold_report)
    assert cold["warmup_candles"] == 0 and check(cold) == []
    assert min(t["entry_at"] for t in cold["trades"]) >= "2018-01-15T00:55:00.000Z"


def write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text)
    return path


HEADER = "timestamp_ms,open,high,low,close,volume\n"


@pytest.mark.parametrize("name,text,needle", [
    ("ADA_BTC-5m.csv", HEADER + "1515560100000,1,2,0.5,1.5,10\n1515560400000,1,2,x,1,1\n",
     "ADA_BTC-5m.csv:3: low is not a number"),
    ("ADA_BTC-5m.csv", HEADER + "1515560400000,1,2,0.5,1.5,10\n1515560100000,1,2,0.5,1,1\n",
     "ADA_BTC-5m.csv:3: timestamps not ascending"),
    ("ADA_BTC-5m.csv", HEADER + "1515560100000,1,2,0.5,1.5,10\n1515560100000,1,2,0.5,1,1\n",
     "ADA_BTC-5m.csv:3: duplicate timestamp"),
    ("ADA_BTC-5m.csv", HEADER + "1515560100000,1,2,0.5,1.5,10\n1515560400000,1,0.5,2,1,1\n",
     "ADA_BTC-5m.csv:3: high < low"),
    ("ADA_BTC-5m.json", "[[1515560100000, 1, 2, 0.5, 1.5, 10], [1515560400000, 1, 2]]",
     "ADA_BTC-5m.json:1"),
    ("ADA_BTC-5m.csv", "time,o,h,l,c,v\n", "ADA_BTC-5m.csv:1"),
], ids=["low_not_a_number", "not_ascending", "duplicate", "high_below_low", "json_short_row",
        "bad_header"])
def test_bad_candle_files_name_the_file_and_line(tmp_path, name, text, needle):
    path = write(tmp_path, name, text)
    r, report = backtest(tmp_path, [path])
    assert r.returncode == 2
    assert needle in r.stderr, r.stderr
    assert not report.exists() and not os.path.exists(str(report) + ".partial")


@pytest.mark.parametrize("extra,needle", [
    (["--strategy", "macd"], "strategy.name"),
    (["--set", "strategy.fast_periods=3"], "strategy.fast_periods"),
    (["--set", "risk.stop_loss_pct=-1"], "risk.stop_loss_pct"),
    (["--set", "strategy.fast_period=50"], "strategy.fast_period"),
    (["--set", "nonsense"], "key=value"),
    (["--from", "yesterday"], "--from"),
    (["--from", "2018-01-20", "--to", "2018-01-15"], "--from must be before --to"),
    (["--from", "2030-01-01"], "no candles"),
    (["--set", 'strategy.symbols=["BTC-USD"]'], "BTC-USD"),
    (["--config", "/no/such/config.json"], "/no/such/config.json"),
])
def test_bad_settings_are_named(tmp_path, extra, needle):
    r, report = backtest(tmp_path, csv_files()[:2], *extra)
    assert r.returncode == 2
    assert needle in r.stderr, r.stderr
    assert not report.exists()


def test_missing_files_and_flags(tmp_path):
    r, report = backtest(tmp_path, [tmp_path / "XRP_BTC-5m.csv"])
    assert r.returncode == 2 and "XRP_BTC-5m.csv: cannot read" in r.stderr
    r = run_binary(["backtest", "--data", csv_files()[0]])
    assert r.returncode == 2 and "--report" in r.stderr
    r, report = backtest(tmp_path, [csv_files()[0], csv_files()[0]])
    assert r.returncode == 2 and "ADA-BTC" in r.stderr
    r, _ = backtest(tmp_path, csv_files()[:1], report_name="no/such/dir/report.json")
    assert r.returncode == 2 and "report" in r.stderr
