//! A simulated chip on the wall clock, driven like a serial port (baud, lines, bytes in and out).
//! Included by path into the virtual device's module and the end-to-end test bridge, never into the
//! page: they then link only the simulator, not the page's crate and its Leptos.

use core::time::Duration;

use bkflash_sim::bootloader::synthetic;
use bkflash_sim::{AppModel, BOOT_BAUD, Sim, SimConfig, StartMode, Wiring};
use wasm_bindgen::prelude::*;

/// A virtual chip id, the simulator configuration it stands for and the Tuya storage in its flash.
type Preset = (&'static str, fn() -> SimConfig, &'static TuyaStorage);

/// The simulator preset behind each virtual chip id the page offers (`device::VIRTUAL_CHIPS`).
static PRESETS: [Preset; 4] = [
    ("bk7231n", SimConfig::bk7231n, &BULB),
    ("bk7231t", SimConfig::bk7231t, &PLUG),
    ("bk7231t-app", bk7231t_running_openbeken, &PLUG),
    ("bk7231n-manual", bk7231n_needing_a_manual_reset, &BULB),
];

/// The end of a Tuya device's KV storage sectors, read from a generated vector (testdata/dumps/) so
/// a backup of the virtual device holds a device configuration (docs/dump-analysis.md §1.1).
struct TuyaStorage {
    offset: usize,
    bytes: &'static [u8],
}

/// `t_plug.bin` from 0x1EE000: the relay plug (WB2S: relay, button, LED, Wi-Fi LED).
static PLUG: TuyaStorage = TuyaStorage {
    offset: 0x1E_E000,
    bytes: include_bytes!("tuya-storage-plug.bin"),
};

/// `n_bulb.bin` from 0x1ED000 (protected decoy sector first): the RGBCW bulb (CB3L).
static BULB: TuyaStorage = TuyaStorage {
    offset: 0x1E_D000,
    bytes: include_bytes!("tuya-storage-bulb.bin"),
};

/// A chip that runs its firmware and must be talked into download mode (no reset wiring).
fn bk7231t_running_openbeken() -> SimConfig {
    SimConfig::bk7231t()
        .with_start(StartMode::App)
        .with_app(AppModel::OpenBeken)
        .with_wiring(Wiring::None)
}

/// The practice chip: its firmware ignores the flasher and nothing joins RTS or DTR to CEN, so only
/// the user's manual reset (`WallClockChip::touch_cen`) brings it to the bootloader.
fn bk7231n_needing_a_manual_reset() -> SimConfig {
    SimConfig::bk7231n()
        .with_start(StartMode::App)
        .with_app(AppModel::Plain)
        .with_wiring(Wiring::None)
}

/// Real firmware keeps logging once it runs; on the wall clock a single start-up line would be gone
/// before anyone opens the serial console, so the virtual chips print a status line every second.
const APP_STATUS_EVERY: Duration = Duration::from_secs(1);
const APP_STATUS: &[u8] = b"[app] running\r\n";

/// The simulator configuration of the virtual chip `id`.
pub fn preset(id: &str) -> Option<SimConfig> {
    PRESETS
        .iter()
        .find(|(name, _, _)| *name == id)
        .map(|(_, config, storage)| {
            with_storage(config(), storage).with_app_status(APP_STATUS_EVERY, APP_STATUS)
        })
}

/// `config`'s flash (its bootloader, the rest erased) with `storage` at its place.
fn with_storage(config: SimConfig, storage: &TuyaStorage) -> SimConfig {
    let mut image = synthetic(config.class, config.bootloader);
    image.resize(storage.offset, 0xFF);
    image.extend_from_slice(storage.bytes);
    config.with_flash_image(image)
}

#[wasm_bindgen]
extern "C" {
    /// `performance.now()` of whichever global runs us: a window or a worker.
    #[wasm_bindgen(js_namespace = performance, js_name = now)]
    pub fn performance_now() -> f64;
}

/// One simulated chip; its time is the wall-clock time since it was created, times `speed`.
pub struct WallClockChip {
    sim: Sim,
    created_ms: f64,
    speed: f64,
    baud: u32,
    /// When the host's last byte leaves; a later write queues behind it.
    sending_until: Duration,
    received: Vec<u8>,
}

impl WallClockChip {
    /// The chip `id` (see `preset`), its clock running `speed` times as fast as the wall clock.
    pub fn new(id: &str, speed: f64) -> Result<Self, String> {
        let config = preset(id).ok_or_else(|| {
            let known: Vec<&str> = PRESETS.iter().map(|(name, _, _)| *name).collect();
            format!(
                "no simulated chip named {id}; use one of {}",
                known.join(", ")
            )
        })?;
        Ok(Self {
            sim: Sim::new(config),
            created_ms: performance_now(),
            speed,
            baud: BOOT_BAUD,
            sending_until: Duration::ZERO,
            received: Vec::new(),
        })
    }

    /// Simulated time now.
    fn now(&self) -> Duration {
        let elapsed_ms = (performance_now() - self.created_ms) * self.speed;
        Duration::from_secs_f64((elapsed_ms / 1000.0).max(0.0))
    }

    /// The host opened or reopened the port at `baud`.
    pub fn set_baud(&mut self, baud: u32) {
        let now = self.now();
        self.baud = baud;
        self.sim.set_host_baud(now, baud);
    }

    /// The host drives DTR and RTS (true = asserted).
    pub fn set_lines(&mut self, dtr: bool, rts: bool) {
        let now = self.now();
        self.sim.set_lines(now, dtr, rts);
    }

    /// The host sends `bytes` now (or after what it is still sending).
    pub fn write(&mut self, bytes: &[u8]) {
        let start = self.now().max(self.sending_until);
        self.sending_until = self.sim.rx(start, bytes, self.baud);
    }

    /// Bytes the chip has sent to the host up to now.
    pub fn read(&mut self) -> Vec<u8> {
        let now = self.now();
        self.sim.advance(now, &mut self.received);
        core::mem::take(&mut self.received)
    }

    /// The user touches CEN to GND for a moment: the chip resets now (docs/protocol.md §3.3).
    pub fn touch_cen(&mut self) {
        let now = self.now();
        self.sim.manual_reset(now);
    }

    /// The log adapter on UART2 opened or reopened at `baud`.
    pub fn set_log_baud(&mut self, baud: u32) {
        self.sim.set_log_baud(baud);
    }

    /// UART2 bytes the running firmware has printed up to now; unread ones are gone, as on a wire
    /// nobody listens to.
    pub fn read_log(&mut self) -> Vec<u8> {
        let now = self.now();
        let mut out = Vec::new();
        self.sim.advance_log(now, &mut out);
        out
    }

    /// The log adapter types `bytes` on UART2 now (a command line for the firmware's console).
    pub fn write_log(&mut self, bytes: &[u8]) {
        let now = self.now();
        self.sim.log_rx(now, bytes);
    }

    /// Wall-clock milliseconds until the chip next does something on either UART, or `None` if it
    /// waits for input.
    pub fn ms_to_next_event(&self) -> Option<f64> {
        let next = [self.sim.next_event(), self.sim.next_log_event()]
            .into_iter()
            .flatten()
            .min()?;
        let ahead = next.saturating_sub(self.now());
        Some(ahead.as_secs_f64() * 1000.0 / self.speed)
    }

    /// The simulator itself, for tests that script a fault.
    pub fn sim_mut(&mut self) -> &mut Sim {
        &mut self.sim
    }

    /// The whole simulated flash.
    pub fn flash(&self) -> &[u8] {
        self.sim.flash().bytes()
    }
}
