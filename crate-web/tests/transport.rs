//! Browser tests of `WebSerialTransport` against a fake port (tests/fake_port.js) built on real
//! WHATWG streams: round trips, timeouts that lose nothing, baud changes, unplugging.
#![cfg(target_arch = "wasm32")]

use core::time::Duration;

use bkflash_core::transport::{
    BaudChange, PACE_AHEAD, PACE_CHUNK, PACED_FRAME_LIMIT, Transport, TransportError,
    TransportErrorKind, wire_time,
};
use bkflash_web::serial::WebSerialTransport;
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use web_sys::SerialPort;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen(module = "/tests/fake_port.js")]
extern "C" {
    #[derive(Clone)]
    type FakePort;
    #[wasm_bindgen(js_name = newFakePort)]
    fn new_fake_port() -> FakePort;
    #[wasm_bindgen(method)]
    fn receive(this: &FakePort, bytes: &[u8]);
    #[wasm_bindgen(method)]
    fn unplug(this: &FakePort);
    #[wasm_bindgen(method, js_name = endInput)]
    fn end_input(this: &FakePort);
    #[wasm_bindgen(method, js_name = lineError)]
    fn line_error(this: &FakePort, name: &str);
    #[wasm_bindgen(method, js_name = writtenBytes)]
    fn written_bytes(this: &FakePort) -> Vec<u8>;
    #[wasm_bindgen(method, js_name = logLines)]
    fn log_lines(this: &FakePort) -> Vec<String>;
    #[wasm_bindgen(method, js_name = chunkLog)]
    fn chunk_log(this: &FakePort) -> Vec<f64>;
}

/// Generous upper bound for data that is already there; tests never wait for it to pass.
const ARRIVED: Duration = Duration::from_secs(5);

const NOTHING: [u8; 0] = [];

async fn open(baud: u32) -> (FakePort, WebSerialTransport) {
    let fake = new_fake_port();
    let port: SerialPort = fake.clone().unchecked_into();
    let transport = WebSerialTransport::open(port, baud)
        .await
        .expect("the fake port opens");
    (fake, transport)
}

async fn read_some(transport: &mut WebSerialTransport, len: usize, timeout: Duration) -> Vec<u8> {
    let mut buf = vec![0; len];
    let count = transport
        .read(&mut buf, timeout)
        .await
        .expect("read succeeds");
    buf.truncate(count);
    buf
}

#[wasm_bindgen_test]
async fn opening_uses_a_large_buffer_and_releases_dtr_and_rts() {
    let (fake, _transport) = open(115_200).await;
    assert_eq!(
        fake.log_lines(),
        ["open 115200 buffer 65536", "signals dtr=false rts=false"]
    );
}

#[wasm_bindgen_test]
async fn bytes_round_trip_and_partial_reads_keep_the_rest() {
    let (fake, mut transport) = open(115_200).await;
    transport.write_all(&[0x01, 0xe0, 0xfc]).await.unwrap();
    transport.write_all(&[0x02]).await.unwrap();
    transport.flush().await.unwrap();
    assert_eq!(fake.written_bytes(), [0x01, 0xe0, 0xfc, 0x02]);

    fake.receive(&[0x04, 0x0e, 0x05]);
    assert_eq!(read_some(&mut transport, 2, ARRIVED).await, [0x04, 0x0e]);
    assert_eq!(read_some(&mut transport, 8, ARRIVED).await, [0x05]);
}

#[wasm_bindgen_test]
async fn a_timed_out_read_returns_zero_and_the_late_bytes_reach_the_next_read() {
    let (fake, mut transport) = open(115_200).await;
    assert_eq!(read_some(&mut transport, 16, Duration::ZERO).await, NOTHING);
    fake.receive(&[0xaa, 0x55]);
    assert_eq!(read_some(&mut transport, 16, ARRIVED).await, [0xaa, 0x55]);
}

#[wasm_bindgen_test]
async fn discard_input_drops_what_already_arrived() {
    let (fake, mut transport) = open(115_200).await;
    fake.receive(b"boot log noise");
    fake.receive(b"more noise");
    transport.discard_input().await.unwrap();
    assert_eq!(read_some(&mut transport, 64, Duration::ZERO).await, NOTHING);
    fake.receive(&[0x04]);
    assert_eq!(read_some(&mut transport, 64, ARRIVED).await, [0x04]);
}

#[wasm_bindgen_test]
async fn set_baud_closes_and_reopens_at_the_new_rate_with_the_lines_released() {
    let (fake, mut transport) = open(115_200).await;
    assert_eq!(
        read_some(&mut transport, 4, Duration::ZERO).await,
        NOTHING,
        "a read is pending during the change"
    );
    transport.set_baud(921_600).await.unwrap();
    assert_eq!(transport.baud(), 921_600);
    assert_eq!(
        fake.log_lines(),
        [
            "open 115200 buffer 65536",
            "signals dtr=false rts=false",
            "close",
            "open 921600 buffer 65536",
            "signals dtr=false rts=false",
        ]
    );
    transport.write_all(&[0x10]).await.unwrap();
    transport.flush().await.unwrap();
    assert_eq!(fake.written_bytes(), [0x10]);
    fake.receive(&[0x20]);
    assert_eq!(read_some(&mut transport, 4, ARRIVED).await, [0x20]);
}

#[wasm_bindgen_test]
async fn a_4k_frame_goes_out_in_chunks_at_no_more_than_the_wire_rate() {
    let baud = 115_200;
    let (fake, mut transport) = open(baud).await;
    assert_eq!(transport.baud_change(), BaudChange::Reopen);
    let frame: Vec<u8> = (0..4108u32).map(|i| i as u8).collect();
    transport.write_all(&frame).await.unwrap();
    transport.flush().await.unwrap();
    assert_eq!(fake.written_bytes(), frame);
    let log = fake.chunk_log();
    let chunks: Vec<(usize, f64)> = log.chunks(2).map(|c| (c[0] as usize, c[1])).collect();
    assert!(
        chunks.iter().all(|&(len, _)| len <= PACE_CHUNK),
        "{chunks:?}"
    );
    let first_ms = chunks[0].1;
    let mut handed = 0;
    for &(len, at_ms) in &chunks {
        handed += len;
        let on_wire = (at_ms - first_ms) * f64::from(baud) / 10_000.0;
        assert!(
            handed as f64 - on_wire <= (PACE_AHEAD + PACE_CHUNK) as f64,
            "{handed} bytes handed over when {on_wire:.0} could be on the wire"
        );
    }
    let took = chunks.last().unwrap().1 - first_ms;
    let least = wire_time(frame.len() - PACE_AHEAD, baud).as_secs_f64() * 1000.0;
    assert!(took >= least * 0.9, "paced at the wire rate: {took:.0} ms");
    assert!(
        took <= PACED_FRAME_LIMIT.as_secs_f64() * 1000.0,
        "a 4 KiB frame stays under the frame limit: {took:.0} ms"
    );
}

#[wasm_bindgen_test]
async fn set_signals_drives_dtr_and_rts() {
    let (fake, mut transport) = open(115_200).await;
    transport.set_signals(false, true).await.unwrap();
    assert_eq!(
        fake.log_lines().last().unwrap(),
        "signals dtr=false rts=true"
    );
}

#[wasm_bindgen_test]
async fn unplugging_during_a_pending_read_gives_disconnected_from_then_on() {
    let (fake, mut transport) = open(115_200).await;
    assert_eq!(read_some(&mut transport, 4, Duration::ZERO).await, NOTHING);
    fake.unplug();
    let error = transport.read(&mut [0; 4], ARRIVED).await.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Disconnected);
    assert!(
        error.to_string().contains("unplugged"),
        "tells the user what happened: {error}"
    );
    let error = transport.write_all(&[1]).await.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Disconnected);
    assert!(
        error
            .to_string()
            .starts_with("Writing to the serial port failed"),
        "names the operation: {error}"
    );
}

#[wasm_bindgen_test]
async fn the_input_stream_ending_is_a_disconnect() {
    let (fake, mut transport) = open(115_200).await;
    fake.end_input();
    let error = transport.read(&mut [0; 4], ARRIVED).await.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Disconnected);
}

#[wasm_bindgen_test]
async fn a_line_error_is_reported_once_and_reading_goes_on() {
    let (fake, mut transport) = open(115_200).await;
    fake.line_error("BreakError");
    let error = transport.read(&mut [0; 4], ARRIVED).await.unwrap_err();
    assert_eq!(error.kind(), TransportErrorKind::Other);
    assert!(
        error.to_string().contains("BreakError"),
        "keeps the browser's reason: {error}"
    );
    fake.receive(&[0x33]);
    assert_eq!(read_some(&mut transport, 4, ARRIVED).await, [0x33]);
}

#[wasm_bindgen_test]
async fn close_releases_the_streams_so_the_port_can_be_opened_again() {
    let (fake, transport) = open(115_200).await;
    transport
        .close()
        .await
        .expect("close succeeds with the streams released");
    assert_eq!(fake.log_lines().last().unwrap(), "close");
    let port: SerialPort = fake.clone().unchecked_into();
    WebSerialTransport::open(port, 115_200)
        .await
        .expect("the port opens again");
}

#[wasm_bindgen_test]
async fn opening_a_port_in_use_names_the_operation_and_the_browser_reason() {
    let (fake, _holder) = open(115_200).await;
    let port: SerialPort = fake.clone().unchecked_into();
    let Err(error) = WebSerialTransport::open(port, 115_200).await else {
        panic!("a second open of the same port must fail");
    };
    let message = error.to_string();
    assert!(
        message.starts_with("Opening the serial port at 115200 baud failed"),
        "{message}"
    );
    assert!(message.contains("InvalidStateError"), "{message}");
}
