//! `cargo bench -p bkflash-sim --bench wire`: the flasher against the simulator's wire-time model on
//! the virtual clock, typical flash timings, both chip classes, four bauds; prints Markdown tables.

#[path = "../tests/flasher_support/mod.rs"]
mod flasher_support;
mod wire {
    pub mod scenario;
    pub mod targets;
}

use bkflash_sim::SimConfig;
use wire::scenario::{self, Job, Start};
use wire::targets::{Row, check_targets};

const BAUDS: [u32; 4] = [115_200, 921_600, 1_500_000, 2_000_000];

const JOBS: [Job; 7] = [
    Job::ReadAll,
    Job::Write {
        start: Start::Blank,
        differential: false,
    },
    Job::Write {
        start: Start::Blank,
        differential: true,
    },
    Job::Write {
        start: Start::Identical,
        differential: false,
    },
    Job::Write {
        start: Start::Identical,
        differential: true,
    },
    Job::Write {
        start: Start::TenPercentChanged,
        differential: false,
    },
    Job::Write {
        start: Start::TenPercentChanged,
        differential: true,
    },
];

fn main() {
    // `cargo bench` passes `--bench`; arguments `N`/`T` pick chips, any other picks jobs by label.
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let (chip_args, job_args): (Vec<&String>, Vec<&String>) =
        args.iter().partition(|a| *a == "N" || *a == "T");
    let chips = [("N", SimConfig::bk7231n()), ("T", SimConfig::bk7231t())];
    let mut rows = Vec::new();
    for (chip, config) in chips
        .iter()
        .filter(|c| chip_args.is_empty() || chip_args.iter().any(|a| *a == c.0))
    {
        println!(
            "\n### BK7231{chip} ({} class), typical timings, virtual clock\n",
            class_name(chip)
        );
        println!("| job | baud | connect s | job s | wire bytes | wire limit s | limit/time |");
        println!("|---|---:|---:|---:|---:|---:|---:|");
        for job in JOBS {
            if !job_args.is_empty() && !job_args.iter().any(|a| job.label().contains(a.as_str())) {
                continue;
            }
            for baud in BAUDS {
                let measured = scenario::run(config.clone(), baud, job);
                let limit_s = job.payload() as f64 * 10.0 / f64::from(baud);
                println!(
                    "| {} | {baud} | {:.2} | {:.2} | {} | {:.2} | {:.2} |",
                    job.label(),
                    measured.connect_s,
                    measured.job_s,
                    measured.wire_bytes,
                    limit_s,
                    limit_s / measured.job_s
                );
                rows.push(Row {
                    chip,
                    job,
                    baud,
                    seconds: measured.job_s,
                    limit_s,
                });
            }
        }
    }
    println!();
    for line in check_targets(&rows) {
        println!("{line}");
    }
}

fn class_name(chip: &str) -> &'static str {
    if chip == "N" { "ROM" } else { "legacy" }
}
