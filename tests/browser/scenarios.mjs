// What a user does on the dashboard, each checked against the API itself (options.api, the
// service's /api, with options.token when it has one).

const T = 30000;

async function api(options, path, init = {}) {
  const headers = { ...(init.headers || {}) };
  if (options.token) headers.Authorization = `Bearer ${options.token}`;
  if (init.body !== undefined) headers["Content-Type"] = "application/json";
  const r = await fetch(options.api + path, {
    ...init, headers, body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${path}: ${r.status} ${text}`);
  return JSON.parse(text);
}

async function until(what, check, timeout = T) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function assert(ok, message) {
  if (!ok) throw new Error(message);
}

/** Opens the page and waits until it has loaded everything and the stream is live. */
async function open(page, base, options) {
  const response = await page.goto(base, { waitUntil: "load" });
  assert(response.status() === 200, `GET ${base}: ${response.status()}`);
  if (options.token) {
    await page.waitForSelector("#token-dialog[open]", { timeout: T });
    await page.fill("#token-input", options.token);
    await page.press("#token-input", "Enter");
  }
  await page.waitForSelector('body[data-ready="true"]', { timeout: T });
  await page.waitForSelector('body[data-stream="live"]', { timeout: T });
  return response;
}

/** Pixels of a canvas that differ from its first pixel (the background). */
async function drawnPixels(page, selector) {
  return page.evaluate((sel) => {
    let drawn = 0;
    for (const canvas of document.querySelectorAll(sel)) {
      const ctx = canvas.getContext("2d");
      if (!ctx || !canvas.width || !canvas.height) continue;
      const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
      for (let i = 4; i < data.length; i += 4)
        if (data[i] !== data[0] || data[i + 1] !== data[1] || data[i + 2] !== data[2]) drawn++;
    }
    return drawn;
  }, selector);
}

export const scenarios = {
  async loads({ page, base, options }) {
    const response = await open(page, base, options);
    const headers = response.headers();
    assert(/frame-ancestors 'none'/.test(headers["content-security-policy"]), "no frame-ancestors");
    assert(/script-src 'self'/.test(headers["content-security-policy"]), "no script-src 'self'");
    assert(headers["x-frame-options"] === "DENY", "no X-Frame-Options: DENY");
    const status = await api(options, "/status");
    await until("the trading badge", async () =>
      (await page.textContent("#trading")) === (status.trading ? "trading" : "stopped"));
    const actors = await page.$$eval("#actors li", (lis) => lis.map((li) => li.textContent));
    assert(actors.length >= 6 && actors.every((a) => a.endsWith(": up")), `actors: ${actors}`);
    await until("timeline entries", async () => (await page.$$("#timeline li")).length > 0);
    // The price chart: candles drawn (its canvases' pixels, not just the data handed over).
    await until("the candles loaded", async () =>
      Number(await page.getAttribute("#chart", "data-candles")) > 100);
    await until("the candles drawn", async () => (await drawnPixels(page, "#chart canvas")) > 2000);
    // Light and dark, from the keyboard: Tab reaches the theme button, Enter switches.
    const dark = await page.evaluate(() => document.documentElement.classList.contains("dark"));
    await page.focus("#theme");
    await page.keyboard.press("Enter");
    assert(dark !== (await page.evaluate(() => document.documentElement.classList.contains("dark"))),
           "the theme did not switch");
  },

  async live_candles({ page, base, options }) {
    await open(page, base, options);
    // The stream's candles:<SYMBOL> channel moves the forming candle and appends closed ones.
    const forming = await until("a forming candle", async () => page.getAttribute("#chart", "data-forming"));
    await until("the forming candle moves on", async () =>
      (await page.getAttribute("#chart", "data-forming")) !== forming);
    await until("three closed candles from the stream", async () =>
      Number(await page.getAttribute("#chart", "data-closed-live")) >= 3);
    // The equity curve, from GET /api/equity, drawn.
    await until("the equity samples", async () =>
      Number(await page.getAttribute("#equity-chart", "data-points")) >= 2);
    await until("the equity curve drawn", async () => (await drawnPixels(page, "#equity-chart canvas")) > 200);
  },

  async chart_markers({ page, base, options }) {
    await open(page, base, options);
    const markers = await until("the positions' markers", async () =>
      Number(await page.getAttribute("#chart", "data-markers")));
    assert(markers >= 2, `markers: ${markers}`);  // an entry and an exit at least
    await until("the candles drawn", async () => (await drawnPixels(page, "#chart canvas")) > 2000);
  },

  async start_stop({ page, base, options }) {
    await open(page, base, options);
    await page.click("#stop");
    await page.waitForSelector("#stop-dialog[open]");
    await page.click('#stop-form button[value="keep"]');
    await until("trading stopped", async () => !(await api(options, "/status")).trading);
    await until("the badge says stopped", async () => (await page.textContent("#trading")) === "stopped");
    await page.click("#start");
    await until("trading started", async () => (await api(options, "/status")).trading);
    await until("the badge says trading", async () => (await page.textContent("#trading")) === "trading");
  },

  async close_position({ page, base, options }) {
    await open(page, base, options);
    const first = await page.waitForSelector("#open-positions button[data-id]", { timeout: 60000 });
    const id = await first.getAttribute("data-id");
    // From the keyboard: focus its Close button and press Enter (the row updates in place).
    await page.focus(`#open-positions button[data-id="${id}"]`);
    await page.keyboard.press("Enter");
    const closed = await until(`position ${id} closed`, async () =>
      (await api(options, "/positions?state=closed")).positions.find((p) => p.id === id));
    assert(closed.exit_reason === "manual", `exit_reason ${closed.exit_reason}`);
    await until("its row gone", async () => !(await page.$(`#open-positions button[data-id="${id}"]`)));
  },

  async bad_setting({ page, base, options }) {
    await open(page, base, options);
    const before = await api(options, "/config");
    await page.fill('[data-key="risk.stop_loss_pct"]', "-5");
    await page.click('#settings button[type="submit"]');
    const error = await until("the error next to the field", async () =>
      page.textContent("#err-risk\\.stop_loss_pct"));
    assert(/stop_loss_pct/.test(error) || error.length > 0, `error: ${error}`);
    assert((await page.getAttribute('[data-key="risk.stop_loss_pct"]', "aria-invalid")) === "true",
           "the field is not marked invalid");
    const after = await api(options, "/config");
    assert(JSON.stringify(after) === JSON.stringify(before), "the configuration changed");
  },

  async backtest({ page, base, options }) {
    await open(page, base, options);
    await page.click('#backtest-form button[type="submit"]');
    await page.waitForSelector(".run dl", { timeout: 60000 });
    const trades = await page.$$eval(".run dt", (dts) =>
      dts.find((d) => d.textContent === "Trades").nextElementSibling.textContent);
    assert(Number(trades) > 0, `trades: ${trades}`);
    await until("the equity curve drawn", async () => (await drawnPixels(page, ".run canvas")) > 200);
    // Its trades on its own candles: entries and exits as markers on the run's price chart.
    const markers = await until("the run's trades on its candles", async () =>
      Number(await page.getAttribute(".run .prices", "data-markers")));
    assert(markers >= 2, `markers: ${markers}`);
    await until("the run's candles drawn", async () => (await drawnPixels(page, ".run .prices canvas")) > 2000);
  },

  async search({ page, base, options }) {
    await open(page, base, options);
    await page.selectOption("#opt-strategy", "sma_crossover");
    await page.fill("#opt-space", "strategy.fast_period=3..9:3\nstrategy.slow_period=20,30\nrisk.stop_loss_pct=1,2");
    await page.fill("#opt-folds", "2");
    await page.click('#search-form button[type="submit"]');
    await page.waitForSelector("#opt-trials-body tr", { timeout: 60000 });
    const id = await page.getAttribute("#opt-table", "data-id");
    const state = await api(options, `/optimize/${encodeURIComponent(id)}`);
    assert(state.status === "completed", `status: ${state.status}`);
    const top = state.report.top;
    const rows = await page.$$eval("#opt-trials-body tr", (trs) =>
      trs.map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert(rows.length === top.length && top.length === 10, `rows: ${rows.length}, top: ${top.length}`);
    assert(rows[0][1].includes(`strategy.fast_period=${top[0].params["strategy.fast_period"]}`),
           `first row: ${rows[0]}`);
    assert(/trials/.test(await page.textContent("#opt-status")), "no summary of the search");
    // Apply the best trial, from the keyboard: the running configuration and the form show it.
    await page.focus("#opt-trials-body tr:first-child button");
    await page.keyboard.press("Enter");
    await page.waitForSelector('#opt-trials-body button[data-applied="true"]', { timeout: T });
    const cfg = await api(options, "/config");
    assert(cfg.strategy.name === "sma_crossover", `strategy: ${cfg.strategy.name}`);
    for (const [key, value] of Object.entries(top[0].params)) {
      const [group, name] = key.split(".");
      assert(cfg[group][name] === value, `${key}: ${cfg[group][name]} != ${value}`);
      assert(Number(await page.inputValue(`[data-key="${key}"]`)) === value, `the form's ${key}`);
    }
  },

  async token({ page, base, options }) {
    const sockets = [];
    page.on("websocket", (ws) => sockets.push(ws.url()));
    await page.goto(base);
    await page.waitForSelector("#token-dialog[open]", { timeout: T });
    await page.fill("#token-input", "not-the-token");
    await page.press("#token-input", "Enter");
    await until("the refusal said", async () =>
      /refused/.test(await page.textContent("#token-why")));
    await page.fill("#token-input", options.token);
    await page.press("#token-input", "Enter");
    await page.waitForSelector('body[data-ready="true"]', { timeout: T });
    await page.waitForSelector('body[data-stream="live"]', { timeout: T });
    assert(sockets.length >= 1 && sockets.every((u) => /[?&]ticket=[0-9a-f]{32}$/.test(u)),
           `stream URLs: ${sockets}`);
    assert(sockets.every((u) => !u.includes(options.token)), "the token is in a URL");
    // Kept for the tab: a reload asks nothing.
    await page.reload();
    await page.waitForSelector('body[data-ready="true"]', { timeout: T });
    assert(!(await page.$("#token-dialog[open]")), "asked again after a reload");
  },
};
