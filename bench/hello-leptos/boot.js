// Starts the hello world the way the page starts its wasm (hashed names from Trunk's pattern_script):
// one import and one init, like www/boot.js when it loads the page directly.
const tag = document.querySelector('script[data-bkflash-wasm]');
const here = (path) => new URL(path, document.baseURI).href;
const bindings = await import(here(tag.dataset.bkflashJs));
await bindings.default({ module_or_path: here(tag.dataset.bkflashWasm) });
