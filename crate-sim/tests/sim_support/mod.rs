//! Shared helpers of the simulator's own tests: frame builders and a request/reply exchange over
//! `SimTransport` on the virtual clock.
#![allow(dead_code)]

use bkflash_core::transport::Transport;
use bkflash_sim::{SimTransport, block_on};
use core::time::Duration;

pub const LINK_CHECK: [u8; 5] = [0x01, 0xE0, 0xFC, 0x01, 0x00];
pub const LINK_REPLY: [u8; 8] = [0x04, 0x0E, 0x05, 0x01, 0xE0, 0xFC, 0x01, 0x00];

pub fn short(code: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0x01, 0xE0, 0xFC, (payload.len() + 1) as u8, code];
    out.extend_from_slice(payload);
    out
}

pub fn long(op: u8, payload: &[u8]) -> Vec<u8> {
    let n = (payload.len() + 1) as u16;
    let mut out = vec![0x01, 0xE0, 0xFC, 0xFF, 0xF4];
    out.extend_from_slice(&n.to_le_bytes());
    out.push(op);
    out.extend_from_slice(payload);
    out
}

pub fn crc_cmd(start: u32, end: u32) -> Vec<u8> {
    short(0x10, &[start.to_le_bytes(), end.to_le_bytes()].concat())
}

pub fn read4k_cmd(addr: u32) -> Vec<u8> {
    long(0x09, &addr.to_le_bytes())
}

pub fn erase_cmd(opcode: u8, addr: u32) -> Vec<u8> {
    let mut payload = vec![opcode];
    payload.extend_from_slice(&addr.to_le_bytes());
    long(0x0F, &payload)
}

pub fn write4k_cmd(addr: u32, data: &[u8]) -> Vec<u8> {
    assert_eq!(data.len(), 4096);
    long(0x07, &[&addr.to_le_bytes()[..], data].concat())
}

/// Send `request`, then collect everything the chip says until it has been quiet for `quiet`.
pub fn exchange_quiet(port: &mut SimTransport, request: &[u8], quiet: Duration) -> Vec<u8> {
    block_on(async {
        port.write_all(request).await.unwrap();
        collect(port, quiet).await
    })
}

/// Send `request`, collect the answer (the chip quiet for 2 s ends it: longer than any flash work).
pub fn exchange(port: &mut SimTransport, request: &[u8]) -> Vec<u8> {
    exchange_quiet(port, request, Duration::from_secs(2))
}

/// Everything received until the line has been quiet for `quiet`.
pub fn listen(port: &mut SimTransport, quiet: Duration) -> Vec<u8> {
    block_on(collect(port, quiet))
}

async fn collect(port: &mut SimTransport, quiet: Duration) -> Vec<u8> {
    let mut out = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = port.read(&mut buf, quiet).await.unwrap();
        if n == 0 {
            return out;
        }
        out.extend_from_slice(&buf[..n]);
    }
}

pub fn sleep(port: &mut SimTransport, duration: Duration) {
    block_on(port.sleep(duration));
}

/// Body of a long reply: N, op, status and the rest.
pub fn long_reply(reply: &[u8]) -> (u16, u8, u8, &[u8]) {
    assert!(
        reply.len() >= 11 && reply[..7] == [0x04, 0x0E, 0xFF, 0x01, 0xE0, 0xFC, 0xF4],
        "not a long reply: {reply:02X?}"
    );
    let n = u16::from_le_bytes([reply[7], reply[8]]);
    assert_eq!(
        reply.len(),
        9 + n as usize,
        "long reply length field disagrees with the bytes received"
    );
    (n, reply[9], reply[10], &reply[11..])
}

pub fn crc_reply(reply: &[u8]) -> u32 {
    assert_eq!(
        reply[..7],
        [0x04, 0x0E, 0x08, 0x01, 0xE0, 0xFC, 0x10],
        "not a CheckCRC reply: {reply:02X?}"
    );
    u32::from_le_bytes([reply[7], reply[8], reply[9], reply[10]])
}

/// Deterministic test data.
pub fn pattern(len: usize, seed: u8) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed) ^ (i >> 8) as u8)
        .collect()
}

/// LinkCheck every 5 ms for `duration`, like the peers' flood; returns everything heard.
pub fn flood(port: &mut SimTransport, duration: Duration) -> Vec<u8> {
    block_on(async {
        let end = port.now() + duration;
        let mut heard = Vec::new();
        let mut buf = [0u8; 256];
        while port.now() < end {
            port.write_all(&LINK_CHECK).await.unwrap();
            port.sleep(Duration::from_millis(5)).await;
            loop {
                let n = port.read(&mut buf, Duration::ZERO).await.unwrap();
                if n == 0 {
                    break;
                }
                heard.extend_from_slice(&buf[..n]);
            }
        }
        heard
    })
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

pub fn set_lines(port: &mut SimTransport, dtr: bool, rts: bool) {
    block_on(port.set_signals(dtr, rts)).unwrap();
}
