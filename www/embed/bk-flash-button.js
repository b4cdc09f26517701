// <bk-flash-button>: an "Install firmware" button for a project's docs that opens the bkflash page.
// Load it with <script src="https://<user>.github.io/bkflash/embed/bk-flash-button.js" defer></script>.
//
// Attributes (all optional except one of manifest/firmware; URLs must be http(s), others are refused):
//   manifest="fw/manifest.json"   a bkflash manifest, relative to the docs page (builds per chip family)
//   firmware="fw/app.uf2"         or one firmware file for any chip
//   flasher="https://…/bkflash/"  the bkflash page to open; default: the site this script came from
//   label="Install OpenBeken"     the button text (or put it in <span slot="label">)
//   unsupported-text="…"          shown instead of opening when the browser has no Web Serial
//                                 (or put it in <span slot="unsupported">)
//   mode="tab"                    always open a new tab instead of a dialog
// The flasher opens in a <dialog> with an iframe allowed to use Web Serial (allow="serial"); where
// the docs page's Permissions-Policy forbids that, it opens in a new tab. Nothing is sent anywhere:
// the manifest and firmware are downloaded by the flasher page in the user's browser. While the
// flasher runs a job (it says so by postMessage), closing the dialog or the docs page asks first.
(() => {
  const scriptUrl = document.currentScript?.src ?? document.baseURI;
  const DEFAULT_FLASHER = new URL('../', scriptUrl).href;
  const DEFAULT_LABEL = 'Install firmware';
  const DEFAULT_UNSUPPORTED =
    'Flashing from the browser needs Web Serial: use Chrome, Edge or Opera (desktop), or Firefox 151+.';
  const BUSY_QUESTION =
    'bkflash is still working on the chip. Closing now stops it half way and can leave the chip unable to start. Close anyway?';
  const SCHEMES = ['https:', 'http:'];

  const STYLE = `
    :host { display: inline-block; }
    button.open { font: inherit; padding: .5em 1em; border-radius: .4em; border: 0; cursor: pointer;
                  background: #1f6feb; color: #fff; }
    button.open:focus-visible { outline: 3px solid #79c0ff; outline-offset: 2px; }
    .unsupported, .refused { margin: .5em 0 0; color: #b42318; }
    dialog { width: min(960px, 96vw); height: min(760px, 92vh); padding: 0; border: 0; border-radius: .6em; }
    dialog::backdrop { background: rgb(0 0 0 / .55); }
    .bar { display: flex; gap: 1em; justify-content: flex-end; align-items: center; padding: .4em .8em;
           background: #f0f2f5; color: #222; font: 14px system-ui, sans-serif; }
    .frame { width: 100%; height: calc(100% - 2.4em); border: 0; display: block; }
  `;

  function serialAllowedInFrame(origin) {
    // Chromium exposes the docs page's Permissions-Policy; other browsers get the dialog and its tab link.
    const policy = document.featurePolicy ?? document.permissionsPolicy;
    return !policy?.allowsFeature || policy.allowsFeature('serial', origin);
  }

  /** `value` as an absolute http(s) URL against the docs page; throws a sentence otherwise. */
  function webUrl(attribute, value) {
    let url;
    try {
      url = new URL(value, document.baseURI);
    } catch {
      throw new Error(`The ${attribute} address "${value}" is not a valid URL.`);
    }
    if (!SCHEMES.includes(url.protocol)) {
      throw new Error(`The ${attribute} address must start with https:// or http://; "${url.protocol}" addresses are refused.`);
    }
    return url;
  }

  class BkFlashButton extends HTMLElement {
    constructor() {
      super();
      this.busy = false;
      this.onMessage = (event) => {
        const frame = this.shadowRoot?.querySelector('iframe');
        if (!frame || event.source !== frame.contentWindow || event.data?.source !== 'bkflash') return;
        this.busy = event.data.busy === true;
      };
      this.onBeforeUnload = (event) => {
        if (!this.busy) return;
        event.preventDefault();
        event.returnValue = BUSY_QUESTION;
      };
    }

    connectedCallback() {
      window.addEventListener('message', this.onMessage);
      window.addEventListener('beforeunload', this.onBeforeUnload);
      if (this.shadowRoot) return;
      const root = this.attachShadow({ mode: 'open' });
      root.innerHTML = `<style>${STYLE}</style>
        <button class="open" type="button" part="button"><slot name="label"></slot></button>
        <p class="unsupported" part="unsupported" role="alert" hidden><slot name="unsupported"></slot></p>
        <p class="refused" part="refused" role="alert" hidden></p>
        <dialog part="dialog" aria-label="bkflash">
          <div class="bar"><a class="tab" target="_blank" rel="noopener">Open in a new tab</a>
            <button class="close" type="button">Close</button></div>
        </dialog>`;
      root.querySelector('slot[name=label]').textContent = this.getAttribute('label') ?? DEFAULT_LABEL;
      root.querySelector('slot[name=unsupported]').textContent =
        this.getAttribute('unsupported-text') ?? DEFAULT_UNSUPPORTED;
      root.querySelector('button.open').addEventListener('click', () => this.open());
      root.querySelector('button.close').addEventListener('click', () => this.close());
      const dialog = root.querySelector('dialog');
      // Escape: the dialog's 'cancel' event, refused while a job runs unless the user insists.
      dialog.addEventListener('cancel', (event) => { if (!this.mayClose()) event.preventDefault(); });
      dialog.addEventListener('close', () => {
        root.querySelector('iframe')?.remove();
        this.busy = false;
      });
    }

    disconnectedCallback() {
      window.removeEventListener('message', this.onMessage);
      window.removeEventListener('beforeunload', this.onBeforeUnload);
    }

    /** The flasher URL with ?manifest= or ?firmware= made absolute against the docs page. */
    flasherUrl() {
      const url = webUrl('flasher', this.getAttribute('flasher') ?? DEFAULT_FLASHER);
      for (const key of ['manifest', 'firmware']) {
        const value = this.getAttribute(key);
        if (value) url.searchParams.set(key, webUrl(key, value).href);
      }
      return url;
    }

    /** Say why the flasher cannot be opened (a refused address). */
    refuse(text) {
      const notice = this.shadowRoot.querySelector('.refused');
      notice.textContent = text;
      notice.hidden = false;
    }

    open() {
      const root = this.shadowRoot;
      if (!('serial' in navigator)) {
        root.querySelector('.unsupported').hidden = false;
        return;
      }
      let url;
      try {
        url = this.flasherUrl();
      } catch (error) {
        this.refuse(error.message);
        return;
      }
      if (this.getAttribute('mode') === 'tab' || !serialAllowedInFrame(url.origin)) {
        window.open(url.href, '_blank', 'noopener');
        return;
      }
      const frame = document.createElement('iframe');
      frame.className = 'frame';
      frame.allow = 'serial';
      frame.title = 'bkflash firmware flasher';
      frame.src = url.href;
      const dialog = root.querySelector('dialog');
      dialog.querySelector('a.tab').href = url.href;
      dialog.append(frame);
      dialog.showModal();
    }

    /** True when no job runs in the flasher, or the user agrees to stop it. */
    mayClose() {
      return !this.busy || window.confirm(BUSY_QUESTION);
    }

    close() {
      if (this.mayClose()) this.shadowRoot.querySelector('dialog').close();
    }
  }

  if (!customElements.get('bk-flash-button')) customElements.define('bk-flash-button', BkFlashButton);
})();
