// The strategy and risk settings as a form. Saving sends only what changed, as one patch; the
// API's error shows next to its field, and the service changes nothing (API.md).
import { api } from "./api.js";
import { el } from "./format.js";

export const STRATEGIES = ["momentum", "sma_crossover", "ema_crossover", "rsi_reversion"];
const TOP = ["scan_interval_ms", "max_positions", "stake_amount"];
const GROUPS = ["strategy", "risk"];
let loaded = {};

function field(key, value) {
  const label = el("label");
  label.append(el("span", key));
  let input;
  if (key === "strategy.name") {
    input = document.createElement("select");
    for (const name of STRATEGIES) {
      const o = el("option", name);
      o.value = name;
      input.append(o);
    }
    input.value = value;
  } else {
    input = document.createElement("input");
    input.value = Array.isArray(value) ? value.join(",") : String(value);
    if (typeof value === "number") input.inputMode = "decimal";
  }
  input.name = key;
  input.dataset.key = key;
  input.dataset.kind = Array.isArray(value) ? "list" : typeof value;
  const error = el("span", "", "error");
  error.id = `err-${key}`;
  error.setAttribute("role", "alert");
  input.setAttribute("aria-describedby", error.id);
  label.append(input, error);
  return label;
}

function parse(input) {
  const text = input.value.trim();
  switch (input.dataset.kind) {
    case "number": return text === "" || Number.isNaN(Number(text)) ? text : Number(text);
    case "boolean": return text === "true" ? true : text === "false" ? false : text;
    case "list": return text === "" ? [] : text.split(",").map((s) => s.trim());
    default: return text;
  }
}

function get(obj, dotted) {
  return dotted.split(".").reduce((o, k) => (o == null ? undefined : o[k]), obj);
}

export async function loadSettings() {
  loaded = await api("/config");
  const form = document.getElementById("settings");
  form.replaceChildren();
  const top = el("fieldset");
  top.append(el("legend", "Bot"));
  for (const k of TOP) top.append(field(k, loaded[k]));
  form.append(top);
  for (const g of GROUPS) {
    const set = el("fieldset");
    set.append(el("legend", g));
    for (const [k, v] of Object.entries(loaded[g])) set.append(field(`${g}.${k}`, v));
    form.append(set);
  }
  const save = el("button", "Save settings");
  save.type = "submit";
  const note = el("span", "", "error");
  note.id = "settings-error";
  note.setAttribute("role", "alert");
  form.append(save, note);
  form.onsubmit = (e) => { e.preventDefault(); submit(form); };
}

async function submit(form) {
  for (const e of form.querySelectorAll(".error")) e.textContent = "";
  for (const i of form.querySelectorAll("[aria-invalid]")) i.removeAttribute("aria-invalid");
  const patch = {};
  for (const input of form.querySelectorAll("[data-key]")) {
    const key = input.dataset.key;
    const value = parse(input);
    if (JSON.stringify(value) === JSON.stringify(get(loaded, key))) continue;
    const path = key.split(".");
    let at = patch;
    for (const p of path.slice(0, -1)) at = at[p] = at[p] || {};
    at[path[path.length - 1]] = value;
  }
  if (!Object.keys(patch).length) return;
  try {
    await api("/config", { method: "POST", body: patch });
    await loadSettings();
    document.getElementById("settings-error").textContent = "Saved.";
  } catch (e) {
    const input = e.field && form.querySelector(`[data-key="${CSS.escape(e.field)}"]`);
    if (input) {
      input.setAttribute("aria-invalid", "true");
      document.getElementById(`err-${e.field}`).textContent = e.message;
      input.focus();
    } else {
      document.getElementById("settings-error").textContent = e.message;
    }
  }
}
