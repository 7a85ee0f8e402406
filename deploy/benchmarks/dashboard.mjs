// deploy/bench dashboard's browser side: node dashboard.mjs PAGE_URL SOAK_S. Prints one line:
//   first_chart_ms=… candles=… heap_start_mb=… heap_end_mb=… stream=live|…
// first_chart_ms: from navigation to the frame after the chart got its candles (the page's
// "ct-first-chart" mark), best of three fresh loads. The heap is the page's JS heap after a forced
// garbage collection (DevTools protocol), once the page settled (WARM_S of live updates, so that
// V8 has compiled the page's hot code: its compiled code is part of the heap) and again after
// SOAK_S seconds more; heap_max_mb is the largest of the samples taken every 30 s between.
import { createRequire } from "node:module";
import { join } from "node:path";

const [url, soakText] = process.argv.slice(2);
const soakS = Number(soakText || 600);
const WARM_S = 60;
const { chromium } = createRequire(join(process.env.CT_BROWSER_MODULES, "package.json"))(
  "playwright-core");
const browser = await chromium.launch({
  executablePath: process.env.CT_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

async function load() {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(url);
  await page.waitForFunction(() => performance.getEntriesByName("ct-first-chart").length > 0,
                             null, { timeout: 60000 });
  const ms = await page.evaluate(() => performance.getEntriesByName("ct-first-chart")[0].startTime);
  const candles = Number(await page.getAttribute("#chart", "data-candles"));
  return { page, ms, candles };
}

async function heapMb(cdp) {
  await cdp.send("HeapProfiler.collectGarbage");
  const { usedSize } = await cdp.send("Runtime.getHeapUsage");
  return usedSize / (1024 * 1024);
}

try {
  const loads = [];
  for (let i = 0; i < 3; i++) {
    const l = await load();
    loads.push(l);
    if (i < 2) await l.page.close();
  }
  const first = Math.min(...loads.map((l) => l.ms));
  const { page, candles } = loads[2];
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("HeapProfiler.enable");
  await page.waitForTimeout(WARM_S * 1000);
  const start = await heapMb(cdp);
  let max = start;
  for (let left = soakS; left > 0; left -= 30) {
    await page.waitForTimeout(Math.min(30, left) * 1000);
    max = Math.max(max, await heapMb(cdp));
  }
  const end = await heapMb(cdp);
  const stream = await page.getAttribute("body", "data-stream");
  const rows = await page.$$eval("#timeline li", (l) => l.length);
  console.log(`first_chart_ms=${first.toFixed(0)} candles=${candles} heap_start_mb=${start.toFixed(2)} ` +
              `heap_end_mb=${end.toFixed(2)} heap_max_mb=${max.toFixed(2)} stream=${stream} timeline_rows=${rows}`);
} finally {
  await browser.close();
}
