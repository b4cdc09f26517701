// SPI recovery mode on the virtual serprog bench (www/device/worker.js): its module is fetched only
// when the mode opens; a UART backup of a virtual BK7231T puts back the bootloader sector the bench's
// BK7231T lost, over SPI: identify (JEDEC id, entry variant), back up (saved), refuse a file that is
// not a whole-flash image with the reason, write the whole image, verify.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start, openPage, SCREENSHOTS } from './harness.mjs';

const TESTDATA = fileURLToPath(new URL('../testdata/', import.meta.url));
const LONG = { timeout: 300_000 };
const WHOLE = { timeout: 900_000 };
const STEP = { timeout: 120_000 };
const FLASH_SIZE = 0x20_0000;
/** The sector the bench's chip lost (crate-web/src/device/serprog_bench.rs). */
const DAMAGED = [0x1000, 0x2000];
const CRC16_POLY = 0x8005;

let server;
before(async () => { server = await start(); });
after(async () => { await server?.close(); });

/** CRC16 of the Beken raw flash blocks (crate-core/src/image/beken.rs). */
function crc16(bytes) {
  let reg = 0xFFFF;
  for (const byte of bytes) {
    reg ^= byte << 8;
    for (let i = 0; i < 8; i++) reg = reg & 0x8000 ? ((reg << 1) ^ CRC16_POLY) & 0xFFFF : (reg << 1) & 0xFFFF;
  }
  return reg;
}

const loaded = () => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname);

/** A file the page saved, from window.savedFiles, as a Buffer. */
async function saved(page, name) {
  const base64 = await page.evaluate((n) => {
    const bytes = window.savedFiles[n];
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  }, name);
  return Buffer.from(base64, 'base64');
}

/** Wait until the outcome is of `kind` and matches `pattern` (a job's text replaces the last one). */
async function outcome(page, kind, pattern) {
  const selector = `[data-testid=spi-outcome-${kind}]`;
  try {
    await page.waitForFunction(([sel, source]) => new RegExp(source).test(document.querySelector(sel)?.textContent ?? ''),
      [selector, pattern.source], STEP);
  } catch (error) {
    const shown = await page.textContent('#spi-panel');
    throw new Error(`no ${kind} outcome matching ${pattern}; the panel shows: ${shown.slice(-700)}`, { cause: error });
  }
  return page.textContent('#spi-outcome');
}

test('SPI recovery: identify, back up, refuse a partial image, restore the bootloader, verify', WHOLE, async (t) => {
  const began = Date.now();
  const mark = (what) => t.diagnostic(`${what} after ${Math.round((Date.now() - began) / 1000)} s`);
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'no-serial.js', saveDialog: true });
  const firstLoad = await page.evaluate(loaded);
  assert.ok(firstLoad.some((path) => path.endsWith('_bg.wasm')), `the page loaded its wasm: ${firstLoad}`);
  assert.deepEqual(firstLoad.filter((path) => path.startsWith('/spi/')), [], 'nothing of SPI mode on the first load');

  // A healthy BK7231T over UART: its backup holds the bootloader the bench's chip lost.
  await page.selectOption('#virtual-chip', 'bk7231t');
  await page.click('#connect-virtual');
  await page.waitForSelector('#chip-card', LONG);
  await page.click('#backup');
  await page.waitForSelector('[data-testid=outcome-ok]', LONG);
  const uartName = (await page.evaluate(() => Object.keys(window.savedFiles)))[0];
  const good = await saved(page, uartName);
  assert.equal(good.length, FLASH_SIZE);
  // The simulator's bootloader is a stand-in without the raw on-flash CRC framing a real dump has
  // (docs/spi-unbrick.md §6), which the SPI write checks on the first 34-byte block: give it one.
  good.writeUInt16BE(crc16(good.subarray(0, 32)), 32);

  mark('uart backup');
  await page.click('#open-spi');
  await page.waitForSelector('#spi-panel', LONG);
  assert.ok((await page.evaluate(loaded)).includes('/spi/bkflash-spi_bg.wasm'), 'the mode fetched its module');
  const wiring = await page.textContent('#spi-wiring');
  for (const pin of ['P20', 'TCK', 'SCK', 'P21', 'CS', 'P22', 'MOSI', 'P23', 'MISO', 'GP2', 'GP5']) {
    assert.ok(wiring.includes(pin), `the wiring table names ${pin}`);
  }
  await page.locator('#spi-panel').screenshot({ path: join(SCREENSHOTS, 'spi-mode.png') });

  await page.click('#spi-connect-virtual');
  await page.waitForSelector('#spi-countdown', LONG);
  await page.waitForFunction(() => /s left to reset the chip/.test(document.querySelector('#spi-countdown')?.textContent ?? ''), null, LONG);
  await page.locator('#spi-panel').screenshot({ path: join(SCREENSHOTS, 'spi-countdown.png') });
  await page.waitForSelector('#spi-jedec', LONG);
  assert.equal((await page.textContent('#spi-jedec')).trim(), 'EB 60 15');
  assert.match(await page.textContent('#spi-part'), /2048 KiB/);
  assert.match(await page.textContent('#spi-variant'), /entered with 250 × 0xD2 at 1 MHz during a manual reset; variant: /);
  await outcome(page, 'ok', /In SPI flashing mode/);

  mark('identified');
  await page.click('#spi-backup');
  await outcome(page, 'ok', /Backup of the whole flash over SPI \(2097152 bytes, CRC-32 [0-9a-f]{8}, every chunk read twice and equal\): saved as bkflash-backup-bk72xx-eb6015-\d{8}-\d{6}\.bin where you chose/);
  const spiName = (await page.evaluate(() => Object.keys(window.savedFiles))).find((n) => n.startsWith('bkflash-backup-bk72xx-'));
  const damaged = await saved(page, spiName);
  assert.equal(damaged.length, FLASH_SIZE);
  assert.ok(damaged.subarray(...DAMAGED).every((b) => b === 0xFF), 'the bench chip lost its bootloader sector');
  assert.ok(!good.subarray(...DAMAGED).every((b) => b === 0xFF), 'the UART backup still has it');
  assert.ok(good.subarray(DAMAGED[1]).equals(damaged.subarray(DAMAGED[1])), 'the rest is the same chip');
  await page.locator('#spi-panel').screenshot({ path: join(SCREENSHOTS, 'spi-backup.png') });

  mark('spi backup');
  await page.setInputFiles('#spi-image', { name: 'app-only.bin', mimeType: 'application/octet-stream', buffer: good.subarray(0, 0x10_0000) });
  await outcome(page, 'error', /app-only\.bin cannot be written over SPI: it is 1048576 bytes but the flash is 2097152 bytes/);
  await page.setInputFiles('#spi-image', join(TESTDATA, 'bk7231n_cb2s.uf2'));
  await outcome(page, 'error', /cannot be written over SPI: it is a UF2 firmware package, which holds the app only/);
  await page.locator('#spi-panel').screenshot({ path: join(SCREENSHOTS, 'spi-refused.png') });
  assert.equal(await page.isDisabled('#spi-write'), true, 'nothing to write after a refusal');

  await page.setInputFiles('#spi-image', { name: uartName, mimeType: 'application/octet-stream', buffer: good });
  await page.waitForFunction(() => /write 2 of 512 sectors/.test(document.querySelector('#spi-plan')?.textContent ?? ''), null, STEP)
    .catch(async (error) => { throw new Error(`no plan; the panel shows: ${(await page.textContent('#spi-panel')).slice(-900)}`, { cause: error }); });
  assert.match(await page.textContent('#spi-plan'), /the bootloader \(0x000000\.\.0x011000\) changes in 2 sectors/);
  mark('planned');
  await page.click('#spi-write');
  await outcome(page, 'ok', /2 sectors written and read back, then the whole flash verified/);
  mark('written');
  await page.click('#spi-verify');
  await outcome(page, 'ok', new RegExp(`Verified: the whole flash equals ${uartName}`));
  await page.locator('#spi-panel').screenshot({ path: join(SCREENSHOTS, 'spi-written.png') });
  mark('verified');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('?mode=spi opens SPI recovery mode at once', LONG, async () => {
  const { page, errors } = await openPage(server.browser, `${server.base}?mode=spi`, { initScript: 'no-serial.js' });
  await page.waitForSelector('#spi-panel', LONG);
  assert.equal(await page.isDisabled('#spi-connect'), true, 'no Web Serial here: only the virtual programmer');
  assert.deepEqual(errors, []);
  await page.context().close();
});
