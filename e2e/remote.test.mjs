// Remote firmware and the embed: the manifest's build is chosen only once both chip and manifest are
// known, fetched once per chip, dropped with a message when the chip changes or the download fails,
// and a late download for an earlier chip is thrown away; bad URLs are refused or given up with a
// message; the embed dialog and the page itself ask before closing while a job runs.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { start, DIST, EXPERT_VIEW, SCREENSHOTS } from './harness.mjs';

const SUB_PATH = '/bkflash/';
const TESTDATA = fileURLToPath(new URL('../testdata/', import.meta.url));
const LONG = { timeout: 240_000 };
const MIME_TYPES = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.css': 'text/css', '.svg': 'image/svg+xml', '.json': 'application/json',
};
const MIB = 1024 * 1024;
/** Where the test's files are served: next to the flasher, and next to the example docs page. */
const FILE_DIRS = [`${SUB_PATH}fw/`, `${SUB_PATH}embed/firmware/`];

/**
 * An OpenBeken-style QIO image (flash from address 0, no chip named in it), made from the app vector:
 * a CRC16 block at 0, the RBL trailer ending at 0x11000, the app's first CRC blocks at 0x11000.
 */
async function openbekenQio() {
  const rbl = gunzipSync(await readFile(join(TESTDATA, 'bk7231t_app_0x011000.rbl.gz')));
  const qio = Buffer.alloc(0x13000, 0xff);
  rbl.copy(qio, 0, 0, 34);
  rbl.copy(qio, 0x11000 - 102, rbl.length - 102);
  rbl.copy(qio, 0x11000, 0, 0x2000);
  return qio;
}

const manifest = (builds) => JSON.stringify({ manifest_version: 1, name: 'Race firmware', version: '3.1', builds });
const N_UF2 = { chip: 'BK7231N', image: 'libretiny-uf2', path: 'bk7231n_cb2s.uf2' };
const T_UF2 = { chip: 'BK7231T', image: 'libretiny-uf2', path: 'bk7231t_wb2s.uf2' };

let browser, closeBrowser, site, origin;
/** Files under SUB_PATH fw/ by name; everything else under SUB_PATH comes from dist/. */
const files = {};
/** Requests per path, and requests held until the test releases them. */
const hits = new Map();
const holds = new Map();
const openResponses = new Set();

/** Hold the next requests for `path` until the returned release() is called. */
function hold(path) {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  let requested;
  const arrived = new Promise((resolve) => { requested = resolve; });
  let sent;
  const finished = new Promise((resolve) => { sent = resolve; });
  holds.set(path, { released, requested, sent });
  return { arrived, finished, release: () => { holds.delete(path); release(); } };
}

async function serve(req, res) {
  const path = normalize(decodeURIComponent(new URL(req.url, 'http://x').pathname));
  hits.set(path, (hits.get(path) ?? 0) + 1);
  const held = holds.get(path);
  if (held) {
    held.requested();
    await held.released;
    res.on('finish', held.sent);
  }
  const dir = FILE_DIRS.find((d) => path.startsWith(d));
  const name = dir ? path.slice(dir.length) : null;
  if (name === 'slow.bin') {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    res.write(Buffer.alloc(16));
    openResponses.add(res);
    return;
  }
  if (name === 'huge-announced.bin') {
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': 17 * MIB });
    openResponses.add(res);
    res.write(Buffer.alloc(1024));
    return;
  }
  if (name === 'huge-chunked.bin') {
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    const chunk = Buffer.alloc(MIB, 0xff);
    for (let i = 0; i < 17; i += 1) res.write(chunk);
    res.end();
    return;
  }
  const body = name && files[name];
  if (body) {
    res.writeHead(200, { 'content-type': MIME_TYPES[extname(name)] ?? 'application/octet-stream' });
    res.end(body);
    return;
  }
  if (!path.startsWith(SUB_PATH)) { res.writeHead(404); res.end(); return; }
  const inDist = path.slice(SUB_PATH.length);
  try {
    const file = join(DIST, inDist === '' || inDist.endsWith('/') ? `${inDist}index.html` : inDist);
    const content = await readFile(file);
    res.writeHead(200, { 'content-type': MIME_TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(content);
  } catch {
    res.writeHead(404);
    res.end();
  }
}

before(async () => {
  ({ browser, close: closeBrowser } = await start());
  for (const name of ['bk7231n_cb2s.uf2', 'bk7231t_wb2s.uf2']) files[name] = await readFile(join(TESTDATA, name));
  files['openbeken_qio.bin'] = await openbekenQio();
  files['both.json'] = manifest([N_UF2, T_UF2]);
  files['manifest.json'] = files['both.json'];
  files['race.json'] = manifest([{ chip: 'BK7231N', image: 'openbeken-qio', path: 'openbeken_qio.bin' }, T_UF2]);
  files['missing.json'] = manifest([{ chip: 'BK7231N', image: 'libretiny-uf2', path: 'gone.uf2' }]);
  files['embed-bad-flasher.html'] = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>docs</title>
    <link rel="icon" href="data:,">
    <script src="${SUB_PATH}embed/bk-flash-button.js" defer></script></head><body>
    <bk-flash-button flasher="javascript:alert(1)" manifest="both.json"></bk-flash-button></body></html>`;
  site = http.createServer(serve);
  await new Promise((resolve) => site.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${site.address().port}`;
});
after(async () => {
  for (const res of openResponses) res.destroy();
  await closeBrowser?.();
  site.closeAllConnections?.();
  await new Promise((resolve) => site.close(resolve));
});

/** Open `path` under the site with the virtual device (no Web Serial, no save dialog). */
async function open(path, { initScripts = ['no-serial.js', 'no-save-dialog.js'], clock = false } = {}) {
  const context = await browser.newContext({ viewport: { width: 1000, height: 760 } });
  await context.addInitScript({ path: EXPERT_VIEW });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(`console.error: ${message.text()}`); });
  for (const script of initScripts) await page.addInitScript({ path: fileURLToPath(new URL(script, import.meta.url)) });
  if (clock) await page.clock.install();
  await page.goto(`${origin}${path}`);
  return { page, errors };
}

const status = (page) => page.textContent('#remote-status');
const statusMatches = (page, pattern) => page.waitForFunction(
  (source) => new RegExp(source).test(document.querySelector('#remote-status')?.textContent ?? ''), pattern.source, LONG);

async function connectVirtual(page, chip) {
  await page.selectOption('#virtual-chip', chip);
  await page.click('#connect-virtual');
  // The port label says which virtual chip answered; the chip card then shows its family.
  await page.waitForFunction((name) => {
    const family = document.querySelector('#chip-chip')?.textContent;
    return family === name && document.querySelector('[data-testid=outcome-ok]')?.textContent.startsWith(`Linked to ${name}`);
  }, chip.slice(0, 7).toUpperCase(), LONG);
}

async function writeWithoutBackup(page) {
  await page.waitForSelector('#plan', LONG);
  await page.click('#write');
  await page.uncheck('#confirm-backup');
  await page.click('#confirm-yes');
  await page.waitForSelector('[data-testid=outcome-ok]', LONG);
  assert.match(await page.textContent('#outcome'), /Written and verified/);
}

test('chip first, manifest late: the build is chosen when the manifest arrives, and fetched once', LONG, async () => {
  const late = hold(`${SUB_PATH}fw/both.json`);
  const { page, errors } = await open(`${SUB_PATH}?manifest=fw/both.json`);
  await page.waitForSelector('#connect-virtual');
  await late.arrived;
  await connectVirtual(page, 'bk7231n');
  assert.match(await status(page), /Downloading the firmware list/);
  late.release();
  await statusMatches(page, /^Firmware from .*\/fw\/bk7231n_cb2s\.uf2$/);
  await writeWithoutBackup(page);
  await page.click('#verify');
  await page.waitForFunction(() => /chip holds this file exactly/.test(document.querySelector('[data-testid=outcome-ok]')?.textContent ?? ''), null, LONG);
  assert.equal(hits.get(`${SUB_PATH}fw/bk7231n_cb2s.uf2`), 1, 'one download for this chip, whatever jobs ran');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the chip changes between builds: the old build is dropped with a message, a late one thrown away', LONG, async () => {
  const qio = hold(`${SUB_PATH}fw/openbeken_qio.bin`);
  const tBuild = hold(`${SUB_PATH}fw/bk7231t_wb2s.uf2`);
  const { page, errors } = await open(`${SUB_PATH}?manifest=fw/race.json`);
  await statusMatches(page, /connect the chip/);
  await connectVirtual(page, 'bk7231n');
  await qio.arrived;
  await connectVirtual(page, 'bk7231t');
  await tBuild.arrived;
  await statusMatches(page, /^The chip is now a BK7231T \(it was a BK7231N\): that chip's build was dropped\. Downloading the BK7231T build/);
  assert.equal(await page.locator('#file-analysis').count(), 0);
  assert.equal(await page.isDisabled('#write'), true);
  // The OpenBeken build for the BK7231N arrives now, after the chip changed: it must be thrown away.
  qio.release();
  await qio.finished;
  await page.waitForTimeout(500);
  assert.equal(await page.locator('#file-analysis').count(), 0, 'the late BK7231N build was not loaded');
  tBuild.release();
  await statusMatches(page, /^Firmware from .*\/fw\/bk7231t_wb2s\.uf2$/);
  assert.match(await page.textContent('.file-name'), /^bk7231t_wb2s\.uf2/);
  await writeWithoutBackup(page);
  await page.screenshot({ path: join(SCREENSHOTS, 'manifest-chip-changed.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('an OpenBeken build (no chip in the file) is offered only to the chip the manifest names', LONG, async () => {
  const { page, errors } = await open(`${SUB_PATH}?manifest=fw/race.json`);
  await statusMatches(page, /connect the chip/);
  await connectVirtual(page, 'bk7231n');
  await statusMatches(page, /^Firmware from .*\/fw\/openbeken_qio\.bin$/);
  assert.match(await page.textContent('#file-kind'), /OpenBeken QIO/);
  assert.match(await page.textContent('#file-chip'), /does not say/);
  await page.waitForSelector('#plan', LONG);
  await connectVirtual(page, 'bk7231t-app');
  await statusMatches(page, /^Firmware from .*\/fw\/bk7231t_wb2s\.uf2$/);
  assert.match(await page.textContent('.file-name'), /^bk7231t_wb2s\.uf2/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a build that cannot be downloaded is dropped with a message and nothing can be written', LONG, async () => {
  const { page, errors } = await open(`${SUB_PATH}?manifest=fw/missing.json`);
  await statusMatches(page, /connect the chip/);
  await connectVirtual(page, 'bk7231n');
  await statusMatches(page, /^The BK7231N build could not be loaded: could not download .*\/fw\/gone\.uf2: the server answered HTTP 404/);
  assert.match(await status(page), /Nothing will be written\.$/);
  assert.equal(await page.locator('#file-analysis').count(), 0);
  assert.equal(await page.isDisabled('#write'), true);
  assert.deepEqual(errors.filter((e) => !/404/.test(e)), []);
  await page.context().close();
});

for (const [query, pattern] of [
  ['firmware=javascript:alert(1)', /^refused to open javascript:alert\(1\): bkflash only downloads http:\/\/ and https:\/\/ addresses, not javascript: ones/],
  ['manifest=data:application/json,%7B%7D', /^refused to open data:application\/json,\{\}: bkflash only downloads http:\/\/ and https:\/\/ addresses, not data: ones/],
  ['firmware=fw/huge-announced.bin', /^refused to download .*huge-announced\.bin: it is 17825792 bytes or more, larger than any flash bkflash writes \(16 MiB\)/],
  ['firmware=fw/huge-chunked.bin', /^refused to download .*huge-chunked\.bin: it is \d+ bytes or more, larger than any flash/],
]) {
  test(`?${query} is refused with a reason, not reported as a network problem`, LONG, async () => {
    const { page, errors } = await open(`${SUB_PATH}?${query}`);
    await statusMatches(page, pattern);
    assert.doesNotMatch(await status(page), /CORS/);
    assert.deepEqual(errors, []);
    await page.context().close();
  });
}

test('a download that stalls is given up after 30 s with a message', LONG, async () => {
  const { page, errors } = await open(`${SUB_PATH}?firmware=fw/slow.bin`, { clock: true });
  await statusMatches(page, /^Downloading slow\.bin/);
  await page.clock.runFor(31_000);
  await statusMatches(page, /^gave up downloading .*\/fw\/slow\.bin: nothing arrived for 30 s/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("the embed refuses a flasher address that is not http(s)", LONG, async () => {
  const { page, errors } = await open(`${SUB_PATH}fw/embed-bad-flasher.html`, { initScripts: ['fake-serial.js'] });
  await page.click('bk-flash-button button.open');
  assert.equal(await page.isVisible('bk-flash-button p.refused'), true);
  assert.match(await page.textContent('bk-flash-button p.refused'), /flasher address must start with https:\/\/ or http:\/\/; "javascript:" addresses are refused/);
  assert.equal(await page.locator('bk-flash-button dialog[open]').count(), 0);
  assert.deepEqual(errors, []);
  await page.context().close();
});

/** Start a long read in `frame` (the whole flash of the virtual chip): a job that keeps the page busy. */
async function startLongRead(frame) {
  await frame.click('#connect-virtual');
  await frame.waitForSelector('#chip-card', LONG);
  await frame.click('.advanced summary');
  await frame.fill('#range-start', '0x0');
  await frame.fill('#range-length', '0x200000');
  await frame.click('#read-range');
  await frame.waitForSelector('#progress');
}

test('while a job runs, the embed dialog asks before closing, and so does the page itself', LONG, async () => {
  const { page, errors } = await open(`${SUB_PATH}embed/example.html`, { initScripts: ['fake-serial.js', 'no-save-dialog.js'] });
  await page.click('bk-flash-button button.open');
  const frame = await (await page.waitForSelector('bk-flash-button dialog[open] iframe')).contentFrame();
  await startLongRead(frame);
  await page.waitForFunction(() => document.querySelector('bk-flash-button').busy === true, null, LONG);
  const asked = new Promise((resolve) => page.once('dialog', async (dialog) => {
    resolve({ type: dialog.type(), message: dialog.message() });
    await dialog.dismiss();
  }));
  await page.click('bk-flash-button button.close');
  const question = await asked;
  assert.equal(question.type, 'confirm');
  assert.match(question.message, /still working on the chip/);
  assert.equal(await page.locator('bk-flash-button dialog[open]').count(), 1, 'the dialog stays open');
  await frame.waitForSelector('[data-testid=outcome-ok]', LONG);
  await page.waitForFunction(() => document.querySelector('bk-flash-button').busy === false, null, LONG);
  await page.click('bk-flash-button button.close');
  assert.equal(await page.locator('bk-flash-button dialog[open]').count(), 0);

  const { page: flasher, errors: flasherErrors } = await open(SUB_PATH);
  await startLongRead(flasher.mainFrame());
  const prompt = new Promise((resolve) => flasher.once('dialog', async (dialog) => {
    resolve(dialog.type());
    await dialog.dismiss();
  }));
  await flasher.close({ runBeforeUnload: true });
  assert.equal(await prompt, 'beforeunload');
  assert.equal(flasher.isClosed(), false, 'the tab stays while the job runs');
  await flasher.waitForSelector('[data-testid=outcome-ok]', LONG);
  assert.deepEqual([...errors, ...flasherErrors], []);
  await flasher.context().close();
  await page.context().close();
});
