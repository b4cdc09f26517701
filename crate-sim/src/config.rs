//! What simulated chip to build: protocol class, flash, ids, wiring, start state, app model, timing.
//! `SimConfig::bk7231n()` and `SimConfig::bk7231t()` are the base presets, `PRESETS` lists every
//! named chip (field hazards included); `with_*` methods adjust them.

use alloc::vec::Vec;
use core::time::Duration;

use crate::flash::{StatusModel, TwoByteWrite};
use crate::timing::Timing;

/// Where the download handler lives (docs/protocol.md §0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChipClass {
    /// Handler in mask ROM, BK7231N-like: every command, no address checks.
    Rom,
    /// Tuya/Beken flash bootloader, BK7231T-like: status 6 below 0x2000, 256-byte CRC blocks, re-protect.
    Legacy,
}

/// How the adapter's modem lines reach the chip enable (docs/protocol.md §3.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wiring {
    /// Asserted RTS pulls CEN low.
    RtsToCen,
    /// ESP-style two-transistor circuit: CEN low only while RTS is asserted and DTR is not.
    EspAutoReset,
    /// No lines connected: only a manual reset (see `StartMode::ResetAfter`) reaches the chip.
    None,
}

/// What the chip is doing at time zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StartMode {
    /// Already in download mode (the default: a pty has no modem lines).
    Download,
    /// Powered up at time zero: boot log, download window, then the app.
    PowerOn,
    /// The app is running.
    App,
    /// The app runs until the given time, then the chip resets (stands for the user's manual reset).
    ResetAfter(Duration),
}

/// What the application firmware does with bytes on UART1.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppModel {
    /// Ignores everything.
    Plain,
    /// LibreTiny with auto-download-reboot: the LinkCheck frame reboots it (docs/protocol.md §9). Only
    /// builds that open Serial1 listen on UART1; see `LibreTinyWithoutSerial1`.
    LibreTinyAdr,
    /// LibreTiny whose build never opens Serial1: ADR is compiled in, but its matcher runs in the
    /// Serial1 RX callback, so the flood alone does nothing (field-audit S10).
    LibreTinyWithoutSerial1,
    /// OpenBeken command line: `reboot` + newline reboots it.
    OpenBeken,
}

/// What sits in the bootloader region 0..0x11000.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BootloaderKind {
    /// Synthetic bytes whose CheckCRC(0, 0x100) matches the known entry of the class (docs/protocol.md §5.1).
    Known,
    /// Synthetic bytes with no forged fingerprint: peers must probe.
    Unknown,
    /// Synthetic bytes whose fingerprint is this raw CRC (another known bootloader, docs/protocol.md §5.1).
    Fingerprint(u32),
    /// Erased (all 0xFF): a ROM-class chip links without one (docs/field-audit.md D14).
    Blank,
}

/// Everything that defines one simulated chip.
#[derive(Clone, Debug)]
pub struct SimConfig {
    pub class: ChipClass,
    /// Power of two, at least 64 KiB.
    pub flash_size: u32,
    /// Manufacturer, memory type, capacity: what op 0x0E with `9F` returns.
    pub jedec_id: [u8; 3],
    /// ReadReg 0x800000 (ROM class only).
    pub chip_id: u32,
    /// ReadReg 0x44010004, the BK7236-class device id (ROM class only; 0 on older chips).
    pub device_id: u32,
    /// eFuse bytes behind the CTRL/OPTR registers (ROM class only).
    pub efuse: [u8; 32],
    /// Whole-flash contents; shorter images are padded with 0xFF. `None`: blank flash plus the bootloader.
    pub flash_image: Option<Vec<u8>>,
    pub bootloader: BootloaderKind,
    /// Answer to ReadBootVersion 0x11 on the legacy class; `None` means the bootloader ignores 0x11.
    pub boot_version: Option<Vec<u8>>,
    /// Flash status registers at power-up: SR1 | SR2 << 8 | SR3 << 16.
    pub status_register: u32,
    /// How the part's status register takes writes (width, odd two-byte writes, tW).
    pub status_model: StatusModel,
    /// The flash does not answer: JEDEC 00 00 00, every read 0x00, nothing changes
    /// (docs/field-audit.md S13).
    pub flash_silent: bool,
    pub timing: Timing,
    pub wiring: Wiring,
    pub start: StartMode,
    pub app: AppModel,
    /// How long after the boot log a LinkCheck still catches the chip.
    pub download_window: Duration,
    /// Printed on TX at 115200 when the chip comes out of reset.
    pub boot_log: Vec<u8>,
    /// Printed on TX at 115200 when the app starts.
    pub app_log: Vec<u8>,
    /// While the app runs it prints this line every period, as real firmware logs its status about
    /// once a second (OpenBeken "Info:MAIN:Time ..."); `None`: silent after `app_log`.
    pub app_status: Option<(Duration, Vec<u8>)>,
    /// ROM class: a partial frame idle this long is abandoned with a status-5 reply (docs/protocol.md §1.5).
    pub rom_frame_timeout: Duration,
    /// The app logs on UART2 without pause after its boot log (see `log_uart`).
    pub log_chatty: bool,
}

/// Tuya BK7231N eFuse key words (docs/protocol.md §5.3), little-endian in bytes 0..16.
const TUYA_N_KEY: [u32; 4] = [0x510f_b093, 0xa3cb_eadc, 0x5993_a17e, 0xc7ad_eb03];
/// Raw fingerprints (the chip's CRC, no final XOR) of bootloaders in docs/protocol.md §5.1.
const BK7238_T1_2_0_0: u32 = !0xF42F_8C32;
const BK7252_0_1_3: u32 = !0x39F9_B50C;
/// The flash part bk7231tools PR #29 locked on a BK7238: Puya P25Q16HBK.
const PUYA_P25Q16HBK: [u8; 3] = [0x85, 0x20, 0x15];
/// Datasheet worst case of tW (status write time) on the listed parts (docs/field-audit.md D3).
const TW_WORST: Duration = Duration::from_millis(30);

/// A named chip: what `bkflash-sim --chip NAME` serves.
pub struct Preset {
    pub name: &'static str,
    pub build: fn() -> SimConfig,
}

const fn preset(name: &'static str, build: fn() -> SimConfig) -> Preset {
    Preset { name, build }
}

/// Every named chip, the field hazards included.
pub static PRESETS: &[Preset] = &[
    preset("bk7231n", SimConfig::bk7231n),
    preset("bk7231t", SimConfig::bk7231t),
    preset("bk7231m", SimConfig::bk7231m),
    preset("bk7238", SimConfig::bk7238),
    preset("bk7252", SimConfig::bk7252),
    preset("dead-flash", SimConfig::dead_flash),
    preset("bk7236", SimConfig::bk7236),
];

fn efuse_with_key(key: [u32; 4]) -> [u8; 32] {
    let mut efuse = [0u8; 32];
    for (i, word) in key.iter().enumerate() {
        efuse[i * 4..i * 4 + 4].copy_from_slice(&word.to_le_bytes());
    }
    efuse
}

impl SimConfig {
    /// ROM class, BK7231N-like: chip id 0x7231C, TH25Q16HB flash `EB 60 15`, SR1 = 0x1C (protected).
    pub fn bk7231n() -> Self {
        Self {
            class: ChipClass::Rom,
            flash_size: 0x20_0000,
            jedec_id: [0xEB, 0x60, 0x15],
            chip_id: 0x0007_231C,
            device_id: 0,
            efuse: efuse_with_key(TUYA_N_KEY),
            flash_image: None,
            bootloader: BootloaderKind::Known,
            boot_version: None,
            status_register: 0x1C,
            status_model: StatusModel::IDEAL,
            flash_silent: false,
            timing: Timing::typical(),
            wiring: Wiring::RtsToCen,
            start: StartMode::Download,
            app: AppModel::Plain,
            download_window: Duration::from_millis(100),
            boot_log: b"\r\nBK7231N ROM boot\r\n".to_vec(),
            app_log: b"\r\n[app] started\r\n".to_vec(),
            app_status: None,
            rom_frame_timeout: Duration::from_secs(20),
            log_chatty: false,
        }
    }

    /// Legacy class, BK7231T-like: Tuya bootloader `BK7231S_1.0.5`, same flash part.
    pub fn bk7231t() -> Self {
        let mut version = b"BK7231S_1.0.5".to_vec();
        version.resize(16, 0);
        Self {
            class: ChipClass::Legacy,
            chip_id: 0x0007_231A,
            efuse: [0; 32],
            boot_version: Some(version),
            boot_log: b"\r\nBK7231S_1.0.5\r\n".to_vec(),
            ..Self::bk7231n()
        }
    }

    /// BK7231M: a BK7231N (same chip id) whose eFuse key is all zero, so its bootloader is stored
    /// unencrypted and matches no fingerprint (docs/protocol.md §5.3; OpenBK7231T_App #1112).
    pub fn bk7231m() -> Self {
        Self {
            efuse: [0; 32],
            bootloader: BootloaderKind::Unknown,
            boot_log: b"\r\nBK7231M ROM boot\r\n".to_vec(),
            ..Self::bk7231n()
        }
    }

    /// BK7238 (Tuya T1) with the Puya P25Q16HBK of bk7231tools PR #29: a two-byte status write
    /// locks the register, a status write keeps the part busy for the worst-case tW, and the
    /// firmware left CMP set (PR #24). 4-byte eFuse, all zero.
    pub fn bk7238() -> Self {
        Self {
            chip_id: 0x0000_7238,
            efuse: [0; 32],
            jedec_id: PUYA_P25Q16HBK,
            bootloader: BootloaderKind::Fingerprint(BK7238_T1_2_0_0),
            status_register: 0x4004,
            status_model: StatusModel {
                registers: 2,
                two_byte_write: TwoByteWrite::Locks,
                write_time: TW_WORST,
            },
            boot_log: b"\r\nBK7238 ROM boot\r\n".to_vec(),
            ..Self::bk7231n()
        }
    }

    /// BK7252 (legacy class, bootloader 0.1.3) on a 4 MiB board with a blank app area: the
    /// wrap-around size probe matches a blank sector at 2 MiB (docs/field-audit.md D9).
    pub fn bk7252() -> Self {
        Self {
            chip_id: 0x0000_7252,
            bootloader: BootloaderKind::Fingerprint(BK7252_0_1_3),
            boot_version: None,
            boot_log: b"\r\nBK7252 bootloader\r\n".to_vec(),
            ..Self::bk7231t()
        }
        .with_flash_size(0x40_0000)
    }

    /// A BK7231N whose flash does not answer: JEDEC 00 00 00 and zeros everywhere (bk7231tools #30).
    pub fn dead_flash() -> Self {
        Self {
            jedec_id: [0; 3],
            flash_silent: true,
            ..Self::bk7231n()
        }
    }

    /// BK7236 (Tuya T3): answers the ROM protocol, names itself only at 0x44010004 (docs/protocol.md §5.2).
    pub fn bk7236() -> Self {
        Self {
            chip_id: 0,
            device_id: 0x7236,
            bootloader: BootloaderKind::Unknown,
            boot_log: b"\r\nBK7236 ROM boot\r\n".to_vec(),
            ..Self::bk7231n()
        }
    }

    /// The named preset, if there is one (case-insensitive).
    pub fn preset(name: &str) -> Option<Self> {
        PRESETS
            .iter()
            .find(|row| row.name.eq_ignore_ascii_case(name))
            .map(|row| (row.build)())
    }

    /// Set the flash size and the JEDEC capacity byte that goes with it.
    pub fn with_flash_size(mut self, size: u32) -> Self {
        self.flash_size = size;
        self.jedec_id[2] = size.trailing_zeros() as u8;
        self
    }

    pub fn with_flash_image(mut self, image: Vec<u8>) -> Self {
        self.flash_image = Some(image);
        self
    }

    pub fn with_jedec_id(mut self, id: [u8; 3]) -> Self {
        self.jedec_id = id;
        self
    }

    pub fn with_timing(mut self, timing: Timing) -> Self {
        self.timing = timing;
        self
    }

    pub fn with_start(mut self, start: StartMode) -> Self {
        self.start = start;
        self
    }

    pub fn with_wiring(mut self, wiring: Wiring) -> Self {
        self.wiring = wiring;
        self
    }

    pub fn with_app(mut self, app: AppModel) -> Self {
        self.app = app;
        self
    }

    pub fn with_bootloader(mut self, kind: BootloaderKind) -> Self {
        self.bootloader = kind;
        self
    }

    pub fn with_status_register(mut self, value: u32) -> Self {
        self.status_register = value;
        self
    }

    /// The app prints status lines on UART2 back to back, as a device logging flat out.
    pub fn with_chatty_log(mut self) -> Self {
        self.log_chatty = true;
        self
    }

    pub fn with_status_model(mut self, model: StatusModel) -> Self {
        self.status_model = model;
        self
    }

    /// How long the bootloader listens after a reset before it starts the app (test knob: the
    /// window is undocumented, `tests/flasher_reopen_relink.rs` checks 15 ms to 500 ms).
    pub fn with_download_window(mut self, window: Duration) -> Self {
        self.download_window = window;
        self
    }

    /// The running app prints `line` every `every` (see `app_status`).
    pub fn with_app_status(mut self, every: Duration, line: &[u8]) -> Self {
        self.app_status = Some((every, line.to_vec()));
        self
    }
}
