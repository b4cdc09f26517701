// Shared set-up for the end-to-end tests: serves dist/ on 127.0.0.1 (random port), and under
// /e2e-bridge/ the test-only simulator module e2e/sim-serial.js uses (scripts/e2e-bridge.sh builds it),
// and drives Debian's Chromium through playwright-core. Every page fails its test on any uncaught page error.
import http from 'node:http';
import { access, mkdir, readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
export const DIST = process.env.DIST_DIR ?? join(root, 'dist');
export const SCREENSHOTS = join(root, 'target', 'screenshots');
// Where scripts/e2e-bridge.sh puts it: under CARGO_TARGET_DIR when that is set.
export const BRIDGE = process.env.E2E_BRIDGE_DIR
  ?? join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'e2e-bridge');
const BRIDGE_PATH = '/e2e-bridge/';
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

// WebAssembly.instantiateStreaming refuses a .wasm without this exact MIME type.
const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml',
};

async function serveFile(req, res) {
  let path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
  if (path.endsWith(sep)) path += 'index.html';
  const file = path.startsWith(BRIDGE_PATH) ? join(BRIDGE, path.slice(BRIDGE_PATH.length)) : join(DIST, path);
  try {
    const body = await readFile(file);
    res.writeHead(200, { 'content-type': MIME_TYPES[extname(path)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end();
  }
}

/** Start the server and the browser; returns { base, browser, close }. */
export async function start() {
  await access(join(BRIDGE, 'bkflash-sim-bridge_bg.wasm')).catch(() => {
    throw new Error(`no simulator bridge in ${BRIDGE}: run \`bash scripts/e2e-bridge.sh\` after the trunk build`);
  });
  await mkdir(SCREENSHOTS, { recursive: true });
  const server = http.createServer(serveFile);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}/`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const close = async () => {
    await browser.close();
    await new Promise((resolve) => server.close(resolve));
  };
  return { base, browser, close };
}

/** The init script that makes a page open in the expert view (see e2e/expert-view.js). */
export const EXPERT_VIEW = join(root, 'e2e', 'expert-view.js');

/**
 * Open the page with `initScript` (a file in e2e/, or a list of them) run before any page script.
 * Unless `saveDialog` is set, the browser has no save dialog (backups are kept in the page's storage
 * and offered as downloads), as a headless browser cannot answer one. The page opens in the expert
 * view unless `view` is 'guided' (then nothing is remembered and the guided default shows).
 * Returns { page, errors }: `errors` collects uncaught exceptions and console errors.
 */
export async function openPage(browser, base, { initScript, colorScheme = 'light', viewport, saveDialog = false, view = 'expert' } = {}) {
  const context = await browser.newContext({ colorScheme, viewport: viewport ?? { width: 1000, height: 720 } });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console.error: ${message.text()}`);
  });
  const scripts = [saveDialog ? 'save-dialog.js' : 'no-save-dialog.js', ...[initScript ?? []].flat()];
  if (view !== 'guided') scripts.unshift('expert-view.js');
  for (const script of scripts) await page.addInitScript({ path: join(root, 'e2e', script) });
  await page.goto(base);
  await page.waitForSelector(view === 'guided' ? '#guided' : '#connect');
  return { page, errors };
}
