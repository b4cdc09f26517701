// Injected after sim-serial.js: a second fake adapter (a CP210x) on the simulated chip's UART2, the
// log port. With window.__pickLogPort set the chooser returns it; without, the chooser behaves as in
// sim-serial.js (the flashing port), so picking the flashing port twice can be tried.
// simLogFeed(seconds) makes the log port deliver, as fast as the page reads, what a chatty firmware
// prints in that many seconds (SimPort.chatty_log, from the test bridge); its byte count is returned.
(() => {
  const serial = navigator.serial;
  const pickFlashPort = serial.requestPort.bind(serial);

  class SimLogPort extends EventTarget {
    constructor() {
      super();
      this.isOpen = false;
      this.feed = null;
      this.feedAt = 0;
    }

    getInfo() { return { usbVendorId: 0x10c4, usbProductId: 0xea60 }; }

    // The log adapter sits on the flashing adapter's chip: make that chip now if nobody has yet.
    async chip() {
      await window.simBridge();
      const flashPort = (await serial.getPorts()).at(-1) ?? await pickFlashPort();
      return flashPort.simulator();
    }

    takeFeed() {
      const chunk = this.feed.subarray(this.feedAt, this.feedAt + 4096);
      this.feedAt += chunk.length;
      if (this.feedAt >= this.feed.length) this.feed = null;
      return chunk;
    }

    async open({ baudRate }) {
      if (this.isOpen) throw new DOMException('The port is already open.', 'InvalidStateError');
      const sim = await this.chip();
      sim.set_log_baud(baudRate);
      this.isOpen = true;
      this.readable = new ReadableStream({
        pull: (controller) => new Promise((resolve) => {
          const poll = () => {
            if (!this.isOpen) return resolve();
            const bytes = this.feed ? this.takeFeed() : sim.read_log();
            if (bytes.length === 0) return setTimeout(poll, 5);
            try { controller.enqueue(bytes); } catch { /* the reader cancelled meanwhile */ }
            resolve();
          };
          poll();
        }),
      }, { highWaterMark: 0 });
      this.writable = new WritableStream({ write: (chunk) => sim.write_log(chunk) });
    }

    async close() {
      if (this.readable?.locked || this.writable?.locked) {
        throw new DOMException('Cannot close a port while its streams are locked.', 'InvalidStateError');
      }
      this.isOpen = false;
    }

    async setSignals() {}
  }

  const logPort = new SimLogPort();
  serial.requestPort = async (options) => (window.__pickLogPort ? logPort : pickFlashPort(options));
  window.simLogFeed = async (seconds) => {
    const SimPort = await window.simBridge();
    logPort.feed = SimPort.chatty_log(window.__simChip ?? 'bk7231n', seconds);
    logPort.feedAt = 0;
    return logPort.feed.length;
  };
  window.simLogPortOpen = () => logPort.isOpen;
  addEventListener('TrunkApplicationStarted', (event) => { window.__wasmMemory = event.detail.wasm.memory; });
})();
