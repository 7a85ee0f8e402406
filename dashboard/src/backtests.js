// Backtests from the page: run one with a strategy and parameters, follow its progress on the
// stream, then show its metrics, its equity curve and its trades on its candles (a symbol of the
// run at a time, from GET /api/backtest/{id}/candles); the last two runs side by side.
import { api } from "./api.js";
import {
  CandlestickSeries, LineSeries, createChart, createSeriesMarkers,
} from "./vendor/lightweight-charts.mjs";
import { el, num, signed } from "./format.js";
import { STRATEGIES } from "./settings.js";
import { chartOptions } from "./theme.js";

const KEEP = 2;
const POINTS = 800;
let current = null;
const runs = [];
let charts = [];  // of the cards shown: removed with them

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
  for (const c of charts) c.remove();
  charts = [];
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
  const traded = [...new Set(r.trades.map((t) => t.symbol))];
  if (traded.length) {
    const label = el("label", "Trades of ");
    const select = el("select");
    for (const sym of traded) {
      const o = el("option", sym);
      o.value = sym;
      select.append(o);
    }
    label.append(select);
    const legend = el("span", "", "legend");
    legend.setAttribute("aria-live", "polite");
    const prices = el("div", undefined, "curve prices");
    prices.setAttribute("role", "img");
    prices.setAttribute("aria-label", "The run's candles with its entries and exits");
    div.append(label, legend, prices);
    requestAnimationFrame(() => {
      const trades = tradesChart(state, prices, legend);
      select.onchange = () => trades.show(select.value).catch(() => {});
      trades.show(select.value).catch(() => {});
    });
  }
  requestAnimationFrame(() => {
    // The whole run in the card's width: at most POINTS points, however long the run.
    const chart = createChart(curve, { ...chartOptions(), autoSize: true,
      timeScale: { minBarSpacing: 0.001 } });
    charts.push(chart);
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

/**
 * A run's candles of one symbol with its trades as markers (hovering a marker's candle tells the
 * trade): the CANDLES candles up to the last trade's exit of that symbol, in the run's own data
 * and time, not the live market's.
 */
function tradesChart(state, box, legend) {
  const CANDLES = 300;
  const r = state.report;
  const chart = createChart(box, { ...chartOptions(), autoSize: true, timeScale: { timeVisible: true } });
  charts.push(chart);
  const candles = chart.addSeries(CandlestickSeries, { priceFormat: { type: "price", precision: 8, minMove: 1e-8 } });
  const markers = createSeriesMarkers(candles, []);
  let details = new Map();
  chart.subscribeCrosshairMove((p) => {
    legend.textContent = p.time !== undefined && details.has(p.time) ? details.get(p.time) : "";
  });
  const seconds = (t) => Math.floor(Date.parse(t) / 1000);
  return {
    async show(symbol) {
      const mine = r.trades.filter((t) => t.symbol === symbol);
      const end = Math.max(...mine.map((t) => Date.parse(t.exit_at))) + 1;
      const page = await api(`/backtest/${encodeURIComponent(state.id)}/candles?symbol=${
        encodeURIComponent(symbol)}&limit=${CANDLES}&before=${end}`);
      const t = page.candles.map((c) => seconds(c.time));
      candles.setData(page.candles.map((c, i) => ({ time: t[i], open: c.open, high: c.high, low: c.low, close: c.close })));
      const shown = new Set(t);
      const step = t.length > 1 ? t[1] - t[0] : 60;
      const onCandle = (at) => { const x = seconds(at); return x - (((x - t[0]) % step) + step) % step; };
      const list = [];
      details = new Map();
      const note = (time, text) => details.set(time, details.has(time) ? `${details.get(time)}; ${text}` : text);
      for (const tr of mine) {
        const entry = onCandle(tr.entry_at);
        const exit = onCandle(tr.exit_at);
        if (shown.has(entry)) {
          list.push({ time: entry, position: "belowBar", shape: "arrowUp", color: "#26a69a" });
          note(entry, `bought at ${num(tr.entry_price)}`);
        }
        if (shown.has(exit)) {
          list.push({ time: exit, position: "aboveBar", shape: "arrowDown", color: "#ef5350" });
          note(exit, `sold at ${num(tr.exit_price)}: ${tr.exit_reason}, P&L ${signed(tr.pnl)}`);
        }
      }
      list.sort((a, b) => a.time - b.time);
      markers.setMarkers(list);
      chart.timeScale().fitContent();
      box.dataset.markers = String(list.length);
      box.dataset.candles = String(page.candles.length);
    },
  };
}
