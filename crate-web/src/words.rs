//! The page's words for what the core reports beyond `bkflash_core::progress_words`: bootloader
//! classes, protocol-log lines and the speed line. Exhaustive matches, so a new variant cannot render blank.

use bkflash_core::chips::ProtocolClass;
use bkflash_core::progress::Direction;

/// Bytes of a frame shown in the log; the rest is summarised as a count.
const LOG_FRAME_BYTES: usize = 24;

/// The chip's bootloader class, as the chip card shows it.
pub fn class_words(class: ProtocolClass) -> &'static str {
    match class {
        ProtocolClass::Rom => "ROM class (all commands; bootloader can be rewritten)",
        ProtocolClass::Legacy => "legacy class (bootloader below 0x11000 stays)",
    }
}

/// One protocol-log line: a direction mark and the frame's first bytes in hex.
pub fn frame_line(direction: Direction, bytes: &[u8]) -> String {
    let hex: Vec<String> = bytes
        .iter()
        .take(LOG_FRAME_BYTES)
        .map(|b| format!("{b:02x}"))
        .collect();
    let more = if bytes.len() > LOG_FRAME_BYTES {
        format!(" … ({} bytes)", bytes.len())
    } else {
        String::new()
    };
    format!("{} {}{more}", direction.arrow(), hex.join(" "))
}

/// "12.3 KiB/s, about 4 s left" after `done` of `total` bytes in `elapsed_ms`; empty before the first byte.
pub fn speed_line(done: u64, total: u64, elapsed_ms: f64) -> String {
    if done == 0 || total == 0 {
        return String::new();
    }
    let seconds = (elapsed_ms / 1000.0).max(0.001);
    let rate = done as f64 / seconds;
    let left = (total.saturating_sub(done)) as f64 / rate;
    // Integers only: formatting an f64 would link Rust's float printer (~10 KB of wasm).
    let tenths_kib = (rate * 10.0 / 1024.0).round() as u64;
    format!(
        "{}.{} KiB/s, about {} s left",
        tenths_kib / 10,
        tenths_kib % 10,
        left.ceil() as u64
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_speed_line_gives_rate_in_tenths_of_kib_and_whole_seconds_left() {
        assert_eq!(
            speed_line(10 * 1024, 30 * 1024, 2000.0),
            "5.0 KiB/s, about 4 s left"
        );
        assert_eq!(speed_line(1536, 3072, 1000.0), "1.5 KiB/s, about 1 s left");
    }

    #[test]
    fn no_speed_before_the_first_byte_or_without_a_total() {
        assert_eq!(speed_line(0, 4096, 1000.0), "");
        assert_eq!(speed_line(10, 0, 1000.0), "");
    }

    #[test]
    fn a_frame_line_shows_24_bytes_and_counts_the_rest() {
        let frame: Vec<u8> = (0..30).collect();
        let line = frame_line(Direction::Sent, &frame);
        assert!(line.starts_with("→ 00 01 02"), "{line}");
        assert!(line.ends_with("17 … (30 bytes)"), "{line}");
        assert_eq!(frame_line(Direction::Discarded, &[0xab]), "✕ ab");
    }

    #[test]
    fn bootloader_classes_are_named_in_words() {
        assert!(class_words(ProtocolClass::Legacy).contains("below 0x11000 stays"));
    }
}
