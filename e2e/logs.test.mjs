// Device logs end to end: two fake adapters on one simulated chip (e2e/sim-serial.js for flashing,
// e2e/sim-log-serial.js for UART2). The log port stays open across connect, write and reboot and
// shows the new firmware's boot log; the monitor stays bounded under a chatty device; Save and
// Copy report work, and the report holds the listed facts and no byte of the flashed file.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { start, EXPERT_VIEW, SCREENSHOTS } from './harness.mjs';

const E2E = fileURLToPath(new URL('.', import.meta.url));
const TESTDATA = fileURLToPath(new URL('../testdata/', import.meta.url));
const LONG = { timeout: 240_000 };
const FIRMWARE = 'bk7231n_cb2s.uf2';
/// 115200 baud, 10 bits a byte, for a minute.
const MINUTE_AT_115200 = 11_520 * 60;
/// MonitorLimits::DEFAULT in crate-core/src/monitor/buffer.rs.
const MAX_LINES = 4000;
const MAX_BYTES = 512 * 1024;
const SHOWN_LINES = 500;

let server;
before(async () => { server = await start(); });
after(async () => { await server?.close(); });

const shot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, `logs-${name}.png`), fullPage: true });

/** The page with both fake adapters; `chip` is the simulated chip's preset. */
async function openWithTwoPorts(chip = 'bk7231n') {
  const context = await server.browser.newContext({ viewport: { width: 1000, height: 720 } });
  await context.addInitScript({ path: EXPERT_VIEW });
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') errors.push(`console.error: ${message.text()}`); });
  await page.addInitScript({ path: join(E2E, 'sim-serial.js') });
  await page.addInitScript({ path: join(E2E, 'sim-log-serial.js') });
  await page.goto(server.base);
  await page.waitForSelector('#connect');
  await page.evaluate((c) => { window.__simChip = c; }, chip);
  return { page, errors };
}

async function openLogPort(page) {
  await page.evaluate(() => { window.__pickLogPort = true; });
  await page.click('#log-open');
  await page.waitForFunction(() => document.querySelector('#log-port-label')?.textContent.includes('at 115200 baud'));
  await page.evaluate(() => { window.__pickLogPort = false; });
}

async function outcome(page, kind) {
  await page.waitForSelector(`[data-testid=outcome-${kind}]`, LONG);
  return page.textContent('#outcome');
}

async function dropFile(page, file) {
  const bytes = [...await readFile(join(TESTDATA, file))];
  await page.evaluate(({ name, bytes }) => {
    const transfer = new DataTransfer();
    transfer.items.add(new File([new Uint8Array(bytes)], name));
    document.querySelector('#drop-zone').dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true }));
  }, { name: file, bytes });
}

const monitorText = (page) => page.textContent('#log-monitor');
const figures = (page) => page.$eval('#log-status', (p) => ({
  lines: Number(p.dataset.lines), dropped: Number(p.dataset.dropped),
  received: Number(p.dataset.received), held: Number(p.dataset.held),
}));

test('the log port stays open across connect, write and reboot and shows the new boot log', async () => {
  const { page, errors } = await openWithTwoPorts();
  await openLogPort(page);
  assert.match(await page.textContent('#log-port-label'), /Log port: USB 10c4:ea60 \(CP210x\) at 115200 baud/);

  await page.click('#connect');
  await page.waitForSelector('#chip-card', LONG);
  assert.match(await page.textContent('#port-label'), /USB 1a86:7523 \(CH340\)/);
  await page.uncheck('#backup-first');
  await dropFile(page, FIRMWARE);
  await page.waitForSelector('#plan');
  await page.click('#write');
  await page.click('#confirm-yes');
  assert.match(await outcome(page, 'ok'), /Written and verified/);
  assert.equal(await monitorText(page), '', 'the chip logs nothing on UART2 in download mode');
  assert.ok(await page.evaluate(() => window.simLogPortOpen()), 'the log port is still open after the write');

  await page.click('#reboot');
  assert.match(await outcome(page, 'ok'), /Rebooted/);
  await page.waitForFunction(() => document.querySelector('#log-monitor')?.textContent.includes('LibreTiny v1.8.0 on BK7231N'), null, LONG);
  const text = await monitorText(page);
  assert.match(text, /^\d\d:\d\d:\d\d\.\d{3} {2}I \[ +0\.001\] LibreTiny v1\.8\.0 on BK7231N @ 120 MHz$/m, 'timestamped lines');
  await page.locator('#device-logs').scrollIntoViewIfNeeded();
  await shot(page, '1-boot-log-after-reboot');

  await page.fill('#log-search', 'wifi');
  await page.waitForFunction(() => document.querySelector('#log-monitor').textContent.split('\n').length === 1);
  assert.match(await monitorText(page), /WiFi: station mode/);
  await page.fill('#log-search', '');

  const download = page.waitForEvent('download');
  await page.click('#log-save');
  const saved = await readFile(await (await download).path(), 'utf8');
  assert.match((await download).suggestedFilename(), /^bkflash-log-uart2-\d{8}-\d{6}\.txt$/);
  assert.match(saved, /\d\d:\d\d:\d\d\.\d{3} {2}I \[ +0\.151\] setup\(\) done, entering loop\(\)\n/);

  await page.click('#copy-report');
  await page.waitForSelector('#report-note');
  assert.match(await page.textContent('#report-note'), /^Copied\./);
  const report = await page.textContent('#report-text');
  assert.equal(await page.evaluate(() => navigator.clipboard.readText()), report, 'the clipboard holds the report');
  for (const field of [
    /^host: +Chrome \d+ on Linux$/m, /^user agent: +Mozilla/m, /^flash port: +Serial port: USB 1a86:7523 \(CH340\)$/m,
    /^log port: +USB 10c4:ea60 \(CP210x\) at 115200 baud$/m, /^chip: +BK7231N \(ROM class\)$/m,
    /^flash id: +eb6015$/m, /^baud: +asked the chip's default, linked at 115200, tried 460800, chosen 460800$/m,
    /^reset: +auto/m, /^outcome: +done: Rebooted/m, /^ {2}→ FlashWrite4K 0x011000 \(4096 data bytes\)$/m,
  ]) {
    assert.match(report, field);
  }
  const reportDownload = page.waitForEvent('download');
  await page.click('#save-report');
  assert.match((await reportDownload).suggestedFilename(), /^bkflash-report-\d{8}-\d{6}\.txt$/);
  assert.equal(await readFile(await (await reportDownload).path(), 'utf8'), await page.textContent('#report-text'));
  const file = await readFile(join(TESTDATA, FIRMWARE));
  for (let at = 32; at < file.length; at += 4096) {
    const hex = [...file.subarray(at, at + 6)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
    assert.ok(!report.includes(hex), `the report holds bytes ${hex} of the file (offset ${at})`);
  }
  await page.click('#report summary');
  await page.locator('#report').scrollIntoViewIfNeeded();
  await shot(page, '2-report');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('picking the flashing port as the log port is refused with a sentence', async () => {
  const { page, errors } = await openWithTwoPorts();
  await page.click('#connect');
  await page.waitForSelector('#chip-card', LONG);
  await page.click('#log-open');
  await page.waitForSelector('#log-port-problem');
  assert.match(await page.textContent('#log-port-problem'),
    /That adapter \(USB 1a86:7523 \(CH340\)\) is the flashing port\. Pick the second adapter, the one whose RX is wired to the chip's TX2 \(P0\)\./);
  assert.match(await page.textContent('#log-port-label'), /none open/);
  await page.locator('#device-logs').scrollIntoViewIfNeeded();
  await shot(page, '3-flashing-port-refused');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('picking the open log port for flashing is refused with a sentence', async () => {
  const { page, errors } = await openWithTwoPorts();
  await openLogPort(page);
  await page.evaluate(() => { window.__pickLogPort = true; });
  await page.click('#connect');
  assert.match(await outcome(page, 'error'),
    /That adapter \(USB 10c4:ea60 \(CP210x\)\) is open as the log port\. Pick the adapter wired to RX1\/TX1 \(P10\/P11\) for flashing, or close the log port first\./);
  assert.ok(await page.evaluate(() => window.simLogPortOpen()), 'the log port stays open');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a line typed into the monitor reaches the OpenBeken console with its line ending', async () => {
  const { page, errors } = await openWithTwoPorts('bk7231t-app');
  await openLogPort(page);
  await page.selectOption('#log-ending', 'none');
  await page.fill('#log-send-text', 'help');
  await page.click('#log-send');
  await page.waitForTimeout(500);
  assert.doesNotMatch(await monitorText(page), /UART Cmd/, 'without a line ending the console waits');
  await page.selectOption('#log-ending', 'crlf');
  await page.fill('#log-send-text', 'status');
  await page.press('#log-send-text', 'Enter');
  await page.waitForFunction(() => document.querySelector('#log-monitor').textContent.includes("Info:CMD:[UART Cmd 'helpstatus'] executed"), null, LONG);
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the monitor stays bounded while a device prints flat out for a minute', async () => {
  const { page, errors } = await openWithTwoPorts();
  await openLogPort(page);
  const wasmBytes = () => page.evaluate(() => window.__wasmMemory.buffer.byteLength);
  const memoryBefore = await wasmBytes();
  const fed = await page.evaluate(() => window.simLogFeed(60));
  assert.ok(Math.abs(fed - MINUTE_AT_115200) < 200, `a minute at 115200 is about ${MINUTE_AT_115200} bytes, got ${fed}`);
  await page.waitForFunction((n) => Number(document.querySelector('#log-status').dataset.received) === n, fed, LONG);
  const first = await figures(page);
  const memoryAfterOne = await wasmBytes();
  await page.evaluate(() => window.simLogFeed(60));
  await page.waitForFunction((n) => Number(document.querySelector('#log-status').dataset.received) === 2 * n, fed, LONG);
  const second = await figures(page);
  const memoryAfterTwo = await wasmBytes();
  console.log(`monitor after one minute at 115200: ${JSON.stringify(first)}; after two: ${JSON.stringify(second)}; `
    + `wasm memory ${memoryBefore} -> ${memoryAfterOne} -> ${memoryAfterTwo} bytes`);
  for (const f of [first, second]) {
    assert.ok(f.dropped > 0, 'a minute overflows the buffer');
    assert.ok(f.lines <= MAX_LINES, `${f.lines} lines kept`);
    assert.ok(f.held <= MAX_BYTES + 256 * 1024, `${f.held} bytes held`);
  }
  // A leak keeps some share of the 690 kB each minute brings; the allocator's own slack is at most one
  // 64 KiB wasm page (seen as the page gained its status strip and guided view).
  const WASM_PAGE = 65536;
  assert.ok(memoryAfterTwo - memoryAfterOne <= WASM_PAGE,
    `the second minute grows the wasm memory by at most one page: ${memoryAfterOne} -> ${memoryAfterTwo}`);
  const shown = (await monitorText(page)).split('\n').length;
  assert.ok(shown <= SHOWN_LINES, `${shown} lines in the page`);
  await page.click('#log-pause');
  const frozen = await monitorText(page);
  await page.evaluate(() => window.simLogFeed(1));
  await page.waitForFunction((n) => Number(document.querySelector('#log-status').dataset.received) > 2 * n, fed, LONG);
  await page.waitForFunction(() => /paused, \d+ new lines/.test(document.querySelector('#log-status').textContent));
  assert.equal(await monitorText(page), frozen, 'paused, the view stays put');
  await page.locator('#device-logs').scrollIntoViewIfNeeded();
  await shot(page, '4-chatty-device-paused');
  await page.click('#log-pause');
  await page.click('#log-clear');
  await page.waitForFunction(() => document.querySelector('#log-status').dataset.lines === '0');
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('the virtual device has a log port too: its boot log after Reboot, a typed command answered', async () => {
  const { page, errors } = await openWithTwoPorts();
  assert.ok(await page.isDisabled('#log-open-virtual'), 'no virtual device connected yet');
  await page.selectOption('#virtual-chip', 'bk7231t-app');
  await page.click('#connect-virtual');
  await page.waitForSelector('#chip-card', LONG);
  await page.click('#log-open-virtual');
  await page.waitForFunction(() => document.querySelector('#log-port-label')?.textContent.includes("the virtual device's UART2"), null, LONG);
  assert.match(await page.textContent('#log-port-label'), /Log port: the virtual device's UART2 at 115200 baud/);
  await page.click('#reboot');
  assert.match(await outcome(page, 'ok'), /Rebooted/);
  await page.waitForFunction(() => document.querySelector('#log-monitor')?.textContent.includes('OpenBeken OpenBK7231x_1.18.50 on BK7231T started'), null, LONG);
  await page.fill('#log-send-text', 'help');
  await page.press('#log-send-text', 'Enter');
  await page.waitForFunction(() => document.querySelector('#log-monitor').textContent.includes("Info:CMD:[UART Cmd 'help'] executed"), null, LONG);
  await page.locator('#device-logs').scrollIntoViewIfNeeded();
  await shot(page, '5-virtual-device-log');
  await page.click('#log-close');
  await page.waitForFunction(() => document.querySelector('#log-port-label').textContent.includes('none open'));
  assert.deepEqual(errors, []);
  await page.context().close();
});

test('a log port at the wrong rate shows the garbled bytes as hex, not as broken text', async () => {
  const { page, errors } = await openWithTwoPorts();
  await page.selectOption('#log-baud', '921600');
  await page.evaluate(() => { window.__pickLogPort = true; });
  await page.click('#log-open');
  await page.waitForFunction(() => document.querySelector('#log-port-label')?.textContent.includes('at 921600 baud'));
  await page.evaluate(() => { window.__pickLogPort = false; });
  await page.click('#connect');
  await page.waitForSelector('#chip-card', LONG);
  await page.click('#reboot');
  assert.match(await outcome(page, 'ok'), /Rebooted/);
  await page.waitForFunction(() => Number(document.querySelector('#log-status').dataset.received) > 200, null, LONG);
  const text = await monitorText(page);
  assert.doesNotMatch(text, /LibreTiny|\uFFFD/);
  assert.match(text, /(\\x[0-9a-f]{2}){4}/, text);
  assert.deepEqual(errors, []);
  await page.context().close();
});
