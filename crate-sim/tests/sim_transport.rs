//! `SimTransport` on its virtual clock: reads wait for the first byte or the deadline, writes take wire
//! time, host actions land in the transcript, and `block_on` refuses futures that really wait.

mod sim_support;

use bkflash_core::crc::chip_crc;
use bkflash_core::transport::Transport;
use bkflash_sim::{HostEvent, Sim, SimConfig, SimTransport, block_on, byte_time};
use core::time::Duration;
use sim_support::*;

#[test]
fn silent_read_returns_zero_after_its_timeout_on_the_virtual_clock() {
    let mut port = SimTransport::new(Sim::new(SimConfig::bk7231n()));
    let mut buf = [0u8; 8];
    let n = block_on(port.read(&mut buf, Duration::from_secs(3))).unwrap();
    assert_eq!(n, 0);
    assert_eq!(port.now(), Duration::from_secs(3));
}

#[test]
fn write_takes_wire_time_and_read_stops_at_the_first_bytes() {
    let mut port = SimTransport::new(Sim::new(SimConfig::bk7231n()));
    block_on(port.write_all(&LINK_CHECK)).unwrap();
    assert_eq!(port.now(), byte_time(115_200) * 5);
    let mut buf = [0u8; 64];
    let n = block_on(port.read(&mut buf, Duration::from_secs(10))).unwrap();
    assert_eq!(&buf[..n], LINK_REPLY);
    assert!(
        port.now() < Duration::from_millis(10),
        "the read did not wait for its whole timeout"
    );
}

#[test]
fn small_buffers_get_the_rest_on_the_next_read() {
    let mut port = SimTransport::new(Sim::new(SimConfig::bk7231n()));
    block_on(port.write_all(&LINK_CHECK)).unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 3];
    while out.len() < LINK_REPLY.len() {
        let n = block_on(port.read(&mut buf, Duration::from_millis(100))).unwrap();
        assert!(n > 0);
        out.extend_from_slice(&buf[..n]);
    }
    assert_eq!(out, LINK_REPLY);
}

#[test]
fn discard_input_drops_what_arrived() {
    let mut port = SimTransport::new(Sim::new(SimConfig::bk7231n()));
    block_on(async {
        port.write_all(&LINK_CHECK).await.unwrap();
        port.sleep(Duration::from_millis(10)).await;
        port.discard_input().await.unwrap();
    });
    assert!(listen(&mut port, Duration::from_millis(100)).is_empty());
}

#[test]
fn transcript_records_and_renders_host_actions() {
    let mut port = SimTransport::new(Sim::new(SimConfig::bk7231n()));
    set_lines(&mut port, true, true);
    set_lines(&mut port, false, false);
    flood(&mut port, Duration::from_millis(150));
    exchange(&mut port, &crc_cmd(0, 0x100));
    exchange(&mut port, &write4k_cmd(0x11000, &[0xAB; 4096]));
    block_on(port.set_baud(921_600)).unwrap();
    let rendered = port.transcript().render();
    let tail_crc = chip_crc(&[0xAB; 4088]);
    let expected = format!(
        "lines dtr=1 rts=1\n\
         lines dtr=0 rts=0\n\
         LinkCheck (repeated)\n\
         CheckCRC 00 00 00 00 00 01 00 00\n\
         FlashWrite4K 00 10 01 00 AB AB AB AB AB AB AB AB .. +4088 B crc {tail_crc:08X}\n\
         host baud 921600\n"
    );
    assert_eq!(rendered, expected);
    let first = &port.transcript().entries()[0];
    assert_eq!(
        first.event,
        HostEvent::SetSignals {
            dtr: true,
            rts: true
        }
    );
}

#[test]
#[should_panic(expected = "still pending")]
fn block_on_refuses_a_future_that_waits() {
    block_on(core::future::pending::<()>());
}
