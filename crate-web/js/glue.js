// The page's few JavaScript helpers (what web-sys does not reach), imported by crate-web's Rust
// through `#[wasm_bindgen(module = "/js/glue.js")]`. One module for all of them: every module is one
// more request while the page loads, and the file server of wasm-bindgen-test-runner 0.2.130 now
// and then never answers one of several module requests made at once, so the browser tests of the
// whole page (tests/page.rs), which fetched five such modules at once, stalled for 300 s in about a
// third of its runs.

// The remembered view (src/view_choice.rs). A storage that refuses (private mode, blocked site
// data) reads as nothing remembered and forgets the choice, which the page can live with.
export function readChoice(key) { try { return localStorage.getItem(key); } catch { return null; } }
export function keepChoice(key, value) { try { localStorage.setItem(key, value); } catch { } }

// SPI recovery mode, fetched the first time it opens (src/ui/spi_entry.rs).
export async function openSpiMode(container) {
  const spi = await import(new URL('spi/bkflash-spi.js', document.baseURI).href);
  await spi.default();
  spi.mount(container);
}

// "Inside this backup", whose report views live in their own module (src/inside/loader.rs).
let inside = null;
export async function showInside(name, view) {
  // `view` looks into the page's wasm memory, which may move while the module loads: copy it first.
  const bytes = view.slice();
  inside ??= import(new URL('analyze/bkflash-analyze.js', document.baseURI).href)
    .then(async (module) => { await module.default(); return module; });
  inside.catch(() => { inside = null; });
  const module = await inside;
  module.show(document.getElementById('inside-view'), name, bytes);
}

// The virtual device, a simulated chip in a Web Worker behind a Web Serial-shaped port
// (src/device/virtual_port.rs, www/device/virtual-serial.js).
const device = () => import(new URL('device/virtual-serial.js', document.baseURI).href);
export async function openVirtualPort(chip) { return (await device()).openVirtualPort(chip); }
export async function openVirtualLogPort() { return (await device()).openVirtualLogPort(); }
export async function touchCen() { (await device()).touchCen(); }
