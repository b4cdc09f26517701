// End-to-end: the Trunk-built page (dist/) in headless Chromium, with and without Web Serial.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, openPage, SCREENSHOTS } from './harness.mjs';

let server;
before(async () => { server = await start(); });
after(async () => { await server?.close(); });

test('with Web Serial the page offers Connect, the virtual device and help', async () => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'fake-serial.js' });
  assert.equal(await page.textContent('h1'), 'bkflash');
  assert.equal(await page.locator('#unsupported').count(), 0);
  assert.equal(await page.isEnabled('#connect'), true);
  assert.equal(await page.isEnabled('#connect-virtual'), true);
  assert.match(await page.textContent('#wiring'), /TX1 \(P11\)/);
  assert.equal(await page.isDisabled('#write'), true, 'nothing to write before a chip and a file');
  await page.screenshot({ path: join(SCREENSHOTS, 'page-light.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the virtual device can be chosen and linked from the keyboard', async () => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'no-serial.js' });
  await page.focus('#virtual-chip');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'connect-virtual');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#chip-card', { timeout: 60_000 });
  assert.equal(await page.textContent('#chip-chip'), 'BK7231N');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('without Web Serial the page names the browsers that work', async () => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'no-serial.js' });
  const notice = await page.textContent('#unsupported');
  for (const browser of ['Chrome', 'Edge', 'Opera', 'Firefox 151']) {
    assert.ok(notice.includes(browser), `notice names ${browser}: ${notice}`);
  }
  assert.equal(await page.isDisabled('#connect'), true);
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(SCREENSHOTS, 'unsupported-light.png'), fullPage: true });
  await page.context().close();
});

test('dark mode and a phone-sized screen render without errors', async () => {
  const { page, errors } = await openPage(server.browser, server.base, {
    initScript: 'no-serial.js', colorScheme: 'dark', viewport: { width: 390, height: 800 },
  });
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.notEqual(background, 'rgb(246, 247, 249)', 'dark mode changes the page background');
  assert.deepEqual(errors, []);
  await page.screenshot({ path: join(SCREENSHOTS, 'unsupported-dark-phone.png'), fullPage: true });
  await page.context().close();
});
