//! What ends a line the user sends from the monitor: OpenBeken's console takes CR, LF or both;
//! "none" sends the text alone (for protocols that frame their own bytes).

use alloc::vec::Vec;

/// The bytes appended to a line typed into the monitor.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LineEnding {
    None,
    /// The default: what OpenBeken's and LibreTiny's consoles and most serial monitors expect.
    #[default]
    Lf,
    Cr,
    CrLf,
}

/// Every choice: the value, its name for the command line and the page, and its bytes.
pub static LINE_ENDINGS: [(LineEnding, &str, &[u8]); 4] = [
    (LineEnding::Lf, "lf", b"\n"),
    (LineEnding::CrLf, "crlf", b"\r\n"),
    (LineEnding::Cr, "cr", b"\r"),
    (LineEnding::None, "none", b""),
];

impl LineEnding {
    pub fn name(self) -> &'static str {
        Self::row(self).1
    }

    pub fn bytes(self) -> &'static [u8] {
        Self::row(self).2
    }

    /// The ending called `name` ("lf", "crlf", "cr", "none"; any case).
    pub fn from_name(name: &str) -> Option<Self> {
        LINE_ENDINGS
            .iter()
            .find(|row| row.1.eq_ignore_ascii_case(name))
            .map(|row| row.0)
    }

    /// `text` followed by this ending, ready to write to the port.
    pub fn encode(self, text: &str) -> Vec<u8> {
        let mut bytes = Vec::with_capacity(text.len() + 2);
        bytes.extend_from_slice(text.as_bytes());
        bytes.extend_from_slice(self.bytes());
        bytes
    }

    fn row(self) -> &'static (LineEnding, &'static str, &'static [u8]) {
        LINE_ENDINGS
            .iter()
            .find(|row| row.0 == self)
            .expect("every line ending has a row")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_ending_appends_its_bytes() {
        assert_eq!(LineEnding::default().encode("help"), b"help\n");
        assert_eq!(LineEnding::CrLf.encode("reboot"), b"reboot\r\n");
        assert_eq!(LineEnding::Cr.encode("x"), b"x\r");
        assert_eq!(LineEnding::None.encode("x"), b"x");
    }

    #[test]
    fn names_round_trip() {
        for (ending, name, _) in LINE_ENDINGS {
            assert_eq!(LineEnding::from_name(name), Some(ending));
            assert_eq!(ending.name(), name);
        }
        assert_eq!(LineEnding::from_name("CRLF"), Some(LineEnding::CrLf));
        assert_eq!(LineEnding::from_name("crlf\n"), None);
    }
}
