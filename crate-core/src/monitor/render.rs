//! How received bytes become display text: UTF-8 as text, everything else as `\xNN` hex, so a wrong
//! baud rate or binary output is visible as such and cannot send escape codes to a terminal.

use alloc::string::String;
use core::fmt::Write;

/// Append `bytes` as text: valid UTF-8 as is (tabs kept), control bytes and invalid sequences as
/// `\xNN`, and a literal backslash doubled so hex and text cannot be confused.
pub fn render_bytes(bytes: &[u8], out: &mut String) {
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\\' => out.push_str("\\\\"),
                '\t' => out.push(c),
                c if c.is_control() => push_hex_char(c, out),
                c => out.push(c),
            }
        }
        for &byte in chunk.invalid() {
            push_hex(byte, out);
        }
    }
}

fn push_hex_char(c: char, out: &mut String) {
    let mut utf8 = [0u8; 4];
    for &byte in c.encode_utf8(&mut utf8).as_bytes() {
        push_hex(byte, out);
    }
}

fn push_hex(byte: u8, out: &mut String) {
    let _infallible = write!(out, "\\x{byte:02x}");
}

/// `HH:MM:SS.mmm` of a time of day in milliseconds (taken modulo 24 hours).
pub fn format_timestamp(ms: u64) -> String {
    let ms = ms % 86_400_000;
    let mut text = String::with_capacity(12);
    let _infallible = write!(
        text,
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rendered(bytes: &[u8]) -> String {
        let mut out = String::new();
        render_bytes(bytes, &mut out);
        out
    }

    #[test]
    fn text_stays_text_and_the_rest_becomes_hex() {
        assert_eq!(rendered(b"Info:MAIN:boot\tok"), "Info:MAIN:boot\tok");
        assert_eq!(rendered("température 21°".as_bytes()), "température 21°");
        assert_eq!(rendered(&[b'a', 0xFF, 0xFE, b'b']), "a\\xff\\xfeb");
        assert_eq!(
            rendered(b"\x1b[31mred"),
            "\\x1b[31mred",
            "escape codes never reach the terminal"
        );
        assert_eq!(
            rendered(b"C:\\x41"),
            "C:\\\\x41",
            "a literal \\x is not hex"
        );
        assert_eq!(
            rendered(&[0xC3]),
            "\\xc3",
            "a cut multi-byte character is hex"
        );
    }

    #[test]
    fn timestamps_are_time_of_day() {
        assert_eq!(format_timestamp(0), "00:00:00.000");
        assert_eq!(
            format_timestamp(13 * 3_600_000 + 4 * 60_000 + 5_006),
            "13:04:05.006"
        );
        assert_eq!(format_timestamp(86_400_000 + 1), "00:00:00.001");
    }
}
