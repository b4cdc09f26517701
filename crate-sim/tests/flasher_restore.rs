//! Restoring a full-flash backup on both classes: everything from 0x11000 comes back, the bootloader
//! stays (unless allowed on ROM class), matching sectors are not touched, and a whole-range CRC closes it.

mod flasher_support;

use bkflash_core::error::ErrorKind;
use bkflash_core::flasher::{Flasher, Options, SectorState};
use bkflash_core::progress::NoProgress;
use bkflash_sim::frames::{HostPiece, split_host_bytes};
use bkflash_sim::{ByteFault, Fault, Sim, SimConfig, SimTransport};
use flasher_support::{Recorder, block_on, image};

const BOOT_END: usize = 0x11000;
/// Sectors in which the backup differs from the chip: one in the bootloader, the first and the last
/// writable ones, and one inside a 64 KiB block.
const CHANGED: [usize; 4] = [0x1000, 0x11000, 0x94000, 0x1FF000];

/// A chip with random content and a backup of it in which the `CHANGED` sectors differ.
fn chip_and_backup(config: SimConfig, options: Options) -> (Flasher<SimTransport>, Vec<u8>) {
    let mut flash = Sim::new(config.clone()).flash().bytes().to_vec();
    let size = flash.len();
    flash[BOOT_END..].copy_from_slice(&image(8, size - BOOT_END));
    let mut backup = flash.clone();
    for (i, &at) in CHANGED.iter().enumerate() {
        backup[at..at + 0x1000].copy_from_slice(&image(100 + i as u64, 0x1000));
    }
    let sim = Sim::new(config.with_flash_image(flash));
    (Flasher::new(SimTransport::new(sim), options), backup)
}

/// (op, address) of every erase and write the host sent.
fn modifications(port: &SimTransport) -> Vec<(u8, u32)> {
    split_host_bytes(&port.transcript().host_bytes())
        .into_iter()
        .filter_map(|piece| match piece {
            HostPiece::Long {
                op: op @ (0x06 | 0x07),
                payload,
            } => Some((op, u32::from_le_bytes(payload[..4].try_into().ok()?))),
            HostPiece::Long { op: 0x0F, payload } => {
                Some((0x0F, u32::from_le_bytes(payload[1..5].try_into().ok()?)))
            }
            _ => None,
        })
        .collect()
}

/// Whether the host sent a CheckCRC over exactly `[start, end)`.
fn whole_range_crc_sent(port: &SimTransport, start: u32, end: u32) -> bool {
    let mut wanted = start.to_le_bytes().to_vec();
    wanted.extend_from_slice(&(end - 1).to_le_bytes());
    split_host_bytes(&port.transcript().host_bytes())
        .into_iter()
        .any(|piece| matches!(piece, HostPiece::Short { code: 0x10, payload } if payload == wanted))
}

fn restore_keeps_bootloader(config: SimConfig) {
    let options = Options {
        allow_bootloader: true,
        ..Options::default()
    };
    let (mut f, backup) = chip_and_backup(config.clone(), options);
    let boot_before = f.transport().sim().flash().bytes()[..BOOT_END].to_vec();
    let report = block_on(f.restore(&backup, &mut NoProgress)).expect("restore");
    let flash = f.transport().sim().flash().bytes();
    let class = config.class;
    assert!(
        flash[BOOT_END..] == backup[BOOT_END..],
        "{class:?}: restored from 0x11000"
    );
    assert!(
        flash[..BOOT_END] == boot_before[..],
        "{class:?}: bootloader kept"
    );
    assert_eq!(report.count(SectorState::Unknown), 0);
    let touched: Vec<u32> = modifications(f.transport())
        .iter()
        .map(|m| m.1 & !0xFFF)
        .collect();
    let changed: Vec<u32> = CHANGED[1..].iter().map(|&a| a as u32).collect();
    assert!(
        touched.iter().all(|a| changed.contains(a)) && changed.iter().all(|a| touched.contains(a)),
        "{class:?}: only the differing sectors are erased and written: {touched:X?}"
    );
    assert!(whole_range_crc_sent(
        f.transport(),
        0x11000,
        flash.len() as u32
    ));
}

#[test]
fn legacy_restore_never_touches_the_bootloader_even_when_allowed() {
    restore_keeps_bootloader(SimConfig::bk7231t());
}

#[test]
fn rom_restore_keeps_the_bootloader_by_default() {
    let (mut f, backup) = chip_and_backup(SimConfig::bk7231n(), Options::default());
    let boot_before = f.transport().sim().flash().bytes()[..BOOT_END].to_vec();
    block_on(f.restore(&backup, &mut NoProgress)).expect("restore");
    let flash = f.transport().sim().flash().bytes();
    assert!(flash[BOOT_END..] == backup[BOOT_END..]);
    assert!(flash[..BOOT_END] == boot_before[..]);
}

#[test]
fn rom_restore_with_the_override_restores_the_bootloader_too() {
    let options = Options {
        allow_bootloader: true,
        ..Options::default()
    };
    let (mut f, backup) = chip_and_backup(SimConfig::bk7231n(), options);
    block_on(f.restore(&backup, &mut NoProgress)).expect("restore");
    assert!(f.transport().sim().flash().bytes() == backup.as_slice());
    let touched: Vec<u32> = modifications(f.transport())
        .iter()
        .map(|m| m.1 & !0xFFF)
        .collect();
    assert!(touched.contains(&0x1000), "{touched:X?}");
    assert!(whole_range_crc_sent(f.transport(), 0, backup.len() as u32));
}

#[test]
fn a_backup_of_another_size_is_refused_before_any_change() {
    for config in [SimConfig::bk7231n(), SimConfig::bk7231t()] {
        let (mut f, backup) = chip_and_backup(config, Options::default());
        let before = f.transport().sim().flash().bytes().to_vec();
        let err = block_on(f.restore(&backup[..0x10_0000], &mut NoProgress)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::BackupSizeMismatch, "{err}");
        assert!(f.transport().sim().flash().bytes() == before.as_slice());
        assert!(modifications(f.transport()).is_empty());
    }
}

/// Byte positions (1-based) of the CRC value in the final reply and in `extra` re-asked replies,
/// measured on a fault-free run of the same restore.
fn final_crc_value_bytes(extra: u64) -> Vec<u64> {
    let (mut f, backup) = chip_and_backup(SimConfig::bk7231n(), Options::default());
    block_on(f.restore(&backup, &mut NoProgress)).expect("restore");
    let total = f.transport().sim().chip_bytes_sent();
    // A CheckCRC reply is 11 bytes, the CRC value its last 4; a re-ask's reply follows at once.
    (0..=extra).map(|k| total - 3 + 11 * k).collect()
}

fn restore_with_corrupted_crc_replies(
    positions: &[u64],
) -> (
    Result<bkflash_core::flasher::FlashReport, bkflash_core::error::Error>,
    Recorder,
) {
    let (mut f, backup) = chip_and_backup(SimConfig::bk7231n(), Options::default());
    for &nth in positions {
        f.transport_mut().sim_mut().add_fault(Fault::ChipByte {
            nth,
            fault: ByteFault::Corrupt,
        });
    }
    let mut rec = Recorder::default();
    let result = block_on(f.restore(&backup, &mut rec));
    (result, rec)
}

#[test]
fn a_corrupted_whole_range_crc_reply_is_asked_again() {
    let (result, rec) = restore_with_corrupted_crc_replies(&final_crc_value_bytes(0));
    result.expect("the second answer matches");
    assert!(
        rec.has("Retry { command: CheckCrc"),
        "{:?}",
        rec.lines.last()
    );
}

#[test]
fn a_whole_range_crc_that_keeps_differing_fails_with_the_flash_state() {
    let retries = u64::from(Options::default().retries);
    let (result, _) = restore_with_corrupted_crc_replies(&final_crc_value_bytes(retries));
    let err = result.expect_err("every answer differs");
    assert_eq!(err.kind, ErrorKind::CrcMismatch, "{err}");
    assert_eq!(err.address, Some(0x11000));
    let report = err.flash.expect("the per-sector states");
    assert_eq!(
        report.count(SectorState::Written),
        3,
        "the three differing sectors were verified"
    );
}
