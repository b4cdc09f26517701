//! The legacy (BK7231T-like) bootloader: status 6 below 0x2000 only, mirror bypass, 256-byte CRC blocks,
//! the protect-after-CRC trap, and the parser without inter-byte timeout (protocol.md §1.5, §6.4, §7.2).

mod sim_support;

use bkflash_core::crc::{chip_crc, chip_crc_of_blank};
use bkflash_sim::{Sim, SimConfig, SimTransport};
use sim_support::*;

const APP: u32 = 0x11000;
const MIRROR: u32 = 0x20_0000;

fn legacy() -> SimTransport {
    SimTransport::new(Sim::new(SimConfig::bk7231t()))
}

fn erase_status(port: &mut SimTransport, addr: u32) -> u8 {
    long_reply(&exchange(port, &erase_cmd(0x20, addr))).2
}

#[test]
fn bootloader_region_refused_with_status_6_but_mirror_passes() {
    let mut port = legacy();
    let reply = exchange(&mut port, &read4k_cmd(0x1000));
    assert_eq!(
        long_reply(&reply),
        (7, 0x09, 6, &[0x00, 0x10, 0x00, 0x00, 0x00][..]),
        "read answers a32 00"
    );
    exchange(&mut port, &LINK_CHECK);
    assert_eq!(erase_status(&mut port, 0x1000), 6);
    let write = exchange(&mut port, &write4k_cmd(0x1000, &[0u8; 4096]));
    assert_eq!(long_reply(&write).2, 6);
    let page = exchange(
        &mut port,
        &long(0x06, &[&0x1000u32.to_le_bytes()[..], &[0u8; 16]].concat()),
    );
    assert_eq!(long_reply(&page).2, 6);
    assert_ne!(
        port.sim().flash().bytes()[0x1000..0x1010],
        [0u8; 16],
        "the bootloader is untouched"
    );
    let mirrored = exchange(&mut port, &read4k_cmd(MIRROR + 0x1000));
    assert!(long_reply(&mirrored).3[4..] == port.sim().flash().bytes()[0x1000..0x2000]);
}

#[test]
fn the_rest_of_the_bootloader_and_wrapped_addresses_are_not_refused() {
    // Beken's handler source refuses raw addresses below UART_DL_LIMIT_ADDR (0x2000) only
    // (field-audit S1): 0x2000-0x10FFF is the host's to protect.
    let mut port = legacy();
    exchange(&mut port, &LINK_CHECK);
    assert_eq!(erase_status(&mut port, 0x3000), 0);
    let write = exchange(&mut port, &write4k_cmd(0x3000, &[0x5A; 4096]));
    assert_eq!(long_reply(&write).2, 0);
    assert!(
        port.sim().flash().bytes()[0x3000..0x4000]
            .iter()
            .all(|&b| b == 0x5A)
    );
    // A shifted frame's address, 0x01200000, passes the raw compare and wraps onto 0x0.
    assert_eq!(erase_status(&mut port, 0x0120_0000), 0);
    assert!(
        port.sim().flash().bytes()[..0x1000]
            .iter()
            .all(|&b| b == 0xFF)
    );
}

#[test]
fn crc_counts_whole_256_byte_blocks() {
    let mut port = legacy();
    let flash = port.sim().flash().bytes().to_vec();
    let start = APP as usize;
    assert_eq!(
        crc_reply(&exchange(&mut port, &crc_cmd(APP, APP + 0x17F))),
        chip_crc(&flash[start..start + 0x100])
    );
    assert_eq!(
        crc_reply(&exchange(&mut port, &crc_cmd(APP, APP + 0x200))),
        chip_crc(&flash[start..start + 0x200])
    );
    assert_eq!(
        crc_reply(&exchange(&mut port, &crc_cmd(APP, APP + 0x1FF))),
        chip_crc(&flash[start..start + 0x200])
    );
}

#[test]
fn first_erase_after_link_check_unprotects_and_crc_protects_again() {
    let mut port = legacy();
    port.sim_mut().flash_mut().bytes_mut()[APP as usize..APP as usize + 0x2000].fill(0);
    // No LinkCheck since power-up: the preset flash is protected, the erase does nothing.
    assert_eq!(erase_status(&mut port, APP), 0);
    assert_eq!(
        port.sim().flash().bytes()[APP as usize],
        0,
        "still protected"
    );
    exchange(&mut port, &LINK_CHECK);
    assert_eq!(erase_status(&mut port, APP), 0);
    assert_eq!(
        crc_reply(&exchange(&mut port, &crc_cmd(APP, APP + 0x1000))),
        chip_crc_of_blank(4096)
    );
    // The CRC locked the flash again: this erase silently does nothing.
    assert_eq!(erase_status(&mut port, APP + 0x1000), 0);
    assert_eq!(
        port.sim().flash().bytes()[APP as usize + 0x1000],
        0,
        "locked by the CRC"
    );
    exchange(&mut port, &LINK_CHECK);
    assert_eq!(erase_status(&mut port, APP + 0x1000), 0);
    assert_eq!(port.sim().flash().bytes()[APP as usize + 0x1000], 0xFF);
}

#[test]
fn write_via_mirror_after_link_and_erase() {
    let mut port = legacy();
    let data = pattern(4096, 9);
    exchange(&mut port, &LINK_CHECK);
    assert_eq!(
        erase_status(&mut port, MIRROR + 0x1000),
        0,
        "mirror passes the address check"
    );
    let reply = exchange(&mut port, &write4k_cmd(MIRROR + 0x1000, &data));
    assert_eq!(long_reply(&reply).2, 0);
    let flash = port.sim().flash().bytes();
    let first_bad = (0..4096).find(|&i| flash[0x1000 + i] != data[i]);
    assert_eq!(first_bad, None, "the mirror reaches the bootloader region");
}

#[test]
fn truncated_write4k_swallows_later_commands_and_programs_complete_pages() {
    let mut port = legacy();
    exchange(&mut port, &LINK_CHECK);
    erase_status(&mut port, APP);
    let frame = write4k_cmd(APP, &[0x00; 4096]);
    // The host gives up after 300 data bytes: one page is complete and programmed at once.
    assert!(exchange(&mut port, &frame[..12 + 300]).is_empty());
    let flash = port.sim().flash().bytes();
    assert!(
        flash[APP as usize..APP as usize + 256]
            .iter()
            .all(|&b| b == 0)
    );
    assert!(
        flash[APP as usize + 256..APP as usize + 512]
            .iter()
            .all(|&b| b == 0xFF)
    );
    // The next commands are swallowed as payload: no reply, and their bytes land in flash.
    let mut swallowed = Vec::new();
    for _ in 0..60 {
        swallowed.extend_from_slice(&LINK_CHECK);
        assert!(
            exchange(&mut port, &LINK_CHECK).is_empty(),
            "link checks vanish into the open frame"
        );
    }
    let page = &port.sim().flash().bytes()[APP as usize + 256..APP as usize + 512];
    assert_eq!(
        page[..44],
        [&[0u8; 44][..]].concat()[..44],
        "the rest of the truncated data"
    );
    assert!(
        page[44..] == swallowed[..212],
        "swallowed link checks were programmed"
    );
    // Recovery: 0xFF filler completes the frame; then the chip answers again.
    let filler = vec![0xFF; 4096 - 300 - 300];
    let reply = exchange(&mut port, &filler);
    assert_eq!(long_reply(&reply).1, 0x07);
    assert_eq!(exchange(&mut port, &LINK_CHECK), LINK_REPLY);
}

#[test]
fn set_baud_waits_two_ms_ticks_and_answers_at_new_baud() {
    let mut port = legacy();
    let request = short(0x0F, &[0x00, 0x10, 0x0E, 0x00, 0x14]);
    let heard = exchange_quiet(&mut port, &request, core::time::Duration::from_millis(100));
    assert_eq!(
        heard.len(),
        12,
        "the echo arrives, garbled at the old host baud"
    );
    assert_ne!(
        heard,
        [
            0x04, 0x0E, 0x09, 0x01, 0xE0, 0xFC, 0x0F, 0x00, 0x10, 0x0E, 0x00, 0x14
        ]
    );
    assert_eq!(port.sim().chip_baud(), 921_600);
}
