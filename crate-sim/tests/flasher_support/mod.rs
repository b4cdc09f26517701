//! Shared helpers of the end-to-end Flasher tests: a simulated chip behind a `Flasher`, a recording
//! progress sink, golden-file comparison (regenerate with `BKFLASH_BLESS=1`) and seeded test images.
#![allow(dead_code)]

use std::path::PathBuf;

use bkflash_core::flasher::{Flasher, Options};
use bkflash_core::progress::{Direction, Event, ProgressSink};
use bkflash_sim::{ChipClass, Sim, SimConfig, SimTransport};

pub use bkflash_sim::block_on;

/// One preset of each chip class: every end-to-end behaviour is checked on both.
pub fn presets() -> [SimConfig; 2] {
    [SimConfig::bk7231n(), SimConfig::bk7231t()]
}

/// Short class name for golden files and assertion messages.
pub fn class_name(config: &SimConfig) -> &'static str {
    match config.class {
        ChipClass::Rom => "rom",
        ChipClass::Legacy => "legacy",
    }
}

/// A flasher on a simulated chip.
pub fn flasher(config: SimConfig, options: Options) -> Flasher<SimTransport> {
    Flasher::new(SimTransport::new(Sim::new(config)), options)
}

/// Keeps every event as a line of text, frames in hex.
#[derive(Default)]
pub struct Recorder {
    pub lines: Vec<String>,
}

impl ProgressSink for Recorder {
    fn event(&mut self, event: Event<'_>) {
        let line = match event {
            Event::Frame { direction, bytes } => {
                let tag = match direction {
                    Direction::Sent => "sent",
                    Direction::Received => "received",
                    Direction::Discarded => "discarded",
                };
                format!("{tag} {}", hex(&bytes[..bytes.len().min(24)]))
            }
            other => format!("{other:?}"),
        };
        self.lines.push(line);
    }
}

impl Recorder {
    pub fn has(&self, needle: &str) -> bool {
        self.lines.iter().any(|l| l.contains(needle))
    }

    pub fn count(&self, needle: &str) -> usize {
        self.lines.iter().filter(|l| l.contains(needle)).count()
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Compare `text` with `tests/golden/<name>.txt`; with `BKFLASH_BLESS=1` write it instead.
pub fn golden(name: &str, text: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(format!("{name}.txt"));
    if std::env::var_os("BKFLASH_BLESS").is_some() {
        std::fs::write(&path, text).expect("write golden file");
        return;
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|_| panic!("{} missing: run with BKFLASH_BLESS=1", path.display()));
    assert_eq!(
        text,
        expected,
        "transcript differs from {}; if intended, regenerate with BKFLASH_BLESS=1",
        path.display()
    );
}

/// Deterministic pseudo-random bytes (xorshift), so failures reproduce.
pub fn image(seed: u64, len: usize) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x as u8
        })
        .collect()
}
