// End-to-end: the guided flow (crate-web/src/guided/) in headless Chromium, by keyboard only, over a
// simulated chip behind fake Web Serial (e2e/sim-serial.js); the link failure with a silent adapter
// (e2e/silent-serial.js); the view switch. Every screen: axe-core light and dark, no horizontal scroll
// at 360 px, screenshots at 1280×900 and 360×800, and dark (target/screenshots/guided-*.png).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start, openPage, SCREENSHOTS } from './harness.mjs';
import { axeViolations } from './axe.mjs';

const TESTDATA = fileURLToPath(new URL('../testdata/', import.meta.url));
const LONG = { timeout: 240_000 };
const expected = JSON.parse(await readFile(join(TESTDATA, 'expected.json'), 'utf8'));

let server;
before(async () => { server = await start(); });
after(async () => { await server?.close(); });

const heading = (page) => page.textContent('#guided-heading');

/** Wait until the step heading reads `text` and has the focus (moved there by the step change). */
async function stepShows(page, text) {
  await page.waitForFunction((want) => {
    const h = document.querySelector('#guided-heading');
    return h?.textContent.includes(want) && document.activeElement === h;
  }, text, LONG);
  assert.notEqual(await page.evaluate(() => document.activeElement?.tagName), 'BODY');
}

/** Press Tab until the element `id` has the focus (keyboard only: no clicks). */
async function tabTo(page, id) {
  for (let i = 0; i < 80; i += 1) {
    if (await page.evaluate((want) => document.activeElement?.id === want, id)) return;
    await page.keyboard.press('Tab');
  }
  const at = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
  assert.fail(`Tab never reached #${id} (focus is on ${at})`);
}

/** axe light and dark, no horizontal scroll at 360 px, and the two screenshots of this screen. */
async function checkScreen(page, name) {
  for (const colorScheme of ['light', 'dark']) {
    await page.emulateMedia({ colorScheme });
    assert.deepEqual(await axeViolations(page), [], `axe on ${name} (${colorScheme})`);
  }
  await page.screenshot({ path: join(SCREENSHOTS, `guided-${name}-dark.png`), fullPage: true });
  await page.emulateMedia({ colorScheme: 'light' });
  await page.setViewportSize({ width: 360, height: 800 });
  const widths = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
  assert.ok(widths[0] <= widths[1], `${name} scrolls sideways at 360 px: ${widths}`);
  await page.screenshot({ path: join(SCREENSHOTS, `guided-${name}-phone.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: join(SCREENSHOTS, `guided-${name}-desktop.png`), fullPage: true });
}

test('a first-timer installs firmware by keyboard only: Start, Connect, Back up, Install, Finish', LONG, async () => {
  const { page, errors } = await openPage(server.browser, server.base, {
    initScript: 'sim-serial.js', view: 'guided', viewport: { width: 1280, height: 900 },
  });
  assert.equal(await page.textContent('h1:visible'), 'Put new firmware on a Tuya plug or bulb (Beken BK7231)');
  assert.match(await page.textContent('#guided-wiring'), /TX1 \(P11\)/);
  await checkScreen(page, 'start');

  await tabTo(page, 'guided-connect');
  await page.keyboard.press('Enter');
  await stepShows(page, 'Save the original firmware');
  assert.match(await page.textContent('.chip-line'), /BK7231N · 2 MB flash ✓/);
  await checkScreen(page, 'backup');

  const before = await page.evaluate(() => window.simFlashSha256());
  const download = page.waitForEvent('download', LONG);
  await tabTo(page, 'guided-backup');
  await page.keyboard.press('Enter');
  await stepShows(page, 'Saving the original firmware');
  await checkScreen(page, 'backing-up');
  await stepShows(page, 'Choose the new firmware');
  const backup = await download;
  assert.match(await page.textContent('#guided-saved'), new RegExp(`in this browser \\(Backups\\) and as ${backup.suggestedFilename()} in Downloads`));
  assert.equal(await page.evaluate(() => window.simFlashSha256()), before, 'the backup changed nothing');

  const file = 'bk7231n_cb2s.uf2';
  await tabTo(page, 'guided-file');
  await page.locator(':focus').setInputFiles(join(TESTDATA, file));
  await page.waitForSelector('#guided-install:enabled', LONG);
  assert.match(await page.textContent('#guided-verdict'), /made for BK7231N · replaces the app, keeps the bootloader · \d+ kB · about \d+ s/);
  await checkScreen(page, 'install');

  await tabTo(page, 'guided-install');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#confirm');
  await tabTo(page, 'confirm-no');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#confirm', { state: 'hidden' });
  assert.equal(await heading(page), 'Choose the new firmware', 'answering No keeps the install step');

  await tabTo(page, 'guided-install');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#confirm');
  await tabTo(page, 'confirm-yes');
  await page.keyboard.press('Enter');
  await stepShows(page, 'Installing');
  await checkScreen(page, 'installing');
  await stepShows(page, 'Installed ✓');
  const regions = expected[file].flasher_regions;
  const hashes = await Promise.all(regions.map((r) => page.evaluate(([o, l]) => window.simRegionSha256(o, l), [parseInt(r.offset, 16), r.length])));
  assert.deepEqual(hashes, regions.map((r) => r.sha256), 'the chip holds what the file says');
  assert.equal(await page.locator('#guided-restart:enabled').count(), 1);
  await checkScreen(page, 'finish');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a chip that never answers shows "Didn\'t catch it", and Try again links; an unplug mid-install shows the error screen', LONG, async () => {
  const { page, errors } = await openPage(server.browser, server.base, {
    initScript: ['sim-serial.js', 'silent-serial.js'], view: 'guided', viewport: { width: 1280, height: 900 },
  });
  await page.evaluate(() => { window.__simSilent = true; });
  await tabTo(page, 'guided-connect');
  await page.keyboard.press('Enter');
  await stepShows(page, 'Reset the chip now');
  assert.match(await page.textContent('.instruction'), /Touch CEN to GND/);
  await checkScreen(page, 'reset');
  await stepShows(page, "Didn't catch it");
  assert.match(await page.textContent('.step-card'), /The chip did not answer in 20 s\./);
  assert.equal(await page.isVisible('text=LinkCheck'), false, 'engine words stay folded');
  await checkScreen(page, 'no-link');

  await page.evaluate(() => { window.__simSilent = false; });
  await tabTo(page, 'guided-again');
  await page.keyboard.press('Enter');
  await stepShows(page, 'Save the original firmware');
  await tabTo(page, 'guided-backup');
  await page.keyboard.press('Enter');
  await stepShows(page, 'Choose the new firmware');
  await page.setInputFiles('#guided-file', join(TESTDATA, 'bk7231n_cb2s.uf2'));
  await page.waitForSelector('#guided-install:enabled', LONG);
  await page.evaluate(() => window.simUnplugAfter(2000));
  await tabTo(page, 'guided-install');
  await page.keyboard.press('Enter');
  await tabTo(page, 'confirm-yes');
  await page.keyboard.press('Enter');
  await stepShows(page, 'The install did not finish');
  assert.match(await page.textContent('#guided-retry'), /Reconnect/);
  assert.match(await page.textContent('.step-card'), /untouched|half-written/);
  await checkScreen(page, 'error');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the view switch: ?view=expert opens today\'s page, the choice is remembered, the virtual plug links', LONG, async () => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'no-serial.js', view: 'guided' });
  await page.goto(`${server.base}?view=expert`);
  await page.waitForSelector('#connect');
  assert.equal(await page.isVisible('#guided'), false);
  await page.goto(server.base);
  await page.waitForSelector('#guided-heading');
  await page.click('#view-switch');
  await page.waitForSelector('#connect');
  await page.reload();
  await page.waitForSelector('#connect');
  assert.equal(await page.isVisible('#guided'), false, 'the expert view is remembered');
  await page.click('#view-switch');
  await page.reload();
  await page.waitForSelector('#guided-heading');

  await page.click('#guided-virtual');
  await stepShows(page, 'Save the original firmware');
  assert.match(await page.textContent('.chip-line'), /BK7231N · 2 MB flash ✓/);
  assert.equal(await heading(page), 'Save the original firmware');
  assert.deepEqual(errors, []);
  await page.context().close();
});
