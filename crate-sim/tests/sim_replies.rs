//! Byte-exact replies to the frames peers send first (docs/protocol.md §11.3), on both chip classes.

mod sim_support;

use bkflash_sim::{Sim, SimConfig, SimTransport};
use sim_support::*;

fn rom() -> SimTransport {
    SimTransport::new(Sim::new(SimConfig::bk7231n()))
}

fn legacy() -> SimTransport {
    SimTransport::new(Sim::new(SimConfig::bk7231t()))
}

#[test]
fn link_check_answers_with_code_one_even_in_a_burst() {
    let mut port = rom();
    let two = [LINK_CHECK, LINK_CHECK].concat();
    assert_eq!(exchange(&mut port, &two), [LINK_REPLY, LINK_REPLY].concat());
    let mut port = legacy();
    assert_eq!(exchange(&mut port, &LINK_CHECK), LINK_REPLY);
}

#[test]
fn bootloader_fingerprints_match_known_entries() {
    let mut port = rom();
    let request = [
        0x01, 0xE0, 0xFC, 0x09, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00,
    ];
    assert_eq!(
        exchange(&mut port, &request),
        [
            0x04, 0x0E, 0x08, 0x01, 0xE0, 0xFC, 0x10, 0x45, 0x6E, 0xBE, 0x1E
        ]
    );
    let mut port = legacy();
    assert_eq!(
        exchange(&mut port, &request),
        [
            0x04, 0x0E, 0x08, 0x01, 0xE0, 0xFC, 0x10, 0x47, 0x3E, 0xAB, 0x45
        ]
    );
}

#[test]
fn chip_id_register() {
    let mut port = rom();
    let reply = exchange(
        &mut port,
        &[0x01, 0xE0, 0xFC, 0x05, 0x03, 0x00, 0x00, 0x80, 0x00],
    );
    assert_eq!(
        reply,
        [
            0x04, 0x0E, 0x0C, 0x01, 0xE0, 0xFC, 0x03, 0x00, 0x00, 0x80, 0x00, 0x1C, 0x23, 0x07,
            0x00
        ]
    );
}

#[test]
fn flash_get_mid_has_junk_byte_and_n_six() {
    let mut port = rom();
    let reply = exchange(
        &mut port,
        &[
            0x01, 0xE0, 0xFC, 0xFF, 0xF4, 0x05, 0x00, 0x0E, 0x9F, 0x00, 0x00, 0x00,
        ],
    );
    assert_eq!(
        reply,
        [
            0x04, 0x0E, 0xFF, 0x01, 0xE0, 0xFC, 0xF4, 0x06, 0x00, 0x0E, 0x00, 0x00, 0xEB, 0x60,
            0x15
        ]
    );
}

#[test]
fn efuse_bytes_read_through_ctrl_and_optr() {
    let mut port = rom();
    let key: [u8; 4] = [0x93, 0xB0, 0x0F, 0x51];
    for (i, expected) in key.iter().enumerate() {
        let ctrl = ((i as u32) << 8) | 1;
        let write = [&0x0080_0074u32.to_le_bytes()[..], &ctrl.to_le_bytes()].concat();
        let echo = exchange(&mut port, &short(0x01, &write));
        assert_eq!(echo[7..], write[..], "WriteReg echoes address and value");
        let optr = exchange(&mut port, &short(0x03, &0x0080_0078u32.to_le_bytes()));
        let value = u32::from_le_bytes([optr[11], optr[12], optr[13], optr[14]]);
        assert_eq!(
            value,
            0x100 | u32::from(*expected),
            "byte {i}: bit 8 valid plus the key byte"
        );
    }
}

#[test]
fn read_boot_version_only_on_tuya_legacy() {
    let mut port = legacy();
    let mut expected = vec![0x04, 0x0E, 0x14, 0x01, 0xE0, 0xFC, 0x11];
    expected.extend_from_slice(b"BK7231S_1.0.5\0\0\0");
    assert_eq!(exchange(&mut port, &short(0x11, &[])), expected);
    let mut port = rom();
    assert_eq!(
        exchange(&mut port, &short(0x11, &[])),
        [0x04, 0x0E, 0x05, 0x01, 0xE0, 0xFC, 0x11, 0x07]
    );
}

#[test]
fn unknown_commands_rom_answers_seven_legacy_stays_silent() {
    let mut port = rom();
    assert_eq!(
        exchange(&mut port, &short(0x42, &[1, 2])),
        [0x04, 0x0E, 0x05, 0x01, 0xE0, 0xFC, 0x42, 0x07]
    );
    let reply = exchange(&mut port, &long(0x33, &[0]));
    assert_eq!(long_reply(&reply), (2, 0x33, 7, &[][..]));
    let mut port = legacy();
    assert!(exchange(&mut port, &short(0x42, &[1, 2])).is_empty());
    assert!(
        exchange(&mut port, &short(0x03, &0x0080_0000u32.to_le_bytes())).is_empty(),
        "no ReadReg on legacy"
    );
    assert!(
        exchange(&mut port, &long(0x0E, &[0x9F, 0, 0, 0])).is_empty(),
        "no raw SPI on legacy"
    );
    assert!(
        exchange(&mut port, &long(0x0C, &[0x05])).is_empty(),
        "no SR access on legacy"
    );
}

#[test]
fn stay_rom_echoes() {
    let mut port = rom();
    assert_eq!(
        exchange(&mut port, &short(0xAA, &[0x55])),
        [0x04, 0x0E, 0x05, 0x01, 0xE0, 0xFC, 0xAA, 0x55]
    );
}

#[test]
fn read4k_reply_is_4111_bytes_with_flash_data() {
    let mut port = rom();
    let reply = exchange(&mut port, &read4k_cmd(0x100));
    assert_eq!(reply.len(), 4111);
    let (n, op, status, body) = long_reply(&reply);
    assert_eq!((n, op, status), (0x1006, 0x09, 0));
    assert_eq!(body[..4], 0x100u32.to_le_bytes());
    assert_eq!(body[4..], port.sim().flash().bytes()[0x100..0x1100]);
}

#[test]
fn reboot_and_resets_never_reply() {
    for request in [short(0x0E, &[0xA5]), short(0x70, b"SEAN")] {
        let mut port = rom();
        let heard = exchange(&mut port, &request);
        assert!(
            !heard.windows(2).any(|w| w == [0x04, 0x0E]),
            "no reply frame to {request:02X?}"
        );
    }
}
