"""`crypto-trading optimize` as a user runs it: the same report for any number of jobs, the best
trial's metrics equal to `crypto-trading backtest` with its parameters, walk-forward windows that
never overlap, each bad input refused with a clear error and no report, and Ctrl-C writing the
best so far."""

import json
import os
import pty
import re
import select
import signal
import subprocess
import sys
import time

import pytest

from conftest import BINARY, run_binary

HERE = os.path.dirname(__file__)
CANDLES = os.path.join(HERE, "..", "..", "deploy", "candles")
sys.path.insert(0, os.path.join(HERE, "..", "..", "deploy", "benchmarks"))
from loop_candles import loop_file  # noqa: E402

TWO = [os.path.abspath(os.path.join(CANDLES, f"{s}-5m.csv")) for s in ("ADA_BTC", "ETC_BTC")]
CROSSOVER = ["--strategy", "sma_crossover", "--space", "strategy.fast_period=3..15",
             "--space", "strategy.slow_period=10..40:5"]
# How fast, and with how many jobs: everything else in a report is the search's result.
RUN_FACTS = ("elapsed_s", "candle_evals_per_s", "trials_per_s", "jobs")


def optimize(tmp_path, *args, data=TWO, name="report.json", timeout=120):
    report = tmp_path / name
    cmd = ["optimize"]
    for f in data:
        cmd += ["--data", str(f)]
    r = run_binary(cmd + list(args) + ["--report", str(report)], timeout=timeout)
    return r, report


def load(path):
    with open(path) as f:
        return json.load(f)


def result_of(report):
    return {k: v for k, v in load(report).items() if k not in RUN_FACTS}


def test_jobs_1_and_2_give_the_same_report(tmp_path):
    r1, rep1 = optimize(tmp_path, *CROSSOVER, "--jobs", "1", name="one.json")
    r2, rep2 = optimize(tmp_path, *CROSSOVER, "--jobs", "2", name="two.json")
    assert r1.returncode == 0, r1.stderr
    assert r2.returncode == 0, r2.stderr
    assert result_of(rep1) == result_of(rep2)
    rep = load(rep1)
    assert rep["grid_size"] == 91 and not rep["sampled"]
    # fast_period must be below slow_period: 6 points with slow 10, 1 with slow 15.
    assert rep["trials"]["done"] == 91 and rep["trials"]["skipped"] == 7
    assert "less than" in rep["trials"]["first_refusal"]
    assert rep["candle_evals"] > 0 and rep["candle_evals_per_s"] > 0
    assert "trials=91 skipped=7" in r1.stdout
    assert len(rep["top"]) == 10
    scores = [t["out_of_sample"]["score"] for t in rep["top"]]
    ranked = [s for s in scores if s is not None]
    assert ranked == sorted(ranked, reverse=True)
    assert rep["best"] == rep["top"][0]["config"]
    assert rep["best"]["strategy"]["name"] == "sma_crossover"


def test_a_drawn_sample_is_the_same_for_the_same_seed(tmp_path):
    common = CROSSOVER + ["--trials", "20", "--top", "20"]
    r1, a = optimize(tmp_path, *common, "--seed", "5", "--jobs", "1", name="a.json")
    r2, b = optimize(tmp_path, *common, "--seed", "5", "--jobs", "2", name="b.json")
    r3, c = optimize(tmp_path, *common, "--seed", "6", name="c.json")
    assert r1.returncode == r2.returncode == r3.returncode == 0, r1.stderr + r3.stderr
    assert result_of(a) == result_of(b)
    assert load(a)["sampled"] and load(a)["trials"]["planned"] == 20

    def params(p):
        return sorted(json.dumps(t["params"], sort_keys=True) for t in load(p)["top"])
    assert params(a) != params(c), "another seed draws other trials"


def backtest_metrics(tmp_path, trial, *extra, data=TWO):
    report = tmp_path / "backtest.json"
    cmd = ["backtest"]
    for f in data:
        cmd += ["--data", str(f)]
    cmd += ["--strategy", trial["config"]["strategy"]["name"]]
    for key, value in trial["params"].items():
        cmd += ["--set", f"{key}={json.dumps(value)}"]
    r = run_binary(cmd + list(extra) + ["--report", str(report)], timeout=60)
    assert r.returncode == 0, r.stderr
    return load(report)["metrics"]


def test_the_best_trial_equals_a_backtest_with_its_parameters(tmp_path):
    r, rep = optimize(tmp_path, *CROSSOVER, "--space", "risk.stop_loss_pct=0.5..2:0.5",
                      "--folds", "1", "--min-trades", "5")
    assert r.returncode == 0, r.stderr
    best = load(rep)["top"][0]
    assert load(rep)["ranked_by"] == "in_sample"
    assert best["out_of_sample"] is None
    assert best["in_sample"]["score"] is not None
    [window] = best["in_sample"]["windows"]
    assert window["metrics"] == backtest_metrics(tmp_path, best)
    assert best["in_sample"]["score"] == window["metrics"]["sharpe"]


def test_each_walk_forward_window_equals_a_backtest_of_that_window(tmp_path):
    r, rep = optimize(tmp_path, *CROSSOVER, "--objective", "total_return_pct", "--folds", "3",
                      "--min-trades", "0")
    assert r.returncode == 0, r.stderr
    best = load(rep)["top"][0]
    windows = best["in_sample"]["windows"] + best["out_of_sample"]["windows"][-1:]
    assert len(windows) == 4
    for w in windows:
        assert w["metrics"] == backtest_metrics(tmp_path, best, "--from", w["from"], "--to", w["to"])
    mean = sum(w["metrics"]["total_return_pct"] for w in best["out_of_sample"]["windows"]) / 3
    assert best["out_of_sample"]["score"] == pytest.approx(mean, rel=1e-12)


def test_walk_forward_spans_never_overlap_and_tests_are_unseen(tmp_path):
    r, rep = optimize(tmp_path, *CROSSOVER, "--folds", "4")
    assert r.returncode == 0, r.stderr
    folds = load(rep)["folds"]
    assert len(folds) == 4
    for i, f in enumerate(folds):
        assert f["train"]["from"] < f["train"]["to"] <= f["test"]["from"] < f["test"]["to"]
        if i > 0:
            assert folds[i - 1]["train"]["to"] <= f["train"]["from"], "training windows overlap"
            assert folds[i - 1]["test"]["to"] <= f["test"]["from"], "test windows overlap"
    for t in load(rep)["top"]:
        spans = [(w["from"], w["to"]) for w in t["in_sample"]["windows"]]
        assert spans == [(f["train"]["from"], f["train"]["to"]) for f in folds]
        spans = [(w["from"], w["to"]) for w in t["out_of_sample"]["windows"]]
        assert spans == [(f["test"]["from"], f["test"]["to"]) for f in folds]


def test_too_few_trades_scores_nothing_and_ranks_last(tmp_path):
    r, rep = optimize(tmp_path, *CROSSOVER, "--min-trades", "100000")
    assert r.returncode == 0, r.stderr
    rep = load(rep)
    assert rep["trials"]["scored"] == 0
    assert rep["best"] is None
    assert all(t["out_of_sample"]["score"] is None for t in rep["top"])


@pytest.mark.parametrize("args,needle", [
    (["--space", "strategy.nope=1..3"], "strategy.nope: no such setting"),
    (["--space", "port=1..3"], "not a setting of the strategy or the risk rules"),
    (["--space", "risk.stop_loss_pct=0.5..3"], "a decimal range needs a step"),
    (["--space", "strategy.momentum_lookback=20..5"], "ends before it starts"),
    (["--space", "strategy.momentum_lookback=a..b"], "expected LO..HI"),
    (["--space", "strategy.momentum_lookback=1.5..3:0.5"], "whole numbers"),
    (["--space", "strategy.fast_period=3..9"], "momentum does not read it"),
    (["--space", "strategy.momentum_lookback"], "expected KEY=LO..HI"),
    (["--space", "strategy.name=nope,other"], "refuses every trial"),
    (["--space", "strategy.momentum_lookback=5..9", "--objective", "sharp"], "--objective sharp"),
    (["--space", "strategy.momentum_lookback=5..9", "--folds", "0"], "--folds"),
    (["--space", "strategy.momentum_lookback=5..9", "--trials", "0"], "--trials"),
    (["--space", "strategy.momentum_lookback=5..9", "--folds", "101"], "--folds"),
    (["--space", "strategy.momentum_lookback=5..9", "--jobs", "0"], "--jobs"),
])
def test_bad_input_is_a_clear_error_and_no_report(tmp_path, args, needle):
    r, rep = optimize(tmp_path, *args, data=TWO[:1])
    assert r.returncode == 2, r.stdout
    assert needle in r.stderr, r.stderr
    assert not rep.exists()
    assert not os.path.exists(str(rep) + ".partial")


def test_a_bad_candle_file_names_the_file(tmp_path):
    bad = tmp_path / "BAD_BTC-5m.csv"
    bad.write_text("timestamp_ms,open,high,low,close,volume\n1,2,3\n")
    r, rep = optimize(tmp_path, "--space", "strategy.momentum_lookback=5..9", data=[bad])
    assert r.returncode == 2
    assert "BAD_BTC-5m.csv:2" in r.stderr
    assert not rep.exists()


def read_until(fd, pattern, deadline):
    """Reads the terminal until `pattern` matches what it showed; the match."""
    seen = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            break
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
        m = re.search(pattern, seen)
        if m:
            return m
    raise AssertionError(f"the terminal never showed {pattern!r}: {seen[-500:]!r}")


def interrupt_after_progress(cmd, cwd):
    """Runs `cmd` with stderr on a terminal (for the progress line), sends SIGINT once the line
    shows a finished trial, and returns the exit status and stdout."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=slave, cwd=cwd)
    os.close(slave)
    try:
        read_until(master, rb"optimize ([1-9]\d*)/\d+ trials", time.monotonic() + 120)
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
        os.close(master)
    return proc.returncode, out


def test_ctrl_c_writes_the_best_so_far(tmp_path):
    looped = tmp_path / "looped"
    looped.mkdir()
    data = [loop_file(f, 20, str(looped)) for f in TWO]
    report = tmp_path / "report.json"
    args = [BINARY, "optimize", "--space", "strategy.momentum_lookback=2..41",
            "--space", "strategy.momentum_threshold_pct=0.1..2.5:0.1", "--jobs", "1",
            "--min-trades", "0", "--report", str(report)]
    for f in data:
        args += ["--data", f]
    status, out = interrupt_after_progress(args, tmp_path)
    assert status == 130, out
    assert b"interrupted=true" in out
    rep = load(report)
    assert rep["cancelled"] is True
    assert 1 <= rep["trials"]["done"] < 1000
    assert rep["top"] and rep["best"] == rep["top"][0]["config"]

def test_the_best_parameters_apply_to_the_running_service_as_they_are(tmp_path, quiet):
    r, rep = optimize(tmp_path, "--strategy", "ema_crossover",
                      "--space", "strategy.fast_period=5..9:2", "--space", "strategy.slow_period=20,30",
                      "--space", "risk.stop_loss_pct=1,2", "--min-trades", "0")
    assert r.returncode == 0, r.stderr
    best = load(rep)["best"]
    answer = quiet.post("/api/config", best)
    assert answer.status_code == 200, answer.text
    cfg = quiet.json("/api/config")
    assert cfg["strategy"]["name"] == "ema_crossover"
    for key, value in load(rep)["top"][0]["params"].items():
        section, name = key.split(".")
        assert cfg[section][name] == value, key
