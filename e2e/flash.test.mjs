// End-to-end flashing: the built page drives a simulated chip through a fake Web Serial port
// (e2e/sim-serial.js) or the in-page virtual device, and the simulator's flash is checked byte-exact
// against testdata/expected.json (the region hashes `bkflash inspect --json` prints).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start, openPage, SCREENSHOTS } from './harness.mjs';

const TESTDATA = fileURLToPath(new URL('../testdata/', import.meta.url));
const LONG = { timeout: 240_000 };
const expected = JSON.parse(await readFile(join(TESTDATA, 'expected.json'), 'utf8'));
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

let server;
before(async () => { server = await start(); });
after(async () => { await server?.close(); });

const shot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

async function outcome(page, kind) {
  await page.waitForSelector(`[data-testid=outcome-${kind}]`, LONG);
  return page.textContent('#outcome');
}

/**
 * After pressing Connect: wait until the chip card shows or an error other than `previous` does, and
 * return what the page shows, so a failed link reports its reason (and the log's end) at once.
 */
async function linkedOrFailed(page, previous) {
  const settled = await page.waitForFunction((prev) => {
    const failed = document.querySelector('[data-testid=outcome-error]') !== null;
    const shown = document.querySelector('#outcome')?.textContent;
    return document.querySelector('#chip-card') !== null || (failed && shown !== prev);
  }, previous, LONG).then(() => true, () => false);
  const linked = await page.locator('#chip-card').count() === 1;
  if (linked) return { linked };
  await shot(page, 'connect-failed');
  await page.click('#log summary');
  return page.evaluate((settled) => ({
    linked: false,
    settled,
    outcome: document.querySelector('#outcome')?.textContent ?? null,
    port: document.querySelector('#port-label')?.textContent,
    connectDisabled: document.querySelector('#connect')?.disabled,
    logEnd: (document.querySelector('#log-text')?.textContent ?? '').split('\n').slice(-25),
  }), settled);
}

async function dropFile(page, file) {
  const bytes = [...await readFile(join(TESTDATA, file))];
  await page.evaluate(({ name, bytes }) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], name));
    document.querySelector('#drop-zone').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true }));
  }, { name: file, bytes });
}

async function regionHashes(page, regions) {
  return Promise.all(regions.map((r) => page.evaluate(([o, l]) => window.simRegionSha256(o, l), [parseInt(r.offset, 16), r.length])));
}

async function flashThroughPort(chip, file, backupPattern) {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'sim-serial.js' });
  await page.evaluate((c) => { window.__simChip = c; }, chip);
  await page.click('#connect');
  await page.waitForSelector('#chip-card', LONG);
  assert.match(await page.textContent('#port-label'), /USB 1a86:7523 \(CH340\)/);
  assert.equal(await page.textContent('#chip-chip'), chip.toUpperCase());
  await shot(page, `${chip}-1-connected`);

  const before = await page.evaluate(() => window.simFlashSha256());
  await dropFile(page, file);
  await page.waitForSelector('#plan');
  await shot(page, `${chip}-2-file-and-plan`);

  const backupDownload = page.waitForEvent('download', LONG);
  await page.click('#write');
  await shot(page, `${chip}-3-confirm`);
  await page.click('#confirm-yes');
  const backup = await backupDownload;
  assert.match(backup.suggestedFilename(), backupPattern);
  assert.equal(sha256(await readFile(await backup.path())), before, 'the backup equals the flash before the write');
  assert.match(await outcome(page, 'ok'), /Written and verified/);
  await shot(page, `${chip}-4-written`);
  const regions = expected[file].flasher_regions;
  assert.deepEqual(await regionHashes(page, regions), regions.map((r) => r.sha256));

  await page.click('#verify');
  assert.match(await outcome(page, 'ok'), /chip holds this file exactly/);

  await page.click('.advanced summary');
  await page.fill('#range-start', '0x11000');
  await page.fill('#range-length', '0x2000');
  const readDownload = page.waitForEvent('download', LONG);
  await page.click('#read-range');
  const read = await readDownload;
  assert.equal(sha256(await readFile(await read.path())), await page.evaluate(() => window.simRegionSha256(0x11000, 0x2000)));
  await outcome(page, 'ok');
  await shot(page, `${chip}-5-read-back`);
  assert.deepEqual(errors, []);
  await page.context().close();
}

test('ROM class: connect, write with backup, verify and read back over (fake) Web Serial', async () => {
  await flashThroughPort('bk7231n', 'bk7231n_cb2s.uf2', /^bkflash-backup-bk7231n-eb6015-\d{8}-\d{6}\.bin$/);
});

test('legacy class: the same with the BK7231T package', async () => {
  await flashThroughPort('bk7231t', 'bk7231t_wb2s.uf2', /^bkflash-backup-bk7231t-[0-9a-z]+-\d{8}-\d{6}\.bin$/);
});

test('a damaged file is refused with its sentence, a chip mismatch before anything is written', async () => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'no-serial.js' });
  await page.setInputFiles('#firmware-file', join(TESTDATA, 'bad_magic_start.uf2'));
  const refusal = await page.textContent('#refusal');
  assert.match(refusal, /damaged or incomplete/);
  await shot(page, 'refused-file');
  await page.click('#connect-virtual');
  await page.waitForSelector('#chip-card', LONG);
  await page.setInputFiles('#firmware-file', join(TESTDATA, 'bk7231t_wb2s.uf2'));
  assert.match(await page.textContent('#chip-mismatch'), /for a BK7231T; your chip is a BK7231N/);
  assert.equal(await page.isDisabled('#write'), true);
  await shot(page, 'chip-mismatch');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the virtual device works with no serial port at all', async () => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'no-serial.js' });
  await page.selectOption('#virtual-chip', 'bk7231t');
  await page.click('#connect-virtual');
  await page.waitForSelector('#chip-card', LONG);
  assert.equal(await page.textContent('#chip-chip'), 'BK7231T');
  await page.setInputFiles('#firmware-file', join(TESTDATA, 'bk7231t_wb2s.uf2'));
  const backupDownload = page.waitForEvent('download', LONG);
  await page.click('#write');
  await page.click('#confirm-yes');
  await page.waitForSelector('#progress');
  await page.waitForFunction(() => document.querySelector('#bytes')?.textContent.includes('of'), null, LONG);
  await shot(page, 'virtual-backing-up');
  assert.match((await backupDownload).suggestedFilename(), /^bkflash-backup-bk7231t-/);
  assert.match(await outcome(page, 'ok'), /Written and verified/);
  await shot(page, 'virtual-written');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('unplugging mid-write shows the error, and a second Connect works', async () => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'sim-serial.js' });
  await page.click('#connect');
  await page.waitForSelector('#chip-card', LONG);
  await page.setInputFiles('#firmware-file', join(TESTDATA, 'bk7231n_cb2s.uf2'));
  await page.uncheck('#backup-first');
  await page.waitForSelector('#plan', LONG);
  await page.evaluate(() => window.simUnplugAfter(2000));
  await page.click('#write');
  await page.click('#confirm-yes');
  const text = await outcome(page, 'error');
  assert.match(text, /serial port went away|serial port reported an error/);
  assert.match(text, /press Connect again/);
  await shot(page, 'unplugged');
  assert.equal(await page.locator('#chip-card').count(), 0);
  await page.click('#connect');
  const reconnect = await linkedOrFailed(page, text);
  assert.ok(reconnect.linked, `the second Connect did not link: ${JSON.stringify(reconnect)}`);
  assert.equal(await page.evaluate(() => window.simPortCount()), 2);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a chip running its firmware links through the reboot kick, with no reset wiring', async () => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'no-serial.js' });
  await page.selectOption('#virtual-chip', 'bk7231t-app');
  await page.click('#connect-virtual');
  await page.waitForSelector('#chip-card', LONG);
  assert.equal(await page.textContent('#chip-chip'), 'BK7231T');
  await page.click('#log summary');
  const log = await page.textContent('#log-text');
  assert.match(log, /note: Asking running firmware to reboot \(OpenBeken command line\)/);
  await shot(page, 'linked-by-reboot-kick');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('after a reboot the serial console shows what the firmware prints, and stops', async () => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'no-serial.js' });
  await page.click('#connect-virtual');
  await page.waitForSelector('#chip-card', LONG);
  await page.click('#reboot');
  assert.match(await outcome(page, 'ok'), /Rebooted/);
  await page.click('#console-panel summary');
  await page.click('#console-start');
  // The virtual chip runs in real time: its start-up line is long gone, its status line comes every second.
  await page.waitForFunction(() => document.querySelector('#console')?.textContent.includes('[app] running'), null, LONG);
  await shot(page, 'console');
  await page.click('#console-stop');
  assert.match(await outcome(page, 'ok'), /Console closed/);
  assert.deepEqual(errors, []);
  await page.context().close();
});
