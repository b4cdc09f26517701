//! The virtual-clock targets, checked against the measured rows and printed as met or not.
//! Speed targets live here, in the bench, never in timed tests.

use bkflash_sim::Timing;

use super::scenario::{FLASH_LEN, Job, Start};

/// One measured job.
pub struct Row<'a> {
    pub chip: &'a str,
    pub job: Job,
    pub baud: u32,
    pub seconds: f64,
    pub limit_s: f64,
}

const READ_TARGET_BAUD: u32 = 1_500_000;
const READ_WIRE_SHARE: f64 = 0.90;
const IDENTICAL_SPEEDUP: f64 = 5.0;
const CHANGED_SPEEDUP: f64 = 3.0;

fn find<'r>(rows: &'r [Row<'_>], chip: &str, job: Job, baud: u32) -> Option<&'r Row<'r>> {
    rows.iter()
        .find(|r| r.chip == chip && r.job == job && r.baud == baud)
}

fn verdict(ok: bool) -> &'static str {
    if ok { "met" } else { "NOT met" }
}

/// One line per target, chip and baud that was measured.
pub fn check_targets(rows: &[Row<'_>]) -> Vec<String> {
    let mut lines = Vec::new();
    for chip in ["N", "T"] {
        if let Some(read) = find(rows, chip, Job::ReadAll, READ_TARGET_BAUD) {
            let share = read.limit_s / read.seconds;
            // The chip-side CRC that verifies the read is bytes / CRC rate whatever the run length.
            let crc_s = Timing::typical().crc(u64::from(FLASH_LEN)).as_secs_f64();
            lines.push(format!(
                "- {chip}: full read at {READ_TARGET_BAUD} reaches {:.0} % of the wire limit (target {:.0} %): {}; \
                 its chip-side CRC takes {crc_s:.1} s, without it {:.0} %",
                share * 100.0,
                READ_WIRE_SHARE * 100.0,
                verdict(share >= READ_WIRE_SHARE),
                read.limit_s / (read.seconds - crc_s) * 100.0
            ));
        }
        for baud in [921_600, READ_TARGET_BAUD] {
            let blank = |differential| {
                find(
                    rows,
                    chip,
                    Job::Write {
                        start: Start::Blank,
                        differential,
                    },
                    baud,
                )
            };
            if let (Some(plain), Some(diff)) = (blank(false), blank(true)) {
                lines.push(format!(
                    "- {chip} @ {baud}: differential write to a blank chip: {:+.0} % time vs a plain write",
                    (diff.seconds / plain.seconds - 1.0) * 100.0
                ));
            }
        }
        for (start, target) in [
            (Start::Identical, IDENTICAL_SPEEDUP),
            (Start::TenPercentChanged, CHANGED_SPEEDUP),
        ] {
            for baud in [921_600, READ_TARGET_BAUD] {
                let plain = find(
                    rows,
                    chip,
                    Job::Write {
                        start: Start::Blank,
                        differential: false,
                    },
                    baud,
                );
                let diff = find(
                    rows,
                    chip,
                    Job::Write {
                        start,
                        differential: true,
                    },
                    baud,
                );
                if let (Some(plain), Some(diff)) = (plain, diff) {
                    let speedup = plain.seconds / diff.seconds;
                    lines.push(format!(
                        "- {chip} @ {baud}: {} is {speedup:.1}x faster than a plain write (target {target:.0}x): {}",
                        diff.job.label(),
                        verdict(speedup >= target)
                    ));
                }
            }
        }
    }
    lines
}
