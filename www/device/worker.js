// The virtual device's thread: one simulated chip (bkflash-device.wasm) behind the messages of
// virtual-serial.js, so simulating never blocks the page. Bytes go out when the chip sends them:
// UART1 to the flashing port, UART2 (messages with uart: 2) to the log port. The chip id
// "serprog" is the SPI recovery mode's bench instead: a serprog programmer with a BK7231T behind it.
// A "touchCen" message is the user's manual reset (the page's practice chip).
import init, { VirtualDevice, VirtualProgrammer } from './bkflash-device.js';

const SERPROG = 'serprog';

let chip = null;
let id = 0;
let open = false;
let logOpen = false;
let timer = null;

const ready = init().then(
  () => postMessage({ op: 'ready' }),
  (error) => postMessage({ op: 'failed', message: String(error) }),
);

// Send what the chip has sent by now, then wake up when it next does something.
function run() {
  clearTimeout(timer);
  timer = null;
  if (!chip) return;
  const bytes = chip.read();
  if (open && bytes.length > 0) postMessage({ id, op: 'data', bytes }, [bytes.buffer]);
  const log = chip.read_log?.() ?? [];
  if (logOpen && log.length > 0) postMessage({ id, uart: 2, op: 'data', bytes: log }, [log.buffer]);
  const wait = chip.ms_to_next_event();
  if (wait !== undefined) timer = setTimeout(run, Math.max(wait, 1));
}

const handlers = {
  create({ chip: name }) {
    chip?.free();
    chip = null;
    open = false;
    logOpen = false;
    try {
      chip = name === SERPROG ? new VirtualProgrammer() : new VirtualDevice(name);
      postMessage({ id, op: 'created' });
    } catch (error) {
      postMessage({ id, op: 'error', message: error.message ?? String(error) });
    }
  },
  open({ baud }) { chip.open(baud); open = true; },
  close() { open = false; },
  signals({ dtr, rts }) { chip.set_lines(dtr, rts); },
  write({ bytes }) { chip.write(bytes); },
  touchCen() { chip.touch_cen?.(); },
};

const logHandlers = {
  open({ baud }) { chip.open_log(baud); logOpen = true; },
  close() { logOpen = false; },
  signals() {},
  write({ bytes }) { chip.write_log(bytes); },
};

onmessage = async ({ data }) => {
  await ready;
  if (data.op === 'create') id = data.id;
  else if (data.id !== id || !chip) return;
  (data.uart === 2 ? logHandlers : handlers)[data.op](data);
  run();
};
