// Injected before the page loads: this tab behaves like a browser without Web Serial (Safari).
delete Navigator.prototype.serial;
