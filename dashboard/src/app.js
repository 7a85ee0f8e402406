// The dashboard: wires the panels to the API and the stream. Everything shown comes from the
// service; nothing is computed here but the win rate (from the closed positions).
import { api, loadConfig, openStream } from "./api.js";
import { initBacktests, onBacktestEvent } from "./backtests.js";
import { followStream, initChart, onCandle, onOpenPositions, refreshSoon, restyle } from "./chart.js";
import { initEquity, refreshEquitySoon, restyleEquity } from "./equity.js";
import { el, num, signed } from "./format.js";
import { olderClosed, reloadClosed, renderOpen, winRate } from "./positions.js";
import { initSearch, onSearchEvent } from "./search.js";
import { loadSettings } from "./settings.js";
import { initTheme } from "./theme.js";
import { addEvent, loadTimeline } from "./timeline.js";

const $ = (id) => document.getElementById(id);

function showError(text) {
  $("trading").title = text;
  console.warn(text);
}

function renderStatus(s) {
  const trading = $("trading");
  trading.textContent = s.trading ? "trading" : "stopped";
  trading.className = `badge ${s.trading ? "on" : "off"}`;
  $("mode").textContent = `${s.mode} · ${s.exchange}`;
  const ex = $("exchange");
  ex.textContent = `exchange: ${s.exchange_state}`;
  ex.className = `badge ${s.exchange_state === "ok" ? "on" : "off"}`;
  ex.title = s.exchange_error || "";
  $("start").disabled = s.trading;
  $("stop").disabled = !s.trading;
  const q = s.quote_currency;
  $("equity").textContent = `${num(s.equity)} ${q}`;
  $("cash").textContent = `${num(s.cash)} ${q}`;
  $("realized").textContent = signed(s.realized_pnl);
  $("unrealized").textContent = signed(s.unrealized_pnl);
  $("fees").textContent = num(s.fees_paid);
  $("counts").textContent = `${s.open_positions} / ${s.closed_positions}`;
  $("scans").textContent = s.scans;
}

async function refreshHealth() {
  let h;
  try {
    h = await api("/health");
  } catch (e) {
    h = e.body && e.body.actors ? e.body : null;  // 503: degraded, with each actor's state
  }
  const list = $("actors");
  list.replaceChildren();
  if (!h) {
    list.append(el("li", "health unavailable", "bad"));
    return;
  }
  for (const [name, state] of Object.entries(h.actors)) {
    const text = typeof state === "string" ? state : "failed";
    list.append(el("li", `${name}: ${text}`, text === "up" ? "ok" : "bad"));
  }
}

let closedCount = -1;
async function afterStatus(s) {
  renderStatus(s);
  if (s.closed_positions !== closedCount) {
    closedCount = s.closed_positions;
    await reloadClosed();
    $("winrate").textContent = await winRate();
  }
}

function wireControls() {
  $("start").onclick = async () => {
    try { await api("/trading/start", { method: "POST" }); } catch (e) { showError(e.message); }
  };
  const dialog = $("stop-dialog");
  $("stop").onclick = () => dialog.showModal();
  $("stop-form").onsubmit = async (e) => {
    e.preventDefault();
    const choice = e.submitter ? e.submitter.value : "cancel";
    dialog.close();
    if (choice === "cancel") return;
    try {
      await api("/trading/stop", { method: "POST", body: { close_positions: choice === "close" } });
    } catch (err) { showError(err.message); }
  };
  $("closed-more").onclick = () => olderClosed().catch((e) => showError(e.message));
  $("timeline-type").onchange = () => loadTimeline().catch((e) => showError(e.message));
}

let stream = null;
function onStreamMessage(msg) {
  if (msg.type.startsWith("candles:")) {
    onCandle(msg.data);
    if (msg.data.closed) refreshEquitySoon();
    return;
  }
  switch (msg.type) {
    case "hello":
      afterStatus(msg.data.status);
      renderOpen(msg.data.positions, showError);
      onOpenPositions(msg.data.positions);
      followStream(stream);  // a new connection: subscribe again
      break;
    case "status":
      afterStatus(msg.data);
      break;
    case "positions":
      renderOpen(msg.data.positions, showError);
      onOpenPositions(msg.data.positions);
      break;
    case "timeline":
      addEvent(msg.data);
      onBacktestEvent(msg.data);
      onSearchEvent(msg.data);
      if (["position_opened", "position_closed"].includes(msg.data.type)) {
        refreshSoon();
        refreshEquitySoon();
      }
      break;
    default:
      break;
  }
}

async function main() {
  initTheme(() => { restyle(); restyleEquity(); });
  await loadConfig();
  wireControls();
  const status = await api("/status");
  await afterStatus(status);
  renderOpen((await api("/positions")).positions, showError);
  await Promise.all([loadTimeline(), loadSettings(), refreshHealth(), initChart(), initEquity()]);
  const strategy = (await api("/config")).strategy.name;
  initBacktests(strategy);
  initSearch(strategy);
  stream = openStream(onStreamMessage, (state) => {
    const s = $("stream");
    s.textContent = `stream: ${state}`;
    s.className = `badge ${state === "live" ? "on" : "off"}`;
    document.body.dataset.stream = state;
  });
  setInterval(refreshHealth, 5000);
  document.body.dataset.ready = "true";
}

main().catch((e) => {
  console.error(e);
  document.body.dataset.ready = "error";
});
