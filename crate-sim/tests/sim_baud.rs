//! Baud switching (docs/protocol.md §4): the chip switches at once, waits the delay, echoes at the new baud;
//! a host at the wrong baud sees garbage in both directions.

mod sim_support;

use bkflash_core::transport::Transport;
use bkflash_sim::{Sim, SimConfig, SimTransport, block_on};
use core::time::Duration;
use sim_support::*;

const SET_921600: [u8; 10] = [0x01, 0xE0, 0xFC, 0x06, 0x0F, 0x00, 0x10, 0x0E, 0x00, 0x14];
const ECHO_921600: [u8; 12] = [
    0x04, 0x0E, 0x09, 0x01, 0xE0, 0xFC, 0x0F, 0x00, 0x10, 0x0E, 0x00, 0x14,
];

/// Send SetBaudRate(921600, 20 ms), switch the host after `host_after`, return what was heard.
fn switch(port: &mut SimTransport, host_after: Duration) -> Vec<u8> {
    block_on(async {
        port.write_all(&SET_921600).await.unwrap();
        port.flush().await.unwrap();
        port.sleep(host_after).await;
        port.set_baud(921_600).await.unwrap();
    });
    listen(port, Duration::from_millis(200))
}

#[test]
fn echo_at_new_baud_after_the_delay() {
    let mut port = SimTransport::new(Sim::new(SimConfig::bk7231n()));
    assert_eq!(switch(&mut port, Duration::from_millis(10)), ECHO_921600);
    assert_eq!(port.sim().chip_baud(), 921_600);
    assert_eq!(exchange(&mut port, &LINK_CHECK), LINK_REPLY);
    assert_eq!(exchange(&mut port, &read4k_cmd(0)).len(), 4111);
}

#[test]
fn mismatched_bauds_garble_both_directions() {
    let mut port = SimTransport::new(Sim::new(SimConfig::bk7231n()));
    assert_eq!(switch(&mut port, Duration::from_millis(10)), ECHO_921600);
    block_on(port.set_baud(115_200)).unwrap();
    assert!(
        exchange(&mut port, &LINK_CHECK).is_empty(),
        "garbled input is no frame"
    );
    block_on(port.set_baud(921_600)).unwrap();
    assert_eq!(exchange(&mut port, &LINK_CHECK), LINK_REPLY);
}

#[test]
fn host_switching_after_the_delay_loses_the_echo_on_rom_not_on_legacy() {
    // ROM waits 20 ms; the legacy bootloader (20 + 1) x 2 = 42 ms. The host switches at 30 ms.
    let mut rom = SimTransport::new(Sim::new(SimConfig::bk7231n()));
    let heard = switch(&mut rom, Duration::from_millis(30));
    assert_eq!(heard.len(), ECHO_921600.len());
    assert_ne!(heard, ECHO_921600);
    let mut legacy = SimTransport::new(Sim::new(SimConfig::bk7231t()));
    assert_eq!(switch(&mut legacy, Duration::from_millis(30)), ECHO_921600);
}

#[test]
fn host_that_never_switches_sees_a_garbled_echo() {
    let mut port = SimTransport::new(Sim::new(SimConfig::bk7231n()));
    let heard = exchange(&mut port, &SET_921600);
    assert_eq!(heard.len(), 12);
    assert!(!contains(&heard, &[0x04, 0x0E]));
}

#[test]
fn bytes_queued_while_busy_keep_the_baud_they_arrived_at() {
    // A 64K erase keeps the handler busy; SetBaudRate and a LinkCheck arrive at 115200 meanwhile.
    let mut port = SimTransport::new(Sim::new(SimConfig::bk7231n()));
    let requests = [
        erase_cmd(0xD8, 0x20000),
        short(0x0F, &[0x00, 0x10, 0x0E, 0x00, 0x00]),
        LINK_CHECK.to_vec(),
    ]
    .concat();
    let heard = exchange(&mut port, &requests);
    let erase_reply_len = 16;
    assert_eq!(long_reply(&heard[..erase_reply_len]).1, 0x0F);
    assert_eq!(
        heard.len() - erase_reply_len,
        ECHO_921600.len() + LINK_REPLY.len(),
        "the link check was understood"
    );
    assert!(
        !contains(&heard[erase_reply_len..], &[0x04, 0x0E]),
        "both replies went out at 921600"
    );
}
