//! `cargo bench -p bkflash-sim --bench link`: whole jobs at each work-rate choice on the virtual
//! clock, on a clean line and behind the simulator's hazard models (lossy CH340, bridge without
//! backpressure, overflowing legacy ring); successes out of N seeds and the median time.

#[path = "../tests/flasher_support/mod.rs"]
mod flasher_support;
mod link {
    pub mod session;
}

use bkflash_core::flasher::WorkBaud;
use link::session::{Hazard, Job, Outcome, run};

/// Seeds per hazard that draws random losses (the CH340 model); other hazards are deterministic.
const SEEDS: u64 = 10;

const CHOICES: [(WorkBaud, &str); 4] = [
    (WorkBaud::ChipDefault, "default (new)"),
    (WorkBaud::Fast, "Fast"),
    (WorkBaud::Fixed(2_000_000), "2000000 (old Auto's pick)"),
    (WorkBaud::Fixed(115_200), "115200 (bk7231tools' default)"),
];

fn main() {
    println!("| chip | job | hazard | rate choice | succeeded | rates used | median s |");
    println!("|---|---|---|---|---:|---|---:|");
    for chip in ["N", "T"] {
        for job in [Job::ReadAll, Job::WriteBlank] {
            for hazard in Hazard::ALL {
                for (baud, label) in CHOICES {
                    if !hazard.wants(baud) {
                        continue;
                    }
                    let runs = if hazard.random() { SEEDS } else { 1 };
                    let outcomes: Vec<Outcome> = (1..=runs)
                        .map(|seed| run(chip, job, hazard, baud, seed))
                        .collect();
                    print_row(chip, job, hazard, label, &outcomes);
                }
            }
        }
    }
}

fn print_row(chip: &str, job: Job, hazard: Hazard, label: &str, outcomes: &[Outcome]) {
    let succeeded: Vec<&Outcome> = outcomes.iter().filter(|o| o.ok).collect();
    let mut seconds: Vec<f64> = succeeded.iter().map(|o| o.seconds).collect();
    seconds.sort_by(f64::total_cmp);
    let median = seconds
        .get(seconds.len() / 2)
        .map_or(String::from("-"), |s| format!("{s:.1}"));
    let mut rates: Vec<u32> = outcomes.iter().map(|o| o.rate).collect();
    rates.sort_unstable();
    rates.dedup();
    let rates: Vec<String> = rates.iter().map(u32::to_string).collect();
    println!(
        "| BK7231{chip} | {} | {} | {label} | {}/{} | {} | {median} |",
        job.label(),
        hazard.label(),
        succeeded.len(),
        outcomes.len(),
        rates.join(", ")
    );
}
