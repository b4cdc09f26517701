// The wiring picture: drawn per module for UART flashing (Help) and SPI recovery, described in words
// for screen readers, clean under axe in light and dark, and no wider than a 360 px phone.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { start, openPage, SCREENSHOTS } from './harness.mjs';
import { axeViolations } from './axe.mjs';

const LONG = { timeout: 120_000 };
const HELP = '#help-wiring-picture';
const SPI = '#spi-wiring-picture';

let server;
before(async () => { server = await start(); });
after(async () => { await server?.close(); });

/** axe-core's source, evaluated into the page: the page's CSP refuses the inline tag axe.mjs would add. */
const AXE_SOURCE = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe's violations on the whole page with the picture shown. */
async function violations(page) {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(await AXE_SOURCE);
  return axeViolations(page);
}

const description = (page, root) => page.evaluate((sel) => {
  const svg = document.querySelector(`${sel} svg`);
  const desc = document.getElementById(svg.getAttribute('aria-describedby'));
  return { role: svg.getAttribute('role'), title: svg.querySelector('title')?.textContent, desc: desc?.textContent };
}, root);

test('Help draws the UART wiring with a description, and the module picker redraws it', async () => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'no-serial.js' });
  const { role, title, desc } = await description(page, HELP);
  assert.equal(role, 'img');
  assert.match(title, /CB2S/);
  assert.match(desc, /TX→RX1 \(P10\) on pad 5/);
  assert.match(desc, /RX←TX1 \(P11\) on pad 7/);
  assert.match(desc, /never 5 V/);
  assert.match(await page.textContent(`${HELP}-table`), /RX1 \(P10\)/);
  await page.selectOption(`${HELP}-module`, 'CB3S');
  const redrawn = await description(page, HELP);
  assert.match(redrawn.desc, /CB3S \(BK7231N\).*TX→RX1 \(P10\) on pad 15/);
  assert.match(await page.textContent('#wiring'), /TX1 \(P11\)/, 'the Help table keeps its id');
  assert.deepEqual(await violations(page), []);
  await page.locator(HELP).screenshot({ path: join(SCREENSHOTS, 'wiring-help.png') });
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('SPI mode: the same picture with SPI pads, and a warning where the module has none', async () => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'no-serial.js' });
  await page.click('#open-spi');
  await page.waitForSelector(SPI, LONG);
  assert.equal(await page.locator(`${SPI}-missing`).count(), 0, 'WB3S has every SPI pad');
  assert.match((await description(page, SPI)).desc, /SCK→P20 on pad 20/);
  await page.selectOption(`${SPI}-module`, 'CB2S');
  assert.match(await page.textContent(`${SPI}-missing`), /CB2S has no pad for P20 \(SCK\), P22 \(MOSI\)/);
  assert.match((await description(page, SPI)).desc, /SCK→P20 on no pad, CS→P21 on test pad TCSN/);
  assert.deepEqual(await violations(page), []);
  await page.locator(SPI).screenshot({ path: join(SCREENSHOTS, 'wiring-spi.png') });
  assert.deepEqual(errors, []);
  await page.context().close();
});

/** What the browser's own text metrics show clashing in the picture under `root`: texts that leave
 *  the picture or overlap another text, a pad mark or a wire (stroke included). */
const clashes = (page, root) => page.evaluate((sel) => {
  const svg = document.querySelector(`${sel} svg`);
  const [, , width, height] = svg.getAttribute('viewBox').split(' ').map(Number);
  const over = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
  const texts = [...svg.querySelectorAll('text')].map((t) => ({ name: `'${t.textContent}'`, box: t.getBBox() }));
  const marks = [...svg.querySelectorAll('.pad-mark')].map((m) => ({ name: 'a pad', box: m.getBBox() }));
  const half = 1.2;
  const wires = [...svg.querySelectorAll('polyline')].flatMap((line) => {
    const points = [...line.points];
    return points.slice(1).map((b, i) => {
      const a = points[i];
      const box = { x: Math.min(a.x, b.x) - half, y: Math.min(a.y, b.y) - half,
        width: Math.abs(a.x - b.x) + 2 * half, height: Math.abs(a.y - b.y) + 2 * half };
      return { name: `the ${line.classList[1]} wire`, box };
    });
  });
  const found = [];
  texts.forEach((t, i) => {
    const b = t.box;
    if (b.x < 0 || b.y < 0 || b.x + b.width > width || b.y + b.height > height) found.push(`${t.name} leaves the picture`);
    for (const other of [...texts.slice(i + 1), ...marks, ...wires]) {
      if (over(b, other.box)) found.push(`${t.name} meets ${other.name}`);
    }
  });
  return found;
}, root);

test('no label meets another label, a pad or a wire on any module, as the browser sets the text', async () => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'no-serial.js' });
  const modules = await page.$$eval(`${HELP}-module option`, (options) => options.map((o) => o.value));
  assert.ok(modules.length >= 7, `every module is offered: ${modules}`);
  const everyModule = async (root) => {
    for (const name of modules) {
      await page.selectOption(`${root}-module`, name);
      await page.waitForFunction(([sel, m]) => document.querySelector(`${sel} svg title`)?.textContent.endsWith(m), [root, name]);
      assert.ok(await page.isVisible(`${root} svg`), `${root} is shown, so its text is measured`);
      assert.deepEqual(await clashes(page, root), [], `${name} in ${root}`);
    }
  };
  await everyModule(HELP);
  await page.click('#open-spi');
  await page.waitForSelector(SPI, LONG);
  await everyModule(SPI);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('dark mode keeps the picture accessible', async () => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'no-serial.js', colorScheme: 'dark' });
  const text = await page.evaluate((sel) => getComputedStyle(document.querySelector(`${sel} svg text`)).fill, HELP);
  assert.notEqual(text, 'rgb(0, 0, 0)', 'the labels follow the dark text colour');
  assert.deepEqual(await violations(page), []);
  await page.locator(HELP).screenshot({ path: join(SCREENSHOTS, 'wiring-dark.png') });
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('at 360 px the picture fits without horizontal scrolling', async () => {
  const { page, errors } = await openPage(server.browser, server.base, {
    initScript: 'no-serial.js', viewport: { width: 360, height: 800 },
  });
  const fit = await page.evaluate((sel) => {
    const root = document.querySelector(sel);
    const widest = Math.max(...[root, ...root.querySelectorAll('*')].map((el) => el.getBoundingClientRect().right));
    return { widest, svg: root.querySelector('svg').getBoundingClientRect().width, scroll: root.scrollWidth - root.clientWidth };
  }, HELP);
  assert.ok(fit.svg > 250 && fit.widest <= 360, `the picture reaches ${fit.widest} px: ${JSON.stringify(fit)}`);
  assert.equal(fit.scroll, 0, 'nothing in the picture scrolls sideways');
  await page.locator(HELP).screenshot({ path: join(SCREENSHOTS, 'wiring-phone.png') });
  assert.deepEqual(errors, []);
  await page.context().close();
});
