// "Inside this backup": a backup of the virtual device (whose flash holds the relay plug's Tuya
// storage, testdata/dumps/t_plug) shows its flash map, pins and ready setups, which equal what
// `bkflash analyze` writes; a dropped vector shows its panel; a file of noise says nothing was
// recognised; and the first load fetches none of the on-demand analysis module.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { access, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { start, openPage, SCREENSHOTS } from './harness.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const DUMPS = join(root, 'testdata', 'dumps');
const LONG = { timeout: 240_000 };
// The CLI the host tests build; its files are the reference for the page's.
const CLI = process.env.BKFLASH_BIN
  ?? join(process.env.CARGO_TARGET_DIR ?? join(root, 'target'), 'debug', 'bkflash');

let server;
before(async () => { server = await start(); });
after(async () => { await server?.close(); });

const shot = (page, name) => page.locator('#inside').screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
const vector = async (name) => gunzipSync(await readFile(join(DUMPS, `${name}.bin.gz`)));
const expectedFile = (name) => readFile(join(DUMPS, name), 'utf8');

/** The pins table as rows of [pin, function, active, role, channel, key]. */
const pinRows = (page) => page.$$eval('#inside-pins tbody tr',
  (rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent)));

/** Click a download button of the panel and return the file's name and text. */
async function download(page, button) {
  const started = page.waitForEvent('download', LONG);
  await page.click(button);
  const file = await started;
  return { name: file.suggestedFilename(), text: await readFile(await file.path(), 'utf8') };
}

/** The template's pins and command equal the hand-written expectation (as the CLI tests check). */
function assertPlugTemplate(text, expected) {
  const template = JSON.parse(text);
  assert.deepEqual({ command: template.command, pins: template.pins }, expected);
}

/** The panel of the relay plug: flash bar, pins, keys, and both setups as the vectors expect. */
async function assertPlugPanel(page) {
  await page.waitForSelector('#inside-report', LONG);
  const parts = await page.$$eval('#inside-bar .flash-part', (els) => els.map((el) => el.className));
  assert.ok(parts.some((c) => c.includes('part-tuya_kv_key')), `no key sector in the bar: ${parts}`);
  assert.ok(parts.some((c) => c.includes('part-tuya_kv_data')), `no data sectors in the bar: ${parts}`);
  const regions = await page.$$eval('#inside-regions tbody th', (ths) => ths.map((th) => th.textContent));
  assert.ok(regions.includes('Tuya KV key sector'), `regions: ${regions}`);
  assert.equal(await page.textContent('#inside-module-name'), 'WB2S');
  const pins = await pinRows(page);
  const byPin = Object.fromEntries(pins.map((row) => [row[0], row]));
  assert.deepEqual(byPin.P26.slice(1), ['relay 1', 'high', 'Rel', '1', 'rl1_pin']);
  assert.deepEqual(byPin.P10.slice(3), ['Btn', '1', 'bt1_pin']);
  assert.deepEqual(byPin.P6.slice(3), ['LED', '1', 'led1_pin']);
  assert.deepEqual(byPin.P8.slice(3), ['WifiLED_n', '0', 'netled1_pin']);
  const used = await page.$$eval('#inside-module .pad.used', (pads) => pads.map((p) => p.dataset.gpio).sort());
  assert.deepEqual(used, ['10', '26', '6', '8']);
  const keys = await page.$$eval('#inside-keys tbody th', (ths) => ths.map((th) => th.textContent));
  assert.ok(keys.includes('rl1_pin') && keys.includes('Jsonver'), `keys: ${keys}`);

  const openbeken = await download(page, '#inside-openbeken-download');
  assertPlugTemplate(openbeken.text, JSON.parse(await expectedFile('plug.obk.json')));
  const esphome = await download(page, '#inside-esphome-download');
  assert.ok(esphome.text.endsWith(await expectedFile('plug.yaml')), `YAML:\n${esphome.text}`);
  return { openbeken, esphome };
}

test('a backup of the virtual device shows what is inside; the setups equal the CLI\'s', LONG, async (t) => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'no-serial.js' });
  const fetched = [];
  page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  await page.selectOption('#virtual-chip', 'bk7231t');
  await page.click('#connect-virtual');
  await page.waitForSelector('#chip-card', LONG);
  assert.deepEqual(fetched.filter((path) => path.includes('/analyze/')), [],
    'the first load and Connect fetch nothing of the analysis module');

  const backupDownload = page.waitForEvent('download', LONG);
  await page.click('#backup');
  const backup = await backupDownload;
  assert.match(backup.suggestedFilename(), /^bkflash-backup-bk7231t-/);
  const { openbeken, esphome } = await assertPlugPanel(page);
  assert.ok(fetched.some((path) => path.endsWith('/analyze/bkflash-analyze_bg.wasm')), 'the module came on demand');
  const stem = backup.suggestedFilename().replace(/\.bin$/, '');
  assert.equal(openbeken.name, `${stem}.openbeken.json`);
  assert.equal(esphome.name, `${stem}.esphome.yaml`);
  await page.click('#inside-openbeken summary');
  await shot(page, 'inside-backup');

  await t.test('the files equal those `bkflash analyze` writes for the same backup', async (sub) => {
    if (!await access(CLI).then(() => true, () => false)) {
      sub.skip(`no CLI at ${CLI} (cargo build -p bkflash-cli, or set BKFLASH_BIN)`);
      return;
    }
    const dir = await mkdtemp(join(tmpdir(), 'bkflash-inside-'));
    const image = join(dir, 'backup.bin');
    await writeFile(image, await readFile(await backup.path()));
    const [obk, yaml] = [join(dir, 'obk.json'), join(dir, 'device.yaml')];
    await promisify(execFile)(CLI, ['analyze', image, '--openbeken', obk, '--esphome', yaml]);
    assert.equal(openbeken.text, await readFile(obk, 'utf8'));
    assert.equal(esphome.text, await readFile(yaml, 'utf8'));
  });
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a vector dropped on the firmware step shows its panel, in dark mode and on a phone too', LONG, async () => {
  const plug = [...await vector('t_plug')];
  for (const [name, options] of [
    ['inside-dropped', {}],
    ['inside-dark', { colorScheme: 'dark' }],
    ['inside-phone', { viewport: { width: 390, height: 844 } }],
  ]) {
    const { page, errors } = await openPage(server.browser, server.base, { initScript: 'no-serial.js', ...options });
    await page.evaluate((bytes) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([new Uint8Array(bytes)], 't_plug.bin'));
      document.querySelector('#drop-zone').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true }));
    }, plug);
    await assertPlugPanel(page);
    assert.equal(await page.textContent('#inside-chip').then((t) => t.split(' ')[0]), 'BK7231T');
    await shot(page, name);
    assert.deepEqual(errors, []);
    await page.context().close();
  }
});

test('an opened bulb dump shows its PWM pins; a file of noise says nothing was recognised', LONG, async () => {
  const { page, errors } = await openPage(server.browser, server.base, { initScript: 'no-serial.js' });
  const dir = await mkdtemp(join(tmpdir(), 'bkflash-inside-'));
  const bulb = join(dir, 'n_bulb.bin');
  await writeFile(bulb, await vector('n_bulb'));
  await page.setInputFiles('#inside-file', bulb);
  await page.waitForSelector('#inside-report[data-file="n_bulb.bin"]', LONG);
  const roles = (await pinRows(page)).map((row) => `${row[0]} ${row[3]};${row[4]}`).sort();
  assert.deepEqual(roles, ['P24 PWM;2', 'P26 PWM;1', 'P6 PWM;3', 'P7 PWM;5', 'P8 PWM;4']);
  const unknown = await page.$$eval('#inside-keys tr.key-unknown th', (ths) => ths.map((th) => th.textContent));
  assert.deepEqual(unknown, ['brightmax', 'brightmin', 'defcolor', 'dmod']);

  const noise = Buffer.alloc(0x3000);
  for (let i = 0; i < noise.length; i += 1) noise[i] = (i * 7919 + (i >> 5)) & 0xff;
  await page.setInputFiles('#inside-file', { name: 'noise.bin', mimeType: 'application/octet-stream', buffer: noise });
  await page.waitForSelector('#inside-report[data-file="noise.bin"]', LONG);
  assert.match(await page.textContent('#inside-nothing'), /Nothing was recognised in noise\.bin/);
  assert.equal(await page.locator('#inside-pins').count(), 0);
  assert.equal(await page.locator('#inside-openbeken').count(), 0);
  await shot(page, 'inside-nothing');
  assert.deepEqual(errors, []);
  await page.context().close();
});
