// The price chart of one symbol: its closed candles and volume, the running strategy's lines (a
// crossover's averages over the price; momentum or RSI in a pane below), the positions' entries
// and exits as markers (reason and P&L on hover), and the open position's stop and target.
// GET /api/candles draws it; the stream's candles:<SYMBOL> channel then moves the forming candle
// and appends each closed one with the strategy's values at it. After APPEND_MAX appended
// candles, or a jump the stream skipped, it is drawn again from the API: it holds at most
// CANDLES + APPEND_MAX candles, so a page left open for days stays the same size. Markers are
// redrawn after a trade (at most every 2 s).
import { api } from "./api.js";
import {
  CandlestickSeries, HistogramSeries, LineSeries, createChart, createSeriesMarkers,
} from "./vendor/lightweight-charts.mjs";
import { num, signed } from "./format.js";
import { chartOptions } from "./theme.js";

const CANDLES = 1000;
const APPEND_MAX = 200;
const COLORS = ["#e8710a", "#9334e6", "#12b5cb", "#f538a0"];
let chart = null;
let candles = null;
let volume = null;
let markers = null;
let lines = [];
let priceLines = [];
let symbol = "";
let stepS = 60;
let details = new Map();  // marker time -> text for the hover legend
let pending = null;
let last = 0;
let stream = null;      // { send } from openStream
let lastTime = 0;       // the newest candle drawn (seconds)
let appended = 0;       // closed candles appended since the last draw
let markersWaiting = false;  // a trade in the forming candle: its marker waits for the close
let drawing = false;    // a draw from the API is in flight: the stream waits for it

const seconds = (rfc3339) => Math.floor(Date.parse(rfc3339) / 1000);

export async function initChart() {
  const assets = await api("/assets");
  const select = document.getElementById("symbol");
  select.replaceChildren();
  for (const a of assets.assets) {
    const o = document.createElement("option");
    o.value = o.textContent = a.symbol;
    select.append(o);
  }
  const tradable = assets.assets.find((a) => a.tradable);
  select.value = tradable ? tradable.symbol : select.value;
  select.onchange = () => {
    const before = symbol;
    show(select.value).catch(() => {});
    if (stream && before) stream.send({ op: "unsubscribe", channels: [`candles:${before}`] });
    subscribe();
  };
  chart = createChart(document.getElementById("chart"), { ...chartOptions(), autoSize: true,
    timeScale: { timeVisible: true } });
  candles = chart.addSeries(CandlestickSeries, { priceFormat: { type: "price", precision: 8, minMove: 1e-8 } });
  volume = chart.addSeries(HistogramSeries, { priceScaleId: "volume", priceFormat: { type: "volume" } });
  chart.priceScale("volume").applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
  markers = createSeriesMarkers(candles, []);
  chart.subscribeCrosshairMove((p) => {
    const legend = document.getElementById("chart-legend");
    legend.textContent = p.time !== undefined && details.has(p.time) ? details.get(p.time) : "";
  });
  await show(select.value);
}

export function restyle() {
  if (chart) chart.applyOptions(chartOptions());
}

/** The stream to follow (each new connection's hello calls this again: subscriptions start afresh). */
export function followStream(s) {
  stream = s;
  subscribe();
}

function subscribe() {
  if (stream && symbol) stream.send({ op: "subscribe", channels: [`candles:${symbol}`] });
}

/** A candles:<SYMBOL> message: the forming candle moved, or one closed. */
export function onCandle(d) {
  if (!chart || d.symbol !== symbol || drawing) return;
  const c = d.candle;
  const time = seconds(c.time);
  if (time < lastTime) return;  // older than what is drawn
  if (time > lastTime || appended >= APPEND_MAX) {
    // A close not seen (a fast replay skips some; one during a draw), or the chart grew: draw
    // again from the API.
    refreshSoon();
    return;
  }
  candles.update({ time, open: c.open, high: c.high, low: c.low, close: c.close });
  volume.update({ time, value: c.volume, color: c.close >= c.open ? "rgba(38,166,154,.45)" : "rgba(239,83,80,.45)" });
  const el = document.getElementById("chart");
  if (d.closed) {
    for (const l of lines) {
      const v = d.indicators ? d.indicators[l.name] : undefined;
      if (v !== undefined) l.series.update(v === null ? { time } : { time, value: v });
    }
    lastTime = time + stepS;  // the next one is the forming candle
    appended += 1;
    el.dataset.closedLive = String(Number(el.dataset.closedLive || 0) + 1);
    if (markersWaiting) refreshSoon();
  } else {
    lastTime = time;
    el.dataset.forming = c.time;
  }
}

/** The open positions from the stream: the chart's symbol's stop and target follow them. */
export function onOpenPositions(open) {
  if (chart) showLevels(open.find((p) => p.symbol === symbol));
}

/** After a trade: refresh, at most every 2 s. */
export function refreshSoon() {
  if (!chart || pending) return;
  const wait = Math.max(0, 2000 - (Date.now() - last));
  pending = setTimeout(() => { pending = null; show(symbol).catch(() => {}); }, wait);
}

async function show(s) {
  symbol = s;
  last = Date.now();
  drawing = true;
  const q = encodeURIComponent(s);
  let page;
  let positions;
  try {
    [page, positions] = await Promise.all([
      api(`/candles?symbol=${q}&limit=${CANDLES}`),
      api(`/positions?state=all&symbol=${q}&limit=200`),
    ]);
  } finally {
    if (s === symbol) drawing = false;
  }
  if (s !== symbol) return;  // another symbol was picked meanwhile
  const t = page.candles.map((c) => seconds(c.time));
  // The stream goes on from the candle forming after the last closed one.
  stepS = t.length > 1 ? t[1] - t[0] : stepS;
  lastTime = t.length ? t[t.length - 1] + stepS : 0;
  appended = 0;
  candles.setData(page.candles.map((c, i) => ({ time: t[i], open: c.open, high: c.high, low: c.low, close: c.close })));
  volume.setData(page.candles.map((c, i) => ({ time: t[i], value: c.volume,
    color: c.close >= c.open ? "rgba(38,166,154,.45)" : "rgba(239,83,80,.45)" })));
  drawLines(page, t);
  drawPositions(positions.positions, t);
  document.getElementById("chart").dataset.candles = String(page.candles.length);
  // deploy/bench dashboard reads when the first chart was drawn (the frame after its data).
  if (!performance.getEntriesByName("ct-first-chart").length)
    requestAnimationFrame(() => requestAnimationFrame(() => performance.mark("ct-first-chart")));
}

function drawLines(page, t) {
  const wanted = page.indicators.lines;
  // The same lines as before (the usual refresh): new data into the same series.
  if (lines.length !== wanted.length || lines.some((l, k) => l.name !== wanted[k].name)) {
    for (const l of lines) chart.removeSeries(l.series);
    lines = wanted.map((line, k) => ({
      name: line.name,
      series: chart.addSeries(LineSeries, { color: COLORS[k % COLORS.length], lineWidth: 1,
        title: line.name, priceLineVisible: false, lastValueVisible: false }, line.overlay ? 0 : 1),
    }));
  }
  wanted.forEach((line, k) => lines[k].series.setData(
    line.values.map((v, i) => (v === null ? { time: t[i] } : { time: t[i], value: v }))));
}

function drawPositions(positions, t) {
  const first = t.length ? t[0] : 0;
  const lastOpen = t.length ? t[t.length - 1] : 0;
  // A marker sits on a closed candle shown: entries and exits in the forming one wait for it.
  const shown = (rfc3339) => rfc3339 && seconds(rfc3339) >= first && seconds(rfc3339) < lastOpen + stepS;
  const onCandle = (rfc3339) => {
    const s = seconds(rfc3339);
    return s - ((s - first) % stepS + stepS) % stepS;
  };
  const list = [];
  details = new Map();
  const note = (time, text) => details.set(time, details.has(time) ? `${details.get(time)}; ${text}` : text);
  for (const p of positions) {
    if (shown(p.entry_market_time)) {
      const time = onCandle(p.entry_market_time);
      list.push({ time, position: "belowBar", shape: "arrowUp", color: "#26a69a", text: `#${p.id}` });
      note(time, `#${p.id} bought at ${num(p.entry_price)}: ${p.entry_reason}`);
    }
    if (shown(p.exit_market_time)) {
      const time = onCandle(p.exit_market_time);
      list.push({ time, position: "aboveBar", shape: "arrowDown", color: "#ef5350", text: `#${p.id}` });
      note(time, `#${p.id} sold at ${num(p.exit_price)}: ${p.exit_reason}, P&L ${signed(p.realized_pnl)}`);
    }
  }
  list.sort((a, b) => a.time - b.time);
  markers.setMarkers(list);
  const after = (rfc3339) => rfc3339 && seconds(rfc3339) >= lastOpen + stepS;
  markersWaiting = positions.some((p) => after(p.entry_market_time) || after(p.exit_market_time));
  showLevels(positions.find((p) => p.closed_at === null));
  document.getElementById("chart").dataset.markers = String(list.length);
}

let levels = "";
/** The open position's stop and target as price lines (redrawn only when they change). */
function showLevels(open) {
  const key = open ? `${open.stop_loss}/${open.take_profit}` : "";
  if (key === levels) return;
  levels = key;
  for (const l of priceLines) candles.removePriceLine(l);
  priceLines = [];
  if (!open) return;
  if (open.stop_loss !== null)
    priceLines.push(candles.createPriceLine({ price: open.stop_loss, color: "#ef5350", title: "stop" }));
  if (open.take_profit !== null)
    priceLines.push(candles.createPriceLine({ price: open.take_profit, color: "#26a69a", title: "target" }));
}
