// Injected before the page loads: a navigator.serial whose ports are simulated chips. Each port is
// Web-Serial-shaped (open/close/readable/writable/setSignals/getInfo, 'disconnect') and bridged to a
// simulator on the wall clock (SimPort, from the test-only module that e2e/harness.mjs serves under
// /e2e-bridge/; the page itself has none), so the page's real Web Serial transport drives it.
// Tests pick the chip with window.__simChip ('bk7231n' or 'bk7231t') before pressing Connect, read
// the flash with simFlashSha256/simRegionSha256, pull the plug with simUnplugAfter(bytes), shift
// the next 4K write's address (a line fault) with simRedirectNextWrite(address); simSentBytes() is
// every byte the page wrote to the current port since simClearSent().
(() => {
  let SimPort = null;
  let bridge = null;
  // Fetched on the first open; afterwards SimPort is at hand for every synchronous call.
  const loadBridge = () => {
    bridge ??= import('/e2e-bridge/bkflash-sim-bridge.js').then(async (module) => {
      await module.default();
      SimPort = module.SimPort;
    });
    return bridge;
  };
  // For e2e/sim-log-serial.js, whose log port sits on the same chips.
  window.simBridge = () => loadBridge().then(() => SimPort);
  const lost = () => new DOMException('The device has been lost.', 'NetworkError');

  class SimSerialPort extends EventTarget {
    constructor(chip) {
      super();
      this.chip = chip;
      this.sim = null;
      this.isOpen = false;
      this.gone = false;
      this.generation = 0;
      this.written = 0;
      this.unplugAt = Infinity;
      this.sent = [];
    }

    getInfo() { return { usbVendorId: 0x1a86, usbProductId: 0x7523 }; }

    simulator() {
      if (!this.sim) this.sim = new SimPort(this.chip);
      return this.sim;
    }

    async open({ baudRate }) {
      await loadBridge();
      if (this.gone) throw lost();
      if (this.isOpen) throw new DOMException('The port is already open.', 'InvalidStateError');
      this.simulator().set_baud(baudRate);
      this.isOpen = true;
      const generation = ++this.generation;
      const live = () => this.isOpen && !this.gone && generation === this.generation;
      this.readable = new ReadableStream({
        start: (controller) => { this.readController = controller; },
        pull: (controller) => new Promise((resolve) => {
          const poll = () => {
            if (!live()) return resolve();
            const bytes = this.sim.read();
            if (bytes.length === 0) return setTimeout(poll, 1);
            try { controller.enqueue(bytes); } catch { /* the reader cancelled meanwhile */ }
            resolve();
          };
          poll();
        }),
      }, { highWaterMark: 0 });
      this.writable = new WritableStream({
        start: (controller) => { this.writeController = controller; },
        write: (chunk) => {
          if (this.gone) throw lost();
          this.sim.write(chunk);
          this.sent.push(chunk.slice());
          this.written += chunk.length;
          if (this.written >= this.unplugAt) this.unplug();
        },
      });
    }

    async close() {
      if (this.readable?.locked || this.writable?.locked) {
        throw new DOMException('Cannot close a port while its streams are locked.', 'InvalidStateError');
      }
      this.isOpen = false;
    }

    async setSignals(signals) {
      await loadBridge();
      if (this.gone) throw lost();
      this.simulator().set_lines(!!signals.dataTerminalReady, !!signals.requestToSend);
    }

    unplug() {
      if (this.gone) return;
      this.gone = true;
      this.dispatchEvent(new Event('disconnect'));
      for (const controller of [this.readController, this.writeController]) {
        try { controller?.error(lost()); } catch { /* already closed */ }
      }
    }
  }

  const ports = [];
  Object.defineProperty(navigator, 'serial', {
    configurable: true,
    value: {
      // A re-plugged adapter is a new port with a fresh chip, as after a real unplug.
      requestPort: async () => {
        const last = ports.at(-1);
        if (last && !last.gone) return last;
        const port = new SimSerialPort(window.__simChip ?? 'bk7231n');
        ports.push(port);
        return port;
      },
      getPorts: async () => ports.filter((p) => !p.gone),
      addEventListener() {},
      removeEventListener() {},
    },
  });

  const current = () => ports.at(-1);
  const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
  window.simFlashSha256 = async () => hex(await crypto.subtle.digest('SHA-256', current().sim.flash()));
  window.simRegionSha256 = (offset, length) => current().sim.flash_sha256(offset, length);
  window.simUnplugAfter = (bytes) => { current().unplugAt = current().written + bytes; };
  window.simPortCount = () => ports.length;
  window.simRedirectNextWrite = (address) => current().simulator().redirect_next_write(address);
  window.simClearSent = () => { current().sent = []; };
  window.simSentBytes = () => {
    const chunks = current()?.sent ?? [];
    const all = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const chunk of chunks) { all.set(chunk, at); at += chunk.length; }
    return all;
  };
})();
