//! The virtual device's module, loaded only when the user picks it: a simulated chip for
//! www/device/worker.js, which runs it in a Web Worker behind a port shaped like Web Serial's.

// Shared with the test bridge, which also reads the flash; the worker does not.
#[cfg(target_arch = "wasm32")]
#[allow(dead_code)]
#[path = "../device/wall_clock.rs"]
mod wall_clock;

#[cfg(target_arch = "wasm32")]
#[path = "../device/serprog_bench.rs"]
mod serprog_bench;

#[cfg(target_arch = "wasm32")]
mod exports {
    use super::serprog_bench::WallClockBench;
    use super::wall_clock::WallClockChip;
    use wasm_bindgen::prelude::*;

    /// Simulated time runs this many times as fast as the wall clock, so a backup takes seconds;
    /// the host's timeouts stay generous and the shortest download window (100 ms) still spans
    /// several LinkChecks.
    const SPEEDUP: f64 = 4.0;

    /// One simulated chip, driven by the worker's messages.
    #[wasm_bindgen]
    pub struct VirtualDevice(WallClockChip);

    #[wasm_bindgen]
    impl VirtualDevice {
        /// The virtual chip `id` ("bk7231n", "bk7231t", "bk7231t-app", "bk7231n-manual").
        #[wasm_bindgen(constructor)]
        pub fn new(id: &str) -> Result<VirtualDevice, JsError> {
            WallClockChip::new(id, SPEEDUP)
                .map(Self)
                .map_err(|message| JsError::new(&message))
        }

        /// The host opened or reopened the port at `baud`.
        pub fn open(&mut self, baud: u32) {
            self.0.set_baud(baud);
        }

        pub fn set_lines(&mut self, dtr: bool, rts: bool) {
            self.0.set_lines(dtr, rts);
        }

        pub fn write(&mut self, bytes: &[u8]) {
            self.0.write(bytes);
        }

        /// Bytes the chip has sent to the host up to now.
        pub fn read(&mut self) -> Vec<u8> {
            self.0.read()
        }

        /// The user's manual reset: CEN touched to GND and let go.
        pub fn touch_cen(&mut self) {
            self.0.touch_cen();
        }

        /// The log adapter on UART2 opened or reopened at `baud`.
        pub fn open_log(&mut self, baud: u32) {
            self.0.set_log_baud(baud);
        }

        pub fn write_log(&mut self, bytes: &[u8]) {
            self.0.write_log(bytes);
        }

        /// UART2 bytes the firmware has printed up to now.
        pub fn read_log(&mut self) -> Vec<u8> {
            self.0.read_log()
        }

        /// Milliseconds until the chip next does something; `undefined` while it waits for input.
        pub fn ms_to_next_event(&self) -> Option<f64> {
            self.0.ms_to_next_event()
        }
    }

    /// The virtual serprog programmer with a BK7231T behind it, for the page's SPI recovery mode.
    #[wasm_bindgen]
    pub struct VirtualProgrammer(WallClockBench);

    #[wasm_bindgen]
    impl VirtualProgrammer {
        #[wasm_bindgen(constructor)]
        pub fn new() -> VirtualProgrammer {
            Self(WallClockBench::new(SPEEDUP))
        }

        /// USB CDC ignores the baud rate.
        pub fn open(&mut self, _baud: u32) {}

        pub fn set_lines(&mut self, dtr: bool, _rts: bool) {
            self.0.set_dtr(dtr);
        }

        pub fn write(&mut self, bytes: &[u8]) {
            self.0.write(bytes);
        }

        pub fn read(&mut self) -> Vec<u8> {
            self.0.read()
        }

        /// Milliseconds until the next reply byte arrives; `undefined` while none is on its way.
        pub fn ms_to_next_event(&mut self) -> Option<f64> {
            self.0.ms_to_next_event()
        }
    }
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "bkflash-device is the page's virtual device: `trunk build --release` builds it (see README.md)."
    );
    std::process::exit(2);
}
