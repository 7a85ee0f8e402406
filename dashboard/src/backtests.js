// Backtests from the page: run one with a strategy and parameters, follow its progress on the
// stream, then show its metrics and equity curve; the last two runs side by side.
import { api } from "./api.js";
import { createChart, LineSeries } from "./vendor/lightweight-charts.mjs";
import { el, num } from "./format.js";
import { STRATEGIES } from "./settings.js";
import { chartOptions } from "./theme.js";

const KEEP = 2;
const POINTS = 800;
let current = null;
const runs = [];

export function initBacktests(defaultStrategy) {
  const select = document.getElementById("bt-strategy");
  select.replaceChildren();
  for (const name of STRATEGIES) {
    const o = el("option", name);
    o.value = name;
    select.append(o);
  }
  select.value = defaultStrategy;
  document.getElementById("backtest-form").onsubmit = (e) => { e.preventDefault(); run(); };
}

async function run() {
  const error = document.getElementById("bt-error");
  error.textContent = "";
  let set;
  try {
    set = JSON.parse(document.getElementById("bt-set").value || "{}");
  } catch {
    error.textContent = "Parameters must be a JSON object of dotted keys, e.g. {\"risk.stop_loss_pct\": 2}";
    return;
  }
  const strategy = document.getElementById("bt-strategy").value;
  try {
    const accepted = await api("/backtest", { method: "POST", body: { strategy, set } });
    current = accepted.id;
    const bar = document.getElementById("bt-progress");
    bar.hidden = false;
    bar.value = 0;
    poll(accepted.id);
  } catch (e) {
    error.textContent = e.field ? `${e.field}: ${e.message}` : e.message;
  }
}

/** Until the run ends: the stream moves the bar; this makes sure the end is seen. */
async function poll(id) {
  const state = await api(`/backtest/${encodeURIComponent(id)}`);
  if (state.status === "running") {
    setTimeout(() => poll(id), 1000);
    return;
  }
  finished(state);
}

/** Timeline events from the stream. */
export function onBacktestEvent(e) {
  if (!current || !e.data || e.data.id !== current) return;
  if (e.type === "backtest_progress")
    document.getElementById("bt-progress").value = e.data.pct;
}

function finished(state) {
  if (state.id !== current) return;
  current = null;
  document.getElementById("bt-progress").hidden = true;
  if (state.status !== "completed") {
    document.getElementById("bt-error").textContent =
      `Backtest ${state.id} ${state.status}${state.error ? `: ${state.error}` : ""}`;
    return;
  }
  runs.unshift(state);
  while (runs.length > KEEP) runs.pop();
  render();
}

function render() {
  const box = document.getElementById("bt-runs");
  box.replaceChildren();
  for (const state of runs) box.append(card(state));
}

function card(state) {
  const r = state.report;
  const div = el("article", undefined, "run");
  div.dataset.id = state.id;
  div.append(el("h3", `${r.strategy} · ${r.symbols.length} symbols · ${r.timeframe}`));
  const metrics = el("dl");
  const shown = [
    ["Return", `${num(r.metrics.total_return_pct, 2)} %`],
    ["Sharpe", num(r.metrics.sharpe, 2)],
    ["Max drawdown", `${num(r.metrics.max_drawdown_pct, 2)} %`],
    ["Win rate", r.metrics.win_rate_pct === null ? "–" : `${num(r.metrics.win_rate_pct, 1)} %`],
    ["Profit factor", num(r.metrics.profit_factor, 2)],
    ["Trades", r.metrics.trades],
  ];
  for (const [k, v] of shown) {
    const d = el("div");
    d.append(el("dt", k), el("dd", v));
    metrics.append(d);
  }
  const curve = el("div", undefined, "curve");
  div.append(metrics, curve);
  requestAnimationFrame(() => {
    // The whole run in the card's width: at most POINTS points, however long the run.
    const chart = createChart(curve, { ...chartOptions(), autoSize: true,
      timeScale: { minBarSpacing: 0.001 } });
    const series = chart.addSeries(LineSeries, { lineWidth: 2 });
    const points = [];
    const every = Math.max(1, Math.ceil(r.equity_curve.length / POINTS));
    const curvePoints = r.equity_curve.filter((_, i) => i % every === 0 || i === r.equity_curve.length - 1);
    for (const p of curvePoints) {
      const time = Math.floor(Date.parse(p.at) / 1000);
      if (points.length && points[points.length - 1].time >= time) points.pop();
      points.push({ time, value: p.equity });
    }
    series.setData(points);
    chart.timeScale().fitContent();
  });
  return div;
}
