// Browser-side numbers, Markdown on stdout: what the first load costs for a plain visit (the guided
// Start screen alone) and for the expert view, and the on-demand virtual device (files as Chromium
// fetched them, raw and gzip -9), the time from navigation to an interactive Connect button against
// a plain Leptos hello world built the same way (same run), the virtual device's start time, and
// parse + plan of a firmware file in wasm (bench/wasm-plan).
// Usage: node bench/browser.mjs DIST_DIR HELLO_DIST_DIR WASM_PKG_DIR FIRMWARE_FILE [RUNS]
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const [dist, helloDist, pkg, firmware, runsArg] = process.argv.slice(2);
const RUNS = Number(runsArg ?? 9);
const PLAN_CALLS = 20;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml',
};
const PLAN_PAGE = `<!doctype html><script type="module">
import init, { parse_and_plan } from './pkg/bkflash_bench_wasm_plan.js';
window.measure = async (runs) => {
  await init();
  const file = new Uint8Array(await (await fetch('./firmware')).arrayBuffer());
  const times = [];
  let sectors = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    sectors = parse_and_plan(file);
    times.push(performance.now() - t0);
  }
  return { bytes: file.length, sectors, times };
};
window.ready = true;
</script>`;
// Navigation to an enabled Connect: #connect in the expert view and the hello world, #guided-connect
// on the Start screen (Leptos attaches its handler before inserting the button).
const TTI_SCRIPT = `(() => {
  const observer = new MutationObserver(() => {
    const button = document.getElementById('connect') ?? document.getElementById('guided-connect');
    if (button && !button.disabled && window.__tti === undefined) {
      window.__tti = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true, attributes: true });
  const port = { getInfo: () => ({}) };
  Object.defineProperty(navigator, 'serial', { configurable: true, value: {
    requestPort: async () => port, getPorts: async () => [], addEventListener() {}, removeEventListener() {} } });
})();`;

/** The file behind a request path: /hello/… from the hello world, /pkg/… and /firmware for parse + plan. */
function fileFor(path) {
  if (path === '/firmware') return firmware;
  if (path.startsWith('/pkg/')) return join(pkg, path.slice(5));
  if (path.startsWith('/hello/')) return join(helloDist, path.slice(7) || 'index.html');
  return join(dist, path === '/' ? 'index.html' : path);
}

async function serve(req, res) {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
  try {
    const body = path === '/plan' ? PLAN_PAGE : await readFile(fileFor(path));
    res.writeHead(200, { 'content-type': MIME_TYPES[extname(path)] ?? 'text/html' });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const kib = (n) => (n / 1024).toFixed(1);
const ms = (n) => n.toFixed(0);

/** Raw and gzip -9 sizes of the files behind `paths`. */
async function sizes(paths) {
  const rows = [];
  for (const path of paths) {
    const body = await readFile(fileFor(path));
    rows.push({ name: path.slice(1) || 'index.html', raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
  }
  return rows;
}

function printSizes(title, rows) {
  console.log(`| ${title} | raw KiB | gzip -9 KiB |\n|---|---:|---:|`);
  for (const r of rows) console.log(`| ${r.name.replace(/-[0-9a-f]{12,}/, '-…')} | ${kib(r.raw)} | ${kib(r.gzip)} |`);
  const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip }), { raw: 0, gzip: 0 });
  console.log(`| **total** | **${kib(total.raw)}** | **${kib(total.gzip)}** |\n`);
  return total;
}

/** One cold load (fresh context: no HTTP or code cache) of `url`; returns the TTI in ms and the requests. */
async function coldLoad(browser, url) {
  const context = await browser.newContext();
  const requests = new Set();
  context.on('request', (request) => requests.add(new URL(request.url()).pathname));
  await context.addInitScript(TTI_SCRIPT);
  const page = await context.newPage();
  await page.goto(url);
  await page.waitForFunction(() => window.__tti !== undefined, null, { timeout: 30_000 })
    .catch((error) => { throw new Error(`${url}: Connect never became interactive (${error.message})`); });
  const tti = await page.evaluate(() => window.__tti);
  return { context, page, tti, requests };
}

/** Click "Virtual device": ms until its worker is ready and until the chip is linked and identified. */
async function startVirtualDevice(page) {
  const t0 = await page.evaluate(() => {
    const t = performance.now();
    document.getElementById('connect-virtual').click();
    return t;
  });
  await page.waitForSelector('#chip-card', { timeout: 60_000 });
  const linked = await page.evaluate(() => performance.now());
  const ready = await page.evaluate(() => performance.getEntriesByName('bkflash:virtual-device-ready')[0]?.startTime);
  return { ready: ready - t0, linked: linked - t0 };
}

/** On the Start screen, click "Try a virtual plug": ms until the page is loaded, linked and on Back up. */
async function startFromStartScreen(page) {
  const t0 = await page.evaluate(() => {
    const t = performance.now();
    document.getElementById('guided-virtual').click();
    return t;
  });
  await page.waitForFunction(() => document.querySelector('#guided-heading')?.textContent.includes('Save the original'),
    null, { timeout: 60_000 });
  return (await page.evaluate(() => performance.now())) - t0;
}

const server = http.createServer(serve);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  // What the browser fetches: a plain visit, the expert view, then the virtual device from it.
  const plainUrl = `${base}/`;
  const expertUrl = `${base}/?view=expert`;
  const plain = await coldLoad(browser, plainUrl);
  const plainLoad = [...plain.requests];
  await plain.context.close();
  const expert = await coldLoad(browser, expertUrl);
  const expertLoad = [...expert.requests];
  expert.requests.clear();
  await startVirtualDevice(expert.page);
  const onDemand = [...expert.requests];
  await expert.context.close();

  console.log('First load of a plain visit (every file Chromium fetched until the Start screen\'s Connect was interactive):\n');
  const plainTotal = printSizes('file', await sizes(plainLoad));
  console.log('First load of the expert view (`?view=expert`, until its Connect was interactive):\n');
  const expertTotal = printSizes('file', await sizes(expertLoad));
  console.log('On demand, when the user picks the virtual device in the expert view:\n');
  printSizes('file', await sizes(onDemand));

  const plainTimes = [];
  const expertTimes = [];
  const hello = [];
  const starts = [];
  const fromStart = [];
  for (let i = 0; i < RUNS; i++) {
    for (const [url, times] of [[plainUrl, plainTimes], [expertUrl, expertTimes], [`${base}/hello/`, hello]]) {
      const run = await coldLoad(browser, url);
      times.push(run.tti);
      if (times === expertTimes) starts.push(await startVirtualDevice(run.page));
      if (times === plainTimes) fromStart.push(await startFromStartScreen(run.page));
      await run.context.close();
    }
  }
  const helloLoad = await coldLoad(browser, `${base}/hello/`);
  const helloTotal = (await sizes([...helloLoad.requests])).reduce((t, r) => t + r.gzip, 0);
  await helloLoad.context.close();

  console.log(`Cold loads in headless Chromium, ${RUNS} runs each, interleaved; ms, median (min-max):\n`);
  console.log('| measure | plain visit | expert view | Leptos hello world | plain visit / hello world |\n|---|---:|---:|---:|---:|');
  const range = (v) => `${ms(median(v))} (${ms(Math.min(...v))}-${ms(Math.max(...v))})`;
  console.log(`| first load, gzip KiB | ${kib(plainTotal.gzip)} | ${kib(expertTotal.gzip)} | ${kib(helloTotal)} | ${(plainTotal.gzip / helloTotal).toFixed(2)} |`);
  console.log(`| navigation to interactive Connect | ${range(plainTimes)} | ${range(expertTimes)} | ${range(hello)} | ${(median(plainTimes) / median(hello)).toFixed(2)} |`);
  console.log(`| virtual plug: click to chip linked, page module loaded first | ${range(fromStart)} | | | |`);
  console.log(`| virtual device: click to worker ready | | ${range(starts.map((s) => s.ready))} | | |`);
  console.log(`| virtual device: click to chip linked and identified | | ${range(starts.map((s) => s.linked))} | | |\n`);

  const planPage = await browser.newPage();
  await planPage.goto(`${base}/plan`);
  await planPage.waitForFunction(() => window.ready === true);
  const { bytes, sectors, times } = await planPage.evaluate((calls) => window.measure(calls), PLAN_CALLS);
  const sorted = [...times].sort((a, b) => a - b);
  console.log(`Parse + plan of a ${bytes}-byte UF2 (${sectors} sectors) in wasm, headless Chromium, ${PLAN_CALLS} calls:`);
  console.log(`first ${times[0].toFixed(1)} ms, median ${median(times).toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms`);
} finally {
  await browser.close();
  server.close();
}
