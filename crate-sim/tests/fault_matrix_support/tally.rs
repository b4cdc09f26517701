//! Counting the matrix's verdicts per fault class and rendering the table the test prints to stderr.
//! Counts only; the first few bad verdicts are kept verbatim so a failure can be reproduced.

use std::collections::BTreeMap;
use std::fmt::Write;

use super::oracle::Verdict;
use super::{FAULT_CLASSES, FaultClass};

#[derive(Clone, Copy, Debug, Default)]
pub struct Counts {
    pub sessions: u32,
    pub recovered: u32,
    pub failed_cleanly: u32,
    pub silent_corruptions: u32,
    pub wrong_reports: u32,
    pub bootloader_touched: u32,
    pub redirected_by_line: u32,
}

impl Counts {
    fn add(&mut self, verdict: &Verdict) {
        self.sessions += 1;
        match verdict {
            Verdict::Recovered => self.recovered += 1,
            Verdict::FailedCleanly => self.failed_cleanly += 1,
            Verdict::SilentCorruption(_) => self.silent_corruptions += 1,
            Verdict::WrongReport(_) => self.wrong_reports += 1,
            Verdict::BootloaderTouched(_) => self.bootloader_touched += 1,
            Verdict::RedirectedByLine { .. } => self.redirected_by_line += 1,
        }
    }

    fn plus(mut self, other: &Counts) -> Counts {
        self.sessions += other.sessions;
        self.recovered += other.recovered;
        self.failed_cleanly += other.failed_cleanly;
        self.silent_corruptions += other.silent_corruptions;
        self.wrong_reports += other.wrong_reports;
        self.bootloader_touched += other.bootloader_touched;
        self.redirected_by_line += other.redirected_by_line;
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
    /// Sessions whose frame a line fault redirected into the bootloader, with an error naming it
    /// (at most 20); unreported ones are in `bad`.
    pub redirected: Vec<String>,
}

impl Tally {
    pub fn add(
        &mut self,
        class: FaultClass,
        verdict: &Verdict,
        kind: Option<&'static str>,
        what: String,
    ) {
        self.by_class.entry(class).or_default().add(verdict);
        if let Some(kind) = kind {
            *self
                .failure_kinds
                .entry(class)
                .or_default()
                .entry(kind)
                .or_insert(0) += 1;
        }
        let listed = match verdict {
            Verdict::Recovered | Verdict::FailedCleanly => None,
            Verdict::RedirectedByLine { named: true } => Some(&mut self.redirected),
            _ => Some(&mut self.bad),
        };
        if let Some(list) = listed.filter(|list| list.len() < 20) {
            list.push(format!("{what}: {verdict:?}"));
        }
    }

    pub fn total(&self) -> Counts {
        self.by_class
            .values()
            .fold(Counts::default(), |sum, c| sum.plus(c))
    }

    pub fn render(&self, seed: u64) -> String {
        let mut out = format!(
            "fault matrix, seed {seed} (boot sent: the host aimed at 0..0x11000; boot hit: a line fault \
             redirected a frame there, and the error named it)\n{:<24} {:>8} {:>9} {:>14} {:>7} {:>12} {:>10} {:>10}   clean failures by error\n",
            "fault class",
            "sessions",
            "recovered",
            "failed cleanly",
            "silent",
            "wrong report",
            "boot sent",
            "boot hit"
        );
        let line = |out: &mut String, name: &str, c: &Counts, kinds: String| {
            let _ = writeln!(
                out,
                "{name:<24} {:>8} {:>9} {:>14} {:>7} {:>12} {:>10} {:>10}   {kinds}",
                c.sessions,
                c.recovered,
                c.failed_cleanly,
                c.silent_corruptions,
                c.wrong_reports,
                c.bootloader_touched,
                c.redirected_by_line
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
