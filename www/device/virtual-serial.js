// The virtual device as a Web Serial port: a simulated chip in a Web Worker (worker.js), fetched only
// when the user picks it. open/close/readable/writable/setSignals/getInfo behave like a SerialPort's,
// so the page drives it with the same transport code as a real adapter. The chip's UART2 is a second
// such port (openVirtualLogPort), as a second adapter on TX2 would be.
let worker = null;
let started = null;
let nextId = 1;
const ports = new Map();

/** The worker, started once per page; resolves when its wasm module is ready. */
function startWorker() {
  started ??= new Promise((resolve, reject) => {
    worker = new Worker(new URL('worker.js', import.meta.url), { type: 'module' });
    worker.onerror = (event) => reject(new Error(event.message || 'the virtual device worker failed to load'));
    worker.onmessage = ({ data }) => {
      if (data.op === 'ready') resolve();
      else if (data.op === 'failed') reject(new Error(data.message));
      else ports.get(portKey(data.id, data.uart))?.receive(data);
    };
  });
  return started;
}

const portKey = (id, uart = 1) => `${id}:${uart}`;
const closedPort = () => new DOMException('The port is closed.', 'InvalidStateError');

class VirtualSerialPort extends EventTarget {
  constructor(id, uart = 1) {
    super();
    this.id = id;
    this.uart = uart;
    this.isOpen = false;
    this.readable = null;
    this.writable = null;
    this.readController = null;
    this.created = null;
  }

  send(message) { worker.postMessage({ id: this.id, uart: this.uart, ...message }); }

  /** The chip behind this port was replaced: reading fails as on an unplugged adapter. */
  lose() {
    if (!this.isOpen) return;
    try { this.readController.error(new DOMException('The device has been lost.', 'NetworkError')); } catch { /* already closed */ }
  }

  receive(message) {
    if (message.op === 'created') this.created.resolve();
    else if (message.op === 'error') this.created.reject(new Error(message.message));
    else if (message.op === 'data' && this.isOpen) {
      try { this.readController.enqueue(message.bytes); } catch { /* the reader cancelled meanwhile */ }
    }
  }

  getInfo() { return {}; }

  async open({ baudRate }) {
    if (this.isOpen) throw new DOMException('The port is already open.', 'InvalidStateError');
    this.isOpen = true;
    this.send({ op: 'open', baud: baudRate });
    this.readable = new ReadableStream({ start: (controller) => { this.readController = controller; } });
    this.writable = new WritableStream({
      write: (chunk) => {
        if (!this.isOpen) throw closedPort();
        this.send({ op: 'write', bytes: new Uint8Array(chunk) });
      },
    });
  }

  async close() {
    if (this.readable?.locked || this.writable?.locked) {
      throw new DOMException('Cannot close a port while its streams are locked.', 'InvalidStateError');
    }
    if (!this.isOpen) throw closedPort();
    this.isOpen = false;
    this.send({ op: 'close' });
    try { this.readController.close(); } catch { /* already cancelled */ }
  }

  async setSignals({ dataTerminalReady = false, requestToSend = false }) {
    if (!this.isOpen) throw closedPort();
    this.send({ op: 'signals', dtr: dataTerminalReady, rts: requestToSend });
  }
}

/** A fresh simulated `chip` ("bk7231n", "bk7231t", "bk7231t-app", "bk7231n-manual"); a new one replaces the last. */
export async function openVirtualPort(chip) {
  await startWorker();
  performance.mark('bkflash:virtual-device-ready');
  const port = new VirtualSerialPort(nextId++);
  for (const old of ports.values()) old.lose();
  ports.clear();
  ports.set(portKey(port.id), port);
  await new Promise((resolve, reject) => {
    port.created = { resolve, reject };
    port.send({ op: 'create', chip });
  });
  return port;
}

/** The current virtual chip's UART2, the log port; fails while no virtual chip runs. */
export async function openVirtualLogPort() {
  const chip = [...ports.values()].find((port) => port.uart === 1);
  if (!chip) throw new Error('no virtual device is connected');
  const port = new VirtualSerialPort(chip.id, 2);
  ports.get(portKey(chip.id, 2))?.lose();
  ports.set(portKey(chip.id, 2), port);
  return port;
}

/** The user touches the current virtual chip's CEN to GND and lets go; fails while none runs. */
export function touchCen() {
  const chip = [...ports.values()].find((port) => port.uart === 1);
  if (!chip) throw new Error('no virtual device is connected');
  chip.send({ op: 'touchCen' });
}
