//! Status-register unprotect against the field's odd parts: the BK7238 + Puya lock of bk7231tools
//! PR #29, the busy time after a write, a locked register, disputed register widths, unknown parts.

mod flasher_support;

use core::time::Duration;

use bkflash_core::error::ErrorKind;
use bkflash_core::flasher::{Options, WorkBaud, WriteOptions};
use bkflash_core::plan::Region;
use bkflash_sim::{
    Entry, HostEvent, PR29_LOCKED_STATUS, SimConfig, SimTransport, StatusModel, TwoByteWrite,
};
use flasher_support::{Recorder, block_on, flasher, image};

const WRITE_AT: u32 = 0x40000;

fn write_one_sector(
    f: &mut bkflash_core::flasher::Flasher<SimTransport>,
    rec: &mut Recorder,
) -> Result<Vec<u8>, bkflash_core::error::Error> {
    let data = image(21, 0x1000);
    block_on(f.write(
        &[Region {
            offset: WRITE_AT,
            data: data.clone(),
        }],
        &WriteOptions::default(),
        rec,
    ))
    .map(|_| data)
}

/// The status writes the host sent (op 0x0D): SPI opcode and value bytes, with their times.
fn status_writes(entries: &[Entry]) -> Vec<(Duration, Vec<u8>)> {
    entries
        .iter()
        .filter_map(|e| match &e.event {
            HostEvent::Write(bytes) if bytes.len() > 8 && bytes[3] == 0xFF && bytes[7] == 0x0D => {
                Some((e.at, bytes[8..].to_vec()))
            }
            _ => None,
        })
        .collect()
}

fn model(registers: u8, two_byte_write: TwoByteWrite, write_ms: u64) -> StatusModel {
    StatusModel {
        registers,
        two_byte_write,
        write_time: Duration::from_millis(write_ms),
    }
}

#[test]
fn the_bk7238_puya_part_is_unprotected_one_register_at_a_time() {
    let mut f = flasher(SimConfig::bk7238(), Options::default());
    let mut rec = Recorder::default();
    let data = write_one_sector(&mut f, &mut rec).expect("write");
    let flash = f.transport().sim().flash();
    assert_eq!(flash.status() & 0xFFFF, 0, "BP and CMP cleared, no SRP");
    assert_eq!(&flash.bytes()[WRITE_AT as usize..][..0x1000], &data[..]);
    let writes = status_writes(f.transport().transcript().entries());
    assert_eq!(
        writes.iter().map(|(_, w)| w.clone()).collect::<Vec<_>>(),
        [vec![0x01, 0x00], vec![0x31, 0x00]],
        "SR1 through 01 with one byte, then SR2 through 31"
    );
}

#[test]
fn a_read_back_waits_for_the_busy_bit() {
    // The BK7238 preset holds WIP for the worst-case tW of 30 ms: a read-back before that shows
    // the old protect bits, and a write in that time is ignored.
    let mut f = flasher(SimConfig::bk7238(), Options::default());
    let mut rec = Recorder::default();
    write_one_sector(&mut f, &mut rec).expect("write");
    assert_eq!(
        status_writes(f.transport().transcript().entries()).len(),
        2,
        "one write per register: none was wasted inside tW"
    );
}

#[test]
fn srp_bits_that_appear_stop_the_unprotect_at_once() {
    // A part with no separate SR2 opcode gets the two-byte write; here it locks as in PR #29.
    let config = SimConfig::bk7231n()
        .with_status_register(0x4004)
        .with_status_model(model(2, TwoByteWrite::Locks, 0));
    let mut f = flasher(config, Options::default());
    let mut rec = Recorder::default();
    let err = write_one_sector(&mut f, &mut rec).unwrap_err();
    assert_eq!(err.kind, ErrorKind::StatusRegisterLocked, "{err}");
    let text = err.render();
    assert!(
        text.contains("TH TH25Q16HB")
            && text.contains("status 0x4004")
            && text.contains(&format!("read back 0x{PR29_LOCKED_STATUS:04X}")),
        "{text}"
    );
    assert_eq!(
        status_writes(f.transport().transcript().entries()).len(),
        1,
        "no second write to a locked register"
    );
    assert!(!f.transport().transcript().render().contains("FlashErase"));
}

#[test]
fn a_register_that_ignores_writes_is_retried_10_ms_apart_without_srp_bits() {
    // SRP0 and SRP1 set at power-up: the part takes no status write at all. At 2 Mbaud a write and
    // its read-backs take about 6 ms, so only the pause keeps the writes 10 ms apart.
    let config = SimConfig::bk7231n().with_status_register(0x019C);
    let options = Options {
        baud: WorkBaud::Fixed(2_000_000),
        ..Options::default()
    };
    let mut f = flasher(config, options);
    let mut rec = Recorder::default();
    let err = write_one_sector(&mut f, &mut rec).unwrap_err();
    assert_eq!(err.kind, ErrorKind::UnprotectFailed, "{err}");
    assert!(
        err.render().contains("status 0x019C before"),
        "{}",
        err.render()
    );
    let writes = status_writes(f.transport().transcript().entries());
    assert_eq!(writes.len(), 3);
    for (_, bytes) in &writes {
        let value = u16::from_le_bytes([bytes[1], bytes.get(2).copied().unwrap_or(0)]);
        assert_eq!(value & 0x0180, 0, "SRP bits written: {bytes:02X?}");
    }
    for pair in writes.windows(2) {
        assert!(
            pair[1].0 - pair[0].0 >= Duration::from_millis(10),
            "status writes {:?} apart",
            pair[1].0 - pair[0].0
        );
    }
}

#[test]
fn disputed_width_parts_unprotect_with_either_behaviour() {
    // 1C 41 16 and C8 40 16: two status bytes for Easy Flasher, one for bk7231tools and hid.
    for jedec in [[0x1C, 0x41, 0x16], [0xC8, 0x40, 0x16]] {
        let one_register = [
            model(1, TwoByteWrite::AsAsked, 5),
            model(1, TwoByteWrite::Ignored, 5),
        ];
        for status_model in one_register {
            let config = SimConfig::bk7231n()
                .with_flash_size(0x40_0000)
                .with_jedec_id(jedec)
                .with_status_register(0x1C)
                .with_status_model(status_model);
            let mut f = flasher(config, Options::default());
            let mut rec = Recorder::default();
            write_one_sector(&mut f, &mut rec)
                .unwrap_or_else(|e| panic!("{jedec:02X?} {status_model:?}: {e}"));
            assert_eq!(f.transport().sim().flash().status() & 0xFF, 0);
        }
        let two_registers = SimConfig::bk7231n()
            .with_flash_size(0x40_0000)
            .with_jedec_id(jedec)
            .with_status_register(0x4004)
            .with_status_model(model(2, TwoByteWrite::AsAsked, 5));
        let mut f = flasher(two_registers, Options::default());
        write_one_sector(&mut f, &mut Recorder::default()).expect("two registers");
        assert_eq!(f.transport().sim().flash().status() & 0xFFFF, 0, "CMP too");
    }
}

#[test]
fn an_unknown_part_gets_the_generic_unprotect_and_says_so() {
    let config = SimConfig::bk7231n().with_jedec_id([0x12, 0x34, 0x15]);
    let mut f = flasher(config, Options::default());
    let mut rec = Recorder::default();
    let data = write_one_sector(&mut f, &mut rec).expect("write");
    assert_eq!(f.transport().sim().flash().status() & 0x7C, 0);
    assert_eq!(
        &f.transport().sim().flash().bytes()[WRITE_AT as usize..][..0x1000],
        &data[..]
    );
    assert!(rec.has("generic unprotect"));
    let writes = status_writes(f.transport().transcript().entries());
    assert_eq!(
        writes.iter().map(|(_, w)| w.clone()).collect::<Vec<_>>(),
        [vec![0x01, 0x00]],
        "one byte through 01"
    );
}
