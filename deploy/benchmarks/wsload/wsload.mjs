// WebSocket fan-out load for deploy/bench ws: N clients on one ws:// URL, spread over worker
// threads (one event loop each) so that the client's own queueing does not count as delay.
// Every client reads from its connect on; inside one common window (after every client
// connected) it counts the messages it gets, checks that its timeline seqs have no gap (every
// event reached it), and measures the delay from each message's "at" to its arrival. A client
// whose connection ends before the window does is a drop. Prints a summary, then one
// key=value line.
//
//   node wsload.mjs ws://127.0.0.1:9012/ws --clients 1000 --duration 10 [--workers 4]
import os from "node:os";
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import WebSocket from "ws";

function percentile(sorted, p) {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

// One worker: its share of the clients.
async function worker({ url, clients }) {
  const window = { open: false, t0: 0, t1: Infinity };
  const delays = [];
  const all = [];
  const connect = () => new Promise((resolve) => {
    const c = { count: 0, missed: 0, lastSeq: null, connected: false, dropped: null };
    all.push(c);
    const ws = new WebSocket(url, { perMessageDeflate: false });
    c.ws = ws;
    const timer = setTimeout(() => { c.dropped ||= "connect timeout"; resolve(); }, 30000);
    ws.on("open", () => { c.connected = true; clearTimeout(timer); resolve(); });
    ws.on("message", (data) => {
      const now = Date.now();
      if (!window.open || now < window.t0 || now >= window.t1) return;
      // Only the head is read: {"type":"...","at":"...","data":{"seq":n,... (the service
      // writes the fields in this order), so that parsing does not count as delay.
      const head = data.toString("latin1", 0, 120);
      const at = head.indexOf('"at":"');
      c.count++;
      delays.push(now - Date.parse(head.substr(at + 6, 24)));
      if (head.startsWith('{"type":"timeline"')) {
        const seq = parseInt(head.substring(head.indexOf('"seq":') + 6), 10);
        if (c.lastSeq !== null && seq !== c.lastSeq + 1) c.missed += seq - c.lastSeq - 1;
        c.lastSeq = seq;
      }
    });
    ws.on("close", (code) => {
      if (!c.dropped && Date.now() < window.t1) c.dropped = `closed ${code}`;
      clearTimeout(timer);
      resolve();
    });
    ws.on("error", (e) => { c.dropped ||= String(e.message || e); });
  });
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(64, clients) }, async () => {
    while (next++ < clients) await connect();
  }));
  parentPort.postMessage({ kind: "connected", count: all.filter((c) => c.connected).length });
  parentPort.on("message", (m) => {
    if (m.kind === "window") Object.assign(window, { open: true, t0: m.t0, t1: m.t1 });
    if (m.kind === "report") {
      for (const c of all) c.ws.terminate();
      const connected = all.filter((c) => c.connected);
      parentPort.postMessage({
        kind: "report",
        counts: connected.map((c) => c.count),
        drops: connected.filter((c) => c.dropped).map((c) => c.dropped),
        missed: connected.reduce((s, c) => s + c.missed, 0),
        delays,
      });
    }
  });
}

async function main() {
  const a = process.argv.slice(2);
  const opts = { url: a[0], clients: 1000, duration: 10, workers: Math.min(4, os.cpus().length),
                 label: "ws" };
  for (let i = 1; i < a.length; i += 2) {
    const key = a[i].replace(/^--/, "");
    opts[key] = key === "label" ? a[i + 1] : Number(a[i + 1]);
  }
  if (!opts.url || !/^ws:\/\/(127\.|localhost|\[::1\])/.test(opts.url)) {
    console.error("usage: node wsload.mjs ws://127.0.0.1:PORT/ws [--clients N] [--duration S]");
    process.exit(2);
  }
  const shares = Array.from({ length: opts.workers }, (_, i) =>
    Math.floor(opts.clients / opts.workers) + (i < opts.clients % opts.workers ? 1 : 0));
  const workers = shares.map((clients) => new Worker(new URL(import.meta.url), {
    workerData: { url: opts.url, clients } }));
  const next = (w, kind) => new Promise((r) => {
    const f = (m) => { if (m.kind === kind) { w.off("message", f); r(m); } };
    w.on("message", f);
  });
  const connected = (await Promise.all(workers.map((w) => next(w, "connected"))))
    .reduce((s, m) => s + m.count, 0);
  const t0 = Date.now() + 200;
  const t1 = t0 + opts.duration * 1000;
  for (const w of workers) w.postMessage({ kind: "window", t0, t1 });
  console.log(`# ${connected}/${opts.clients} connected over ${opts.workers} client threads`);
  setTimeout(() => console.log("# window open"), t0 - Date.now());
  await new Promise((r) => setTimeout(r, t1 - Date.now() + 300));
  const reports = await Promise.all(workers.map((w) => {
    const p = next(w, "report");
    w.postMessage({ kind: "report" });
    return p;
  }));
  const counts = reports.flatMap((r) => r.counts).sort((x, y) => x - y);
  const drops = reports.flatMap((r) => r.drops);
  const delays = reports.flatMap((r) => r.delays).sort((x, y) => x - y);
  const s = {
    clients: opts.clients,
    connected,
    drops: drops.length,
    missed_events: reports.reduce((x, r) => x + r.missed, 0),
    min_msgs: counts[0] ?? 0,
    median_msgs: percentile(counts, 50),
    max_msgs: counts[counts.length - 1] ?? 0,
    total_msgs: counts.reduce((x, y) => x + y, 0),
    p50_delay_ms: percentile(delays, 50),
    p99_delay_ms: percentile(delays, 99),
    max_delay_ms: delays[delays.length - 1] ?? 0,
  };
  console.log(`# per client messages min=${s.min_msgs} median=${s.median_msgs} max=${s.max_msgs}; ` +
              `${s.total_msgs} in ${opts.duration} s (${Math.round(s.total_msgs / opts.duration)}/s)`);
  console.log(`# delay from "at" to arrival p50=${s.p50_delay_ms} ms p99=${s.p99_delay_ms} ms ` +
              `max=${s.max_delay_ms} ms; drops=${s.drops}${drops.length ? ` (${drops[0]})` : ""}; ` +
              `timeline events missed=${s.missed_events}`);
  console.log(`${opts.label} ` + Object.entries(s).map(([k, v]) => `${k}=${v}`).join(" "));
  process.exit(0);
}

if (isMainThread) main();
else worker(workerData);
