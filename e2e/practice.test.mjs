// The practice chip: a virtual BK7231N with no reset wiring whose firmware ignores the flasher, so it
// links only after the user presses "Touch CEN to GND (virtual)" while the page is linking.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, openPage, SCREENSHOTS } from './harness.mjs';

const LONG = { timeout: 60_000 };
/** Long enough for every automatic reset the flasher tries; far shorter than its 20 s link window. */
const WAIT_UNTOUCHED_MS = 6_000;

let server;
before(async () => { server = await start(); });
after(async () => { await server?.close(); });

const shot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

test('the practice chip links only after the virtual manual reset', async () => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'no-serial.js' });
  await page.selectOption('#virtual-chip', 'bk7231n-manual');
  await page.click('#connect-virtual');
  await page.waitForSelector('#practice-touch-cen', LONG);
  await page.waitForFunction(() => /firmware/i.test(document.querySelector('#line-diagnosis')?.textContent ?? ''), null, LONG);
  await page.waitForTimeout(WAIT_UNTOUCHED_MS);
  assert.equal(await page.locator('#chip-card').count(), 0, 'no link without the manual reset');
  assert.match(await page.textContent('#line-diagnosis'), /firmware/i);
  assert.equal(await page.locator('#linking').count(), 1, 'still linking');
  await shot(page, 'practice-waiting');
  await page.click('#practice-touch-cen');
  await page.waitForSelector('#chip-card', LONG);
  assert.equal(await page.textContent('#chip-chip'), 'BK7231N');
  assert.equal(await page.locator('#practice-touch-cen').count(), 0, 'the control goes once linked');
  await shot(page, 'practice-linked');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the practice control is not offered for a chip the page resets itself', async () => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'no-serial.js' });
  await page.selectOption('#virtual-chip', 'bk7231n');
  await page.click('#connect-virtual');
  await page.waitForSelector('#chip-card', LONG);
  assert.equal(await page.locator('#practice-touch-cen').count(), 0);
  assert.deepEqual(errors, []);
  await page.context().close();
});
