//! The app partition: its RBL trailer, which flash key its first bytes imply, and what the
//! unscrambled code says about itself (firmware identity strings, a default `user_param_key`).

use super::crc_blocks::logical;
use super::rbl::{self, Rbl};
use super::scrambler::{self, TUYA_DEFAULT_KEY};
use crate::chips::BOOTLOADER_END;
use crate::image::beken::{AppKey, RBL_TRAILER, app_key};
use alloc::string::String;
use alloc::vec::Vec;

/// Logical address of the app's first byte.
const APP_LOGICAL: u32 = 0x10000;
/// Printable runs shorter than this are noise.
const MIN_RUN: usize = 6;
const MAX_STRINGS: usize = 8;
const MAX_STRING_LEN: usize = 80;

/// Marks that name the firmware family a text run belongs to.
const IDENTITY_MARKS: &[(&str, &str)] = &[
    ("OpenBK", "OpenBeken"),
    ("OpenBeken", "OpenBeken"),
    ("ESPHome", "ESPHome"),
    ("LibreTiny", "LibreTiny"),
    ("tuya", "Tuya"),
    ("Tuya", "Tuya"),
    ("TUYA", "Tuya"),
];

/// bk7231tools' markers of a `user_param_key` string in the app code (dump-analysis.md §2.6).
const UPK_MARKS: [&[u8]; 3] = [b",crc:", b",module:", b"Jsonver:"];

pub struct AppInfo {
    pub start: u32,
    pub end: u32,
    pub rbl: Option<Rbl>,
    pub key: AppKey,
    /// (family, text) of identity strings, in code order, at most `MAX_STRINGS`.
    pub identity: Vec<(&'static str, String)>,
    /// A `user_param_key` text compiled into the app, found as bk7231tools finds it.
    pub upk_text: Option<String>,
}

/// Inspect the app partition `start..end` (flash offsets); `None` when the image does not reach it.
pub fn inspect(image: &[u8], end: usize) -> Option<AppInfo> {
    let start = BOOTLOADER_END as usize;
    let end = end.min(image.len());
    let physical = image.get(start..end).filter(|p| !p.is_empty())?;
    let key = app_key(physical);
    let trailer_at = end.checked_sub(RBL_TRAILER)?;
    let mut code = logical(physical);
    let readable = match key {
        AppKey::Plain => true,
        AppKey::TuyaDefault => {
            scrambler::apply(&TUYA_DEFAULT_KEY, APP_LOGICAL, &mut code);
            true
        }
        AppKey::Unknown => false,
    };
    let (identity, upk_text) = if readable {
        (identity_strings(&code), upk_in_code(&code))
    } else {
        (Vec::new(), None)
    };
    Some(AppInfo {
        start: start as u32,
        end: end as u32,
        rbl: rbl::trailer(image, trailer_at).filter(|r| r.name == "app"),
        key,
        identity,
        upk_text,
    })
}

fn printable(b: u8) -> bool {
    (0x20..0x7F).contains(&b)
}

fn identity_strings(code: &[u8]) -> Vec<(&'static str, String)> {
    let mut found: Vec<(&'static str, String)> = Vec::new();
    for run in code
        .split(|&b| !printable(b))
        .filter(|r| r.len() >= MIN_RUN)
    {
        let Ok(text) = core::str::from_utf8(run) else {
            continue;
        };
        let Some((_, family)) = IDENTITY_MARKS.iter().find(|(mark, _)| text.contains(mark)) else {
            continue;
        };
        let text: String = text.chars().take(MAX_STRING_LEN).collect();
        if !found.iter().any(|(_, t)| *t == text) {
            found.push((family, text));
        }
        if found.len() == MAX_STRINGS {
            break;
        }
    }
    found
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

/// The NUL-delimited string around the first marker hit that is followed by a non-NUL byte.
fn upk_in_code(code: &[u8]) -> Option<String> {
    let hit = UPK_MARKS.iter().find_map(|mark| {
        let mut from = 0;
        while let Some(pos) = find(code, mark, from) {
            if code.get(pos + mark.len()).is_some_and(|&b| b != 0) {
                return Some(pos);
            }
            from = pos + 1;
        }
        None
    })?;
    let start = code[..hit].iter().rposition(|&b| b == 0)? + 1;
    let end = start + code[start..].iter().position(|&b| b == 0)?;
    core::str::from_utf8(&code[start..end])
        .ok()
        .map(String::from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_identity_strings_and_the_default_upk_like_bk7231tools() {
        let code =
            b"\x01\x02OpenBK7231T_1.18.42\0junk\0\0{Jsonver:1.1.8,module:WB2S,rl1_pin:26}\0tail";
        let identity = identity_strings(code);
        assert_eq!(
            identity,
            [("OpenBeken", String::from("OpenBK7231T_1.18.42"))]
        );
        assert_eq!(
            upk_in_code(code).as_deref(),
            Some("{Jsonver:1.1.8,module:WB2S,rl1_pin:26}")
        );
        assert_eq!(
            upk_in_code(b"Jsonver:1.1.8\0"),
            None,
            "bk7231tools needs a NUL before the string"
        );
        assert_eq!(
            upk_in_code(b"\0Jsonver:\0"),
            None,
            "a marker followed by NUL is skipped"
        );
    }
}
