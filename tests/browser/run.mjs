// node run.mjs SCENARIO BASE_URL [JSON options]: drives Debian's Chromium (headless, through
// playwright-core from this folder's lockfile) through one scenario of scenarios.mjs against a
// running service. Exit status 0 when it passed; on failure, a screenshot goes to
// options.screenshot (the test's temporary directory), and the error to stderr. Any console error
// or uncaught exception on the page fails the scenario.
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

import { scenarios } from "./scenarios.mjs";

const modules = process.env.CT_BROWSER_MODULES;
if (!modules) throw new Error("CT_BROWSER_MODULES: the folder where npm ci installed playwright-core");
const { chromium } = createRequire(join(modules, "package.json"))("playwright-core");

const [name, base, json] = process.argv.slice(2);
const options = JSON.parse(json || "{}");
const scenario = scenarios[name];
if (!scenario) throw new Error(`no scenario ${name}`);

const executablePath = process.env.CT_CHROMIUM || "/usr/bin/chromium";
if (!existsSync(executablePath))
  throw new Error(`no Chromium at ${executablePath}: deploy/test installs Debian's chromium`);
const browser = await chromium.launch({
  executablePath,
  // Root in a container needs --no-sandbox; the rest keep Chromium off the (closed) network.
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});
const page = await browser.newPage({ viewport: { width: 1024, height: 900 } });
const problems = [];
page.on("console", (m) => {
  // With options.allowErrors the scenario provokes error answers on purpose (a 422, a 401):
  // Chromium logs each as "Failed to load resource"; anything else still fails.
  const expected = options.allowErrors && m.text().startsWith("Failed to load resource");
  if (m.type() === "error" && !expected) problems.push(`console: ${m.text()}`);
});
page.on("pageerror", (e) => problems.push(`page error: ${e}`));
page.on("response", (r) => {
  if (r.status() >= 400 && !options.allowErrors) problems.push(`HTTP ${r.status()}: ${r.url()}`);
});
try {
  await scenario({ page, base, options, problems });
  if (problems.length) throw new Error(problems.join("\n"));
  console.log(JSON.stringify({ scenario: name, passed: true }));
} catch (e) {
  if (options.screenshot) await page.screenshot({ path: options.screenshot, fullPage: true });
  console.error(e && e.stack ? e.stack : String(e));
  process.exitCode = 1;
} finally {
  await browser.close();
}
