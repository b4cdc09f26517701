//! Decoder vectors for docs/protocol.md §1.6: noise, split reads, fake `04 0E` fragments, stale replies,
//! short error replies; and properties: no panic on arbitrary input, recovery after garbage.

use bkflash_core::protocol::{Decoder, Frame};
use proptest::prelude::*;

fn hex(s: &str) -> Vec<u8> {
    s.split_whitespace()
        .map(|b| u8::from_str_radix(b, 16).unwrap())
        .collect()
}

fn frames(decoder: &mut Decoder) -> Vec<Frame> {
    std::iter::from_fn(|| decoder.next_frame()).collect()
}

const LINK_REPLY: &str = "04 0E 05 01 E0 FC 01 00";
const CHIP_ID_REPLY: &str = "04 0E 0C 01 E0 FC 03 00 00 80 00 1C 23 07 00";
const MID_REPLY: &str = "04 0E FF 01 E0 FC F4 06 00 0E 00 00 EB 60 15";

#[test]
fn decodes_short_and_long_replies() {
    let mut d = Decoder::new();
    d.feed(&hex(&format!("{LINK_REPLY} {CHIP_ID_REPLY} {MID_REPLY}")));
    assert_eq!(
        frames(&mut d),
        [
            Frame::Short {
                code: 0x01,
                body: vec![0]
            },
            Frame::Short {
                code: 0x03,
                body: hex("00 00 80 00 1C 23 07 00")
            },
            Frame::Long {
                op: 0x0E,
                status: 0,
                body: hex("00 EB 60 15")
            },
        ]
    );
    assert_eq!(d.pending(), 0);
}

#[test]
fn boot_text_before_a_reply_is_noise() {
    let mut d = Decoder::new();
    d.feed(b"BK7231S_1.0.5\r\nboot\x04 mode\r\n");
    d.feed(&hex(LINK_REPLY));
    assert_eq!(
        frames(&mut d),
        [Frame::Short {
            code: 0x01,
            body: vec![0]
        }]
    );
    assert!(d.take_noise().starts_with(b"BK7231S_1.0.5"));
}

#[test]
fn a_reply_split_across_reads_is_assembled() {
    let bytes = hex(MID_REPLY);
    for cut in 1..bytes.len() {
        let mut d = Decoder::new();
        d.feed(&bytes[..cut]);
        assert_eq!(d.next_frame(), None, "cut at {cut}");
        d.feed(&bytes[cut..]);
        assert_eq!(
            d.next_frame(),
            Some(Frame::Long {
                op: 0x0E,
                status: 0,
                body: hex("00 EB 60 15")
            })
        );
    }
}

#[test]
fn fake_header_fragments_do_not_swallow_the_real_reply() {
    let mut d = Decoder::new();
    d.feed(&hex(&format!(
        "04 0E 05 01 E0 04 0E 04 0E FF 01 E0 {CHIP_ID_REPLY}"
    )));
    assert_eq!(
        frames(&mut d),
        [Frame::Short {
            code: 0x03,
            body: hex("00 00 80 00 1C 23 07 00")
        }]
    );
}

#[test]
fn stale_link_replies_come_out_as_their_own_frames() {
    let mut d = Decoder::new();
    d.feed(&hex(&format!(
        "{LINK_REPLY} {LINK_REPLY} 04 0E 09 01 E0 FC 0F 00 10 0E 00 14"
    )));
    let got = frames(&mut d);
    assert_eq!(got.len(), 3);
    assert!(got[0].is_link_reply() && got[1].is_link_reply());
    assert_eq!(
        got[2],
        Frame::Short {
            code: 0x0F,
            body: hex("00 10 0E 00 14")
        }
    );
}

#[test]
fn an_error_reply_shorter_than_success_is_parsed_by_its_length() {
    let mut d = Decoder::new();
    d.feed(&hex(&format!(
        "04 0E FF 01 E0 FC F4 06 00 09 06 00 10 00 00 {LINK_REPLY}"
    )));
    assert_eq!(
        frames(&mut d),
        [
            Frame::Long {
                op: 0x09,
                status: 6,
                body: hex("00 10 00 00")
            },
            Frame::Short {
                code: 1,
                body: vec![0]
            }
        ]
    );
}

#[test]
fn a_lying_long_header_is_skipped_after_a_timeout() {
    let mut d = Decoder::new();
    d.feed(&hex(&format!("04 0E FF 01 E0 FC F4 FF 7F {LINK_REPLY}")));
    assert_eq!(d.next_frame(), None, "the fake header claims 32 KiB");
    d.skip_candidate();
    assert_eq!(
        frames(&mut d),
        [Frame::Short {
            code: 1,
            body: vec![0]
        }]
    );
}

#[test]
fn a_streamed_4k_read_reply_is_one_frame() {
    let mut reply = hex("04 0E FF 01 E0 FC F4 06 10 09 00 00 10 01 00");
    reply.extend((0..4096u32).map(|i| i as u8));
    let mut d = Decoder::new();
    for chunk in reply.chunks(128) {
        d.feed(chunk);
    }
    match d.next_frame() {
        Some(Frame::Long {
            op: 0x09,
            status: 0,
            body,
        }) => {
            assert_eq!(body.len(), 4100);
            assert_eq!(body[4..8], [0, 1, 2, 3]);
        }
        other => panic!("{other:?}"),
    }
}

proptest! {
    #[test]
    fn arbitrary_input_never_panics(chunks in prop::collection::vec(prop::collection::vec(any::<u8>(), 0..300), 0..20)) {
        let mut d = Decoder::new();
        for chunk in &chunks {
            d.feed(chunk);
            while d.next_frame().is_some() {}
            if chunks.len() % 3 == 0 {
                d.skip_candidate();
            }
        }
    }

    #[test]
    fn a_valid_frame_after_garbage_without_04_is_recovered(
        garbage in prop::collection::vec(any::<u8>().prop_filter("no 04", |b| *b != 0x04), 0..2000),
        body in prop::collection::vec(any::<u8>(), 0..300),
        op in any::<u8>(),
        status in any::<u8>(),
        split in any::<prop::sample::Index>(),
    ) {
        let frame = Frame::Long { op, status, body };
        let mut bytes = garbage;
        bytes.extend(frame.to_bytes());
        let cut = split.index(bytes.len() + 1);
        let mut d = Decoder::new();
        d.feed(&bytes[..cut]);
        let mut got: Vec<Frame> = std::iter::from_fn(|| d.next_frame()).collect();
        d.feed(&bytes[cut..]);
        got.extend(std::iter::from_fn(|| d.next_frame()));
        prop_assert_eq!(got, vec![frame]);
    }
}
