// End-to-end: the Trunk-built page (dist/) in headless Chromium, with and without Web Serial.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { start, openPage, SCREENSHOTS } from './harness.mjs';

let server;
before(async () => { server = await start(); });
after(async () => { await server?.close(); });

test('with Web Serial the page offers Connect and reports the chosen adapter', async () => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'fake-serial.js' });
  assert.equal(await page.textContent('h1'), 'bkflash');
  assert.equal(await page.locator('#unsupported').count(), 0);
  assert.equal(await page.isEnabled('#connect'), true);
  await page.screenshot({ path: join(SCREENSHOTS, 'page-light.png'), fullPage: true });
  await page.click('#connect');
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Port chosen'));
  assert.equal(await page.textContent('#status'), 'Port chosen: USB 1a86:7523 (CH340).');
  await page.screenshot({ path: join(SCREENSHOTS, 'port-chosen-light.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('Connect can be reached and pressed from the keyboard', async () => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'fake-serial.js' });
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'connect');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#status').textContent.startsWith('Port chosen'));
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
