// Starts the page's wasm. Trunk's default loader is an inline <script>, which a strict
// Content-Security-Policy (no 'unsafe-inline') refuses; Trunk.toml's pattern_script loads this file
// instead and passes the hashed file names as data attributes on its <script> tag.
const tag = document.querySelector('script[data-bkflash-wasm]');
const bindings = await import(new URL(tag.dataset.bkflashJs, document.baseURI).href);
const wasm = await bindings.default({ module_or_path: new URL(tag.dataset.bkflashWasm, document.baseURI).href });
dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
