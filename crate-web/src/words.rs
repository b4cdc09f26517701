//! The page's words for what the core reports beyond `bkflash_core::progress_words`: bootloader
//! classes, protocol-log lines and the progress line. Exhaustive matches, so a new variant cannot render blank.

use bkflash_core::chips::ProtocolClass;
use bkflash_core::progress::{Direction, LineState};

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

/// The headline of a link that timed out, from what the line showed last (docs/protocol.md §1.1).
pub fn link_failure_words(seconds: u64, line: Option<LineState>) -> String {
    let why = match line {
        Some(LineState::Text) => {
            "Its firmware kept running (text on the line): reset the chip (CEN to GND briefly) while bkflash is linking."
        }
        Some(LineState::Echo) => {
            "Our own bytes came back: TX and RX are joined. Cross them: adapter TX to RX1 (P10), adapter RX to TX1 (P11)."
        }
        Some(LineState::Garbage) => {
            "Only unreadable bytes came back: check the GND wire and use a 3.3 V adapter."
        }
        Some(LineState::Silent | LineState::Linked) | None => {
            "Nothing came back at all: usually TX/RX swapped, GND missing or no power."
        }
    };
    format!("The chip did not answer in {seconds} s. {why}")
}

/// A Unix time in seconds as a UTC date, "2023-11-14" (a UF2 package's `build_date`).
pub fn date_words(unix_seconds: u64) -> String {
    // Days to a civil date (proleptic Gregorian), in integers: eras of 400 years of 146097 days.
    let days = unix_seconds / 86_400 + 719_468;
    let era = days / 146_097;
    let day_of_era = days % 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let shifted_month = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * shifted_month + 2) / 5 + 1;
    let month = if shifted_month < 10 {
        shifted_month + 3
    } else {
        shifted_month - 9
    };
    let year = year_of_era + era * 400 + u64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// A UF2 package tag's value as people read it: `build_date` as a date, the rest as it is.
pub fn tag_value_words(key: &str, value: &str) -> String {
    match (key, value.parse::<u64>()) {
        ("build_date", Ok(seconds)) => date_words(seconds),
        _ => value.to_owned(),
    }
}

/// Below this many bytes sizes are told in kB, from it in MB (so 999 999 bytes is "1.0 MB").
const MB_FROM: u64 = 999_500;

/// `bytes` as a number in kB (whole) or MB (tenths), without the unit.
fn number_in(bytes: u64, megabytes: bool) -> String {
    // Integers only: formatting an f64 would link Rust's float printer (~10 KB of wasm).
    if megabytes {
        let tenths = (bytes + 50_000) / 100_000;
        format!("{}.{}", tenths / 10, tenths % 10)
    } else {
        ((bytes + 500) / 1000).to_string()
    }
}

fn unit(megabytes: bool) -> &'static str {
    if megabytes { "MB" } else { "kB" }
}

/// Bytes in decimal units for people: "954 kB", "2.1 MB".
pub fn size_words(bytes: u64) -> String {
    let megabytes = bytes >= MB_FROM;
    format!("{} {}", number_in(bytes, megabytes), unit(megabytes))
}

/// A flash chip's size as its maker sells it: "2 MB" for 2 MiB (binary, as parts are named), else KiB.
pub fn flash_size_words(bytes: u32) -> String {
    const MIB: u32 = 1 << 20;
    if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MB", bytes / MIB)
    } else {
        format!("{} KiB", bytes / 1024)
    }
}

/// Whole seconds left at the rate so far; `None` before the first byte or without a total.
pub fn seconds_left(done: u64, total: u64, elapsed_ms: f64) -> Option<u64> {
    if done == 0 || total == 0 {
        return None;
    }
    let rate = done as f64 / (elapsed_ms / 1000.0).max(0.001);
    Some((total.saturating_sub(done) as f64 / rate).ceil() as u64)
}

/// "1.2 of 2.1 MB · 2.6 MB/s · about 1 s left" after `done` of `total` bytes in `elapsed_ms`;
/// only the sizes before the first byte, empty without a total.
pub fn progress_line(done: u64, total: u64, elapsed_ms: f64) -> String {
    if total == 0 {
        return String::new();
    }
    let megabytes = total >= MB_FROM;
    let sizes = format!(
        "{} of {} {}",
        number_in(done, megabytes),
        number_in(total, megabytes),
        unit(megabytes)
    );
    let Some(left) = seconds_left(done, total, elapsed_ms) else {
        return sizes;
    };
    let rate = (done as f64 / (elapsed_ms / 1000.0).max(0.001)) as u64;
    format!("{sizes} · {}/s · about {left} s left", size_words(rate))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_is_told_in_decimal_megabytes_with_rate_and_time_left() {
        assert_eq!(
            progress_line(1_245_184, 2_097_152, 470.0),
            "1.2 of 2.1 MB · 2.6 MB/s · about 1 s left"
        );
        assert_eq!(
            progress_line(4096, 12_288, 1000.0),
            "4 of 12 kB · 4 kB/s · about 2 s left"
        );
    }

    #[test]
    fn before_the_first_byte_only_the_sizes_are_told() {
        assert_eq!(progress_line(0, 2_097_152, 1000.0), "0.0 of 2.1 MB");
        assert_eq!(progress_line(10, 0, 1000.0), "");
        assert_eq!(seconds_left(0, 4096, 1000.0), None);
    }

    #[test]
    fn sizes_round_to_whole_kilobytes_or_tenths_of_megabytes() {
        assert_eq!(size_words(953_632), "954 kB");
        assert_eq!(size_words(2_097_152), "2.1 MB");
        assert_eq!(size_words(999_999), "1.0 MB");
    }

    #[test]
    fn a_flash_part_is_named_by_its_binary_size() {
        assert_eq!(flash_size_words(2 << 20), "2 MB");
        assert_eq!(flash_size_words(512 * 1024), "512 KiB");
    }

    #[test]
    fn a_link_failure_says_what_the_line_showed() {
        assert_eq!(
            link_failure_words(20, Some(LineState::Silent)),
            "The chip did not answer in 20 s. Nothing came back at all: usually TX/RX swapped, GND missing or no power."
        );
        assert!(link_failure_words(20, Some(LineState::Echo)).contains("TX and RX are joined"));
    }

    #[test]
    fn a_build_date_is_shown_as_a_date() {
        assert_eq!(tag_value_words("build_date", "1700000000"), "2023-11-14");
        assert_eq!(date_words(0), "1970-01-01");
        assert_eq!(date_words(951_782_400), "2000-02-29");
        assert_eq!(tag_value_words("version", "1.2.3"), "1.2.3");
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
