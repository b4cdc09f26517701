//! Flash operations on the ROM class: NOR semantics, status-register protection, address mirroring,
//! op 0x06 count byte, Write4K length check, sized erases, inclusive CRC (docs/protocol.md §2.2, §5.6, §6, §7).

mod sim_support;

use bkflash_core::crc::{chip_crc, chip_crc_of_blank};
use bkflash_sim::{Sim, SimConfig, SimTransport};
use sim_support::*;

const APP: u32 = 0x11000;

/// A ROM-class chip with the flash already unprotected.
fn unprotected() -> SimTransport {
    SimTransport::new(Sim::new(SimConfig::bk7231n().with_status_register(0)))
}

fn erase_sector(port: &mut SimTransport, addr: u32) {
    let reply = exchange(port, &erase_cmd(0x20, addr));
    let (n, op, status, body) = long_reply(&reply);
    assert_eq!((n, op, status), (7, 0x0F, 0));
    assert_eq!(body, [&[0x20][..], &addr.to_le_bytes()].concat());
}

fn crc_of(port: &mut SimTransport, start: u32, len: u32) -> u32 {
    crc_reply(&exchange(port, &crc_cmd(start, start + len - 1)))
}

#[test]
fn write4k_then_read_back_and_crc_inclusive() {
    let mut port = unprotected();
    let data = pattern(4096, 7);
    erase_sector(&mut port, APP);
    assert_eq!(crc_of(&mut port, APP, 4096), chip_crc_of_blank(4096));
    let reply = exchange(&mut port, &write4k_cmd(APP, &data));
    assert_eq!(long_reply(&reply), (6, 0x07, 0, &APP.to_le_bytes()[..]));
    assert_eq!(crc_of(&mut port, APP, 4096), chip_crc(&data));
    let read = exchange(&mut port, &read4k_cmd(APP));
    assert_eq!(long_reply(&read).3[4..], data[..]);
}

#[test]
fn programming_only_clears_bits() {
    let mut port = unprotected();
    erase_sector(&mut port, APP);
    exchange(&mut port, &write4k_cmd(APP, &[0xF0; 4096]));
    exchange(&mut port, &write4k_cmd(APP, &[0x3C; 4096]));
    assert!(
        port.sim().flash().bytes()[APP as usize..APP as usize + 4096]
            .iter()
            .all(|&b| b == 0x30)
    );
    erase_sector(&mut port, APP);
    assert!(
        port.sim().flash().bytes()[APP as usize..APP as usize + 4096]
            .iter()
            .all(|&b| b == 0xFF)
    );
}

#[test]
fn protected_flash_ignores_erase_and_write_but_reports_success() {
    let mut port = SimTransport::new(Sim::new(SimConfig::bk7231n()));
    port.sim_mut().flash_mut().bytes_mut()[APP as usize..APP as usize + 4096].fill(0x00);
    erase_sector(&mut port, APP);
    assert_eq!(
        crc_of(&mut port, APP, 4096),
        chip_crc(&[0u8; 4096]),
        "SR1=0x1C protects everything"
    );
    let reply = exchange(&mut port, &long(0x0C, &[0x05]));
    assert_eq!(long_reply(&reply), (4, 0x0C, 0, &[0x05, 0x1C][..]));
    let reply = exchange(&mut port, &long(0x0D, &[0x01, 0x00, 0x00]));
    assert_eq!(
        long_reply(&reply),
        (5, 0x0D, 0, &[0x01, 0x00, 0x00][..]),
        "WriteSR echoes its payload"
    );
    let reply = exchange(&mut port, &long(0x0C, &[0x35]));
    assert_eq!(long_reply(&reply).3, [0x35, 0x00]);
    erase_sector(&mut port, APP);
    assert_eq!(crc_of(&mut port, APP, 4096), chip_crc_of_blank(4096));
}

#[test]
fn cmp_bit_inverts_the_protected_range() {
    // BP0-BP2 set with CMP: nothing protected.
    let mut port = SimTransport::new(Sim::new(SimConfig::bk7231n().with_status_register(0x401C)));
    erase_sector(&mut port, 0x1F_F000);
    // No BP bits but CMP: everything protected.
    let mut port = SimTransport::new(Sim::new(SimConfig::bk7231n().with_status_register(0x4000)));
    port.sim_mut().flash_mut().bytes_mut()[0x1F_F000] = 0;
    erase_sector(&mut port, 0x1F_F000);
    assert_eq!(port.sim().flash().bytes()[0x1F_F000], 0);
}

#[test]
fn addresses_wrap_modulo_flash_size_for_every_op() {
    let mut port = unprotected();
    let data = pattern(4096, 3);
    erase_sector(&mut port, 0x20_0000 + APP);
    exchange(&mut port, &write4k_cmd(0x20_0000 + APP, &data));
    assert_eq!(
        port.sim().flash().bytes()[APP as usize..APP as usize + 4096],
        data[..]
    );
    assert_eq!(crc_of(&mut port, 0x40_0000 + APP, 4096), chip_crc(&data));
    let direct = exchange(&mut port, &read4k_cmd(APP));
    let mirrored = exchange(&mut port, &read4k_cmd(0x0400_0000 + 0x20_0000 + APP));
    assert_eq!(long_reply(&direct).3[4..], long_reply(&mirrored).3[4..]);
}

#[test]
fn page_write_count_is_low_byte_of_length_and_wraps_in_page() {
    let mut port = unprotected();
    erase_sector(&mut port, APP);
    let full = exchange(
        &mut port,
        &long(0x06, &[&APP.to_le_bytes()[..], &[0x11; 256]].concat()),
    );
    assert_eq!(
        long_reply(&full),
        (7, 0x06, 0, &[&APP.to_le_bytes()[..], &[0][..]].concat()[..]),
        "256 bytes report 0"
    );
    let addr = APP + 0x1F0;
    let short_write = exchange(
        &mut port,
        &long(0x06, &[&addr.to_le_bytes()[..], &[0x22; 32]].concat()),
    );
    assert_eq!(long_reply(&short_write).3[4], 32);
    let flash = port.sim().flash().bytes();
    assert!(
        flash[addr as usize..APP as usize + 0x200]
            .iter()
            .all(|&b| b == 0x22)
    );
    assert!(
        flash[APP as usize + 0x100..APP as usize + 0x110]
            .iter()
            .all(|&b| b == 0x22),
        "the tail wrapped to the page start"
    );
    assert_eq!(flash[APP as usize + 0x110], 0xFF);
}

#[test]
fn write4k_needs_exact_length() {
    let mut port = unprotected();
    erase_sector(&mut port, APP);
    let reply = exchange(
        &mut port,
        &long(0x07, &[&APP.to_le_bytes()[..], &[0u8; 100]].concat()),
    );
    assert_eq!(long_reply(&reply), (6, 0x07, 4, &APP.to_le_bytes()[..]));
    assert!(
        port.sim().flash().bytes()[APP as usize..APP as usize + 100]
            .iter()
            .all(|&b| b == 0xFF)
    );
}

#[test]
fn sized_erases_cover_4k_32k_64k() {
    for (opcode, size) in [(0x20u8, 0x1000usize), (0x52, 0x8000), (0xD8, 0x1_0000)] {
        let mut port = unprotected();
        port.sim_mut().flash_mut().bytes_mut()[0x2_0000..0x5_0000].fill(0);
        let reply = exchange(&mut port, &erase_cmd(opcode, 0x3_0000 + 0x10));
        assert_eq!(long_reply(&reply).2, 0);
        let flash = port.sim().flash().bytes();
        assert!(
            flash[0x3_0000..0x3_0000 + size].iter().all(|&b| b == 0xFF),
            "opcode {opcode:02X}"
        );
        assert_eq!(
            flash[0x3_0000 + size],
            0,
            "opcode {opcode:02X} erases only {size:#x}"
        );
        assert_eq!(flash[0x2_FFFF], 0);
    }
}

#[test]
fn small_read_and_erase4k_op() {
    let mut port = unprotected();
    let reply = exchange(
        &mut port,
        &long(0x08, &[&0x10u32.to_le_bytes()[..], &[8]].concat()),
    );
    let expected = port.sim().flash().bytes()[0x10..0x18].to_vec();
    assert_eq!(long_reply(&reply).3[4..], expected[..]);
    port.sim_mut().flash_mut().bytes_mut()[0x5_0000] = 0;
    let reply = exchange(&mut port, &long(0x0B, &0x5_0000u32.to_le_bytes()));
    assert_eq!(
        long_reply(&reply),
        (6, 0x0B, 0, &0x5_0000u32.to_le_bytes()[..])
    );
    assert_eq!(port.sim().flash().bytes()[0x5_0000], 0xFF);
}

#[test]
fn crc_over_the_end_of_flash_wraps() {
    let mut port = unprotected();
    let flash = port.sim().flash().bytes();
    let expected = chip_crc(&[&flash[0x1F_FF00..], &flash[..0x100]].concat());
    assert_eq!(crc_of(&mut port, 0x1F_FF00, 0x200), expected);
}
