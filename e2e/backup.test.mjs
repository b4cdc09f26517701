// Backups that exist before anything is erased: a cancelled or failing save, or private storage that
// refuses, stops the write before any erase; a taken backup is listed in the page, survives a reload
// and restores; another chip's backup is refused with the reason.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start, openPage, SCREENSHOTS } from './harness.mjs';

const TESTDATA = fileURLToPath(new URL('../testdata/', import.meta.url));
const LONG = { timeout: 300_000 };
const FIRMWARE = join(TESTDATA, 'bk7231n_cb2s.uf2');
const BACKUP_NAME = /^bkflash-backup-bk7231n-eb6015-\d{8}-\d{6}\.bin$/;
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

let server;
before(async () => { server = await start(); });
after(async () => { await server?.close(); });

async function connected(options) {
  const opened = await openPage(server.browser, server.base, options);
  await opened.page.click('#connect');
  await opened.page.waitForSelector('#chip-card', LONG);
  return opened;
}

/** Erases and writes the chip received since the last simClearSent(). */
const changes = (page) => page.evaluate(() => window.simHostCommands().filter((c) => /^(erase|write)/.test(c.op)));

async function writeFails(page, expected) {
  await page.evaluate(() => window.simClearSent());
  const before = await page.evaluate(() => window.simFlashSha256());
  await page.click('#write');
  assert.equal(await page.isChecked('#confirm-backup'), true, 'the backup is on by default');
  await page.click('#confirm-yes');
  await page.waitForSelector('[data-testid=outcome-error]', LONG);
  const text = await page.textContent('#outcome');
  assert.match(text, expected);
  assert.match(text, /Nothing was written to the chip/);
  assert.deepEqual(await changes(page), [], 'no erase or write reached the chip');
  assert.equal(await page.evaluate(() => window.simFlashSha256()), before);
  return text;
}

test('a cancelled save dialog or a failing save stops the write before any erase', LONG, async () => {
  const { page, errors } = await connected({ initScript: ['sim-serial.js', 'wire-commands.js'], saveDialog: true });
  await page.setInputFiles('#firmware-file', FIRMWARE);
  await page.waitForSelector('#plan', LONG);
  await page.evaluate(() => { window.__saveDialog = 'cancel'; });
  await writeFails(page, /closed the save dialog/);
  assert.match((await page.evaluate(() => window.suggestedNames))[0], BACKUP_NAME, 'the dialog suggests chip, flash id and date');
  await page.evaluate(() => { window.__saveDialog = 'fail-write'; });
  const text = await writeFails(page, /Saving the backup to bkflash-backup-bk7231n-eb6015-\S+ failed \(QuotaExceededError/);
  await page.locator('#outcome').screenshot({ path: join(SCREENSHOTS, 'backup-save-failed.png') });
  assert.doesNotMatch(text, /Written and verified/);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('without a save dialog, storage that refuses the backup stops the write before any erase', LONG, async () => {
  const { page, errors } = await connected({ initScript: ['sim-serial.js', 'wire-commands.js', 'refuse-storage.js'] });
  await page.setInputFiles('#firmware-file', FIRMWARE);
  await page.waitForSelector('#plan', LONG);
  let downloads = 0;
  page.on('download', () => { downloads += 1; });
  await writeFails(page, /could not be saved anywhere: there is no save dialog here and this browser's storage refused it \(.*QuotaExceededError/);
  const reads = await page.evaluate(() => window.simHostCommands().filter((c) => c.op === 'read-4k').length);
  assert.ok(reads < 16, `refused before reading the whole flash (${reads} sector reads, from the plan only)`);
  assert.equal(downloads, 0, 'a download is never the only copy');
  assert.deepEqual(errors.filter((e) => !/QuotaExceeded/.test(e)), []);
  await page.context().close();
});

test('the backup is saved, listed, survives a reload and restores', LONG, async () => {
  const { page, errors } = await connected({ initScript: ['sim-serial.js', 'wire-commands.js'], saveDialog: true });
  const original = await page.evaluate(() => window.simFlashSha256());
  await page.setInputFiles('#firmware-file', FIRMWARE);
  await page.waitForSelector('#plan', LONG);
  await page.evaluate(() => { window.__holdSave = true; });
  await page.click('#write');
  await page.locator('#confirm').screenshot({ path: join(SCREENSHOTS, 'backup-1-confirm.png') });
  await page.click('#confirm-yes');
  await page.waitForFunction(() => window.saveState === 'closing', null, LONG);
  assert.match(await page.textContent('#progress'), /Saving the backup bkflash-backup-bk7231n-eb6015-/);
  assert.deepEqual(await page.evaluate(() => window.simHostCommands().filter((c) => /^(erase|write)/.test(c.op))), [],
    'nothing is erased while the backup is being saved');
  await page.locator('#progress').screenshot({ path: join(SCREENSHOTS, 'backup-2-saving.png') });
  await page.evaluate(() => window.releaseSave());
  await page.waitForSelector('[data-testid=outcome-ok]', LONG);
  const outcome = await page.textContent('#outcome');
  assert.match(outcome, /saved as bkflash-backup-bk7231n-eb6015-\S+\.bin where you chose; kept in this browser as/);
  assert.match(outcome, /read back and checked against the chip/);
  assert.match(outcome, /Written and verified/);
  const [name, saved] = Object.entries(await page.evaluate(() => Object.fromEntries(
    Object.entries(window.savedFiles).map(([n, b]) => [n, Array.from(b)]))))[0];
  assert.match(name, BACKUP_NAME);
  const bytes = Buffer.from(saved);
  assert.equal(sha256(bytes), original, 'the saved file is the flash before the write');
  const row = page.locator(`#backups tr[data-name="${name}"]`);
  assert.equal(await row.locator('.backup-chip').textContent(), 'BK7231N');
  assert.equal(await row.locator('.backup-size').textContent(), '2048 KiB');
  assert.equal(await row.locator('.backup-crc').textContent(), crc32(bytes).toString(16).padStart(8, '0'));
  await page.locator('#outcome').screenshot({ path: join(SCREENSHOTS, 'backup-3-written.png') });

  await page.reload();
  await page.waitForSelector(`#backups tr[data-name="${name}"]`, LONG);
  await page.locator('section:has(#backups-title)').screenshot({ path: join(SCREENSHOTS, 'backups-list.png') });
  await page.click('#connect');
  await page.waitForSelector('#chip-card', LONG);
  // Change the fresh chip (write the firmware, no backup), then put the listed backup back.
  await page.setInputFiles('#firmware-file', FIRMWARE);
  await page.waitForSelector('#plan', LONG);
  await page.click('#write');
  await page.uncheck('#confirm-backup');
  await page.click('#confirm-yes');
  await page.waitForSelector('[data-testid=outcome-ok]', LONG);
  assert.notEqual(await page.evaluate(() => window.simFlashSha256()), original);
  await page.click(`#backups tr[data-name="${name}"] .backup-restore`);
  await page.waitForSelector('#confirm-question', LONG);
  assert.match(await page.textContent('#confirm-question'), /It comes from this chip/);
  await page.uncheck('#confirm-backup');
  await page.click('#confirm-yes');
  await page.waitForFunction(() => /Backup restored and checked/.test(document.querySelector('[data-testid=outcome-ok]')?.textContent ?? ''), null, LONG);
  assert.equal(await page.evaluate(() => window.simFlashSha256()), original, 'the restore put the backup back');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test("another chip's backup is refused with the reason, and nothing is written", LONG, async () => {
  const { page, errors } = await connected({ initScript: ['sim-serial.js', 'wire-commands.js'] });
  const dump = await page.evaluate(async () => {
    const [port] = await navigator.serial.getPorts();
    const flash = port.sim.flash();
    let text = '';
    for (let i = 0; i < flash.length; i += 0x8000) text += String.fromCharCode(...flash.subarray(i, i + 0x8000));
    return btoa(text);
  });
  await page.context().close();
  const bytes = Buffer.from(dump, 'base64');

  const { page: other, errors: otherErrors } = await openPage(server.browser, server.base, { initScript: ['sim-serial.js', 'wire-commands.js'] });
  await other.evaluate(() => { window.__simChip = 'bk7231t'; });
  await other.click('#connect');
  await other.waitForSelector('#chip-card', LONG);
  await other.evaluate(() => window.simClearSent());
  await other.click('.advanced summary');
  for (const [fileName, reason] of [
    ['bkflash-backup-bk7231n-eb6015-20261124-120000.bin', /its name says it comes from a BK7231N but this chip is a BK7231T/],
    ['flash-dump.bin', /its bootloader is a BK7231N bootloader but this chip is a BK7231T/],
  ]) {
    await other.setInputFiles('#restore-file', { name: fileName, mimeType: 'application/octet-stream', buffer: bytes });
    await other.waitForFunction(([name, source]) => {
      const text = document.querySelector('[data-testid=outcome-error]')?.textContent ?? '';
      return text.includes(name) && new RegExp(source).test(text);
    }, [fileName, reason.source], LONG);
    const text = await other.textContent('#outcome');
    assert.match(text, /^Restore refused: /);
    assert.match(text, /Nothing was written/);
  }
  await other.locator('#outcome').screenshot({ path: join(SCREENSHOTS, 'restore-refused-other-chip.png') });
  assert.equal(await other.locator('#confirm').count(), 0, 'no restore is offered');
  assert.deepEqual(await changes(other), []);
  assert.deepEqual([...errors, ...otherErrors], []);
  await other.context().close();
});
