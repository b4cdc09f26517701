//! Support of the seeded fault matrix: the random source, the fault classes as data, the session
//! layouts (what each session writes, reads or erases) and the fault-free probe that sizes them.
#![allow(dead_code)]

pub mod oracle;
pub mod tally;

use std::collections::BTreeMap;
use std::time::Duration;

use bkflash_core::plan::Region;
use bkflash_sim::frames::{HostPiece, split_host_bytes};
use bkflash_sim::{
    AddressChange, ByteFault, CommandKind, CommandMatch, Fault, Sim, SimConfig, When,
};

pub const WRITE_4K: CommandKind = CommandKind::Long(0x07);
pub const ERASE: CommandKind = CommandKind::Long(0x0F);
pub const SET_BAUD: CommandKind = CommandKind::Short(0x0F);
pub const WRITE_PAGE: CommandKind = CommandKind::Long(0x06);
/// The frames whose address a line fault can shift onto other flash.
const CHANGES: [CommandKind; 3] = [WRITE_4K, ERASE, WRITE_PAGE];
/// The work area the sessions use; outside it the flash keeps the preset's content.
pub const WORK_START: u32 = 0x11000;
pub const WORK_END: u32 = 0x80000;

/// xorshift64*: small, seeded, reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `lo..=hi`.
    pub fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next() as usize % items.len()]
    }

    pub fn bytes(&mut self, len: usize) -> Vec<u8> {
        (0..len).map(|_| self.next() as u8).collect()
    }
}

/// The fault classes of the matrix, in table order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum FaultClass {
    HostByteDropped,
    HostByteCorrupted,
    HostByteDuplicated,
    ChipByteDropped,
    ChipByteCorrupted,
    ChipByteDuplicated,
    LateReply,
    BriefStall,
    ChipGoneForever,
    ResetMidErase,
    ResetMidWrite,
    Unplugged,
    BaudEchoLost,
    FrameAddressShifted,
}

pub static FAULT_CLASSES: &[(FaultClass, &str)] = &[
    (FaultClass::HostByteDropped, "host byte dropped"),
    (FaultClass::HostByteCorrupted, "host byte corrupted"),
    (FaultClass::HostByteDuplicated, "host byte duplicated"),
    (FaultClass::ChipByteDropped, "reply byte dropped"),
    (FaultClass::ChipByteCorrupted, "reply byte corrupted"),
    (FaultClass::ChipByteDuplicated, "reply byte duplicated"),
    (FaultClass::LateReply, "late reply"),
    (FaultClass::BriefStall, "chip stalls briefly"),
    (FaultClass::ChipGoneForever, "chip stalls forever"),
    (FaultClass::ResetMidErase, "reset mid erase"),
    (FaultClass::ResetMidWrite, "reset mid 4K write"),
    (FaultClass::Unplugged, "port unplugged"),
    (FaultClass::BaudEchoLost, "baud echo lost"),
    (
        FaultClass::FrameAddressShifted,
        "erase/write address shifted",
    ),
];

pub fn class_name(class: FaultClass) -> &'static str {
    FAULT_CLASSES
        .iter()
        .find(|row| row.0 == class)
        .map_or("?", |row| row.1)
}

/// What one session does after connecting.
#[derive(Clone, Debug)]
pub enum Job {
    /// Write these `(offset, len)` regions with fresh data, then verify them.
    Write(&'static [(u32, u32)]),
    Read(u32, u32),
    Erase(u32, u32),
}

/// Session layouts: aligned and unaligned writes (read-back of partial sectors, page writes),
/// 64 KiB block erases, reads through the legacy mirror below 0x11000.
pub static JOBS: &[Job] = &[
    Job::Write(&[(0x11000, 0x4000)]),
    Job::Write(&[(0x23100, 0x2E00)]),
    Job::Write(&[(0x30000, 0x11000)]),
    Job::Write(&[(0x40000, 0x1800), (0x42000, 0x100)]),
    Job::Read(0x11000, 0x8000),
    Job::Read(0x20100, 0x5E00),
    Job::Read(0x0, 0x2000),
    Job::Erase(0x50000, 0x3000),
    Job::Erase(0x60000, 0x11000),
];

/// Work bauds: no switch, and two switches.
pub static BAUDS: &[u32] = &[115_200, 921_600, 1_500_000];

impl Job {
    pub fn is_write(&self) -> bool {
        matches!(self, Job::Write(_))
    }

    pub fn regions(&self, rng: &mut Rng) -> Vec<Region> {
        match self {
            Job::Write(layout) => layout
                .iter()
                .map(|&(offset, len)| Region {
                    offset,
                    data: rng.bytes(len as usize),
                })
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// What a fault-free run of one (chip, job, baud) sends and receives, to aim faults inside it.
#[derive(Clone, Debug, Default)]
pub struct Probe {
    pub host_bytes: u64,
    pub chip_bytes: u64,
    pub commands: u32,
    pub per_kind: BTreeMap<CommandKind, u32>,
}

impl Probe {
    /// Count what the host sent in `sim`'s session (from the transport's transcript bytes).
    pub fn measure(sim: &Sim, host: &[u8]) -> Self {
        let mut per_kind = BTreeMap::new();
        let mut commands = 0;
        for piece in split_host_bytes(host) {
            let kind = match piece {
                HostPiece::Short { code, .. } => CommandKind::Short(code),
                HostPiece::Long { op, .. } => CommandKind::Long(op),
                HostPiece::Other(_) => continue,
            };
            commands += 1;
            *per_kind.entry(kind).or_insert(0) += 1;
        }
        Self {
            host_bytes: sim.host_bytes_sent(),
            chip_bytes: sim.chip_bytes_sent(),
            commands,
            per_kind,
        }
    }

    fn count(&self, kind: CommandKind) -> u32 {
        self.per_kind.get(&kind).copied().unwrap_or(0)
    }

    /// A fault of `class` at a random point of this session; `None` when the session has no such point.
    pub fn aim(&self, class: FaultClass, rng: &mut Rng) -> Option<Fault> {
        let host = |rng: &mut Rng, fault| Fault::HostByte {
            nth: rng.range(1, self.host_bytes),
            fault,
        };
        let chip = |rng: &mut Rng, fault| Fault::ChipByte {
            nth: rng.range(1, self.chip_bytes),
            fault,
        };
        let any = |rng: &mut Rng| CommandMatch::nth(rng.range(1, u64::from(self.commands)) as u32);
        let of = |rng: &mut Rng, kind| match self.count(kind) {
            0 => None,
            n => Some(CommandMatch::of(kind, rng.range(1, u64::from(n)) as u32)),
        };
        let ms = |rng: &mut Rng, lo, hi| Duration::from_millis(rng.range(lo, hi));
        Some(match class {
            FaultClass::HostByteDropped => host(rng, ByteFault::Drop),
            FaultClass::HostByteCorrupted => host(rng, ByteFault::Corrupt),
            FaultClass::HostByteDuplicated => host(rng, ByteFault::Duplicate),
            FaultClass::ChipByteDropped => chip(rng, ByteFault::Drop),
            FaultClass::ChipByteCorrupted => chip(rng, ByteFault::Corrupt),
            FaultClass::ChipByteDuplicated => chip(rng, ByteFault::Duplicate),
            FaultClass::LateReply => Fault::DelayReply {
                command: any(rng),
                by: ms(rng, 50, 2500),
            },
            FaultClass::BriefStall => Fault::Stall {
                when: When::Command(any(rng)),
                duration: Some(ms(rng, 50, 1500)),
            },
            FaultClass::ChipGoneForever => Fault::Stall {
                when: When::Command(any(rng)),
                duration: None,
            },
            FaultClass::ResetMidErase => Fault::ResetMidOp {
                command: of(rng, ERASE)?,
            },
            FaultClass::ResetMidWrite => Fault::ResetMidOp {
                command: of(rng, WRITE_4K)?,
            },
            FaultClass::Unplugged => Fault::Unplug {
                when: When::Command(any(rng)),
            },
            FaultClass::BaudEchoLost => Fault::LoseBaudEcho {
                command: of(rng, SET_BAUD)?,
            },
            FaultClass::FrameAddressShifted => {
                let present: Vec<CommandKind> =
                    CHANGES.into_iter().filter(|&k| self.count(k) > 0).collect();
                if present.is_empty() {
                    return None;
                }
                let kind = *rng.pick(&present);
                Fault::FrameAddress {
                    command: of(rng, kind)?,
                    change: AddressChange::Byte {
                        index: rng.range(0, 3) as u8,
                        fault: *rng.pick(&[
                            ByteFault::Drop,
                            ByteFault::Duplicate,
                            ByteFault::Corrupt,
                        ]),
                    },
                }
            }
        })
    }
}

/// A preset with random bytes in the work area, so "untouched", "erased" and "written" differ.
pub fn chip_with_random_work_area(config: SimConfig, rng: &mut Rng) -> SimConfig {
    let mut image = Sim::new(config.clone()).flash().bytes().to_vec();
    let work = WORK_START as usize..WORK_END as usize;
    image[work.clone()].copy_from_slice(&rng.bytes(work.len()));
    config.with_flash_image(image)
}
