// End-to-end: a plain visit loads only the guided Start screen (start/, crate-web/src/start_shell.rs)
// and fetches the flasher page when the user picks something there; the page takes over with that
// choice (a virtual plug, the adapter's chooser, an expert link). Other addresses load the page at once.
// Linking an adapter chosen on the Start screen is e2e/guided.test.mjs's first test.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, SCREENSHOTS } from './harness.mjs';

const LONG = { timeout: 120_000 };
const PAGE_WASM = /\/bkflash-web-[0-9a-f]+_bg\.wasm$/;
const START_WASM = /\/start\/bkflash-start_bg\.wasm$/;

let server;
before(async () => { server = await start(); });
after(async () => { await server?.close(); });

/** A fresh browser context at `path`; `fetched` lists every URL the page asked for so far. */
async function visit(path, { initScript, block } = {}) {
  const context = await server.browser.newContext({ viewport: { width: 1000, height: 800 } });
  const page = await context.newPage();
  const fetched = [];
  const errors = [];
  page.on('request', (request) => fetched.push(request.url()));
  page.on('pageerror', (error) => errors.push(error.message));
  if (initScript) await page.addInitScript(initScript);
  if (block) await page.route(block, (route) => route.abort());
  await page.goto(new URL(path, server.base).href);
  return { page, fetched, errors };
}

const count = (page, selector) => page.locator(selector).count();

test('a plain visit loads the Start screen alone; a virtual plug (double-clicked) brings one flasher page, which takes over', LONG, async () => {
  const { page, fetched, errors } = await visit('./');
  await page.waitForSelector('#guided-connect:not([disabled])');
  await page.waitForSelector('#guided-wiring-picture-module');
  assert.ok(fetched.some((url) => START_WASM.test(url)), 'the Start module was fetched');
  assert.ok(!fetched.some((url) => PAGE_WASM.test(url)), `the flasher page was fetched before any pick: ${fetched.join(' ')}`);
  await page.screenshot({ path: join(SCREENSHOTS, 'first-load-start.png'), fullPage: true });

  await page.dblclick('#guided-virtual');
  await page.waitForFunction(() => document.querySelector('#guided-heading')?.textContent.includes('Save the original firmware'), null, LONG);
  assert.ok(fetched.some((url) => PAGE_WASM.test(url)), 'the pick fetched the flasher page');
  assert.equal(await count(page, '#guided'), 1, 'one guided view: the Start screen went, and the double click made one page');
  assert.equal(await count(page, '#view-switch'), 1, 'one header');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'guided-heading', 'focus on the new step');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('Connect on the Start screen opens the chooser in the click; closing it is reported by the page', LONG, async () => {
  const { page, errors } = await visit('./', {
    initScript: () => {
      navigator.serial.requestPort = async () => { throw new DOMException('No port selected by the user.', 'NotFoundError'); };
    },
  });
  await page.click('#guided-connect');
  await page.waitForFunction(() => document.querySelector('#guided-heading')?.textContent.includes('did not open'), null, LONG);
  assert.match(await page.textContent('#guided [role=alert]'), /No port chosen/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a footer link of the Start screen opens the expert view at its section and remembers it', LONG, async () => {
  const { page, fetched } = await visit('./');
  await page.click('.guided-footer >> text=Help');
  await page.waitForSelector('#help-title', { state: 'visible' });
  await page.waitForFunction(() => document.activeElement?.id === 'help-title', null, LONG);
  assert.ok(fetched.some((url) => PAGE_WASM.test(url)));
  assert.equal(await page.evaluate(() => localStorage.getItem('bkflash.view')), 'expert');
  assert.equal(await count(page, '#guided'), 0, 'the Start screen went');
  await page.context().close();
});

test('the expert view and any asked-for address load the flasher page at once, never the Start module', LONG, async () => {
  for (const path of ['./?view=expert', './?mode=spi']) {
    const { page, fetched } = await visit(path);
    await page.waitForSelector('#connect');
    assert.ok(fetched.some((url) => PAGE_WASM.test(url)), `${path} fetched the page`);
    assert.ok(!fetched.some((url) => START_WASM.test(url)), `${path} fetched the Start module`);
    await page.context().close();
  }
});

test('when the flasher page cannot load, the Start screen says so next to its buttons and stays usable', LONG, async () => {
  const { page } = await visit('./', { block: PAGE_WASM });
  await page.click('#guided-virtual');
  await page.waitForFunction(() => document.querySelector('#guided-start-status')?.textContent.includes('did not load'), null, LONG);
  assert.match(await page.textContent('#guided-start-status'), /reload the page and try again/);
  assert.equal(await page.isEnabled('#guided-connect'), true);
  await page.locator('#guided-start-status').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(SCREENSHOTS, 'first-load-failed.png') });
  await page.context().close();
});
