// Injected before the page loads: the page's private storage (OPFS) refuses to open, as when the
// disk is full or site data is blocked.
StorageManager.prototype.getDirectory = () =>
  Promise.reject(new DOMException('The quota has been exceeded.', 'QuotaExceededError'));
