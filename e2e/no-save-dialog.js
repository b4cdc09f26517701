// Injected before the page loads: a browser without a save dialog (File System Access), as Firefox;
// backups then count only once kept in the page's private storage, and are offered as a download.
delete window.showSaveFilePicker;
delete Window.prototype.showSaveFilePicker;
