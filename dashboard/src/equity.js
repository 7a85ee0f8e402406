// The account's equity curve: GET /api/equity (one sample per candle, downsampled by the service
// to POINTS), on market time like the price chart. Refreshed when a candle closes or a position
// does, at most every 5 s; the series is replaced, so a page left open stays the same size.
import { api } from "./api.js";
import { createChart, LineSeries } from "./vendor/lightweight-charts.mjs";
import { chartOptions } from "./theme.js";

const POINTS = 500;
const EVERY_MS = 5000;
let chart = null;
let series = null;
let pending = null;
let last = 0;

export async function initEquity() {
  chart = createChart(document.getElementById("equity-chart"), { ...chartOptions(), autoSize: true,
    timeScale: { timeVisible: true } });
  series = chart.addSeries(LineSeries, { lineWidth: 2, priceLineVisible: false,
    priceFormat: { type: "price", precision: 8, minMove: 1e-8 } });
  await load();
}

export function restyleEquity() {
  if (chart) chart.applyOptions(chartOptions());
}

/** After a closed candle or a trade: reload, at most every 5 s. */
export function refreshEquitySoon() {
  if (!chart || pending) return;
  const wait = Math.max(0, EVERY_MS - (Date.now() - last));
  pending = setTimeout(() => { pending = null; load().catch(() => {}); }, wait);
}

async function load() {
  last = Date.now();
  const page = await api(`/equity?limit=${POINTS}`);
  const points = page.points.map((p) => ({ time: Math.floor(Date.parse(p.time) / 1000), value: p.equity }));
  series.setData(points);
  chart.timeScale().fitContent();
  document.getElementById("equity-chart").dataset.points = String(points.length);
}
