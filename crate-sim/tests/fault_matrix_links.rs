//! The link hazards of the field (field-audit D1, D2, D7, D10, S4, S11, S12) as a seeded matrix:
//! sessions on both chip classes behind lossy adapters, reopen glitches, overflowing receive rings
//! and late replies, each judged against the simulator's flash by the fault matrix's oracle.
//! Prints its table with the success rate per hazard:
//! `cargo test -p bkflash-sim --test fault_matrix_links -- --nocapture`; more sessions with
//! `BKFLASH_LINK_MATRIX_SESSIONS=600 BKFLASH_MATRIX_SEED=7`.

mod fault_matrix_support;

use std::collections::BTreeMap;
use std::fmt::Write;
use std::time::Duration;

use bkflash_core::chips::BOOTLOADER_END;
use bkflash_core::flasher::{Flasher, Options, WorkBaud, WriteOptions};
use bkflash_core::progress::NoProgress;
use bkflash_sim::{
    Adapter, FlashChange, HostPort, Sim, SimConfig, SimTransport, Timing, Wiring, block_on,
};
use fault_matrix_support::oracle::{Images, Told, Verdict, judge};
use fault_matrix_support::{JOBS, Job, Rng, chip_with_random_work_area};

const DEFAULT_SESSIONS: u64 = 144;
const DEFAULT_SEED: u64 = 0x114B_A5ED;

/// One hazard: how the session's port and chip are built, which work rates it runs at, and
/// whether every session must succeed (the hazards the defaults are meant to cope with).
struct Hazard {
    name: &'static str,
    setup: fn(SimConfig, u64) -> SimTransport,
    bauds: &'static [WorkBaud],
    must_succeed: bool,
}

static HAZARDS: &[Hazard] = &[
    Hazard {
        name: "lossy adapter (CH340)",
        setup: |config, seed| {
            SimTransport::new(Sim::new(config).with_adapter(Adapter::ch340(seed)))
        },
        bauds: &[
            WorkBaud::ChipDefault,
            WorkBaud::Fast,
            WorkBaud::Fixed(2_000_000),
        ],
        must_succeed: true,
    },
    Hazard {
        name: "bridge, paced writes",
        setup: |config, _| {
            let sim = Sim::new(config.with_wiring(Wiring::None))
                .with_adapter(Adapter::bridge_without_backpressure());
            SimTransport::new(sim).with_host_port(HostPort::WebSerial)
        },
        bauds: &[WorkBaud::ChipDefault, WorkBaud::Fast],
        must_succeed: true,
    },
    Hazard {
        name: "bridge, unpaced burst",
        setup: |config, _| {
            let sim = Sim::new(config).with_adapter(Adapter::bridge_without_backpressure());
            SimTransport::new(sim)
        },
        bauds: &[WorkBaud::ChipDefault],
        must_succeed: false,
    },
    Hazard {
        name: "reopen glitch (RTS-CEN)",
        setup: |config, _| {
            let sim = Sim::new(config.with_wiring(Wiring::RtsToCen));
            SimTransport::new(sim).with_host_port(HostPort::WebSerial)
        },
        bauds: &[WorkBaud::ChipDefault, WorkBaud::Fast],
        must_succeed: true,
    },
    Hazard {
        name: "ring overflow, worst",
        setup: |config, _| SimTransport::new(Sim::new(config.with_timing(Timing::worst()))),
        bauds: &[
            WorkBaud::ChipDefault,
            WorkBaud::Fast,
            WorkBaud::Fixed(2_000_000),
        ],
        must_succeed: true,
    },
    Hazard {
        name: "replies 600 ms late",
        setup: |config, _| {
            let late = Adapter::late(Duration::from_millis(600));
            SimTransport::new(Sim::new(config).with_adapter(late))
        },
        bauds: &[WorkBaud::ChipDefault],
        must_succeed: true,
    },
];

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

#[derive(Default)]
struct Counts {
    sessions: u32,
    succeeded: u32,
    failed_cleanly: u32,
    silent: u32,
    wrong_report: u32,
    boot_sent: u32,
    boot_hit: u32,
    rates: BTreeMap<u32, u32>,
}

/// What one session left behind.
struct Ran {
    told: Told,
    before: Vec<u8>,
    after: Vec<u8>,
    expected: Vec<u8>,
    host_bytes: Vec<u8>,
    /// What the chip changed inside the bootloader region.
    boot_changes: Vec<FlashChange>,
    rate: u32,
}

/// Run `job` once through `port`.
fn run(mut port: SimTransport, baud: WorkBaud, job: &Job, rng: &mut Rng) -> Ran {
    port.sim_mut().watch_flash(0..BOOTLOADER_END);
    let before = port.sim().flash().bytes().to_vec();
    let regions = job.regions(rng);
    let options = Options {
        baud,
        ..Options::default()
    };
    let mut f = Flasher::new(port, options);
    let told = block_on(async {
        match *job {
            Job::Write(_) => {
                let written = f
                    .write(&regions, &WriteOptions::default(), &mut NoProgress)
                    .await;
                let result = match written {
                    Ok(report) => match f.verify(&regions, &mut NoProgress).await {
                        Ok(_) => Ok(Some(report)),
                        Err(error) => Err(error.with_flash(report)),
                    },
                    Err(error) => Err(error),
                };
                Told { result, read: None }
            }
            Job::Read(start, len) => match f.read(start..start + len, &mut NoProgress).await {
                Ok(data) => Told {
                    result: Ok(None),
                    read: Some((start, data)),
                },
                Err(error) => Told {
                    result: Err(error),
                    read: None,
                },
            },
            Job::Erase(start, len) => Told {
                result: f.erase(start..start + len, &mut NoProgress).await.map(Some),
                read: None,
            },
        }
    });
    let rate = f.rate().0;
    let port = f.into_transport();
    let mut expected = before.clone();
    for region in &regions {
        let at = region.offset as usize;
        expected[at..at + region.data.len()].copy_from_slice(&region.data);
    }
    if let Job::Erase(start, len) = *job {
        expected[start as usize..(start + len) as usize].fill(0xFF);
    }
    Ran {
        told,
        after: port.sim().flash().bytes().to_vec(),
        before,
        expected,
        host_bytes: port.transcript().host_bytes(),
        boot_changes: port.sim().flash_changes().to_vec(),
        rate,
    }
}

#[test]
fn link_hazards_never_corrupt_silently_and_the_coped_ones_always_succeed() {
    let seed = env_number("BKFLASH_MATRIX_SEED", DEFAULT_SEED);
    let sessions = env_number("BKFLASH_LINK_MATRIX_SESSIONS", DEFAULT_SESSIONS);
    let mut rng = Rng::new(seed);
    let chips: Vec<(&str, SimConfig)> = [
        ("ROM", SimConfig::bk7231n()),
        ("legacy", SimConfig::bk7231t()),
    ]
    .into_iter()
    .map(|(name, config)| (name, chip_with_random_work_area(config, &mut rng)))
    .collect();
    let mut table: BTreeMap<usize, Counts> = BTreeMap::new();
    let mut bad = Vec::new();
    for n in 0..sessions {
        let hazard_index = n as usize % HAZARDS.len();
        let hazard = &HAZARDS[hazard_index];
        let (chip_name, config) = &chips[rng.range(0, 1) as usize];
        let job = rng.pick(JOBS);
        let baud = *rng.pick(hazard.bauds);
        let port = (hazard.setup)(config.clone(), rng.next());
        let ran = run(port, baud, job, &mut rng);
        let images = Images {
            before: &ran.before,
            after: &ran.after,
            expected: &ran.expected,
        };
        let (verdict, boot) = judge(&ran.told, &images, &ran.host_bytes, &ran.boot_changes);
        let counts = table.entry(hazard_index).or_default();
        counts.sessions += 1;
        *counts.rates.entry(ran.rate).or_default() += 1;
        let what = format!("session {n} {} {chip_name} {job:?} {baud:?}", hazard.name);
        match &verdict {
            Verdict::Recovered => counts.succeeded += 1,
            Verdict::FailedCleanly => {
                counts.failed_cleanly += 1;
                if hazard.must_succeed {
                    let error = ran.told.result.as_ref().unwrap_err();
                    bad.push(format!("{what}: failed: {}", error.render()));
                }
            }
            Verdict::SilentCorruption(_) => counts.silent += 1,
            Verdict::WrongReport(_) => counts.wrong_report += 1,
            Verdict::BootloaderTouched(_) => counts.boot_sent += 1,
        }
        // A line fault that changed the bootloader region is coped with only if it was put back
        // and reported (the bootloader watch); it still counts as a hit.
        counts.boot_hit += u32::from(boot.changed);
        if !matches!(verdict, Verdict::Recovered | Verdict::FailedCleanly) || boot.is_bad() {
            bad.push(format!("{what}: {verdict:?} {boot:?}"));
        }
    }
    eprintln!("{}", render(&table, seed));
    assert!(bad.is_empty(), "{}", bad.join("\n"));
    assert!(table.len() == HAZARDS.len(), "every hazard ran");
}

fn render(table: &BTreeMap<usize, Counts>, seed: u64) -> String {
    let mut out = format!(
        "link hazard matrix, seed {seed}\n{:<26} {:>8} {:>9} {:>14} {:>7} {:>12} {:>10} {:>9} {:>8}   rates used (sessions)\n",
        "hazard",
        "sessions",
        "succeeded",
        "failed cleanly",
        "silent",
        "wrong report",
        "boot sent",
        "boot hit",
        "success"
    );
    for (index, counts) in table {
        let rates = counts
            .rates
            .iter()
            .map(|(rate, n)| format!("{rate} ({n})"))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            out,
            "{:<26} {:>8} {:>9} {:>14} {:>7} {:>12} {:>10} {:>9} {:>7.0}%   {rates}",
            HAZARDS[*index].name,
            counts.sessions,
            counts.succeeded,
            counts.failed_cleanly,
            counts.silent,
            counts.wrong_report,
            counts.boot_sent,
            counts.boot_hit,
            100.0 * f64::from(counts.succeeded) / f64::from(counts.sessions.max(1)),
        );
    }
    out
}
