//! Property: whatever plan, regions or erase range a caller hands the flasher, no frame that could
//! change 0x0-0x10FFF leaves the host for a legacy-class chip (nor a ROM-class one without the override).

mod flasher_support;

use bkflash_core::chips::BOOTLOADER_END;
use bkflash_core::flasher::{Options, WriteOptions};
use bkflash_core::plan::{Erase, Plan, Region, SectorJob, Skip};
use bkflash_core::progress::NoProgress;
use bkflash_sim::frames::{HostPiece, split_host_bytes};
use bkflash_sim::{Sim, SimConfig};
use flasher_support::{block_on, flasher};
use proptest::prelude::*;

const FLASH_SIZE: u32 = 0x20_0000;
const PAGE: u32 = 0x100;

/// What a caller may ask for.
#[derive(Clone, Debug)]
enum Job {
    Execute(Plan),
    Write(Vec<Region>),
    Erase(u32, u32),
}

/// Addresses around the places a guard can get wrong: the bootloader end, block boundaries, the
/// flash end, and anything at all.
fn address() -> impl Strategy<Value = u32> {
    prop_oneof![
        0u32..0x30000,
        (FLASH_SIZE - 0x20000)..(FLASH_SIZE + 0x2000),
        any::<u32>(),
    ]
}

fn sector_job() -> impl Strategy<Value = SectorJob> {
    let len = prop_oneof![Just(0x1000usize), 0usize..0x1100];
    let skip = prop_oneof![
        Just(None),
        Just(Some(Skip::Blank)),
        Just(Some(Skip::AlreadyMatches))
    ];
    (address(), len, any::<u8>(), skip, any::<bool>()).prop_map(|(addr, len, fill, skip, erase)| {
        SectorJob {
            addr,
            data: vec![fill; len],
            partial: false,
            skip,
            erase,
        }
    })
}

fn plan() -> impl Strategy<Value = Plan> {
    let erase = prop_oneof![
        address().prop_map(Erase::Sector),
        address().prop_map(Erase::Block)
    ];
    (
        proptest::collection::vec(erase, 0..4),
        proptest::collection::vec(sector_job(), 0..4),
    )
        .prop_map(|(erases, sectors)| Plan { erases, sectors })
}

fn job() -> impl Strategy<Value = Job> {
    let region = (address(), 1usize..0x2100).prop_map(|(offset, len)| Region {
        offset,
        data: vec![0x3C; len],
    });
    prop_oneof![
        plan().prop_map(Job::Execute),
        proptest::collection::vec(region, 1..3).prop_map(Job::Write),
        (address(), 0u32..0x30000).prop_map(|(start, len)| Job::Erase(start, len)),
    ]
}

/// The flash range an erase or write frame changes once the flash wraps the address, as
/// `[start, end)` possibly past the flash end (where it continues at 0).
fn reach(op: u8, payload: &[u8]) -> Option<(u32, u64)> {
    let le = |at: usize| {
        payload
            .get(at..at + 4)
            .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) % FLASH_SIZE)
    };
    let aligned = |addr: u32, unit: u32| (addr & !(unit - 1), u64::from(unit));
    let (start, len) = match op {
        0x06 => aligned(le(0)?, PAGE),
        0x07 => (le(0)? & !(PAGE - 1), 0x1000),
        0x0B => aligned(le(0)?, 0x1000),
        0x0F => match payload.first() {
            Some(0x20) => aligned(le(1)?, 0x1000),
            Some(0x52) => aligned(le(1)?, 0x8000),
            _ => aligned(le(1)?, 0x10000),
        },
        0x0A => (0, u64::from(FLASH_SIZE)),
        _ => return None,
    };
    Some((start, u64::from(start) + len))
}

fn touches_bootloader(host_bytes: &[u8]) -> Option<String> {
    split_host_bytes(host_bytes)
        .into_iter()
        .find_map(|piece| match piece {
            HostPiece::Long { op, payload } => {
                let (start, end) = reach(op, &payload)?;
                let hits = start < BOOTLOADER_END || end > u64::from(FLASH_SIZE);
                hits.then(|| format!("op 0x{op:02X} reaching 0x{start:X}..0x{end:X}"))
            }
            _ => None,
        })
}

fn run(config: SimConfig, job: &Job) {
    let mut f = flasher(config, Options::default());
    block_on(f.connect(&mut NoProgress)).expect("connect");
    f.transport_mut().transcript_mut().clear();
    f.transport_mut().sim_mut().watch_flash(0..BOOTLOADER_END);
    let _refused_or_done = block_on(async {
        match job {
            Job::Execute(plan) => f.execute(plan, &mut NoProgress).await.map(|_| ()),
            Job::Write(regions) => f
                .write(regions, &WriteOptions::default(), &mut NoProgress)
                .await
                .map(|_| ()),
            Job::Erase(start, len) => f
                .erase(*start..start.saturating_add(*len), &mut NoProgress)
                .await
                .map(|_| ()),
        }
    });
    let sent = f.transport().transcript().host_bytes();
    if let Some(frame) = touches_bootloader(&sent) {
        panic!("{frame} sent for {job:?}");
    }
    assert_eq!(f.transport().sim().flash_changes(), [], "{job:?}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn no_frame_reaches_the_bootloader_of_a_legacy_chip(job in job()) {
        run(SimConfig::bk7231t(), &job);
    }

    #[test]
    fn no_frame_reaches_the_bootloader_of_a_rom_chip_without_the_override(job in job()) {
        run(SimConfig::bk7231n(), &job);
    }
}

#[test]
fn the_property_sees_a_frame_into_the_bootloader() {
    let sim = Sim::new(SimConfig::bk7231t());
    let mut port = bkflash_sim::SimTransport::new(sim);
    // A 64 KiB erase at 0x11000 clears 0x10000-0x1FFFF; a 4K write near the end wraps onto 0.
    let erase = [
        0x01, 0xE0, 0xFC, 0xFF, 0xF4, 0x06, 0x00, 0x0F, 0xD8, 0x00, 0x10, 0x01, 0x00,
    ];
    let mut write = vec![0x01, 0xE0, 0xFC, 0xFF, 0xF4, 0x05, 0x10, 0x07];
    write.extend_from_slice(&(FLASH_SIZE - 0x800).to_le_bytes());
    write.extend_from_slice(&[0u8; 0x1000]);
    for frame in [&erase[..], &write[..]] {
        port.transcript_mut().clear();
        block_on(bkflash_core::transport::Transport::write_all(
            &mut port, frame,
        ))
        .unwrap();
        assert!(touches_bootloader(&port.transcript().host_bytes()).is_some());
    }
}
