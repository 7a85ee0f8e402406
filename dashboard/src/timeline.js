// The timeline as a live feed, newest first, with a type filter. At most 500 entries are kept.
import { api } from "./api.js";
import { el, when } from "./format.js";

const KEEP = 500;
const seenTypes = new Set();

function describe(e) {
  const d = e.data || {};
  const parts = [];
  for (const k of ["symbol", "id", "reason", "exit_reason", "error", "mode", "order_id"])
    if (d[k] !== undefined && d[k] !== null) parts.push(`${k}=${d[k]}`);
  return parts.join(" ");
}

function item(e) {
  const li = el("li");
  li.dataset.type = e.type;
  li.dataset.seq = e.seq;
  const t = el("time", when(e.at));
  t.dateTime = e.at;
  li.append(t, el("span", e.type, "type"), el("span", describe(e)));
  return li;
}

function learnType(type) {
  if (seenTypes.has(type)) return;
  seenTypes.add(type);
  const select = document.getElementById("timeline-type");
  const opt = el("option", type);
  opt.value = type;
  select.append(opt);
}

function filter() {
  return document.getElementById("timeline-type").value;
}

export async function loadTimeline() {
  const type = filter();
  const q = type ? `&type=${encodeURIComponent(type)}` : "";
  const page = await api(`/timeline?limit=100${q}`);
  const list = document.getElementById("timeline");
  list.replaceChildren();
  const events = [...page.events].sort((a, b) => b.seq - a.seq);
  for (const e of events) {
    learnType(e.type);
    list.append(item(e));
  }
}

/** A live event from the stream. */
export function addEvent(e) {
  learnType(e.type);
  const type = filter();
  if (type && e.type !== type) return;
  const list = document.getElementById("timeline");
  list.prepend(item(e));
  while (list.children.length > KEEP) list.lastElementChild.remove();
}
