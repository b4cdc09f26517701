//! What the hardware report remembers of a session: the last protocol-log lines (frames summarised
//! without user data, stages, retries, notes) and the baud rates the chip was asked to switch to.
//! Both the page and the CLI feed it every progress event.

use alloc::collections::VecDeque;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use super::frame_summary::summarise_frame;
use crate::progress::{Direction, Event, LineState, ProgressSink, retry_line};
use crate::protocol::command::COMMAND_MAGIC;

/// Protocol-log lines a report carries.
pub const REPORT_LOG_LINES: usize = 200;

/// SetBaudRate's command code (docs/protocol.md §4).
const SET_BAUD_CODE: u8 = 0x0F;

/// The session facts a report needs, gathered from progress events.
#[derive(Clone, Debug, Default)]
pub struct ReportRecorder {
    /// Lines with how many times each came in a row (a link flood repeats one line hundreds of times).
    lines: VecDeque<(String, u32)>,
    rates_tried: Vec<u32>,
    line_state: Option<LineState>,
}

impl ReportRecorder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Note one event of a job.
    pub fn record(&mut self, event: &Event<'_>) {
        match *event {
            Event::Stage(stage) => self.push(format!("-- {}", stage.label())),
            Event::Bytes { .. } => {}
            Event::Retry {
                command,
                address,
                attempt,
                kind,
            } => {
                self.push(retry_line(command, address, attempt, kind));
            }
            Event::Line(state) => {
                if self.line_state.replace(state) != Some(state) {
                    self.push(format!("line: {}", state.label()));
                }
            }
            Event::Frame { direction, bytes } => {
                if direction == Direction::Sent {
                    self.note_rate(bytes);
                }
                self.push(summarise_frame(direction, bytes));
            }
            Event::Note(text) => self.push(format!("note: {text}")),
        }
    }

    fn note_rate(&mut self, bytes: &[u8]) {
        if let [m0, m1, m2, _, SET_BAUD_CODE, b0, b1, b2, b3, ..] = *bytes
            && [m0, m1, m2] == COMMAND_MAGIC
        {
            let baud = u32::from_le_bytes([b0, b1, b2, b3]);
            if !self.rates_tried.contains(&baud) {
                self.rates_tried.push(baud);
            }
        }
    }

    fn push(&mut self, line: String) {
        if let Some((last, count)) = self.lines.back_mut()
            && *last == line
        {
            *count += 1;
            return;
        }
        if self.lines.len() == REPORT_LOG_LINES {
            self.lines.pop_front();
        }
        self.lines.push_back((line, 1));
    }

    /// The last `REPORT_LOG_LINES` lines, a repeat shown once with its count.
    pub fn log_lines(&self) -> impl Iterator<Item = String> + '_ {
        self.lines.iter().map(|(line, count)| match count {
            1 => line.clone(),
            n => format!("{line} (×{n})"),
        })
    }

    /// Baud rates the chip was asked to switch to, in order, each once.
    pub fn rates_tried(&self) -> &[u32] {
        &self.rates_tried
    }

    /// Forget everything (a new session).
    pub fn clear(&mut self) {
        *self = Self::default();
    }
}

impl ProgressSink for ReportRecorder {
    fn event(&mut self, event: Event<'_>) {
        self.record(&event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::progress::Stage;
    use crate::protocol::{Command, Opcode};

    fn frame(command: Command<'_>) -> Vec<u8> {
        let mut bytes = alloc::vec![0; command.encoded_len()];
        let len = command.encode(&mut bytes).unwrap();
        bytes.truncate(len);
        bytes
    }

    #[test]
    fn repeats_collapse_and_only_the_last_lines_stay() {
        let mut recorder = ReportRecorder::new();
        let link = frame(Command::LinkCheck);
        for _ in 0..500 {
            recorder.record(&Event::Frame {
                direction: Direction::Sent,
                bytes: &link,
            });
        }
        recorder.record(&Event::Line(LineState::Silent));
        recorder.record(&Event::Line(LineState::Silent));
        recorder.record(&Event::Stage(Stage::Identify));
        let lines: Vec<String> = recorder.log_lines().collect();
        assert_eq!(lines, ["→ LinkCheck (×500)", "line: silent", "-- identify"]);

        for i in 0..REPORT_LOG_LINES + 50 {
            recorder.record(&Event::Note(&format!("n{i}")));
        }
        let lines: Vec<String> = recorder.log_lines().collect();
        assert_eq!(lines.len(), REPORT_LOG_LINES);
        assert_eq!(lines[0], "note: n50");
    }

    #[test]
    fn rates_tried_come_from_the_baud_commands_sent() {
        let mut recorder = ReportRecorder::new();
        for baud in [2_000_000, 1_500_000, 2_000_000, 921_600] {
            let bytes = frame(Command::SetBaudRate { baud, delay_ms: 20 });
            recorder.record(&Event::Frame {
                direction: Direction::Sent,
                bytes: &bytes,
            });
        }
        let echo = [
            0x04, 0x0E, 0x09, 0x01, 0xE0, 0xFC, 0x0F, 0x00, 0x10, 0x0E, 0x00, 0x14,
        ];
        recorder.record(&Event::Frame {
            direction: Direction::Received,
            bytes: &echo,
        });
        assert_eq!(recorder.rates_tried(), [2_000_000, 1_500_000, 921_600]);
    }

    #[test]
    fn retries_and_notes_are_in_words() {
        let mut recorder = ReportRecorder::new();
        recorder.record(&Event::Retry {
            command: Opcode::FlashRead4K,
            address: Some(0x11000),
            attempt: 2,
            kind: ErrorKind::Timeout,
        });
        recorder.record(&Event::Note("The baud switch failed; going on at 115200"));
        let text: Vec<String> = recorder.log_lines().collect();
        assert!(
            text[0].starts_with("retry 2 of FlashRead4K at 0x011000: "),
            "{text:?}"
        );
        assert_eq!(text[1], "note: The baud switch failed; going on at 115200");
        recorder.clear();
        assert_eq!(recorder.log_lines().count(), 0);
    }
}
