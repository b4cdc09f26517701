// Injected before the page loads: a navigator.serial whose chooser returns one CH340 adapter.
(() => {
  const port = { getInfo: () => ({ usbVendorId: 0x1a86, usbProductId: 0x7523 }) };
  Object.defineProperty(navigator, 'serial', {
    configurable: true,
    value: {
      requestPort: async () => port,
      getPorts: async () => [port],
      addEventListener() {},
      removeEventListener() {},
    },
  });
})();
