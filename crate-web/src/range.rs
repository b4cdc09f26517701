//! Addresses and ranges the user types (Read range, Erase range): hex only, because every address on
//! the page is shown in hex, and a sentence that says what to type when the text is unusable.

use core::ops::Range;

/// "0x11000" or "11000" (hex); "69632" is read as hex too: addresses on this page are always hex.
pub fn parse_hex(text: &str) -> Option<u32> {
    let text = text.trim();
    let digits = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))
        .unwrap_or(text);
    u32::from_str_radix(digits, 16).ok()
}

/// A start and length typed by the user, as a range; `Err` with a sentence when unusable.
pub fn parse_range(start: &str, length: &str) -> Result<Range<u32>, String> {
    let start_at = parse_hex(start)
        .ok_or_else(|| format!("Start \"{start}\" is not a hex address such as 0x11000."))?;
    let len = parse_hex(length)
        .ok_or_else(|| format!("Length \"{length}\" is not a hex size such as 0x1000."))?;
    if len == 0 {
        return Err(String::from(
            "Length 0 is an empty range; give the bytes to use, such as 0x1000.",
        ));
    }
    let end = start_at.checked_add(len).ok_or_else(|| {
        format!("Start 0x{start_at:X} plus length 0x{len:X} overflows past 4 GiB; check both.")
    })?;
    Ok(start_at..end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_are_hex_with_or_without_the_prefix() {
        assert_eq!(parse_hex("0x11000"), Some(0x11000));
        assert_eq!(parse_hex(" 0X1f "), Some(0x1f));
        assert_eq!(parse_hex("69632"), Some(0x69632));
        assert_eq!(parse_hex("0x"), None);
        assert_eq!(parse_hex("12g"), None);
    }

    #[test]
    fn a_start_and_length_make_a_range() {
        assert_eq!(parse_range("0x11000", "0x1000"), Ok(0x11000..0x12000));
    }

    #[test]
    fn unusable_ranges_say_what_to_type() {
        let bad_start = parse_range("here", "0x1000").unwrap_err();
        assert!(bad_start.contains("Start \"here\""), "{bad_start}");
        let bad_length = parse_range("0x0", "lots").unwrap_err();
        assert!(bad_length.contains("Length \"lots\""), "{bad_length}");
        let empty = parse_range("0x0", "0").unwrap_err();
        assert!(empty.contains("empty range"), "{empty}");
        let overflow = parse_range("0xFFFFF000", "0x2000").unwrap_err();
        assert!(overflow.contains("overflows"), "{overflow}");
    }
}
