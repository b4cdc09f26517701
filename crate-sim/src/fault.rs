//! Fault knobs, deterministic and scriptable: what goes wrong, and at which byte, command or time.
//! Every fault fires once; a stall may last forever and an unplug is final.

use alloc::collections::BTreeMap;
use alloc::vec::Vec;
use core::time::Duration;

/// XOR applied by a `ByteFault::Corrupt`.
pub(crate) const CORRUPT_MASK: u8 = 0x5A;

/// What happens to one byte on the wire.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ByteFault {
    Drop,
    /// Flip bits (XOR 0x5A).
    Corrupt,
    /// The byte arrives twice.
    Duplicate,
}

/// How the line changes the address field of one erase or write frame (the protocol has no frame
/// checksum, so the chip acts on whatever address it reads).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AddressChange {
    /// Address byte `index` (0 = lowest) is lost, doubled or flipped (XOR 0x5A). The chip reads the
    /// four address bytes shifted: a lost byte pulls in the byte after the field, a doubled one
    /// pushes the top byte out.
    Byte { index: u8, fault: ByteFault },
    /// The address arrives as this value.
    To(u32),
}

impl AddressChange {
    /// The address bytes (little-endian) the chip reads instead of `sent`; `next` is the byte that
    /// follows the field on the line.
    pub fn apply(self, sent: [u8; 4], next: u8) -> [u8; 4] {
        match self {
            AddressChange::To(addr) => addr.to_le_bytes(),
            AddressChange::Byte { index, fault } => {
                let i = usize::from(index.min(3));
                let mut line: Vec<u8> = sent.to_vec();
                match fault {
                    ByteFault::Drop => {
                        line.remove(i);
                        line.push(next);
                    }
                    ByteFault::Duplicate => line.insert(i, sent[i]),
                    ByteFault::Corrupt => line[i] ^= CORRUPT_MASK,
                }
                [line[0], line[1], line[2], line[3]]
            }
        }
    }
}

/// Which command: a short command code or a long (flash) op code.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum CommandKind {
    Short(u8),
    Long(u8),
}

/// The `nth` (1-based) command the chip dispatches, counting only `kind` if given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandMatch {
    pub kind: Option<CommandKind>,
    pub nth: u32,
}

impl CommandMatch {
    /// The nth command of any kind.
    pub fn nth(nth: u32) -> Self {
        Self { kind: None, nth }
    }

    /// The nth command of one kind, e.g. `CommandMatch::of(CommandKind::Long(0x07), 3)` is the third 4K write.
    pub fn of(kind: CommandKind, nth: u32) -> Self {
        Self {
            kind: Some(kind),
            nth,
        }
    }
}

/// When a fault that is not tied to one byte fires.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum When {
    At(Duration),
    Command(CommandMatch),
}

/// One scripted fault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The nth (1-based) byte the host sends.
    HostByte { nth: u64, fault: ByteFault },
    /// The nth (1-based) byte the chip sends.
    ChipByte { nth: u64, fault: ByteFault },
    /// The reply to the command comes this much later.
    DelayReply { command: CommandMatch, by: Duration },
    /// The chip ignores everything it receives (the triggering command included) for `duration`, or forever.
    Stall {
        when: When,
        duration: Option<Duration>,
    },
    /// The chip resets half way through the erase or 4K write: the first half done, no reply.
    ResetMidOp { command: CommandMatch },
    /// The adapter disappears: the transport reports `Disconnected` from then on.
    Unplug { when: When },
    /// SetBaudRate switches the chip but its echo never comes.
    LoseBaudEcho { command: CommandMatch },
    /// The chip prints these bytes (boot noise, fake headers); before the reply when tied to a command.
    Inject { when: When, bytes: Vec<u8> },
    /// The address field of the erase or write (op 0x06, 0x07, 0x0B or 0x0F) arrives changed; the
    /// rest of the frame arrives intact.
    FrameAddress {
        command: CommandMatch,
        change: AddressChange,
    },
}

/// The faults that apply to one dispatched command.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommandFaults {
    pub delay: Duration,
    pub stall: Option<Option<Duration>>,
    pub reset_mid_op: bool,
    pub unplug: bool,
    pub lose_baud_echo: bool,
    pub inject: Vec<u8>,
}

/// Fault rules plus the counters their triggers refer to.
#[derive(Clone, Debug, Default)]
pub struct Faults {
    rules: Vec<(Fault, bool)>,
    host_bytes: u64,
    chip_bytes: u64,
    commands: u32,
    per_kind: BTreeMap<CommandKind, u32>,
}

impl Faults {
    pub fn add(&mut self, fault: Fault) {
        self.rules.push((fault, false));
    }

    /// Host bytes counted so far (what `Fault::HostByte::nth` refers to).
    pub fn host_bytes(&self) -> u64 {
        self.host_bytes
    }

    /// Chip bytes counted so far (what `Fault::ChipByte::nth` refers to).
    pub fn chip_bytes(&self) -> u64 {
        self.chip_bytes
    }

    /// Count one host byte; the fault for it, if any.
    pub fn host_byte(&mut self) -> Option<ByteFault> {
        self.host_bytes += 1;
        let n = self.host_bytes;
        self.fire(|f| match f {
            Fault::HostByte { nth, fault } if *nth == n => Some(*fault),
            _ => None,
        })
    }

    /// Count one chip byte; the fault for it, if any.
    pub fn chip_byte(&mut self) -> Option<ByteFault> {
        self.chip_bytes += 1;
        let n = self.chip_bytes;
        self.fire(|f| match f {
            Fault::ChipByte { nth, fault } if *nth == n => Some(*fault),
            _ => None,
        })
    }

    /// Whether the next command of `kind` would be cut by a reset (without counting it).
    pub fn would_reset_mid_op(&self, kind: CommandKind) -> bool {
        let (all, mine) = (
            self.commands + 1,
            self.per_kind.get(&kind).copied().unwrap_or(0) + 1,
        );
        self.rules.iter().any(|(f, fired)| {
            !fired && matches!(f, Fault::ResetMidOp { command } if Self::matches(command, kind, all, mine))
        })
    }

    /// The address change for the next command of `kind` (not counted yet), fired now.
    pub fn frame_address(&mut self, kind: CommandKind) -> Option<AddressChange> {
        let (all, mine) = (
            self.commands + 1,
            self.per_kind.get(&kind).copied().unwrap_or(0) + 1,
        );
        self.fire(|f| match f {
            Fault::FrameAddress { command, change } if Self::matches(command, kind, all, mine) => {
                Some(*change)
            }
            _ => None,
        })
    }

    /// Commands of `kind` dispatched so far (what `CommandMatch::of(kind, nth)` counts).
    pub fn commands_of(&self, kind: CommandKind) -> u32 {
        self.per_kind.get(&kind).copied().unwrap_or(0)
    }

    /// Count one dispatched command; the faults that apply to it.
    pub fn command(&mut self, kind: CommandKind) -> CommandFaults {
        self.commands += 1;
        let mine = self.per_kind.entry(kind).or_insert(0);
        *mine += 1;
        let (all, mine) = (self.commands, *mine);
        let mut out = CommandFaults::default();
        for (fault, fired) in self.rules.iter_mut().filter(|(_, fired)| !*fired) {
            let hit = |m: &CommandMatch| Self::matches(m, kind, all, mine);
            *fired = match fault {
                Fault::DelayReply { command, by } if hit(command) => {
                    out.delay += *by;
                    true
                }
                Fault::Stall {
                    when: When::Command(m),
                    duration,
                } if hit(m) => {
                    out.stall = Some(*duration);
                    true
                }
                Fault::ResetMidOp { command } if hit(command) => {
                    out.reset_mid_op = true;
                    true
                }
                Fault::Unplug {
                    when: When::Command(m),
                } if hit(m) => {
                    out.unplug = true;
                    true
                }
                Fault::LoseBaudEcho { command } if hit(command) => {
                    out.lose_baud_echo = true;
                    true
                }
                Fault::Inject {
                    when: When::Command(m),
                    bytes,
                } if hit(m) => {
                    out.inject.extend_from_slice(bytes);
                    true
                }
                _ => false,
            };
        }
        out
    }

    /// The earliest time-triggered fault still to fire.
    pub fn next_timed(&self) -> Option<Duration> {
        self.rules
            .iter()
            .filter(|(_, fired)| !fired)
            .filter_map(|(f, _)| Self::time_of(f))
            .min()
    }

    /// Fire every time-triggered fault due by `now`.
    pub fn take_timed(&mut self, now: Duration) -> Vec<Fault> {
        let mut due = Vec::new();
        for (fault, fired) in self.rules.iter_mut().filter(|(_, fired)| !*fired) {
            if Self::time_of(fault).is_some_and(|t| t <= now) {
                *fired = true;
                due.push(fault.clone());
            }
        }
        due
    }

    fn time_of(fault: &Fault) -> Option<Duration> {
        match fault {
            Fault::Stall {
                when: When::At(t), ..
            }
            | Fault::Unplug { when: When::At(t) }
            | Fault::Inject {
                when: When::At(t), ..
            } => Some(*t),
            _ => None,
        }
    }

    fn matches(m: &CommandMatch, kind: CommandKind, all: u32, mine: u32) -> bool {
        match m.kind {
            None => m.nth == all,
            Some(k) => k == kind && m.nth == mine,
        }
    }

    fn fire<T>(&mut self, mut pick: impl FnMut(&Fault) -> Option<T>) -> Option<T> {
        for (fault, fired) in self.rules.iter_mut().filter(|(_, fired)| !*fired) {
            if let Some(hit) = pick(fault) {
                *fired = true;
                return Some(hit);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(change: AddressChange, sent: u32, next: u8) -> u32 {
        u32::from_le_bytes(change.apply(sent.to_le_bytes(), next))
    }

    #[test]
    fn a_changed_address_byte_shifts_the_field_as_the_chip_reads_it() {
        let byte = |index, fault| AddressChange::Byte { index, fault };
        assert_eq!(
            read(byte(0, ByteFault::Drop), 0x24000, 0xD0),
            0xD000_0240,
            "the lowest byte lost: the first data byte becomes the top"
        );
        assert_eq!(
            read(byte(0, ByteFault::Duplicate), 0x24000, 0xD0),
            0x0240_0000
        );
        assert_eq!(read(byte(1, ByteFault::Corrupt), 0x24000, 0xD0), 0x2_1A00);
        assert_eq!(read(AddressChange::To(0x20_1000), 0x24000, 0), 0x20_1000);
    }
}
