// Lighthouse (from npm, pinned in package.json) on pages of the built site, with
// its mobile defaults: a mid-range phone on a simulated slow 4G link.
//
//   node booktools/lighthouse.mjs BASE_URL OUT.json PAGE [PAGE ...] [--runs N]
//
// One Chromium (Debian's, CHROME_PATH or /usr/bin/chromium) serves every run, so
// the cost is Lighthouse's, not a browser start per run; Lighthouse empties the
// cache and storage before each run, so every run is a first visit. Pages run
// one after the other (parallel runs on two cores would skew the timings), each
// N times (3 by default), with only the four categories the book looks at. OUT.json
// gets, per page, a list of runs: the four scores (0-100), largest contentful
// paint (ms), total blocking time (ms), cumulative layout shift, bytes transferred,
// Lighthouse's benchmark index of the machine, the audits of the gated categories
// that did not pass, and the run's error if it failed outright.
// booktools/lighthouse.py reads it: it gates the categories that audit the page
// itself and reports the timings.
import fs from "node:fs";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";

const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
// The categories that audit the page itself, whatever the machine's load.
const GATED = ["accessibility", "best-practices", "seo"];

function parseArguments(argv) {
  const args = [...argv];
  let runs = 3;
  const index = args.indexOf("--runs");
  if (index >= 0) {
    runs = Number(args[index + 1]);
    args.splice(index, 2);
  }
  const [baseUrl, out, ...pages] = args;
  if (!baseUrl || !out || pages.length === 0 || !(runs > 0)) {
    console.error("usage: node booktools/lighthouse.mjs BASE_URL OUT.json PAGE [PAGE ...] [--runs N]");
    process.exit(2);
  }
  return { baseUrl, out, pages, runs };
}

function summary(lhr) {
  const score = (name) => Math.round((lhr.categories[name]?.score ?? 0) * 100);
  const audit = (name) => lhr.audits[name]?.numericValue ?? null;
  const gatedAudits = new Set(
    GATED.flatMap((name) => (lhr.categories[name]?.auditRefs ?? []).map((ref) => ref.id)));
  const failing = Object.values(lhr.audits)
    .filter((a) => gatedAudits.has(a.id) && a.score !== null && a.score < 1
      && a.scoreDisplayMode !== "informative"
      && a.scoreDisplayMode !== "notApplicable" && a.scoreDisplayMode !== "manual")
    .map((a) => a.id);
  return {
    performance: score("performance"),
    accessibility: score("accessibility"),
    "best-practices": score("best-practices"),
    seo: score("seo"),
    lcp_ms: audit("largest-contentful-paint"),
    tbt_ms: audit("total-blocking-time"),
    cls: audit("cumulative-layout-shift"),
    bytes: audit("total-byte-weight"),
    benchmark_index: lhr.environment?.benchmarkIndex ?? null,
    failing,
    runtime_error: lhr.runtimeError?.message ?? null,
  };
}

const { baseUrl, out, pages, runs } = parseArguments(process.argv.slice(2));
const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROME_PATH || "/usr/bin/chromium",
  chromeFlags: ["--headless=new", "--no-sandbox", "--disable-gpu"],
});
const results = {};
try {
  for (const page of pages) {
    results[page] = [];
    for (let run = 0; run < runs; run += 1) {
      const started = Date.now();
      const result = await lighthouse(new URL(page, baseUrl).href, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: CATEGORIES,
        // Pictures of the page load cost time and count for no score.
        disableFullPageScreenshot: true,
        skipAudits: ["screenshot-thumbnails", "final-screenshot"],
      });
      const row = summary(result.lhr);
      row.seconds = (Date.now() - started) / 1000;
      results[page].push(row);
      console.log(`${page} run ${run + 1}: performance ${row.performance}, LCP ${Math.round(row.lcp_ms)} ms`);
    }
  }
} finally {
  await chrome.kill();
}
fs.writeFileSync(out, JSON.stringify(results, null, 2));
