// The plan shown is the plan run: the page prepares the write plan on the linked chip, shows it in
// words, and the erase and write frames the simulated chip then receives are exactly those words.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start, openPage, SCREENSHOTS } from './harness.mjs';

const TESTDATA = fileURLToPath(new URL('../testdata/', import.meta.url));
const LONG = { timeout: 240_000 };
const SECTOR = 0x1000;

let server;
before(async () => { server = await start(); });
after(async () => { await server?.close(); });

/** The counts the plan's words give. */
async function planNumbers(page) {
  const erased = await page.textContent('#plan-erased');
  const written = await page.textContent('#plan-written');
  const kept = await page.textContent('#plan-kept');
  const number = (text, pattern) => Number(text.match(pattern)?.[1] ?? 0);
  return {
    blocks: number(erased, /(\d+) block erases? \(64 KiB\)/),
    sectors: number(erased, /(\d+) sector erases? \(4 KiB\)/),
    written: number(written, /^Written: (\d+) sectors?/),
    blank: number(written, /(\d+) sectors? (?:is|are) only erased/),
    kept: number(kept, /^Kept: (\d+) sectors?/),
  };
}

/** The listing's addresses that the plan writes ("0x012000 erase, write", "… write (blank …)"). */
async function plannedWrites(page) {
  const listing = await page.evaluate(() => document.querySelector('#plan-listing').textContent);
  return listing.split('\n').filter((line) => /, write|^0x[0-9A-F]{6} write/.test(line))
    .map((line) => parseInt(line.slice(2, 8), 16));
}

/** What the chip received: erases by size, and the sectors that got data (page or 4K writes). */
function received(commands) {
  const erases = commands.filter((c) => c.op === 'erase' || c.op === 'erase-all');
  const writes = commands.filter((c) => c.op === 'write-4k' || c.op === 'write-page');
  return {
    blocks: erases.filter((c) => c.size === 0x10000).length,
    sectors: erases.filter((c) => c.size === SECTOR).length,
    other: erases.filter((c) => c.size !== 0x10000 && c.size !== SECTOR).length,
    sectorsWritten: [...new Set(writes.map((c) => c.addr - (c.addr % SECTOR)))].sort((a, b) => a - b),
  };
}

async function writeAsPlanned(page, shotName) {
  await page.waitForSelector('#plan', LONG);
  const shown = await planNumbers(page);
  const writes = await plannedWrites(page);
  if (shotName) await page.locator('#file-analysis').screenshot({ path: join(SCREENSHOTS, `${shotName}.png`) });
  await page.evaluate(() => window.simClearSent());
  await page.click('#write');
  assert.match(await page.textContent('#confirm-question'), /exactly as planned/);
  await page.uncheck('#confirm-backup');
  await page.click('#confirm-yes');
  await page.waitForSelector('[data-testid=outcome-ok]', LONG);
  const got = received(await page.evaluate(() => window.simHostCommands()));
  assert.equal(got.other, 0, 'only 4K and 64K erases');
  assert.equal(got.blocks, shown.blocks, 'block erases: plan vs frames');
  assert.equal(got.sectors, shown.sectors, 'sector erases: plan vs frames');
  assert.equal(got.sectorsWritten.length, shown.written, 'sectors written: plan vs frames');
  assert.deepEqual(got.sectorsWritten, writes, 'the sectors written are those the listing names');
  return shown;
}

for (const [chip, file] of [['bk7231n', 'bk7231n_cb2s.uf2'], ['bk7231t', 'bk7231t_wb2s.uf2']]) {
  test(`${chip.toUpperCase()}: the plan's words are the frames sent, and a second write keeps everything`, LONG, async () => {
    const { page, errors } = await openPage(server.browser, server.base, { initScript: ['sim-serial.js', 'wire-commands.js'] });
    await page.evaluate((c) => { window.__simChip = c; }, chip);
    await page.click('#connect');
    await page.waitForSelector('#chip-card', LONG);
    await page.setInputFiles('#firmware-file', join(TESTDATA, file));
    const first = await writeAsPlanned(page, `plan-${chip}`);
    assert.ok(first.written > 0, 'the first write sends data');
    assert.match(await page.textContent('#outcome'), /Written and verified/);
    // The write changed the flash: the plan is made again and now keeps every sector.
    await page.waitForFunction(() => /^Written: 0 sectors/.test(document.querySelector('#plan-written')?.textContent ?? ''), null, LONG);
    const second = await writeAsPlanned(page, `plan-${chip}-all-kept`);
    assert.deepEqual([second.blocks, second.sectors, second.written], [0, 0, 0]);
    assert.equal(second.kept, first.written + first.kept + first.blank);
    assert.deepEqual(errors, []);
    await page.context().close();
  });
}
