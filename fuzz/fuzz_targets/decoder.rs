//! Fuzz target: arbitrary reply bytes, cut at arbitrary points, pushed through `protocol::Decoder`.
//! Checks that frames are well formed, no byte is lost or invented, and the cuts never change the frames.
#![no_main]

use bkflash_core::protocol::{Decoder, Frame};
use libfuzzer_sys::fuzz_target;

/// `Decoder` keeps at most this much noise between `take_noise` calls (decoder.rs `NOISE_KEEP`);
/// the byte accounting is exact only for streams no longer than that.
const NOISE_KEEP: usize = 4096;
/// Largest short-frame body: its length byte `4 + len` must stay below the long-frame marker 0xFF.
const SHORT_BODY_MAX: usize = 0xFE - 4;

/// How the fuzz input is read: a control byte (low 3 bits: how many chunk lengths follow; bit 3:
/// give up the head candidate after every read, as the flasher does on a timeout), the chunk
/// lengths, then the byte stream itself.
struct Input<'a> {
    chunk_lens: &'a [u8],
    skip_on_stall: bool,
    stream: &'a [u8],
}

impl<'a> Input<'a> {
    fn parse(data: &'a [u8]) -> Self {
        let (control, rest) = data.split_first().map_or((0, data), |(c, r)| (*c, r));
        let (chunk_lens, stream) = rest.split_at(usize::from(control & 0x07).min(rest.len()));
        Self {
            chunk_lens,
            skip_on_stall: control & 0x08 != 0,
            stream,
        }
    }

    /// The reads in arrival order: chunk lengths cycle, a zero length is an empty read.
    fn reads(&self) -> Vec<&'a [u8]> {
        if self.chunk_lens.iter().all(|&len| len == 0) {
            return vec![self.stream];
        }
        let mut reads = Vec::new();
        let mut rest = self.stream;
        for &len in self.chunk_lens.iter().cycle() {
            if rest.is_empty() {
                break;
            }
            let (read, tail) = rest.split_at(usize::from(len).min(rest.len()));
            reads.push(read);
            rest = tail;
        }
        reads
    }
}

/// Everything the decoder produced: frames, and the wire bytes it accounted for (noise + frames) in order.
#[derive(Default)]
struct Outcome {
    frames: Vec<Frame>,
    accounted: Vec<u8>,
    pending: usize,
}

fn drain(decoder: &mut Decoder, outcome: &mut Outcome) {
    while let Some(frame) = decoder.next_frame() {
        outcome.accounted.extend(decoder.take_noise());
        outcome.accounted.extend(frame.to_bytes());
        outcome.frames.push(frame);
    }
    outcome.accounted.extend(decoder.take_noise());
}

fn decode(reads: &[&[u8]], skip_on_stall: bool) -> Outcome {
    let mut decoder = Decoder::new();
    let mut outcome = Outcome::default();
    for read in reads {
        decoder.feed(read);
        drain(&mut decoder, &mut outcome);
        if skip_on_stall && decoder.pending() > 0 {
            decoder.skip_candidate();
            drain(&mut decoder, &mut outcome);
        }
    }
    outcome.pending = decoder.pending();
    outcome
}

fn assert_well_formed(frame: &Frame) {
    let wire = frame.to_bytes();
    assert_eq!(wire[..2], [0x04, 0x0E], "frame header");
    match frame {
        Frame::Short { body, .. } => {
            assert!(
                body.len() <= SHORT_BODY_MAX,
                "short body of {} bytes",
                body.len()
            );
            assert_eq!(usize::from(wire[2]), wire.len() - 3, "short length byte");
            assert_eq!(wire[3..6], [0x01, 0xE0, 0xFC], "short magic");
        }
        Frame::Long { body, .. } => {
            assert!(
                body.len() + 2 <= usize::from(u16::MAX),
                "long body of {} bytes",
                body.len()
            );
            assert_eq!(wire[2..7], [0xFF, 0x01, 0xE0, 0xFC, 0xF4], "long magic");
            let declared = usize::from(u16::from_le_bytes([wire[7], wire[8]]));
            assert_eq!(declared, wire.len() - 9, "long length field");
        }
    }
    let mut again = Decoder::new();
    again.feed(&wire);
    assert_eq!(
        again.next_frame().as_ref(),
        Some(frame),
        "frame does not decode from its own bytes"
    );
    assert_eq!(again.pending(), 0, "re-decoding a frame left bytes behind");
}

fuzz_target!(|data: &[u8]| {
    let input = Input::parse(data);
    let outcome = decode(&input.reads(), input.skip_on_stall);
    outcome.frames.iter().for_each(assert_well_formed);
    assert!(outcome.pending <= input.stream.len());
    if input.stream.len() <= NOISE_KEEP {
        let consumed = input.stream.len() - outcome.pending;
        assert_eq!(
            outcome.accounted,
            input.stream[..consumed],
            "noise + frames differ from the input"
        );
    }
    if !input.skip_on_stall {
        let whole = decode(&[input.stream], false);
        assert_eq!(
            outcome.frames, whole.frames,
            "read boundaries changed the decoded frames"
        );
    }
});
