// Strategy searches from the page: start one (the space one setting per line, as the command
// line writes it), follow its progress on the stream, then list its best trials with their in-
// and out-of-sample scores; "Apply" sends a trial's parameters to POST /api/config as they are.
import { api } from "./api.js";
import { el, num, row } from "./format.js";
import { STRATEGIES, loadSettings } from "./settings.js";

const $ = (id) => document.getElementById(id);
const OBJECTIVES = ["sharpe", "sortino", "calmar", "total_return_pct", "profit_factor"];
let current = null;

function options(select, names, value) {
  select.replaceChildren();
  for (const name of names) {
    const o = el("option", name);
    o.value = name;
    select.append(o);
  }
  select.value = value;
}

export function initSearch(defaultStrategy) {
  options($("opt-strategy"), STRATEGIES, defaultStrategy);
  options($("opt-objective"), OBJECTIVES, "sharpe");
  $("search-form").onsubmit = (e) => { e.preventDefault(); start(); };
}

/** "key=spec" lines as the API's space object. */
function readSpace(text) {
  const space = {};
  for (const line of text.split("\n").map((l) => l.trim()).filter(Boolean)) {
    const eq = line.indexOf("=");
    if (eq <= 0) throw new Error(`"${line}": one setting per line, key=LO..HI[:STEP] or key=V1,V2`);
    space[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return space;
}

async function start() {
  const error = $("opt-error");
  error.textContent = "";
  let space;
  try {
    space = readSpace($("opt-space").value);
  } catch (e) {
    error.textContent = e.message;
    return;
  }
  const body = {
    strategy: $("opt-strategy").value, space, objective: $("opt-objective").value,
    trials: Number($("opt-trials").value), folds: Number($("opt-folds").value),
  };
  try {
    const accepted = await api("/optimize", { method: "POST", body });
    current = accepted.id;
    $("opt-progress").hidden = false;
    $("opt-progress").value = 0;
    $("opt-status").textContent = `0 / ${accepted.trials} trials`;
    poll(accepted.id);
  } catch (e) {
    error.textContent = e.field ? `${e.field}: ${e.message}` : e.message;
  }
}

function describe(p, objective) {
  const best = p.best_score === null ? "none yet" : num(p.best_score, 4);
  return `${p.trials} / ${p.total} trials (${p.skipped} skipped), best ${objective} ${best}, ` +
    `${num(p.candle_evals_per_s / 1e6, 1)} M candle evaluations/s`;
}

/** Until the search ends: the stream moves the bar; this makes sure the end is seen. */
async function poll(id) {
  const state = await api(`/optimize/${encodeURIComponent(id)}`);
  if (state.status === "running") {
    if (state.id === current) {
      $("opt-progress").value = state.progress.pct;
      $("opt-status").textContent = describe(state.progress, $("opt-objective").value);
    }
    setTimeout(() => poll(id), 1000);
    return;
  }
  finished(state);
}

/** Timeline events from the stream. */
export function onSearchEvent(e) {
  if (!current || !e.data || e.data.id !== current || e.type !== "optimize_progress") return;
  $("opt-progress").value = e.data.pct;
  $("opt-status").textContent = describe({ ...e.data }, $("opt-objective").value);
}

function finished(state) {
  if (state.id !== current) return;
  current = null;
  $("opt-progress").hidden = true;
  if (!state.report) {
    $("opt-error").textContent = `Search ${state.id} ${state.status}${state.error ? `: ${state.error}` : ""}`;
    return;
  }
  const r = state.report;
  $("opt-status").textContent =
    `${state.status}: ${r.trials.done} trials (${r.trials.skipped} skipped) in ${num(r.elapsed_s, 2)} s, ` +
    `${num(r.candle_evals_per_s / 1e6, 1)} M candle evaluations/s; ranked by ${r.ranked_by.replaceAll("_", "-")} ${r.objective}`;
  render(state.id, r);
}

function score(side) {
  return side ? num(side.score, 4) : "–";
}

function render(id, r) {
  const body = $("opt-trials-body");
  body.replaceChildren();
  $("opt-table").dataset.id = id;
  $("opt-table").hidden = false;
  for (const t of r.top) {
    const params = Object.entries(t.params).map(([k, v]) => `${k}=${v}`).join(", ");
    const apply = el("button", "Apply");
    apply.type = "button";
    apply.setAttribute("aria-label", `Apply trial ${t.rank}'s parameters: ${params}`);
    apply.onclick = () => applyTrial(t, apply);
    const trades = `${t.in_sample.trades}${t.out_of_sample ? ` / ${t.out_of_sample.trades}` : ""}`;
    body.append(row([String(t.rank), params, score(t.in_sample), score(t.out_of_sample), trades, apply]));
  }
}

async function applyTrial(trial, button) {
  const note = $("opt-error");
  note.textContent = "";
  try {
    await api("/config", { method: "POST", body: trial.config });
    await loadSettings();
    note.textContent = `Applied trial ${trial.rank}.`;
    button.dataset.applied = "true";
  } catch (e) {
    note.textContent = e.field ? `${e.field}: ${e.message}` : e.message;
  }
}
