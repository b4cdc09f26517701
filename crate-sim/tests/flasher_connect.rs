//! End-to-end: link and identify both chip classes on the simulator, golden transcripts of the
//! exact command sequence, wiring and reset paths, and the link observer's diagnosis.

mod flasher_support;

use bkflash_core::chips::{ChipFamily, ProtocolClass};
use bkflash_core::flasher::{Options, Protection};
use bkflash_core::transport::Transport;
use bkflash_sim::SimConfig;
use flasher_support::{Recorder, block_on, flasher, golden};
use std::time::Duration;

#[test]
fn rom_class_link_and_identify() {
    let mut f = flasher(SimConfig::bk7231n(), Options::default());
    let mut rec = Recorder::default();
    let info = block_on(f.connect(&mut rec)).expect("connect");
    assert_eq!(info.class, ProtocolClass::Rom);
    assert_eq!(info.family, Some(ChipFamily::Bk7231N));
    assert_eq!(info.chip_id, Some(0x7231C));
    assert_eq!(info.jedec, Some([0xEB, 0x60, 0x15]));
    assert_eq!(info.flash.map(|f| f.part), Some("TH25Q16HB"));
    assert_eq!(info.flash_size, 0x20_0000);
    assert_eq!(info.protection, Protection::Protected { sr: 0x1C });
    assert_eq!(
        info.bootloader.map(|b| b.name),
        Some("bl_bk7231n_1.0.1_34B7")
    );
    golden("connect_rom", &f.transport().transcript().render());
}

#[test]
fn legacy_class_link_and_identify() {
    let mut f = flasher(SimConfig::bk7231t(), Options::default());
    let mut rec = Recorder::default();
    let info = block_on(f.connect(&mut rec)).expect("connect");
    assert_eq!(info.class, ProtocolClass::Legacy);
    assert_eq!(info.family, Some(ChipFamily::Bk7231T));
    assert_eq!(info.boot_version.as_deref(), Some("BK7231S_1.0.5"));
    assert_eq!(info.chip_id, None);
    assert_eq!(info.flash_size, 0x20_0000);
    assert_eq!(info.protection, Protection::ManagedByBootloader);
    golden("connect_legacy", &f.transport().transcript().render());
}

#[test]
fn reboot_sends_two_reboot_frames_and_leaves_download_mode() {
    for config in [SimConfig::bk7231n(), SimConfig::bk7231t()] {
        let mut f = flasher(config, Options::default());
        block_on(f.connect(&mut Recorder::default())).expect("connect");
        f.transport_mut().transcript_mut().clear();
        block_on(f.reboot(&mut Recorder::default())).expect("reboot");
        assert_eq!(
            f.transport().transcript().render(),
            "Reboot A5 (repeated)\n"
        );
        assert!(f.chip().is_none(), "the session is over");
        let mut buf = [0u8; 256];
        while block_on(f.transport_mut().read(&mut buf, Duration::from_secs(1))).expect("read") > 0
        {
        }
        assert_ne!(f.transport().sim().mode(), bkflash_sim::ChipMode::Download);
    }
}
