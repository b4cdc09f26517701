//! The write plan in plain words: what is erased, written and kept, and a time estimate from the
//! wire bytes and chip-side times of each sector (the same erases the core's executor sends).

use bkflash_core::chips::{BOOTLOADER_END, ProtocolClass};
use bkflash_core::plan::{BLOCK, Erase, Plan, SECTOR, Skip};

use super::plan::PreparedPlan;

/// Wire bytes per 4 KiB sector: a FlashWrite4K frame and its reply, a FlashRead4K request and reply,
/// a CheckCRC and its reply (docs/protocol.md §2.1, §2.2).
const WRITE_WIRE: f64 = 4108.0 + 15.0;
const READ_WIRE: f64 = 13.0 + 4111.0;
const CRC_WIRE: f64 = 24.0;
/// Chip-side time (docs/protocol.md §2.3): a 4 KiB CRC at ~400 kB/s, typical sector and block erases.
const CRC_SECONDS: f64 = 0.010;
const SECTOR_ERASE_SECONDS: f64 = 0.045;
const BLOCK_ERASE_SECONDS: f64 = 0.3;
/// Bits on the wire per byte (8N1).
const BITS_PER_BYTE: f64 = 10.0;

/// The erases the executor sends, as (64 KiB blocks, 4 KiB sectors). On the legacy class each run of
/// sectors the chip shows blank also starts with one sector erase, which lifts the flash lock the
/// compare CRCs set (docs/protocol.md §6.4); the core's executor does the same.
pub fn erase_counts(plan: &Plan, class: ProtocolClass) -> (usize, usize) {
    let blocks = plan
        .erases
        .iter()
        .filter(|e| matches!(e, Erase::Block(_)))
        .count();
    let mut sectors = plan.erases.len() - blocks;
    if class == ProtocolClass::Legacy {
        let mut previous: Option<u32> = None;
        for job in plan
            .sectors
            .iter()
            .filter(|job| !job.erase && job.skip.is_none())
        {
            let continues =
                previous == Some(job.addr.wrapping_sub(SECTOR)) && !job.addr.is_multiple_of(BLOCK);
            if !continues {
                sectors += 1;
            }
            previous = Some(job.addr);
        }
    }
    (blocks, sectors)
}

/// Sectors the plan sends data for, and sectors it leaves because the chip already holds them.
pub fn write_and_keep_counts(plan: &Plan) -> (usize, usize, usize) {
    let count = |skip: Option<Skip>| plan.sectors.iter().filter(|j| j.skip == skip).count();
    (
        count(None),
        count(Some(Skip::AlreadyMatches)),
        count(Some(Skip::Blank)),
    )
}

/// Rough seconds to run `plan` at `baud`: wire time plus typical chip-side times.
pub fn plan_seconds(plan: &Plan, class: ProtocolClass, baud: u32) -> f64 {
    let (blocks, sectors) = erase_counts(plan, class);
    let (written, _, blank) = write_and_keep_counts(plan);
    let wire = |bytes: f64| bytes * BITS_PER_BYTE / f64::from(baud.max(1));
    written as f64 * (wire(WRITE_WIRE + CRC_WIRE) + CRC_SECONDS)
        + blank as f64 * (wire(CRC_WIRE) + CRC_SECONDS)
        + blocks as f64 * BLOCK_ERASE_SECONDS
        + sectors as f64 * SECTOR_ERASE_SECONDS
}

/// Rough seconds for a backup of `flash_size` bytes: the read, then the check of the saved copy.
pub fn backup_seconds(flash_size: u32, baud: u32) -> f64 {
    let sectors = f64::from(flash_size / SECTOR);
    let wire = |bytes: f64| bytes * BITS_PER_BYTE / f64::from(baud.max(1));
    sectors * (wire(READ_WIRE + 2.0 * CRC_WIRE) + 2.0 * CRC_SECONDS)
}

/// "about 25 s", "about 3 min".
pub fn duration_words(seconds: f64) -> String {
    if seconds < 90.0 {
        format!("about {} s", seconds.ceil().max(1.0))
    } else {
        format!("about {} min", (seconds / 60.0).round())
    }
}

fn kib(sectors: usize) -> usize {
    sectors * SECTOR as usize / 1024
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The plan in plain words: one line for everyone, then what is erased, written and kept, and how
/// long it takes.
pub struct PlanWords {
    pub summary: String,
    pub erased: String,
    pub written: String,
    pub kept: String,
    pub time: String,
}

pub fn plan_words(
    prepared: &PreparedPlan,
    class: ProtocolClass,
    flash_size: u32,
    backup_first: bool,
) -> PlanWords {
    let plan = &prepared.plan;
    let (blocks, sectors) = erase_counts(plan, class);
    let (written, kept, blank) = write_and_keep_counts(plan);
    let summary = if written + blank == 0 {
        String::from("Writes nothing: the chip already holds this file.")
    } else {
        format!(
            "Writes {} KiB ({}); the rest of the chip stays as it is.",
            kib(written + blank),
            plural(written + blank, "sector", "sectors")
        )
    };
    let erased = if blocks + sectors == 0 {
        String::from("Erased: nothing.")
    } else {
        format!(
            "Erased: {} KiB in {} and {}.",
            (blocks * BLOCK as usize + sectors * SECTOR as usize) / 1024,
            plural(blocks, "block erase (64 KiB)", "block erases (64 KiB)"),
            plural(sectors, "sector erase (4 KiB)", "sector erases (4 KiB)")
        )
    };
    let written = format!(
        "Written: {} ({} KiB), each checked by CRC afterwards{}.",
        plural(written, "sector", "sectors"),
        kib(written),
        if blank > 0 {
            format!(
                "; {} only erased (the file has nothing but 0xFF there)",
                plural(blank, "sector is", "sectors are")
            )
        } else {
            String::new()
        }
    );
    let kept = format!(
        "Kept: {} ({} KiB) already hold the new content; everything else on the chip, including the \
         bootloader below 0x{BOOTLOADER_END:X}, stays as it is.",
        plural(kept, "sector", "sectors"),
        kib(kept)
    );
    let run = plan_seconds(plan, class, prepared.baud);
    let backup = if backup_first {
        format!(
            ", plus {} for the backup first",
            duration_words(backup_seconds(flash_size, prepared.baud))
        )
    } else {
        String::new()
    };
    let time = format!(
        "Time: {} at {} baud{backup}.",
        duration_words(run),
        prepared.baud
    );
    PlanWords {
        summary,
        erased,
        written,
        kept,
        time,
    }
}
