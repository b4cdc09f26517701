// A stand-in for a Web Serial SerialPort, for the transport tests: real WHATWG streams underneath,
// a log of what the transport asked for, and controls to feed bytes, unplug or break the line.
class FakePort extends EventTarget {
  constructor() {
    super();
    this.log = [];
    this.written = [];
    this.chunks = [];
    this.isOpen = false;
  }

  getInfo() { return { usbVendorId: 0x1a86, usbProductId: 0x7523 }; }

  async open(options) {
    if (this.isOpen) throw new DOMException('The port is already open.', 'InvalidStateError');
    this.isOpen = true;
    this.log.push(`open ${options.baudRate} buffer ${options.bufferSize}`);
    this.readable = this.newReadable();
    this.writable = new WritableStream({
      write: (chunk) => {
        this.written.push(...chunk);
        this.chunks.push(chunk.length, performance.now());
      },
    });
  }

  // Like the real port, refuse to close while a reader or writer still holds a stream.
  async close() {
    if (this.readable.locked || this.writable.locked) {
      throw new DOMException('Cannot close a port while its streams are locked.', 'InvalidStateError');
    }
    this.isOpen = false;
    this.log.push('close');
  }

  async setSignals(signals) {
    this.log.push(`signals dtr=${signals.dataTerminalReady} rts=${signals.requestToSend}`);
  }

  newReadable() {
    return new ReadableStream({ start: (controller) => { this.controller = controller; } });
  }

  receive(bytes) { this.controller.enqueue(new Uint8Array(bytes)); }

  unplug() {
    this.dispatchEvent(new Event('disconnect'));
    this.controller.error(new DOMException('The device has been lost.', 'NetworkError'));
  }

  endInput() { this.controller.close(); }

  // What Chromium does on a break or framing error: the stream errors and a fresh one replaces it.
  lineError(name) {
    const broken = this.controller;
    this.readable = this.newReadable();
    broken.error(new DOMException('A line error was detected.', name));
  }

  writtenBytes() { return new Uint8Array(this.written); }
  // Each write the transport made: its length and when it came (ms), flattened.
  chunkLog() { return new Float64Array(this.chunks); }
  logLines() { return this.log.slice(); }
}

export function newFakePort() { return new FakePort(); }
