//! The serprog firmware on the programmer: parses the host's byte stream command by command and answers
//! as its profile does (docs/spi-unbrick.md §4.2-§4.4), clocking O_SPIOP frames into the SPI bus.

use alloc::collections::VecDeque;
use alloc::vec::Vec;
use core::time::Duration;

use super::profile::{Firmware, UnknownCommand};
use super::target::byte_time;

const ACK: u8 = 0x06;
const NAK: u8 = 0x15;
const BUS_SPI: u8 = 0x08;
/// Firmware time per command besides SPI clocking (main loop, USB stack).
const COMMAND_TIME: Duration = Duration::from_micros(20);

/// Where O_SPIOP frames go: the chip behind the programmer.
pub trait SpiBus {
    /// Clock `mosi` out at `clock_hz` from `start` in one CS frame; MISO for every byte.
    fn frame(&mut self, clock_hz: u32, start: Duration, mosi: &[u8]) -> Vec<u8>;
}

/// One programmer running `firmware`.
#[derive(Clone, Debug)]
pub struct Programmer {
    pub firmware: &'static Firmware,
    clock_hz: u32,
    pins_on: bool,
    crashed: bool,
    /// Bytes of the command being received.
    pending: Vec<u8>,
    /// When the last pending byte arrived.
    pending_at: Duration,
    busy_until: Duration,
    /// Reply bytes and when each leaves the programmer.
    output: VecDeque<(Duration, u8)>,
}

impl Programmer {
    pub fn new(firmware: &'static Firmware) -> Self {
        Self {
            firmware,
            clock_hz: firmware.default_hz,
            pins_on: true,
            crashed: false,
            pending: Vec::new(),
            pending_at: Duration::ZERO,
            busy_until: Duration::ZERO,
            output: VecDeque::new(),
        }
    }

    /// The write phase overflowed the firmware's buffer: it answers nothing any more.
    pub fn has_crashed(&self) -> bool {
        self.crashed
    }

    /// Host bytes that reached the firmware at `at`.
    pub fn receive(&mut self, at: Duration, bytes: &[u8], bus: &mut dyn SpiBus) {
        for &byte in bytes {
            if self.crashed {
                return;
            }
            self.pending.push(byte);
            self.pending_at = at;
            if let Some(len) = self.command_len()
                && self.pending.len() >= len
            {
                let command: Vec<u8> = self.pending.drain(..).collect();
                self.execute(&command, bus);
            }
        }
    }

    /// Reply bytes that left by `until`.
    pub(crate) fn take_output(&mut self, until: Duration, out: &mut Vec<(Duration, u8)>) {
        while let Some(&(at, byte)) = self.output.front().filter(|(at, _)| *at <= until) {
            out.push((at, byte));
            self.output.pop_front();
        }
    }

    /// Length of the pending command once its size is known; `None` while parameters still decide it.
    fn command_len(&self) -> Option<usize> {
        let opcode = self.pending[0];
        if !self.firmware.implements(opcode) {
            return Some(1);
        }
        Some(match opcode {
            0x12 | 0x15 | 0x16 => 2,
            0x14 if self.firmware.freq_params_left_over => 1,
            0x14 => 5,
            0x13 => {
                let header = self.pending.get(1..4)?;
                7 + u24(header)
            }
            _ => 1,
        })
    }

    fn execute(&mut self, command: &[u8], bus: &mut dyn SpiBus) {
        let start = self.pending_at.max(self.busy_until) + COMMAND_TIME;
        let opcode = command[0];
        if !self.firmware.implements(opcode) {
            match self.firmware.unknown {
                UnknownCommand::Nak => self.reply(start, &[NAK]),
                UnknownCommand::Silent => self.busy_until = start,
            }
            return;
        }
        match opcode {
            0x00 => self.reply(start, &[ACK]),
            0x01 => self.reply(start, &[ACK, 0x01, 0x00]),
            0x02 => {
                self.reply(start, &[ACK]);
                self.reply(start, &self.firmware.command_map());
            }
            0x03 => {
                let mut name = [0u8; 16];
                let text = self.firmware.program_name.as_bytes();
                name[..text.len()].copy_from_slice(text);
                self.reply(start, &[ACK]);
                self.reply(start, &name);
            }
            0x04 => self.reply(start, &[ACK, 0xFF, 0xFF]),
            0x05 => self.reply(start, &[ACK, BUS_SPI]),
            0x08 | 0x11 => {
                let (write, read) = self.firmware.max_lengths.unwrap_or((0, 0));
                let limit = if opcode == 0x08 { write } else { read };
                self.reply(start, &[ACK]);
                self.reply(start, &u24_bytes(limit));
            }
            0x10 => self.reply(start, &[NAK, ACK]),
            0x12 => {
                let answer = if command[1] & !BUS_SPI == 0 { ACK } else { NAK };
                self.reply(start, &[answer]);
            }
            0x13 => self.spi_op(start, command, bus),
            0x14 => self.set_frequency(start, command),
            0x15 => {
                if self.firmware.pins_can_float {
                    self.pins_on = command[1] != 0;
                }
                self.reply(start, &[ACK]);
            }
            0x16 => match command[1] {
                0..=3 if self.firmware.chip_select_unanswered => self.busy_until = start,
                0..=3 => self.reply(start, &[ACK]),
                _ => self.reply(start, &[NAK]),
            },
            _ => self.reply(start, &[NAK]),
        }
    }

    fn set_frequency(&mut self, start: Duration, command: &[u8]) {
        if self.firmware.freq_params_left_over {
            let hz = self.clock_hz.to_le_bytes();
            self.reply(start, &[ACK, hz[0], hz[1], hz[2], hz[3]]);
            return;
        }
        let asked = u32::from_le_bytes([command[1], command[2], command[3], command[4]]);
        if asked == 0 {
            self.reply(start, &[NAK]);
            return;
        }
        self.clock_hz = self.firmware.clock.choose(asked);
        let hz = self.clock_hz.to_le_bytes();
        self.reply(start, &[ACK, hz[0], hz[1], hz[2], hz[3]]);
    }

    /// O_SPIOP: CS low, write phase, ACK, read phase with MOSI = 0, CS high (half duplex, §4.3).
    fn spi_op(&mut self, start: Duration, command: &[u8], bus: &mut dyn SpiBus) {
        let slen = u24(&command[1..4]);
        let rlen = u24(&command[4..7]);
        if self.firmware.crash_above.is_some_and(|limit| slen > limit) {
            self.crashed = true;
            return;
        }
        if let Some((write, read)) = self.firmware.max_lengths
            && (slen > write || rlen > read)
        {
            self.reply(start, &[NAK]);
            return;
        }
        let mut mosi = command[7..].to_vec();
        mosi.resize(slen + rlen, 0x00);
        let byte = byte_time(self.clock_hz);
        let miso = if self.pins_on {
            bus.frame(self.clock_hz, start, &mosi)
        } else {
            alloc::vec![0xFF; mosi.len()]
        };
        let written = start + byte * slen as u32;
        self.reply(written, &[ACK]);
        for (i, &b) in miso[slen..].iter().enumerate() {
            self.output.push_back((written + byte * (i as u32 + 1), b));
        }
        self.busy_until = start + byte * (slen + rlen) as u32;
    }

    fn reply(&mut self, at: Duration, bytes: &[u8]) {
        self.output.extend(bytes.iter().map(|&b| (at, b)));
        self.busy_until = self.busy_until.max(at);
    }
}

fn u24(bytes: &[u8]) -> usize {
    usize::from(bytes[0]) | usize::from(bytes[1]) << 8 | usize::from(bytes[2]) << 16
}

fn u24_bytes(value: usize) -> [u8; 3] {
    let b = (value as u32).to_le_bytes();
    [b[0], b[1], b[2]]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serprog::profile::firmware;
    use alloc::vec;

    /// A bus that records frames and answers 0xA5 on every MISO byte.
    #[derive(Default)]
    struct Recorder {
        frames: Vec<(u32, Vec<u8>)>,
    }

    impl SpiBus for Recorder {
        fn frame(&mut self, clock_hz: u32, _start: Duration, mosi: &[u8]) -> Vec<u8> {
            self.frames.push((clock_hz, mosi.to_vec()));
            vec![0xA5; mosi.len()]
        }
    }

    fn answer(name: &str, bytes: &[u8]) -> (Vec<u8>, Recorder) {
        let mut programmer = Programmer::new(firmware(name).unwrap());
        let mut bus = Recorder::default();
        programmer.receive(Duration::ZERO, bytes, &mut bus);
        let mut out = Vec::new();
        programmer.take_output(Duration::MAX, &mut out);
        (out.into_iter().map(|(_, b)| b).collect(), bus)
    }

    #[test]
    fn queries_answer_byte_exact() {
        assert_eq!(
            answer("pico-serprog", &[0x00, 0x10, 0x01, 0x04, 0x05]).0,
            [ACK, NAK, ACK, ACK, 0x01, 0x00, ACK, 0xFF, 0xFF, ACK, 0x08]
        );
        let (name, _) = answer("pico-serprog", &[0x03]);
        assert_eq!(&name[1..13], b"pico-serprog");
        assert_eq!(name[13..], [0, 0, 0, 0]);
        assert_eq!(
            answer("pico-serprog", &[0x12, 0x08, 0x12, 0x09]).0,
            [ACK, NAK]
        );
    }

    #[test]
    fn o_spiop_acks_after_the_write_phase_and_reads_with_mosi_zero() {
        let (out, bus) = answer("pico-serprog", &[0x13, 0x01, 0, 0, 0x03, 0, 0, 0x9F]);
        assert_eq!(out, [ACK, 0xA5, 0xA5, 0xA5]);
        assert_eq!(bus.frames, [(1_000_000, vec![0x9F, 0, 0, 0])]);
    }

    #[test]
    fn each_firmware_bug_is_reproduced() {
        let long = [&[0x13, 0x01, 0x10, 0x00, 0, 0, 0][..], &[0xD2; 4097]].concat();
        let (out, bus) = answer("pico-serprog", &[&long[..], &[0x00]].concat());
        assert!(
            out.is_empty() && bus.frames.is_empty(),
            "crashed: silent for ever"
        );
        assert_eq!(
            answer("stm32-vserprog", &[0x16, 0x00]).0,
            [ACK],
            "0x16 unknown: silence, then NOP"
        );
        assert_eq!(
            answer("libreboot-pico-serprog", &[0x16, 0x01]).0,
            [] as [u8; 0]
        );
        let (out, _) = answer("kukrimate-2021", &[0x14, 0x40, 0x42, 0x0F, 0x00]);
        assert_eq!(
            out,
            [ACK, 0x00, 0x1B, 0xB7, 0x00, NAK, NAK, NAK, ACK],
            "parameters run as commands"
        );
        assert_eq!(
            answer("pico-serprog", &[0x14, 0, 0, 0, 0]).0,
            [NAK],
            "0 Hz is reserved"
        );
        assert_eq!(
            answer("spec-complete", &[0x08, 0x11]).0,
            [ACK, 0x00, 0x02, 0x00, ACK, 0x00, 0x04, 0x00]
        );
    }
}
