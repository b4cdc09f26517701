//! The bootloader region below 0x11000 on both classes: a hand-made plan cannot reach it, a change a
//! line fault made during a job is put back from the copy and reported, a failed repair blocks reboot.

mod flasher_support;

use std::time::Duration;

use bkflash_core::error::{Error, ErrorKind};
use bkflash_core::flasher::{FlashReport, Flasher, Options, SectorState, WriteOptions};
use bkflash_core::plan::{Erase, Plan, Region, SectorJob};
use bkflash_core::progress::NoProgress;
use bkflash_core::transport::Transport;
use bkflash_sim::frames::{HostPiece, split_host_bytes};
use bkflash_sim::{
    AddressChange, ChipClass, CommandKind, CommandMatch, Fault, SimConfig, SimTransport, When,
};
use flasher_support::{Recorder, block_on, class_name, flasher, image, presets};

const BOOT_END: u32 = 0x11000;
const FLASH_SIZE: u32 = 0x20_0000;
const WRITE_4K: CommandKind = CommandKind::Long(0x07);
const ERASE: CommandKind = CommandKind::Long(0x0F);

/// (op, address as sent) of every erase and write the host sent.
fn changes_sent(port: &SimTransport) -> Vec<(u8, u32)> {
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

fn boot(f: &Flasher<SimTransport>) -> Vec<u8> {
    f.transport().sim().flash().bytes()[..BOOT_END as usize].to_vec()
}

/// The preset with old content where the jobs below write, so they erase before writing.
fn with_old_content(config: SimConfig) -> SimConfig {
    let mut flash = bkflash_sim::Sim::new(config.clone())
        .flash()
        .bytes()
        .to_vec();
    flash[0x40000..0x50000].copy_from_slice(&image(1, 0x10000));
    config.with_flash_image(flash)
}

fn connected(config: SimConfig) -> Flasher<SimTransport> {
    let mut f = flasher(config, Options::default());
    block_on(f.connect(&mut NoProgress)).expect("connect");
    f.transport_mut().transcript_mut().clear();
    f
}

fn job(addr: u32) -> SectorJob {
    SectorJob {
        addr,
        data: image(u64::from(addr), 0x1000),
        partial: false,
        skip: None,
        erase: true,
    }
}

#[test]
fn a_hand_made_plan_is_refused_before_anything_is_sent() {
    let cases: [(&str, Plan, ErrorKind); 4] = [
        (
            "an unaligned 64 KiB erase at 0x11000 (the flash would clear 0x10000-0x1FFFF)",
            Plan {
                erases: vec![Erase::Block(0x11000)],
                sectors: (0x11000..0x21000).step_by(0x1000).map(job).collect(),
            },
            ErrorKind::Unaligned,
        ),
        (
            "a sector below 0x11000",
            Plan {
                erases: vec![Erase::Sector(0x10000)],
                sectors: vec![job(0x10000)],
            },
            ErrorKind::BootloaderRefused,
        ),
        (
            "a sector job between sectors",
            Plan {
                erases: vec![Erase::Sector(0x20000)],
                sectors: vec![SectorJob {
                    erase: false,
                    ..job(0x20800)
                }],
            },
            ErrorKind::Unaligned,
        ),
        (
            "a sector past the flash end (it would wrap onto 0)",
            Plan {
                erases: vec![Erase::Sector(FLASH_SIZE)],
                sectors: vec![job(FLASH_SIZE)],
            },
            ErrorKind::BeyondFlash,
        ),
    ];
    for config in presets() {
        for (what, plan, kind) in &cases {
            let mut f = connected(config.clone());
            let before = f.transport().sim().flash().bytes().to_vec();
            let err = block_on(f.execute(plan, &mut NoProgress)).unwrap_err();
            assert_eq!(err.kind, *kind, "{} {what}: {err}", class_name(&config));
            assert_eq!(
                changes_sent(f.transport()),
                [],
                "{} {what}",
                class_name(&config)
            );
            assert!(f.transport().sim().flash().bytes() == before.as_slice());
        }
    }
}

/// A write (or erase) job on a chip whose next `kind` frame arrives with `to` as its address.
fn job_with_redirect(
    config: &SimConfig,
    erase_job: bool,
    kind: CommandKind,
    to: u32,
) -> (Flasher<SimTransport>, Result<FlashReport, Error>, Recorder) {
    let mut f = connected(config.clone());
    let next = f.transport().sim().commands_of(kind) + 2;
    f.transport_mut().sim_mut().add_fault(Fault::FrameAddress {
        command: CommandMatch::of(kind, next),
        change: AddressChange::To(to),
    });
    let mut rec = Recorder::default();
    let result = if erase_job {
        block_on(f.erase(0x40000..0x44000, &mut rec))
    } else {
        let region = Region {
            offset: 0x40000,
            data: image(5, 0x4000),
        };
        block_on(f.write(&[region], &WriteOptions::default(), &mut rec))
    };
    (f, result, rec)
}

#[test]
fn a_bootloader_sector_a_line_fault_changed_is_put_back_and_reported() {
    for config in presets().map(with_old_content) {
        let legacy = config.class == ChipClass::Legacy;
        // The address a shifted frame reads: on the legacy class a raw address above the handler's
        // 0x2000 limit that wraps onto 0x3000, on the ROM class 0x3000 itself.
        let to = if legacy { 0x0120_3000 } else { 0x3000 };
        for (erase_job, kind) in [(false, WRITE_4K), (false, ERASE), (true, ERASE)] {
            let what = format!("{} erase job {erase_job} {kind:?}", class_name(&config));
            let before = boot(&connected(config.clone()));
            let (f, result, rec) = job_with_redirect(&config, erase_job, kind, to);
            let err = result.expect_err(&what);
            assert_eq!(err.kind, ErrorKind::BootloaderRepaired, "{what}: {err}");
            assert!(boot(&f) == before, "{what}: the bootloader is as before");
            let report = err.flash.clone().expect("a flash report");
            assert_eq!(report.state(0x3000), SectorState::Repaired, "{what}");
            assert!(rec.has("putting it back"), "{what}: {:?}", rec.lines);
            let text = err.render();
            assert!(
                text.contains(ErrorKind::BootloaderRepaired.info().cause)
                    && text.contains("0x003000..0x004000 changed by a line fault, put back"),
                "{what}: {text}"
            );
            // Legacy: through the mirror, as the peers' bootloader bypass, and always erased first
            // (only an erase lifts the re-protect of the CRCs); ROM: directly.
            let repair_at = if legacy { FLASH_SIZE + 0x3000 } else { 0x3000 };
            let sent = changes_sent(f.transport());
            assert!(
                sent.contains(&(0x07, repair_at)) && (!legacy || sent.contains(&(0x0F, repair_at))),
                "{what}: {sent:X?}"
            );
        }
    }
}

/// Changes the bootloader region behind the flasher's back when the `nth` 4K write goes out: a
/// change whose reply never reached the host, so only the watch can see it.
struct ChangeBehindTheBack {
    port: SimTransport,
    /// 4K writes still to go before the change; `None` once it happened.
    writes_left: Option<usize>,
}

impl Transport for ChangeBehindTheBack {
    type Error = <SimTransport as Transport>::Error;

    async fn write_all(&mut self, data: &[u8]) -> Result<(), Self::Error> {
        self.port.write_all(data).await?;
        if data.get(7) == Some(&0x07) && data.len() > 4000 {
            self.writes_left = self.writes_left.and_then(|n| n.checked_sub(1));
            if self.writes_left == Some(0) {
                self.port.sim_mut().flash_mut().bytes_mut()[0x5000..0x5100].fill(0);
                self.writes_left = None;
            }
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<(), Self::Error> {
        self.port.flush().await
    }

    async fn read(&mut self, buf: &mut [u8], timeout: Duration) -> Result<usize, Self::Error> {
        self.port.read(buf, timeout).await
    }

    async fn discard_input(&mut self) -> Result<(), Self::Error> {
        self.port.discard_input().await
    }

    async fn set_baud(&mut self, baud: u32) -> Result<(), Self::Error> {
        self.port.set_baud(baud).await
    }

    async fn set_signals(&mut self, dtr: bool, rts: bool) -> Result<(), Self::Error> {
        self.port.set_signals(dtr, rts).await
    }

    async fn sleep(&mut self, duration: Duration) {
        self.port.sleep(duration).await
    }

    fn now(&self) -> Duration {
        self.port.now()
    }
}

#[test]
fn a_write_whose_every_sector_verified_is_not_a_success_if_the_bootloader_changed() {
    for config in presets() {
        let port = ChangeBehindTheBack {
            port: SimTransport::new(bkflash_sim::Sim::new(config.clone())),
            writes_left: Some(2),
        };
        let mut f = Flasher::new(port, Options::default());
        let before = f.transport().port.sim().flash().bytes()[..BOOT_END as usize].to_vec();
        let region = Region {
            offset: 0x40000,
            data: image(6, 0x4000),
        };
        let err = block_on(f.write(&[region], &WriteOptions::default(), &mut NoProgress))
            .expect_err("not \"written and verified\"");
        assert_eq!(err.kind, ErrorKind::BootloaderRepaired, "{err}");
        let report = err.flash.clone().expect("a flash report");
        assert_eq!(report.count(SectorState::Written), 4, "{}", err.render());
        assert_eq!(report.state(0x5000), SectorState::Repaired);
        assert!(
            err.render()
                .contains("the job's own sectors were written and checked"),
            "{}",
            err.render()
        );
        let flash = f.transport().port.sim().flash().bytes();
        assert!(
            flash[..BOOT_END as usize] == before[..],
            "{}",
            class_name(&config)
        );
    }
}

#[test]
fn a_failed_repair_keeps_the_chip_in_download_mode_and_says_what_to_do() {
    let config = SimConfig::bk7231t();
    // A dry run finds which erase is the repair's: the last one sent.
    let (dry, _, _) = job_with_redirect(&config, false, WRITE_4K, 0x0120_3000);
    let repair_erase = dry.transport().sim().commands_of(ERASE);
    let options = Options {
        link_window: Duration::from_secs(2),
        ..Options::default()
    };
    let mut f = flasher(config.clone(), options);
    block_on(f.connect(&mut NoProgress)).expect("connect");
    let copy_expected = boot(&f);
    let next_write = f.transport().sim().commands_of(WRITE_4K) + 2;
    let sim = f.transport_mut().sim_mut();
    sim.add_fault(Fault::FrameAddress {
        command: CommandMatch::of(WRITE_4K, next_write),
        change: AddressChange::To(0x0120_3000),
    });
    // The chip goes deaf at the repair's erase, the first frame below 0x11000 the host sends.
    sim.add_fault(Fault::Stall {
        when: When::Command(CommandMatch::of(ERASE, repair_erase)),
        duration: None,
    });
    let region = Region {
        offset: 0x40000,
        data: image(5, 0x4000),
    };
    let err = block_on(f.write(&[region], &WriteOptions::default(), &mut NoProgress)).unwrap_err();
    assert_eq!(err.kind, ErrorKind::BootloaderDamaged, "{}", err.render());
    let text = err.render();
    for words in ["Keep the chip powered", "do not reboot", "over SPI"] {
        assert!(text.contains(words), "{words}: {text}");
    }
    assert_eq!(
        err.flash.as_ref().map(|r| r.state(0x3000)),
        Some(SectorState::Unknown)
    );
    assert_eq!(
        f.bootloader_copy(),
        Some(copy_expected.as_slice()),
        "the copy is kept for the user"
    );
    f.transport_mut().transcript_mut().clear();
    let refused = block_on(f.reboot(&mut NoProgress)).unwrap_err();
    assert_eq!(refused.kind, ErrorKind::BootloaderDamaged, "{refused}");
    let rebooted = split_host_bytes(&f.transport().transcript().host_bytes())
        .into_iter()
        .any(|piece| matches!(piece, HostPiece::Short { code: 0x0E, .. }));
    assert!(!rebooted, "no Reboot frame while the bootloader is damaged");
}

#[test]
fn reboot_checks_the_bootloader_after_a_job_and_repairs_instead_of_rebooting() {
    for config in presets() {
        let mut f = connected(config.clone());
        let region = Region {
            offset: 0x40000,
            data: image(7, 0x2000),
        };
        block_on(f.write(&[region], &WriteOptions::default(), &mut NoProgress)).expect("write");
        let before = boot(&f);
        f.transport_mut().sim_mut().flash_mut().bytes_mut()[0x7000] ^= 0xFF;
        f.transport_mut().transcript_mut().clear();
        let err = block_on(f.reboot(&mut NoProgress)).unwrap_err();
        assert_eq!(err.kind, ErrorKind::BootloaderRepaired, "{err}");
        assert!(boot(&f) == before);
        block_on(f.reboot(&mut NoProgress)).expect("the second reboot goes ahead");
        let reboots = split_host_bytes(&f.transport().transcript().host_bytes())
            .into_iter()
            .filter(|piece| matches!(piece, HostPiece::Short { code: 0x0E, .. }))
            .count();
        assert_eq!(
            reboots,
            2,
            "{}: only the second reboot sent",
            class_name(&config)
        );
    }
}

#[test]
fn a_backup_read_before_a_write_spares_reading_the_bootloader_again() {
    for config in presets() {
        let mut f = connected(config.clone());
        block_on(f.read(0..FLASH_SIZE, &mut NoProgress)).expect("backup");
        f.transport_mut().transcript_mut().clear();
        let region = Region {
            offset: 0x40000,
            data: image(8, 0x1000),
        };
        block_on(f.write(&[region], &WriteOptions::default(), &mut NoProgress)).expect("write");
        let reads = split_host_bytes(&f.transport().transcript().host_bytes())
            .into_iter()
            .filter(|piece| matches!(piece, HostPiece::Long { op: 0x09, .. }))
            .count();
        assert_eq!(reads, 0, "{}", class_name(&config));
    }
}

#[test]
fn a_rom_class_job_allowed_to_write_the_bootloader_is_not_undone() {
    let options = Options {
        allow_bootloader: true,
        ..Options::default()
    };
    let mut f = flasher(SimConfig::bk7231n(), options);
    let data = image(9, 0x2000);
    let region = Region {
        offset: 0,
        data: data.clone(),
    };
    let report =
        block_on(f.write(&[region], &WriteOptions::default(), &mut NoProgress)).expect("write");
    assert_eq!(report.count(SectorState::Written), 2);
    assert!(f.transport().sim().flash().bytes()[..0x2000] == data[..]);
}

#[test]
fn a_write_the_chip_already_holds_costs_no_bootloader_check() {
    for config in presets() {
        let data = image(10, 0x3000);
        let mut flash = bkflash_sim::Sim::new(config.clone())
            .flash()
            .bytes()
            .to_vec();
        flash[0x40000..0x43000].copy_from_slice(&data);
        let mut f = connected(config.clone().with_flash_image(flash));
        let region = Region {
            offset: 0x40000,
            data,
        };
        block_on(f.write(&[region], &WriteOptions::default(), &mut NoProgress)).expect("write");
        // Reads, or CRCs from 0 (the mirror on the legacy class): the region's check.
        let from_zero = |payload: &[u8]| {
            payload[..4] == 0u32.to_le_bytes() || payload[..4] == FLASH_SIZE.to_le_bytes()
        };
        let pieces = split_host_bytes(&f.transport().transcript().host_bytes());
        let touched_bootloader = pieces.iter().any(|piece| match piece {
            HostPiece::Long { op: 0x09, .. } => true,
            HostPiece::Short {
                code: 0x10,
                payload,
            } => from_zero(payload),
            _ => false,
        });
        assert!(!touched_bootloader, "{}: {pieces:?}", class_name(&config));
    }
}
