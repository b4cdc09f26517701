// Hosting: the built site under a sub-path (as on GitHub Pages), ?manifest= picking the build for
// the chip, the embed button on a docs page, and the CSP keeping every request on the page's origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start, DIST, EXPERT_VIEW, SCREENSHOTS } from './harness.mjs';

const SUB_PATH = '/bkflash/';
const FIXTURES = fileURLToPath(new URL('fixtures/hosting/', import.meta.url));
const TLS = fileURLToPath(new URL('fixtures/tls/', import.meta.url));
const TESTDATA = fileURLToPath(new URL('../testdata/', import.meta.url));
const FIRMWARE_FILES = new Set(['bk7231n_cb2s.uf2', 'bk7231t_wb2s.uf2']);
// Where a docs site would put its manifest: next to the page, and next to the example docs page.
const FIRMWARE_DIRS = [`${SUB_PATH}fw/`, `${SUB_PATH}embed/firmware/`];
const LONG = { timeout: 240_000 };
const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json',
};

/** The file a request maps to, or null: dist/ under SUB_PATH, fixtures and the two UF2s under FIRMWARE_DIRS. */
function fileFor(pathname) {
  const path = normalize(decodeURIComponent(pathname));
  const dir = FIRMWARE_DIRS.find((d) => path.startsWith(d));
  if (dir) {
    const name = path.slice(dir.length);
    return FIRMWARE_FILES.has(name) ? join(TESTDATA, name) : join(FIXTURES, name);
  }
  if (!path.startsWith(SUB_PATH)) return null;
  const inDist = path.slice(SUB_PATH.length);
  return join(DIST, inDist === '' || inDist.endsWith('/') ? `${inDist}index.html` : inDist);
}

function listen(handler, tls) {
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

let browser, closeBrowser, site, origin, other, otherHits, otherTls, otherTlsHits;
before(async () => {
  ({ browser, close: closeBrowser } = await start());
  site = await listen(async (req, res) => {
    const file = fileFor(new URL(req.url, 'http://x').pathname);
    try {
      const body = await readFile(file ?? '/nonexistent');
      res.writeHead(200, { 'content-type': MIME_TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404);
      res.end();
    }
  });
  origin = `http://127.0.0.1:${site.address().port}`;
  // Other origins the page must never reach; each counts every request that gets through. The
  // https one matters most: production's CSP lets fetch() reach https: origins (for manifests), so
  // only script-src and img-src keep its scripts and images out.
  otherHits = [];
  other = await listen((req, res) => { otherHits.push(req.url); res.writeHead(200); res.end('x'); });
  otherTlsHits = [];
  const tls = { key: await readFile(join(TLS, 'key.pem')), cert: await readFile(join(TLS, 'cert.pem')) };
  otherTls = await listen((req, res) => {
    otherTlsHits.push(req.url);
    res.writeHead(200, { 'content-type': 'text/javascript' });
    res.end('window.__otherOriginRan = true;');
  }, tls);
});
after(async () => {
  await closeBrowser?.();
  await Promise.all([site, other, otherTls].map((s) => s && new Promise((resolve) => s.close(resolve))));
});

/** Open `path` (under the site's origin) recording every request and every error. */
async function open(path, { initScript = 'no-serial.js' } = {}) {
  // Certificate errors are ignored so that only the CSP can keep a request to the https origin away.
  const context = await browser.newContext({ viewport: { width: 1000, height: 760 }, ignoreHTTPSErrors: true });
  await context.addInitScript({ path: EXPERT_VIEW });
  const page = await context.newPage();
  const errors = [];
  const requests = [];
  context.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(`console.error: ${message.text()}`); });
  for (const script of ['no-save-dialog.js', initScript]) {
    await page.addInitScript({ path: fileURLToPath(new URL(script, import.meta.url)) });
  }
  await page.goto(`${origin}${path}`);
  return { page, errors, requests };
}

function assertAllOnSite(requests) {
  assert.ok(requests.length > 0);
  for (const url of requests) assert.ok(url.startsWith(`${origin}${SUB_PATH}`), `request left the site: ${url}`);
}

test('the built site works under a sub-path, with a CSP, and requests only its own files', async () => {
  const { page, errors, requests } = await open(SUB_PATH);
  await page.waitForSelector('#connect');
  const csp = await page.getAttribute('meta[http-equiv=Content-Security-Policy]', 'content');
  assert.match(csp, /default-src 'none'/);
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'(;|$)/);
  assert.deepEqual(errors, []);
  assertAllOnSite(requests);
  assert.ok(requests.some((url) => url.endsWith('.wasm')), 'the wasm came from the sub-path');
  await page.context().close();
});

test('the CSP blocks scripts and images from another https origin, and any request to plain http', async () => {
  const { page, requests } = await open(SUB_PATH);
  await page.waitForSelector('#connect');
  const httpOrigin = `http://127.0.0.1:${other.address().port}`;
  const httpsOrigin = `https://127.0.0.1:${otherTls.address().port}`;
  const blocked = await page.evaluate(async ([plain, secure]) => {
    const violations = [];
    document.addEventListener('securitypolicyviolation', (e) => violations.push(`${e.effectiveDirective} ${new URL(e.blockedURI).protocol}`));
    const fetched = await fetch(`${plain}/fetch`).then(() => 'fetched', () => 'refused');
    const failed = ['img', 'script'].map((tag) => {
      const element = document.createElement(tag);
      const done = new Promise((resolve) => { element.onerror = resolve; element.onload = resolve; });
      element.src = `${secure}/${tag}`;
      document.body.append(element);
      return done;
    });
    await Promise.all(failed);
    return { fetched, ran: window.__otherOriginRan === true, violations: violations.sort() };
  }, [httpOrigin, httpsOrigin]);
  assert.equal(blocked.fetched, 'refused');
  assert.equal(blocked.ran, false, 'no script from the https origin ran');
  assert.deepEqual(blocked.violations, ['connect-src http:', 'img-src https:', 'script-src-elem https:']);
  assert.deepEqual(otherTlsHits, [], 'nothing reached the https origin');
  assert.deepEqual(otherHits, [], 'nothing reached the http origin');
  assertAllOnSite(requests.filter((url) => !url.startsWith(httpOrigin) && !url.startsWith(httpsOrigin)));
  await page.context().close();
});

/** Connect a virtual chip on a page opened with ?manifest=, then wait until the manifest's file is loaded. */
async function connectWithManifest(manifest, chip) {
  const opened = await open(`${SUB_PATH}?manifest=fw/${manifest}`);
  const { page } = opened;
  await page.waitForSelector('#connect-virtual');
  await page.waitForFunction(() => /connect the chip/.test(document.querySelector('#remote-status')?.textContent));
  await page.selectOption('#virtual-chip', chip);
  await page.click('#connect-virtual');
  await page.waitForSelector('#chip-card', LONG);
  return opened;
}

for (const [chip, file] of [['bk7231n', 'bk7231n_cb2s.uf2'], ['bk7231t', 'bk7231t_wb2s.uf2']]) {
  test(`?manifest= picks the ${chip.toUpperCase()} build for the virtual ${chip.toUpperCase()} and flashes it`, async () => {
    const { page, errors, requests } = await connectWithManifest('manifest.json', chip);
    await page.waitForFunction((f) => document.querySelector('#remote-status')?.textContent.endsWith(f), file, LONG);
    assert.equal(await page.textContent('#remote-status'), `Firmware from ${origin}${SUB_PATH}fw/${file}`);
    await page.waitForSelector('#file-analysis');
    assert.match(await page.textContent('#file-analysis'), new RegExp(file));
    const backup = page.waitForEvent('download', LONG);
    await page.click('#write');
    await page.click('#confirm-yes');
    await backup;
    await page.waitForSelector('[data-testid=outcome-ok]', LONG);
    assert.match(await page.textContent('#outcome'), /Written and verified/);
    await page.screenshot({ path: join(SCREENSHOTS, `hosting-manifest-${chip}.png`), fullPage: true });
    assert.deepEqual(errors, []);
    assertAllOnSite(requests);
    await page.context().close();
  });
}

test('a manifest without a build for the chip says so and offers nothing to write', async () => {
  const { page, errors } = await connectWithManifest('manifest-bk7231t-only.json', 'bk7231n');
  await page.waitForFunction(() => /no build/.test(document.querySelector('#remote-status')?.textContent));
  assert.match(
    await page.textContent('#remote-status'),
    /^T-only firmware 2\.0 has no build for this chip \(BK7231N\); it has builds for BK7231T\./,
  );
  assert.equal(await page.isDisabled('#write'), true);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the example docs page opens the flasher with its manifest in a dialog', async () => {
  const { page, errors, requests } = await open(`${SUB_PATH}embed/example.html`, { initScript: 'fake-serial.js' });
  await page.click('bk-flash-button button.open');
  const frameElement = await page.waitForSelector('bk-flash-button dialog[open] iframe');
  assert.equal(await frameElement.getAttribute('allow'), 'serial');
  const manifestUrl = `${origin}${SUB_PATH}embed/firmware/manifest.json`;
  assert.equal(await frameElement.getAttribute('src'), `${origin}${SUB_PATH}?manifest=${encodeURIComponent(manifestUrl)}`);
  const frame = await frameElement.contentFrame();
  await frame.waitForFunction(() => /^Example firmware 1\.0\.0/.test(document.querySelector('#remote-status')?.textContent));
  assert.equal(await frame.isEnabled('#connect'), true, 'Web Serial is usable inside the frame');
  await page.screenshot({ path: join(SCREENSHOTS, 'hosting-embed-dialog.png') });
  await page.click('bk-flash-button button.close');
  assert.equal(await page.locator('bk-flash-button dialog[open]').count(), 0);
  assert.deepEqual(errors, []);
  assertAllOnSite(requests);
  await page.context().close();
});

test('the embed button shows its unsupported-browser text where Web Serial is missing', async () => {
  const { page, errors } = await open(`${SUB_PATH}embed/example.html`);
  await page.click('bk-flash-button button.open');
  assert.equal(await page.isVisible('bk-flash-button p.unsupported'), true);
  assert.match(await page.textContent('bk-flash-button [slot=unsupported]'), /Chrome or Edge/);
  assert.equal(await page.locator('bk-flash-button dialog[open]').count(), 0);
  assert.deepEqual(errors, []);
  await page.context().close();
});
