// The virtual device as a Web Serial port: a simulated chip in a Web Worker (worker.js), fetched only
// when the user picks it. open/close/readable/writable/setSignals/getInfo behave like a SerialPort's,
// so the page drives it with the same transport code as a real adapter.
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
      else ports.get(data.id)?.receive(data);
    };
  });
  return started;
}

const closedPort = () => new DOMException('The port is closed.', 'InvalidStateError');

class VirtualSerialPort extends EventTarget {
  constructor(id) {
    super();
    this.id = id;
    this.isOpen = false;
    this.readable = null;
    this.writable = null;
    this.readController = null;
    this.created = null;
  }

  send(message) { worker.postMessage({ id: this.id, ...message }); }

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

/** A fresh simulated `chip` ("bk7231n", "bk7231t", "bk7231t-app"); a new one replaces the last. */
export async function openVirtualPort(chip) {
  await startWorker();
  performance.mark('bkflash:virtual-device-ready');
  const port = new VirtualSerialPort(nextId++);
  ports.clear();
  ports.set(port.id, port);
  await new Promise((resolve, reject) => {
    port.created = { resolve, reject };
    port.send({ op: 'create', chip });
  });
  return port;
}
