// The page's way to the service: where the API and the stream are (config.json beside the page),
// the token (asked once, kept for the tab in sessionStorage, never put in a URL), REST calls with
// the API's error bodies, and the stream (a single-use ticket from POST /stream/ticket when a
// token is needed), reconnected with backoff.

let config = null;
let token = sessionStorage.getItem("ct-token") || "";
let asking = null;

export class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.message || `HTTP ${status}`);
    this.status = status;
    this.code = err.code || "";
    this.field = err.field || "";
    this.body = body;
  }
}

export async function loadConfig() {
  const r = await fetch("config.json", { cache: "no-store" });
  if (!r.ok) throw new Error(`config.json: HTTP ${r.status}`);
  config = await r.json();
  return config;
}

/** Shows the token dialog until a token is given; one dialog for every caller waiting. */
function askToken(wrong) {
  if (asking) return asking;
  const dialog = document.getElementById("token-dialog");
  const form = document.getElementById("token-form");
  const input = document.getElementById("token-input");
  document.getElementById("token-why").textContent = wrong
    ? "That token was refused. Enter the API token again."
    : "This service needs its API token.";
  asking = new Promise((resolve) => {
    form.onsubmit = (e) => {
      e.preventDefault();
      if (!input.value) return;
      token = input.value;
      input.value = "";
      sessionStorage.setItem("ct-token", token);
      dialog.close();
      asking = null;
      resolve(token);
    };
  });
  dialog.showModal();
  input.focus();
  return asking;
}

/** Calls the API: `path` under config.api; JSON in and out; an error answer throws ApiError. */
export async function api(path, { method = "GET", body } = {}) {
  for (;;) {
    const headers = {};
    if (token) headers.Authorization = `Bearer ${token}`;
    if (body !== undefined) headers["Content-Type"] = "application/json";
    const r = await fetch(config.api + path, {
      method, headers, cache: "no-store",
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (r.status === 401) {
      await askToken(Boolean(token));
      continue;
    }
    const text = await r.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    if (!r.ok) throw new ApiError(r.status, json);
    return json;
  }
}

/**
 * Keeps a stream open: `onMessage(msg)` for each {type, at, data}, `onState(text)` as it connects
 * and drops. Reconnects with backoff (0.5 s doubling to 10 s); each connection starts with a
 * hello carrying the whole state, so nothing is missed across a reconnect.
 */
export function openStream(onMessage, onState) {
  let delay = 500;
  let socket = null;
  const connect = async () => {
    onState("connecting");
    try {
      const url = new URL(config.stream, location.href);
      url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
      if (token) {
        const t = await api("/stream/ticket", { method: "POST" });
        url.searchParams.set("ticket", t.ticket);
      }
      socket = new WebSocket(url);
    } catch (e) {
      onState("offline");
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10000);
      return;
    }
    socket.onopen = () => { delay = 500; onState("live"); };
    socket.onmessage = (e) => {
      let msg;
      try { msg = JSON.parse(e.data); } catch { return; }
      onMessage(msg);
    };
    socket.onclose = () => {
      onState("offline");
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 10000);
    };
  };
  connect();
  return {
    send: (op) => socket && socket.readyState === WebSocket.OPEN && socket.send(JSON.stringify(op)),
  };
}
