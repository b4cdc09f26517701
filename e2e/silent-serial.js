// Injected after e2e/sim-serial.js: while window.__simSilent is true, the chooser returns an adapter
// whose chip never answers (nothing ever comes back: no power, or TX/RX open), so a link runs its full
// window and fails; with __simSilent false the next Connect gets sim-serial.js's simulated chip.
(() => {
  class SilentPort extends EventTarget {
    getInfo() { return { usbVendorId: 0x1a86, usbProductId: 0x7523 }; }
    async open() {
      this.readable = new ReadableStream({ pull: () => new Promise(() => {}) }, { highWaterMark: 0 });
      this.writable = new WritableStream({ write() {} });
    }
    async close() {}
    async setSignals() {}
  }
  const serial = navigator.serial;
  const chooseSimulated = serial.requestPort.bind(serial);
  serial.requestPort = async () => (window.__simSilent ? new SilentPort() : chooseSimulated());
})();
