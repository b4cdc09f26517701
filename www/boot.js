// Starts the page. Trunk's default loader is an inline <script>, which a strict
// Content-Security-Policy (no 'unsafe-inline') refuses; Trunk.toml's pattern_script loads this file
// instead and passes the hashed file names of the flasher page as data attributes on its <script> tag.
// A plain visit (guided view, nothing asked in the address) first loads only the Start screen
// (start/, crate-web/src/start_shell.rs); the flasher page follows when the user picks something there.
const tag = document.querySelector('script[data-bkflash-wasm]');
const here = (path) => new URL(path, document.baseURI).href;

/** Load and mount the flasher page with what the Start screen hands over (undefined: nothing). */
async function mountApp(handover) {
  const bindings = await import(here(tag.dataset.bkflashJs));
  const wasm = await bindings.default({ module_or_path: here(tag.dataset.bkflashWasm) });
  bindings.mount(handover);
  dispatchEvent(new CustomEvent('TrunkApplicationStarted', { detail: { wasm } }));
}

let mounting;
/** `mountApp`, once: a second pick while the page loads (a double click) gets the first one's
 *  promise instead of a second page; after a failed load the next pick tries again. */
function loadApp(handover) {
  mounting ??= mountApp(handover).catch((error) => {
    mounting = undefined;
    throw error;
  });
  return mounting;
}

/** The guided view with nothing else asked: `?view=guided` or no query, and the expert view not
 *  remembered (the key crate-web/src/view_choice.rs keeps). */
function plainGuidedVisit() {
  const params = new URLSearchParams(location.search);
  if ([...params.keys()].some((key) => key !== 'view')) return false;
  const asked = params.get('view');
  if (asked !== null) return asked === 'guided';
  let remembered = null;
  try { remembered = localStorage.getItem('bkflash.view'); } catch { /* storage refused: nothing remembered */ }
  return remembered !== 'expert';
}

if (plainGuidedVisit()) {
  const start = await import(here('start/bkflash-start.js'));
  await start.default();
  start.mount(loadApp);
} else {
  await loadApp(undefined);
}
