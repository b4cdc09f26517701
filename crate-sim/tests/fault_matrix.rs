//! The seeded fault matrix: many flash sessions on both chip classes, one fault each at a random point,
//! every outcome judged against the simulator's real flash. Prints its table to stderr:
//! `cargo test -p bkflash-sim --test fault_matrix -- --nocapture`. A longer run:
//! `BKFLASH_MATRIX_SESSIONS=20000 BKFLASH_MATRIX_SEED=7 cargo test -p bkflash-sim --test fault_matrix -- --nocapture`;
//! add `BKFLASH_MATRIX_ONLY=<n>` to replay session n of that run alone. The bootloader columns count
//! the sessions in which a line fault made the chip change 0x0-0x11000: every one must be put back
//! and reported while the chip answers.

mod fault_matrix_support;

use std::collections::HashMap;

use bkflash_core::chips::BOOTLOADER_END;
use bkflash_core::flasher::{Flasher, Options, WorkBaud, WriteOptions};
use bkflash_core::plan::Region;
use bkflash_core::progress::NoProgress;
use bkflash_sim::{Fault, FlashChange, Sim, SimConfig, SimTransport, block_on};
use fault_matrix_support::oracle::{Images, Told, Verdict, judge};
use fault_matrix_support::tally::Tally;
use fault_matrix_support::{
    BAUDS, FAULT_CLASSES, FaultClass, JOBS, Job, Probe, Rng, chip_with_random_work_area,
};

/// The faults that change the host's frames on the wire, the only way to hit the bootloader region.
const HOST_FRAME_FAULTS: [FaultClass; 4] = [
    FaultClass::HostByteDropped,
    FaultClass::HostByteCorrupted,
    FaultClass::HostByteDuplicated,
    FaultClass::FrameAddressShifted,
];
const DEFAULT_SESSIONS: u64 = 1000;
const DEFAULT_SEED: u64 = 0xB4F1_A5E5;

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// One session's inputs.
struct Session<'a> {
    config: &'a SimConfig,
    job: &'a Job,
    regions: Vec<Region>,
    baud: u32,
}

/// What one session left behind.
struct Ran {
    told: Told,
    before: Vec<u8>,
    after: Vec<u8>,
    host_bytes: Vec<u8>,
    /// What the chip changed inside the bootloader region.
    boot_changes: Vec<FlashChange>,
    probe: Probe,
}

fn run(session: &Session<'_>, fault: Option<Fault>) -> Ran {
    let mut sim = Sim::new(session.config.clone());
    if let Some(fault) = fault {
        sim.add_fault(fault);
    }
    sim.watch_flash(0..BOOTLOADER_END);
    let before = sim.flash().bytes().to_vec();
    let options = Options {
        baud: WorkBaud::Fixed(session.baud),
        ..Options::default()
    };
    let mut f = Flasher::new(SimTransport::new(sim), options);
    let told = block_on(async {
        match *session.job {
            Job::Write(_) => {
                let written = f
                    .write(&session.regions, &WriteOptions::default(), &mut NoProgress)
                    .await;
                let result = match written {
                    Ok(report) => match f.verify(&session.regions, &mut NoProgress).await {
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
    let port = f.into_transport();
    let host_bytes = port.transcript().host_bytes();
    Ran {
        told,
        before,
        after: port.sim().flash().bytes().to_vec(),
        probe: Probe::measure(port.sim(), &host_bytes),
        boot_changes: port.sim().flash_changes().to_vec(),
        host_bytes,
    }
}

fn expected_image(session: &Session<'_>, before: &[u8]) -> Vec<u8> {
    let mut image = before.to_vec();
    for region in &session.regions {
        let at = region.offset as usize;
        image[at..at + region.data.len()].copy_from_slice(&region.data);
    }
    if let Job::Erase(start, len) = *session.job {
        image[start as usize..(start + len) as usize].fill(0xFF);
    }
    image
}

/// Whether a fault class can strike this job at all.
fn fits(class: FaultClass, job: &Job, baud: u32) -> bool {
    match class {
        FaultClass::ResetMidErase => !matches!(job, Job::Read(..)),
        FaultClass::ResetMidWrite => job.is_write(),
        FaultClass::BaudEchoLost => baud != BAUDS[0],
        FaultClass::FrameAddressShifted => !matches!(job, Job::Read(..)),
        _ => true,
    }
}

#[test]
fn every_faulty_session_ends_verified_or_with_a_true_report() {
    let seed = env_number("BKFLASH_MATRIX_SEED", DEFAULT_SEED);
    let sessions = env_number("BKFLASH_MATRIX_SESSIONS", DEFAULT_SESSIONS);
    // Replays one session of the table (the seed and count must match the run that listed it).
    let only = std::env::var("BKFLASH_MATRIX_ONLY")
        .ok()
        .and_then(|v| v.parse::<u64>().ok());
    let mut rng = Rng::new(seed);
    let chips: Vec<(&str, SimConfig)> = [
        ("ROM", SimConfig::bk7231n()),
        ("legacy", SimConfig::bk7231t()),
    ]
    .into_iter()
    .map(|(name, config)| (name, chip_with_random_work_area(config, &mut rng)))
    .collect();
    let mut probes: HashMap<(usize, usize, u32), Probe> = HashMap::new();
    let mut tally = Tally::default();
    let mut per_chip = [0u32; 2];
    for n in 0..sessions {
        let class = FAULT_CLASSES[n as usize % FAULT_CLASSES.len()].0;
        let chip = rng.range(0, 1) as usize;
        let (job_index, job, baud) = loop {
            let job_index = rng.range(0, JOBS.len() as u64 - 1) as usize;
            let baud = *rng.pick(BAUDS);
            if fits(class, &JOBS[job_index], baud) {
                break (job_index, &JOBS[job_index], baud);
            }
        };
        let session = Session {
            config: &chips[chip].1,
            job,
            regions: job.regions(&mut rng),
            baud,
        };
        let probe = probes
            .entry((chip, job_index, baud))
            .or_insert_with(|| run(&session, None).probe);
        let Some(fault) = probe.aim(class, &mut rng) else {
            continue;
        };
        if only.is_some_and(|k| k != n) {
            continue;
        }
        let what = format!(
            "session {n} {} {job:?} baud {baud} {fault:?}",
            chips[chip].0
        );
        let ran = run(&session, Some(fault));
        let expected = expected_image(&session, &ran.before);
        let images = Images {
            before: &ran.before,
            after: &ran.after,
            expected: &expected,
        };
        let (verdict, boot) = judge(&ran.told, &images, &ran.host_bytes, &ran.boot_changes);
        if only.is_some() {
            let told = ran.told.result.as_ref().map_err(|e| e.render());
            eprintln!("{what}\n{verdict:?} {boot:?}\n{told:?}");
        }
        let kind = ran.told.result.as_ref().err().map(|e| e.kind.info().name);
        if verdict == Verdict::FailedCleanly {
            let error = ran.told.result.as_ref().unwrap_err();
            let text = error.render();
            assert!(
                text.contains(error.remedy()) && text.contains(error.cause()),
                "{what}: {text}"
            );
            assert_eq!(
                error.flash.as_ref().is_some_and(|r| !r.sectors.is_empty()),
                text.contains("Flash now:"),
                "{what}: the flash state is shown when known"
            );
        }
        tally.add(class, (&verdict, boot), kind, what);
        per_chip[chip] += 1;
    }
    eprintln!("{}", tally.render(seed));
    for line in &tally.redirected {
        eprintln!("boot hit: {line}");
    }
    let total = tally.total();
    if only.is_none() {
        assert_eq!(
            u64::from(total.sessions),
            sessions,
            "every session found a point for its fault"
        );
        assert!(per_chip.iter().all(|&n| n > 0), "both chip classes ran");
        assert!(total.recovered > 0 && total.failed_cleanly > 0);
        assert!(
            sessions < DEFAULT_SESSIONS || total.boot_changed > 0,
            "line faults reached the bootloader region, so the watch was tested"
        );
    }
    assert!(
        tally.bad.is_empty(),
        "silent corruptions, wrong reports, bootloader writes, or bootloader changes not repaired and reported:\n{}",
        tally.bad.join("\n")
    );
    for (class, counts) in &tally.by_class {
        assert!(
            counts.boot_changed == 0 || HOST_FRAME_FAULTS.contains(class),
            "{class:?} reached the bootloader region: only a shifted host frame can"
        );
    }
}
