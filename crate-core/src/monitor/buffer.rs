//! The monitor's bounded buffer: received bytes split into timestamped lines, oldest lines dropped
//! once a line count or a byte budget is reached, so a device that never stops talking costs no more.

use alloc::boxed::Box;
use alloc::collections::VecDeque;
use alloc::string::String;
use alloc::vec::Vec;
use core::mem::size_of;

use super::render::{format_timestamp, render_bytes};

/// How much the buffer keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MonitorLimits {
    /// Most complete lines kept.
    pub max_lines: usize,
    /// Most bytes the kept lines may cost: their text plus `LINE_COST` each.
    pub max_bytes: usize,
    /// A line with no line break is cut here (binary output at the wrong baud has none).
    pub max_line_bytes: usize,
}

/// What one kept line costs besides its text: the `MonitorLine` slot itself.
pub const LINE_COST: usize = size_of::<MonitorLine>();

impl MonitorLimits {
    /// The page's and the CLI's monitor: an hour of a typical OpenBeken log (a line a second), or
    /// the last 45 s of a device printing flat out at 115200 baud.
    pub const DEFAULT: Self = Self {
        max_lines: 4_000,
        max_bytes: 512 * 1024,
        max_line_bytes: 1024,
    };

    /// The most heap the buffer uses with these limits, at any moment: the kept lines, the ring of
    /// line slots (a power of two, plus the old half while it grows once), the unfinished line (a
    /// doubling `Vec`) and the line being rendered (up to 4 text bytes per byte, then shrunk).
    pub fn memory_bound(&self) -> usize {
        let slots = (self.max_lines + 1).next_power_of_two();
        self.max_bytes
            + slots * LINE_COST * 3 / 2
            + 2 * self.max_line_bytes
            + 12 * self.max_line_bytes
    }
}

impl Default for MonitorLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// One complete line as shown: its number since the monitor opened, when its first byte came, its text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonitorLine {
    pub seq: u64,
    /// Time of day in milliseconds (the caller's clock), shown as `HH:MM:SS.mmm`.
    pub at_ms: u64,
    pub text: Box<str>,
}

impl MonitorLine {
    fn cost(&self) -> usize {
        self.text.len() + LINE_COST
    }

    /// `HH:MM:SS.mmm  text`, or the text alone.
    pub fn display(&self, timestamps: bool, out: &mut String) {
        if timestamps {
            out.push_str(&format_timestamp(self.at_ms));
            out.push_str("  ");
        }
        out.push_str(&self.text);
    }
}

/// Received bytes as lines, within `MonitorLimits`.
#[derive(Clone, Debug)]
pub struct MonitorBuffer {
    limits: MonitorLimits,
    lines: VecDeque<MonitorLine>,
    /// What the kept lines cost (see `MonitorLimits::max_bytes`).
    held: usize,
    /// Bytes of the line not yet ended, and when its first byte came.
    unfinished: Vec<u8>,
    unfinished_at: u64,
    /// The last byte was a CR: a LF right after it ends nothing more.
    after_cr: bool,
    next_seq: u64,
    dropped: u64,
    received: u64,
}

impl MonitorBuffer {
    pub fn new(limits: MonitorLimits) -> Self {
        Self {
            limits,
            lines: VecDeque::new(),
            held: 0,
            unfinished: Vec::new(),
            unfinished_at: 0,
            after_cr: false,
            next_seq: 0,
            dropped: 0,
            received: 0,
        }
    }

    pub fn limits(&self) -> MonitorLimits {
        self.limits
    }

    /// Take `bytes` received at `at_ms`. CR, LF and CR LF each end a line.
    pub fn push(&mut self, at_ms: u64, bytes: &[u8]) {
        self.received += bytes.len() as u64;
        for &byte in bytes {
            let after_cr = core::mem::replace(&mut self.after_cr, byte == b'\r');
            match byte {
                b'\n' if after_cr => {}
                b'\n' | b'\r' => self.end_line(at_ms),
                _ => {
                    if self.unfinished.is_empty() {
                        self.unfinished_at = at_ms;
                    }
                    self.unfinished.push(byte);
                    if self.unfinished.len() >= self.limits.max_line_bytes {
                        self.end_line(at_ms);
                    }
                }
            }
        }
    }

    /// End the unfinished line now, if there is one (a prompt that waits for input has no break).
    pub fn break_line(&mut self, at_ms: u64) {
        if !self.unfinished.is_empty() {
            self.end_line(at_ms);
        }
    }

    fn end_line(&mut self, at_ms: u64) {
        let at_ms = if self.unfinished.is_empty() {
            at_ms
        } else {
            self.unfinished_at
        };
        let mut text = String::new();
        render_bytes(&self.unfinished, &mut text);
        let text = text.into_boxed_str();
        self.unfinished.clear();
        let line = MonitorLine {
            seq: self.next_seq,
            at_ms,
            text,
        };
        self.next_seq += 1;
        self.held += line.cost();
        self.lines.push_back(line);
        while self.lines.len() > self.limits.max_lines || self.held > self.limits.max_bytes {
            let Some(oldest) = self.lines.pop_front() else {
                break;
            };
            self.held -= oldest.cost();
            self.dropped += 1;
        }
    }

    /// Forget every line and the unfinished one; numbering goes on.
    pub fn clear(&mut self) {
        self.lines.clear();
        self.lines.shrink_to_fit();
        self.held = 0;
        self.unfinished.clear();
        self.after_cr = false;
    }

    /// The kept complete lines, oldest first.
    pub fn lines(&self) -> impl Iterator<Item = &MonitorLine> {
        self.lines.iter()
    }

    /// Kept lines numbered after `seq` (all of them for `None`): what a terminal has not shown yet.
    pub fn lines_after(&self, seq: Option<u64>) -> impl Iterator<Item = &MonitorLine> {
        let first = self.lines.front().map_or(0, |line| line.seq);
        let skip = seq.map_or(0, |seq| (seq + 1).saturating_sub(first) as usize);
        self.lines.iter().skip(skip)
    }

    /// The line still being received, rendered, numbered as the next line.
    pub fn unfinished(&self) -> Option<MonitorLine> {
        (!self.unfinished.is_empty()).then(|| {
            let mut text = String::new();
            render_bytes(&self.unfinished, &mut text);
            MonitorLine {
                seq: self.next_seq,
                at_ms: self.unfinished_at,
                text: text.into_boxed_str(),
            }
        })
    }

    /// Number the next complete line will get.
    pub fn next_seq(&self) -> u64 {
        self.next_seq
    }

    pub fn line_count(&self) -> usize {
        self.lines.len()
    }

    /// Lines dropped to stay within the limits since the monitor opened.
    pub fn dropped_lines(&self) -> u64 {
        self.dropped
    }

    /// Bytes received since the monitor opened.
    pub fn received_bytes(&self) -> u64 {
        self.received
    }

    /// What the kept lines cost now (at most `max_bytes`).
    pub fn held_bytes(&self) -> usize {
        self.held
    }

    /// Heap the buffer holds now: lines, the ring of line slots and the unfinished line.
    pub fn memory_bytes(&self) -> usize {
        self.held - self.lines.len() * LINE_COST
            + self.lines.capacity() * LINE_COST
            + self.unfinished.capacity()
    }

    /// Every kept line and the unfinished one, one per line (what "Save" writes).
    pub fn to_text(&self, timestamps: bool) -> String {
        let mut text = String::new();
        for line in self.lines.iter().chain(self.unfinished().as_ref()) {
            line.display(timestamps, &mut text);
            text.push('\n');
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(buffer: &MonitorBuffer) -> Vec<&str> {
        buffer.lines().map(|line| &*line.text).collect()
    }

    #[test]
    fn cr_lf_and_crlf_each_end_one_line() {
        let mut buffer = MonitorBuffer::new(MonitorLimits::DEFAULT);
        buffer.push(5, b"one\r\ntwo\nthr");
        buffer.push(9, b"ee\rfour\r");
        buffer.push(12, b"\n\nfive");
        assert_eq!(texts(&buffer), ["one", "two", "three", "four", ""]);
        let times: Vec<u64> = buffer.lines().map(|line| line.at_ms).collect();
        assert_eq!(
            times,
            [5, 5, 5, 9, 12],
            "a line is stamped by its first byte"
        );
        assert_eq!(
            buffer.unfinished().map(|line| line.text),
            Some("five".into())
        );
        assert_eq!(buffer.received_bytes(), 26);
        buffer.break_line(20);
        assert_eq!(
            buffer.lines().last().map(|l| (l.seq, l.at_ms)),
            Some((5, 12))
        );
        assert_eq!(buffer.unfinished(), None);
    }

    #[test]
    fn a_line_without_breaks_is_cut_at_its_cap() {
        let limits = MonitorLimits {
            max_line_bytes: 8,
            ..MonitorLimits::DEFAULT
        };
        let mut buffer = MonitorBuffer::new(limits);
        buffer.push(0, &[0xAA; 20]);
        assert_eq!(buffer.line_count(), 2);
        assert_eq!(&*buffer.lines().next().unwrap().text, "\\xaa".repeat(8));
        assert_eq!(buffer.unfinished().unwrap().text.len(), 4 * 4);
    }

    #[test]
    fn oldest_lines_go_first_when_a_limit_is_reached() {
        let by_count = MonitorLimits {
            max_lines: 3,
            ..MonitorLimits::DEFAULT
        };
        let mut buffer = MonitorBuffer::new(by_count);
        buffer.push(0, b"a\nb\nc\nd\ne\n");
        assert_eq!(texts(&buffer), ["c", "d", "e"]);
        assert_eq!(buffer.dropped_lines(), 2);

        let by_bytes = MonitorLimits {
            max_bytes: 3 * (LINE_COST + 10),
            ..MonitorLimits::DEFAULT
        };
        let mut buffer = MonitorBuffer::new(by_bytes);
        for i in 0..10u8 {
            buffer.push(0, &[b'0' + i; 10]);
            buffer.push(0, b"\n");
        }
        assert_eq!(buffer.line_count(), 3);
        assert!(buffer.held_bytes() <= by_bytes.max_bytes);
        assert_eq!(&*buffer.lines().next().unwrap().text, "7777777777");
    }

    #[test]
    fn lines_after_a_number_skip_what_was_shown_even_after_drops() {
        let limits = MonitorLimits {
            max_lines: 4,
            ..MonitorLimits::DEFAULT
        };
        let mut buffer = MonitorBuffer::new(limits);
        buffer.push(0, b"0\n1\n2\n3\n4\n5\n");
        let after = |seq| buffer.lines_after(seq).map(|l| l.seq).collect::<Vec<_>>();
        assert_eq!(after(Some(3)), [4, 5]);
        assert_eq!(
            after(Some(0)),
            [2, 3, 4, 5],
            "lines dropped meanwhile are skipped"
        );
        assert_eq!(after(None), [2, 3, 4, 5]);
        assert_eq!(after(Some(5)), Vec::<u64>::new());
    }

    #[test]
    fn clear_forgets_lines_but_keeps_numbering() {
        let mut buffer = MonitorBuffer::new(MonitorLimits::DEFAULT);
        buffer.push(0, b"a\nb\nhalf");
        buffer.clear();
        assert_eq!((buffer.line_count(), buffer.held_bytes()), (0, 0));
        assert_eq!(buffer.unfinished(), None);
        buffer.push(1, b"c\n");
        assert_eq!(buffer.lines().next().unwrap().seq, 2);
    }

    #[test]
    fn saved_text_has_timestamps_and_the_unfinished_line() {
        let mut buffer = MonitorBuffer::new(MonitorLimits::DEFAULT);
        buffer.push(3_723_004, b"boot\r\n\xff> ");
        assert_eq!(
            buffer.to_text(true),
            "01:02:03.004  boot\n01:02:03.004  \\xff> \n"
        );
        assert_eq!(buffer.to_text(false), "boot\n\\xff> \n");
    }
}
