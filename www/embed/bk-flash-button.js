// <bk-flash-button>: an "Install firmware" button for a project's docs that opens the bkflash page.
// Load it with <script src="https://<user>.github.io/bkflash/embed/bk-flash-button.js" defer></script>.
//
// Attributes (all optional except one of manifest/firmware):
//   manifest="fw/manifest.json"   a bkflash manifest, relative to the docs page (builds per chip family)
//   firmware="fw/app.uf2"         or one firmware file for any chip
//   flasher="https://…/bkflash/"  the bkflash page to open; default: the site this script came from
//   label="Install OpenBeken"     the button text (or put it in <span slot="label">)
//   unsupported-text="…"          shown instead of opening when the browser has no Web Serial
//                                 (or put it in <span slot="unsupported">)
//   mode="tab"                    always open a new tab instead of a dialog
// The flasher opens in a <dialog> with an iframe allowed to use Web Serial (allow="serial"); where
// the docs page's Permissions-Policy forbids that, it opens in a new tab. Nothing is sent anywhere:
// the manifest and firmware are downloaded by the flasher page in the user's browser.
(() => {
  const scriptUrl = document.currentScript?.src ?? document.baseURI;
  const DEFAULT_FLASHER = new URL('../', scriptUrl).href;
  const DEFAULT_LABEL = 'Install firmware';
  const DEFAULT_UNSUPPORTED =
    'Flashing from the browser needs Web Serial: use Chrome, Edge or Opera (desktop), or Firefox 151+.';

  const STYLE = `
    :host { display: inline-block; }
    button.open { font: inherit; padding: .5em 1em; border-radius: .4em; border: 0; cursor: pointer;
                  background: #1f6feb; color: #fff; }
    button.open:focus-visible { outline: 3px solid #79c0ff; outline-offset: 2px; }
    .unsupported { margin: .5em 0 0; color: #b42318; }
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

  class BkFlashButton extends HTMLElement {
    connectedCallback() {
      if (this.shadowRoot) return;
      const root = this.attachShadow({ mode: 'open' });
      root.innerHTML = `<style>${STYLE}</style>
        <button class="open" type="button" part="button"><slot name="label"></slot></button>
        <p class="unsupported" part="unsupported" role="alert" hidden><slot name="unsupported"></slot></p>
        <dialog part="dialog" aria-label="bkflash">
          <div class="bar"><a class="tab" target="_blank" rel="noopener">Open in a new tab</a>
            <button class="close" type="button">Close</button></div>
        </dialog>`;
      root.querySelector('slot[name=label]').textContent = this.getAttribute('label') ?? DEFAULT_LABEL;
      root.querySelector('slot[name=unsupported]').textContent =
        this.getAttribute('unsupported-text') ?? DEFAULT_UNSUPPORTED;
      root.querySelector('button.open').addEventListener('click', () => this.open());
      root.querySelector('button.close').addEventListener('click', () => this.close());
      root.querySelector('dialog').addEventListener('close', () => root.querySelector('iframe')?.remove());
    }

    /** The flasher URL with ?manifest= or ?firmware= made absolute against the docs page. */
    flasherUrl() {
      const url = new URL(this.getAttribute('flasher') ?? DEFAULT_FLASHER, document.baseURI);
      for (const key of ['manifest', 'firmware']) {
        const value = this.getAttribute(key);
        if (value) url.searchParams.set(key, new URL(value, document.baseURI).href);
      }
      return url;
    }

    open() {
      const root = this.shadowRoot;
      if (!('serial' in navigator)) {
        root.querySelector('.unsupported').hidden = false;
        return;
      }
      const url = this.flasherUrl();
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

    close() {
      this.shadowRoot.querySelector('dialog').close();
    }
  }

  if (!customElements.get('bk-flash-button')) customElements.define('bk-flash-button', BkFlashButton);
})();
