//! Known bugs of serprog firmwares and what the client does about each (docs/spi-unbrick.md §4.4),
//! as data: the client asks this table, never a firmware name, so every workaround is always on.

use super::serprog::Cmd;

/// What the client does to live with a quirk.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workaround {
    /// Assert DTR right after opening the port: stdio-over-USB firmwares ignore the host until then.
    AssertDtr,
    /// Never put more than this many bytes into one O_SPIOP write phase.
    CapWrite(usize),
    /// Send only commands the Q_CMDMAP lists (besides NOP, SYNCNOP and Q_IFACE).
    OnlyMapped,
    /// The command may stay unanswered although it worked: wait briefly, then resync instead of failing.
    MayStaySilent(Cmd),
    /// Resync after the command: the firmware may leave its parameter bytes in the stream.
    ResyncAfter(Cmd),
}

/// One known firmware bug.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Quirk {
    /// Stable snake_case name (JSON output, tests).
    pub name: &'static str,
    pub firmware: &'static str,
    pub symptom: &'static str,
    pub workaround: Workaround,
}

#[rustfmt::skip]
pub static QUIRKS: &[Quirk] = &[
    Quirk {
        name: "silent_until_dtr",
        firmware: "pico-serprog builds on pico-sdk stdio (stacksmashing, funkeleinhorn, RBEGamer)",
        symptom: "ignores every byte while the host has not asserted DTR",
        workaround: Workaround::AssertDtr,
    },
    Quirk {
        name: "write_limit_4096",
        firmware: "stacksmashing pico-serprog",
        symptom: "an O_SPIOP write phase longer than 4096 bytes overflows its buffer and crashes it",
        workaround: Workaround::CapWrite(4096),
    },
    Quirk {
        name: "silent_on_unknown_command",
        firmware: "stm32-vserprog",
        symptom: "sends nothing at all for an opcode it does not implement",
        workaround: Workaround::OnlyMapped,
    },
    Quirk {
        name: "chip_select_unanswered",
        firmware: "Riku_V / Libreboot pico-serprog",
        symptom: "S_SPI_CS with a valid chip select returns without an ACK",
        workaround: Workaround::MayStaySilent(Cmd::SSpiCs),
    },
    Quirk {
        name: "frequency_parameters_left_over",
        firmware: "kukrimate pico-serprog before fe27a2d (2021)",
        symptom: "answers S_SPI_FREQ without reading its 4 parameter bytes, which then run as commands",
        workaround: Workaround::ResyncAfter(Cmd::SSpiFreq),
    },
];

/// The row of a quirk name.
pub fn quirk(name: &str) -> Option<&'static Quirk> {
    QUIRKS.iter().find(|q| q.name == name)
}

fn any(wanted: impl Fn(Workaround) -> bool) -> bool {
    QUIRKS.iter().any(|q| wanted(q.workaround))
}

pub fn assert_dtr() -> bool {
    any(|w| w == Workaround::AssertDtr)
}

/// The longest O_SPIOP write phase any known firmware survives.
pub fn write_cap() -> usize {
    QUIRKS
        .iter()
        .filter_map(|q| match q.workaround {
            Workaround::CapWrite(limit) => Some(limit),
            _ => None,
        })
        .min()
        .unwrap_or(usize::MAX)
}

pub fn only_mapped() -> bool {
    any(|w| w == Workaround::OnlyMapped)
}

pub fn may_stay_silent(cmd: Cmd) -> Option<&'static Quirk> {
    QUIRKS
        .iter()
        .find(|q| q.workaround == Workaround::MayStaySilent(cmd))
}

pub fn resync_after(cmd: Cmd) -> Option<&'static Quirk> {
    QUIRKS
        .iter()
        .find(|q| q.workaround == Workaround::ResyncAfter(cmd))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_quirk_is_documented_and_unique() {
        for (i, q) in QUIRKS.iter().enumerate() {
            assert!(
                QUIRKS[i + 1..].iter().all(|o| o.name != q.name),
                "{}",
                q.name
            );
            assert!(
                q.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
            );
            assert!(!q.firmware.is_empty() && !q.symptom.is_empty());
            assert_eq!(quirk(q.name), Some(q));
        }
    }

    #[test]
    fn the_table_drives_the_client_rules() {
        assert!(assert_dtr() && only_mapped());
        assert_eq!(write_cap(), 4096);
        assert!(may_stay_silent(Cmd::SSpiCs).is_some());
        assert!(may_stay_silent(Cmd::OSpiOp).is_none());
        assert!(resync_after(Cmd::SSpiFreq).is_some());
    }
}
