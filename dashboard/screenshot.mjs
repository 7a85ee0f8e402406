// node dashboard/screenshot.mjs BASE_URL OUT.png: the README's picture of the dashboard. Runs two
// backtests from the page (so that they show side by side), then saves the whole page. Run by
// deploy/screenshot, with CT_BROWSER_MODULES where `npm ci` installed playwright-core.
import { createRequire } from "node:module";
import { join } from "node:path";

const [base, out] = process.argv.slice(2);
const { chromium } = createRequire(join(process.env.CT_BROWSER_MODULES, "package.json"))(
  "playwright-core");
const browser = await chromium.launch({
  executablePath: process.env.CT_CHROMIUM || "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
try {
  // Tall enough for the whole page in one viewport (a full-page capture would repeat the sticky
  // header mid-way).
  const page = await browser.newPage({ viewport: { width: 1280, height: 2250 } });
  await page.emulateMedia({ colorScheme: "light" });
  await page.goto(base);
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForSelector('body[data-stream="live"]');
  for (const strategy of ["momentum", "ema_crossover"]) {
    await page.selectOption("#bt-strategy", strategy);
    await page.click('#backtest-form button[type="submit"]');
    await page.waitForFunction(
      (s) => [...document.querySelectorAll(".run h3")].some((h) => h.textContent.startsWith(s)),
      strategy, { timeout: 120000 });
  }
  await page.waitForTimeout(500);  // the curves' last frame
  await page.screenshot({ path: out });
  console.log(`saved ${out}`);
} finally {
  await browser.close();
}
