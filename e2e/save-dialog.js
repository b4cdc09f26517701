// Injected before the page loads: a save dialog (showSaveFilePicker) that answers as the test says.
// window.__saveDialog = 'save' (default) | 'cancel' | 'fail-write' picks the answer; with
// window.__holdSave = true the file's close() waits for window.releaseSave(), so a test can look at
// the page mid-save. Saved files are in window.savedFiles (name -> Uint8Array); the suggested names
// in window.suggestedNames.
(() => {
  window.savedFiles = {};
  window.suggestedNames = [];
  window.saveState = 'idle';
  let release = () => {};
  window.releaseSave = () => release();

  class FakeWritable {
    constructor(name, fail) { this.name = name; this.fail = fail; this.parts = []; }
    async write(data) {
      if (this.fail) throw new DOMException('There is not enough space on the disk.', 'QuotaExceededError');
      this.parts.push(new Uint8Array(data));
    }
    async close() {
      window.saveState = 'closing';
      if (window.__holdSave) await new Promise((resolve) => { release = resolve; });
      const size = this.parts.reduce((n, p) => n + p.length, 0);
      const all = new Uint8Array(size);
      let at = 0;
      for (const part of this.parts) { all.set(part, at); at += part.length; }
      window.savedFiles[this.name] = all;
      window.saveState = 'saved';
    }
    async abort() { this.parts = []; }
  }

  window.showSaveFilePicker = async (options = {}) => {
    const mode = window.__saveDialog ?? 'save';
    const name = options.suggestedName ?? 'unnamed.bin';
    window.suggestedNames.push(name);
    if (mode === 'cancel') throw new DOMException('The user aborted a request.', 'AbortError');
    return {
      kind: 'file',
      name,
      createWritable: async () => new FakeWritable(name, mode === 'fail-write'),
      getFile: async () => new File([window.savedFiles[name] ?? new Uint8Array()], name),
    };
  };
})();
