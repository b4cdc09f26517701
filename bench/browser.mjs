// Browser-side numbers: the release bundle in dist/ (wasm + js + css, raw and gzip) and the time to
// parse and plan a firmware file inside wasm in headless Chromium (bench/wasm-plan, built by run.sh).
// Usage: node bench/browser.mjs DIST_DIR WASM_PKG_DIR FIRMWARE_FILE [RUNS]
import http from 'node:http';
import { readFile, readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';

const [dist, pkg, firmware, runsArg] = process.argv.slice(2);
const RUNS = Number(runsArg ?? 20);
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const MIME_TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm' };
const PAGE = `<!doctype html><script type="module">
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

async function bundleRows() {
  const rows = [];
  for (const name of (await readdir(dist)).sort()) {
    if (!['.wasm', '.js', '.css'].includes(extname(name))) continue;
    const body = await readFile(join(dist, name));
    rows.push({ name, raw: body.length, gzip: gzipSync(body, { level: 9 }).length });
  }
  return rows;
}

async function serve(req, res) {
  const path = new URL(req.url, 'http://x').pathname;
  try {
    let body;
    if (path === '/') body = PAGE;
    else if (path === '/firmware') body = await readFile(firmware);
    else if (path.startsWith('/pkg/')) body = await readFile(join(pkg, path.slice(5)));
    else throw new Error('not found');
    res.writeHead(200, { 'content-type': MIME_TYPES[extname(path)] ?? (path === '/' ? 'text/html' : 'application/octet-stream') });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
}

const rows = await bundleRows();
const kb = (n) => (n / 1024).toFixed(1);
console.log('| file | raw KiB | gzip -9 KiB |\n|---|---:|---:|');
for (const r of rows) console.log(`| ${r.name.replace(/-[0-9a-f]{12,}/, '')} | ${kb(r.raw)} | ${kb(r.gzip)} |`);
const total = rows.reduce((t, r) => ({ raw: t.raw + r.raw, gzip: t.gzip + r.gzip }), { raw: 0, gzip: 0 });
console.log(`| **bundle (wasm + js + css)** | ${kb(total.raw)} | ${kb(total.gzip)} |\n`);

const server = http.createServer(serve);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/`);
  await page.waitForFunction(() => window.ready === true);
  const { bytes, sectors, times } = await page.evaluate((runs) => window.measure(runs), RUNS);
  const sorted = [...times].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  console.log(`parse + plan of a ${bytes}-byte UF2 (${sectors} sectors) in wasm, headless Chromium, ${RUNS} runs:`);
  console.log(`first ${times[0].toFixed(1)} ms, median ${median.toFixed(1)} ms, max ${sorted.at(-1).toFixed(1)} ms`);
} finally {
  await browser.close();
  server.close();
}
