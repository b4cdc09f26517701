//! Counting the matrix's verdicts per fault class and rendering the table the test prints to stderr.
//! Counts only; the first few bad verdicts are kept verbatim so a failure can be reproduced.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::oracle::{Boot, Verdict};
use super::{FAULT_CLASSES, FaultClass};

#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub sessions: u32,
    pub recovered: u32,
    pub failed_cleanly: u32,
    pub silent_corruptions: u32,
    pub wrong_reports: u32,
    pub bootloader_touched: u32,
    /// Sessions in which a line fault made the chip change the bootloader region.
    pub boot_changed: u32,
    /// ... and it ended as it began.
    pub boot_repaired: u32,
    /// ... and the session's error said so.
    pub boot_reported: u32,
}

impl Counts {
    fn add(&mut self, verdict: &Verdict, boot: Boot) {
        self.sessions += 1;
        self.boot_changed += u32::from(boot.changed);
        self.boot_repaired += u32::from(boot.changed && boot.repaired);
        self.boot_reported += u32::from(boot.changed && boot.reported);
        match verdict {
            Verdict::Recovered => self.recovered += 1,
            Verdict::FailedCleanly => self.failed_cleanly += 1,
            Verdict::SilentCorruption(_) => self.silent_corruptions += 1,
            Verdict::WrongReport(_) => self.wrong_reports += 1,
            Verdict::BootloaderTouched(_) => self.bootloader_touched += 1,
        }
    }

    fn plus(mut self, other: &Counts) -> Counts {
        self.sessions += other.sessions;
        self.recovered += other.recovered;
        self.failed_cleanly += other.failed_cleanly;
        self.silent_corruptions += other.silent_corruptions;
        self.wrong_reports += other.wrong_reports;
        self.bootloader_touched += other.bootloader_touched;
        self.boot_changed += other.boot_changed;
        self.boot_repaired += other.boot_repaired;
        self.boot_reported += other.boot_reported;
        self
    }
}

/// Verdict counts by fault class, plus the error kinds of the clean failures.
#[derive(Default)]
pub struct Tally {
    pub by_class: BTreeMap<FaultClass, Counts>,
    pub failure_kinds: BTreeMap<FaultClass, BTreeMap<&'static str, u32>>,
    /// Sessions judged wrong (at most 20), to reproduce them.
    pub bad: Vec<String>,
    /// Sessions whose frame a line fault redirected into the bootloader, repaired and reported
    /// (at most 20); the others are in `bad`.
    pub redirected: Vec<String>,
}

impl Tally {
    pub fn add(
        &mut self,
        class: FaultClass,
        (verdict, boot): (&Verdict, Boot),
        kind: Option<&'static str>,
        what: String,
    ) {
        self.by_class.entry(class).or_default().add(verdict, boot);
        if let Some(kind) = kind {
            *self
                .failure_kinds
                .entry(class)
                .or_default()
                .entry(kind)
                .or_insert(0) += 1;
        }
        let listed = match verdict {
            _ if boot.is_bad() => Some(&mut self.bad),
            Verdict::Recovered | Verdict::FailedCleanly if boot.changed => {
                Some(&mut self.redirected)
            }
            Verdict::Recovered | Verdict::FailedCleanly => None,
            _ => Some(&mut self.bad),
        };
        if let Some(list) = listed.filter(|list| list.len() < 20) {
            list.push(format!("{what}: {verdict:?}, {boot:?}"));
        }
    }

    pub fn total(&self) -> Counts {
        self.by_class
            .values()
            .fold(Counts::default(), |sum, c| sum.plus(c))
    }

    pub fn render(&self, seed: u64) -> String {
        let mut out = format!(
            "fault matrix, seed {seed} (boot sent: the host aimed at 0..0x11000 without a change to \
             repair; boot changed: a line fault made the chip change 0..0x11000, then repaired: put back \
             as before, reported: the error said so)\n{:<28} {:>8} {:>9} {:>14} {:>7} {:>12} {:>9} {:>12} {:>8} {:>8}   clean failures by error\n",
            "fault class",
            "sessions",
            "recovered",
            "failed cleanly",
            "silent",
            "wrong report",
            "boot sent",
            "boot changed",
            "repaired",
            "reported"
        );
        let line = |out: &mut String, name: &str, c: &Counts, kinds: String| {
            let _ = writeln!(
                out,
                "{name:<28} {:>8} {:>9} {:>14} {:>7} {:>12} {:>9} {:>12} {:>8} {:>8}   {kinds}",
                c.sessions,
                c.recovered,
                c.failed_cleanly,
                c.silent_corruptions,
                c.wrong_reports,
                c.bootloader_touched,
                c.boot_changed,
                c.boot_repaired,
                c.boot_reported
            );
        };
        for (class, name) in FAULT_CLASSES {
            let counts = self.by_class.get(class).copied().unwrap_or_default();
            let kinds = self
                .failure_kinds
                .get(class)
                .map(|k| {
                    k.iter()
                        .map(|(n, c)| format!("{n} {c}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            line(&mut out, name, &counts, kinds);
        }
        line(&mut out, "total", &self.total(), String::new());
        out
    }
}
