// Accessibility of the expert page: axe-core finds nothing in each state (light and dark), the
// confirm dialog is a real modal, focus never falls to the body, the live region speaks rarely, and a
// 360 px phone neither scrolls sideways nor offers small touch targets. Screenshots: a11y-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start, openPage, EXPERT_VIEW, SCREENSHOTS } from './harness.mjs';
import { axeViolations } from './axe.mjs';

const TESTDATA = fileURLToPath(new URL('../testdata/', import.meta.url));
const LONG = { timeout: 240_000 };
const PHONE = { width: 360, height: 800 };

let server;
before(async () => { server = await start(); });
after(async () => { await server?.close(); });

/** A phone: 360×800, touch, coarse pointer; the same init scripts as `openPage`. */
async function openPhone(colorScheme) {
  const context = await server.browser.newContext({ colorScheme, viewport: PHONE, isMobile: true, hasTouch: true });
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  await page.addInitScript({ path: EXPERT_VIEW });
  for (const script of ['no-save-dialog.js', 'fake-serial.js']) {
    await page.addInitScript({ path: fileURLToPath(new URL(script, import.meta.url)) });
  }
  await page.goto(server.base);
  await page.waitForSelector('#connect');
  return { page, errors };
}

const open = (colorScheme, viewport) => (viewport?.width === PHONE.width
  ? openPhone(colorScheme)
  : openPage(server.browser, server.base, { initScript: 'fake-serial.js', colorScheme, viewport }));

async function noViolations(page, state) {
  assert.deepEqual(await axeViolations(page), [], `axe in state "${state}"`);
}

async function noSidewaysScroll(page, state) {
  const { scroll, client, wide } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
    wide: [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth)
      .filter((e) => { for (let a = e.parentElement; a; a = a.parentElement) if (getComputedStyle(a).overflowX !== 'visible') return false; return true; })
      .slice(0, 5).map((e) => `${e.tagName.toLowerCase()}#${e.id}.${e.className}`),
  }));
  assert.ok(scroll <= client, `state "${state}": the page is ${scroll} px wide in a ${client} px screen: ${wide}`);
}

/** Visible buttons, selects and summaries lower than 44 px. */
const smallTargets = (page) => page.evaluate(() => [...document.querySelectorAll('button, select, summary, .button-like')]
  .filter((e) => e.getClientRects().length > 0 && e.getBoundingClientRect().height < 44)
  .map((e) => `${e.id || e.textContent.trim().slice(0, 30)}: ${Math.round(e.getBoundingClientRect().height)} px`));

async function inViewport(page, selector) {
  return page.evaluate((s) => {
    const box = document.querySelector(s)?.getBoundingClientRect();
    return box !== undefined && box.top >= 0 && box.bottom <= window.innerHeight;
  }, selector);
}

const activeId = (page) => page.evaluate(() => (document.activeElement === document.body ? 'BODY' : document.activeElement?.id ?? '?'));

/** Walk the page through its states with a virtual chip; `check(state)` runs in each. */
async function walk(page, check) {
  await check('landing');
  await page.evaluate(() => {
    navigator.serial.requestPort = async () => { throw new DOMException('No port selected by the user.', 'NotFoundError'); };
  });
  await page.click('#connect');
  await page.waitForSelector('[data-testid=outcome-error]', LONG);
  await check('error');
  await page.selectOption('#virtual-chip', { index: 0 });
  await page.click('#connect-virtual');
  await page.waitForSelector('#chip-card', LONG);
  await page.waitForSelector('[data-testid=outcome-ok]', LONG);
  await check('linked');
  await page.setInputFiles('#firmware-file', join(TESTDATA, 'bk7231t_app.ota.rbl'));
  await page.waitForSelector('#refusal');
  await check('refused file');
  await page.setInputFiles('#firmware-file', join(TESTDATA, 'bk7231n_cb2s.uf2'));
  await page.waitForSelector('#plan', LONG);
  await page.click('#plan-details summary');
  await page.click('#plan-details details summary');
  await page.click('#log summary');
  await check('plan shown');
  await page.click('#write');
  await page.waitForSelector('#confirm[open]');
  await check('confirm open');
  await page.click('#confirm-yes');
  await page.waitForSelector('#progress', LONG);
  await check('job running');
  await page.waitForSelector('[data-testid=outcome-ok]', LONG);
  await check('done');
}

for (const colorScheme of ['light', 'dark']) {
  test(`axe finds nothing in any state, ${colorScheme}, desktop`, async () => {
    const { page, errors } = await open(colorScheme, { width: 1280, height: 900 });
    await walk(page, async (state) => {
      await noViolations(page, state);
      if (['landing', 'plan shown', 'confirm open', 'done'].includes(state)) {
        await page.screenshot({ path: join(SCREENSHOTS, `a11y-${state.replace(' ', '-')}-desktop-${colorScheme}.png`) });
      }
    });
    assert.deepEqual(errors, []);
    await page.context().close();
  });

  test(`a 360 px phone: no sideways scroll, 44 px targets, axe clean, ${colorScheme}`, async () => {
    const { page, errors } = await open(colorScheme, PHONE);
    assert.ok(await page.isVisible('#phone-note'), 'the phone note shows on a touch screen');
    await walk(page, async (state) => {
      await noSidewaysScroll(page, state);
      if (state !== 'job running') await noViolations(page, state);
      if (['landing', 'linked', 'plan shown', 'confirm open', 'done'].includes(state)) {
        await page.screenshot({ path: join(SCREENSHOTS, `a11y-${state.replace(' ', '-')}-phone-${colorScheme}.png`) });
      }
      if (state === 'plan shown') assert.deepEqual(await smallTargets(page), [], 'touch targets under 44 px');
    });
    assert.deepEqual(errors, []);
    await page.context().close();
  });
}

test('the confirm dialog is modal: focus starts on Back, Escape writes nothing and returns focus', async () => {
  const { page, errors } = await open('light');
  await page.click('#connect-virtual');
  await page.waitForSelector('#chip-card', LONG);
  assert.notEqual(await activeId(page), 'BODY', 'focus after Connect');
  assert.equal(await activeId(page), 'outcome-title');
  assert.ok(await inViewport(page, '#outcome-title'), 'the Connect result is in view');
  await page.setInputFiles('#firmware-file', join(TESTDATA, 'bk7231n_cb2s.uf2'));
  await page.waitForSelector('#plan', LONG);
  await page.focus('#write');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#confirm[open]');
  assert.equal(await activeId(page), 'confirm-no', 'the safe choice has the focus');
  // Past the last button a modal dialog lets focus go to the browser's own controls (the body here),
  // never to the page behind it.
  const visited = new Set();
  for (let i = 0; i < 6; i += 1) {
    await page.keyboard.press('Tab');
    const where = await page.evaluate(() => (document.querySelector('#confirm').contains(document.activeElement)
      ? document.activeElement.id : document.activeElement === document.body ? 'BODY' : `outside: ${document.activeElement?.id}`));
    assert.ok(!where.startsWith('outside'), `Tab ${i + 1} left the dialog for ${where}`);
    visited.add(where);
  }
  assert.ok(visited.has('confirm-yes') && visited.has('confirm-no'), `Tab cycles through the dialog: ${[...visited]}`);
  await page.keyboard.press('Escape');
  await page.waitForSelector('#confirm', { state: 'detached' });
  assert.equal(await activeId(page), 'write', 'focus is back on the button that opened the dialog');
  await page.waitForTimeout(500);
  assert.equal(await page.locator('#progress').count(), 0, 'no job started');
  assert.equal(await page.locator('#outcome').textContent(), await page.locator('[data-testid=outcome-ok]').textContent());
  assert.match(await page.textContent('#outcome'), /^Linked/, 'the last result is still the link');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#confirm[open]');
  await page.click('#confirm-yes');
  await page.waitForSelector('#progress', LONG);
  assert.notEqual(await activeId(page), 'BODY', 'focus while the write runs');
  await page.waitForSelector('[data-testid=outcome-ok]', LONG);
  await page.waitForFunction(() => document.activeElement?.id === 'outcome-title', null, LONG);
  assert.ok(await inViewport(page, '#outcome-title'), 'the write result is in view');
  assert.match(await page.textContent('#outcome'), /Written and verified/);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.click('#strip-show');
  assert.equal(await activeId(page), 'outcome-title');
  assert.ok(await inViewport(page, '#outcome-title'), '"Show" brings the result into view');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the live region names the stage and speaks far less often than progress changes', async () => {
  const { page, errors } = await open('light');
  await page.click('#connect-virtual');
  await page.waitForSelector('#chip-card', LONG);
  await page.setInputFiles('#firmware-file', join(TESTDATA, 'bk7231n_cb2s.uf2'));
  await page.waitForSelector('#plan', LONG);
  await page.evaluate(() => {
    window.__said = [];
    window.__progress = 0;
    const region = document.querySelector('#announce');
    new MutationObserver(() => window.__said.push(region.textContent)).observe(region, { childList: true, characterData: true, subtree: true });
    new MutationObserver(() => { window.__progress += 1; }).observe(document.querySelector('#progress-title').parentElement, { childList: true, characterData: true, subtree: true });
  });
  await page.click('#write');
  await page.click('#confirm-yes');
  await page.waitForSelector('[data-testid=outcome-ok]', LONG);
  const { said, progress } = await page.evaluate(() => ({ said: window.__said, progress: window.__progress }));
  assert.ok(said.some((s) => /^Backing up/.test(s)), `the backup stage is named: ${JSON.stringify(said)}`);
  assert.ok(said.some((s) => /percent/.test(s)), `progress is told in percent: ${JSON.stringify(said)}`);
  assert.ok(said.length * 4 < progress, `${said.length} announcements for ${progress} progress changes: ${JSON.stringify(said)}`);
  assert.equal(await page.getAttribute('#announce', 'aria-live'), 'polite');
  assert.deepEqual(errors, []);
  await page.context().close();
});
