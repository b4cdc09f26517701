// Injected after sim-serial.js: the flash commands the page sent to the simulated chip, decoded from
// the bytes it wrote (docs/protocol.md §1.2, §2.2): window.simHostCommands() lists
// { op, addr, size } for every erase, write and read frame since window.simClearSent().
(() => {
  const LONG_OPS = {
    0x06: 'write-page', 0x07: 'write-4k', 0x09: 'read-4k', 0x0a: 'erase-all', 0x0b: 'erase-4k', 0x0f: 'erase',
  };
  const ERASE_SIZES = { 0x20: 0x1000, 0x52: 0x8000, 0xd8: 0x10000 };
  const u32 = (b, at) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;

  window.simHostCommands = () => {
    const bytes = window.simSentBytes();
    const commands = [];
    let i = 0;
    while (i + 4 < bytes.length) {
      if (bytes[i] !== 0x01 || bytes[i + 1] !== 0xe0 || bytes[i + 2] !== 0xfc) { i += 1; continue; }
      if (bytes[i + 3] === 0xff && bytes[i + 4] === 0xf4) {
        const length = bytes[i + 5] | (bytes[i + 6] << 8);
        const op = bytes[i + 7];
        const payload = bytes.subarray(i + 8, i + 7 + length);
        const name = LONG_OPS[op];
        if (name === 'erase') commands.push({ op: 'erase', size: ERASE_SIZES[payload[0]] ?? 0, addr: u32(payload, 1) });
        else if (name === 'erase-4k') commands.push({ op: 'erase', size: 0x1000, addr: u32(payload, 0) });
        else if (name === 'erase-all') commands.push({ op: 'erase-all', addr: 0, size: 0 });
        else if (name) commands.push({ op: name, addr: u32(payload, 0), size: payload.length - 4 });
        i += 7 + length;
      } else {
        i += 4 + bytes[i + 3];
      }
    }
    return commands;
  };
})();
