// The production page as built in dist/: no end-to-end test bridge anywhere in it, and the virtual
// device's module fetched only when the user picks the virtual device, then run in a Web Worker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { start, openPage, DIST } from './harness.mjs';

// The bridge's class and its wasm-bindgen exports (simport_new, ...), and the global that once
// handed the page's bindings to the tests.
const BRIDGE_MARKERS = ['SimPort', 'simport_', 'wasmBindings', 'e2e-bridge'];

async function filesUnder(dir) {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

let server;
before(async () => { server = await start(); });
after(async () => { await server?.close(); });

test('no file in dist/ carries the test bridge', async () => {
  const files = await filesUnder(DIST);
  assert.ok(files.some((f) => f.endsWith('_bg.wasm')), `a built page in ${DIST}`);
  for (const file of files) {
    const text = (await readFile(file)).toString('latin1');
    for (const marker of BRIDGE_MARKERS) assert.ok(!text.includes(marker), `${file} contains ${marker}`);
  }
});

test('the virtual device is fetched only when picked, and runs in a worker', async () => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'no-serial.js' });
  const loaded = () => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname);
  const firstLoad = await page.evaluate(loaded);
  assert.ok(firstLoad.some((path) => path.endsWith('_bg.wasm')), `the page loaded its wasm: ${firstLoad}`);
  assert.deepEqual(firstLoad.filter((path) => path.startsWith('/device/')), [], 'nothing of the virtual device yet');
  assert.equal(page.workers().length, 0);

  await page.click('#connect-virtual');
  await page.waitForSelector('#chip-card', { timeout: 60_000 });
  assert.ok((await page.evaluate(loaded)).includes('/device/virtual-serial.js'));
  const workers = page.workers();
  assert.equal(workers.length, 1, 'the simulator runs in a Web Worker');
  assert.match(workers[0].url(), /\/device\/worker\.js$/);
  assert.ok((await workers[0].evaluate(loaded)).includes('/device/bkflash-device_bg.wasm'));
  assert.deepEqual(errors, []);
  await page.context().close();
});
