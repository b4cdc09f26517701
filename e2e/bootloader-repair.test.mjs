// A line fault shifts the address of a 4K write onto the bootloader of a virtual BK7231T (legacy
// class, whose bootloader cannot be rewritten over UART once lost): the page must put the region back
// from the copy read before the job, say so instead of "Written and verified", and leave it intact.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start, openPage, SCREENSHOTS } from './harness.mjs';

const TESTDATA = fileURLToPath(new URL('../testdata/', import.meta.url));
const LONG = { timeout: 240_000 };
const BOOTLOADER_END = 0x11000;
// What a chip reads when the first data byte slides into the top of the address: raw 0xD0004000 passes
// the handler's check (it compares the raw address) and wraps onto 0x4000 of the 2 MiB flash.
const SHIFTED = 0xd000_4000;

let server;
before(async () => { server = await start(); });
after(async () => { await server?.close(); });

test('a write whose address a line fault shifted onto the bootloader is repaired and reported', async () => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'sim-serial.js' });
  await page.evaluate(() => { window.__simChip = 'bk7231t'; });
  await page.click('#connect');
  await page.waitForSelector('#chip-card', LONG);
  const bootloader = () => page.evaluate((end) => window.simRegionSha256(0, end), BOOTLOADER_END);
  const intact = await bootloader();

  const bytes = [...await readFile(join(TESTDATA, 'bk7231t_wb2s.uf2'))];
  await page.evaluate(({ name, bytes }) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], name));
    document.querySelector('#drop-zone').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true }));
  }, { name: 'bk7231t_wb2s.uf2', bytes });
  await page.waitForSelector('#plan');
  await page.uncheck('#backup-first');
  await page.evaluate((address) => window.simRedirectNextWrite(address), SHIFTED);
  await page.click('#write');
  await page.click('#confirm-yes');

  await page.waitForSelector('[data-testid=outcome-error]', LONG);
  const text = await page.textContent('#outcome');
  assert.doesNotMatch(text, /Written and verified/);
  assert.match(text, /changed the bootloader region .* put it back from the copy it read before the job/);
  assert.match(text, /0x004000\.\.0x005000 changed by a line fault, put back as before the job and checked/);
  assert.match(text, /The bootloader is as it was before the job; run the job again/);
  assert.equal(await bootloader(), intact, 'the bootloader region is as before the write');
  await page.screenshot({ path: join(SCREENSHOTS, 'bootloader-repaired.png'), fullPage: true });
  assert.deepEqual(errors, []);
  await page.context().close();
});
