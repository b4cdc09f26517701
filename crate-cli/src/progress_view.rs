//! Shows the core's progress events on stderr: an indicatif bar on a terminal, plain lines otherwise
//! (logs get no escape codes), and with `-v` every protocol frame in hex.

use std::io::{IsTerminal, Write};
use std::time::Duration;

use bkflash_core::progress::{Direction, Event, LineState, ProgressSink, Stage, retry_line};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// Frame bytes shown per `-v` line; a 4 KiB write frame would flood the terminal.
const FRAME_BYTES_SHOWN: usize = 32;
/// Plain mode prints a progress line each time this many more percent are done.
const PERCENT_STEP: u64 = 10;

enum Output {
    Bar(Option<ProgressBar>),
    Lines {
        out: Box<dyn Write>,
        last_percent: Option<u64>,
    },
}

/// The CLI's progress sink.
pub struct ProgressView {
    output: Output,
    verbose: bool,
    stage: Option<Stage>,
    line: Option<LineState>,
    /// Notes already shown in this stage: linking repeats its kicks many times.
    notes: Vec<String>,
    retries: u32,
}

impl ProgressView {
    /// A bar when stderr is a terminal, plain lines when it is not.
    pub fn for_stderr(verbose: bool) -> Self {
        if !std::io::stderr().is_terminal() {
            return Self::lines(Box::new(std::io::stderr()), verbose);
        }
        Self {
            output: Output::Bar(None),
            verbose,
            stage: None,
            line: None,
            notes: Vec::new(),
            retries: 0,
        }
    }

    /// Plain lines into `out` (tests, logs).
    pub fn lines(out: Box<dyn Write>, verbose: bool) -> Self {
        Self {
            output: Output::Lines {
                out,
                last_percent: None,
            },
            verbose,
            stage: None,
            line: None,
            notes: Vec::new(),
            retries: 0,
        }
    }

    /// Retries seen since the view was made (all jobs).
    pub fn retries(&self) -> u32 {
        self.retries
    }

    /// Print a line without tearing the bar.
    pub fn say(&mut self, text: &str) {
        match &mut self.output {
            Output::Bar(Some(bar)) => bar.println(text),
            Output::Bar(None) => eprintln!("{text}"),
            Output::Lines { out, .. } => {
                let _ = writeln!(out, "{text}");
            }
        }
    }

    /// Close the current bar, leaving a finished byte bar on screen.
    pub fn finish(&mut self) {
        if let Output::Bar(bar) = &mut self.output
            && let Some(bar) = bar.take()
        {
            if bar.length().is_some_and(|len| len > 0) {
                bar.finish()
            } else {
                bar.finish_and_clear()
            }
        }
    }

    fn start_stage(&mut self, stage: Stage) {
        self.finish();
        self.stage = Some(stage);
        self.notes.clear();
        let name = stage.label();
        match &mut self.output {
            Output::Bar(slot) => {
                let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
                bar.set_style(spinner_style());
                bar.set_prefix(name);
                bar.enable_steady_tick(Duration::from_millis(120));
                *slot = Some(bar);
            }
            Output::Lines { out, last_percent } => {
                *last_percent = None;
                let _ = writeln!(out, "{name}: started");
            }
        }
    }

    fn bytes(&mut self, done: u64, total: u64) {
        let name = self.stage.map_or("job", Stage::label);
        match &mut self.output {
            Output::Bar(Some(bar)) => {
                if bar.length() != Some(total) {
                    bar.set_style(bytes_style());
                    bar.set_length(total);
                }
                bar.set_position(done);
            }
            Output::Bar(None) => {}
            Output::Lines { out, last_percent } => {
                let percent = (done * 100).checked_div(total).unwrap_or(100);
                let step = percent / PERCENT_STEP * PERCENT_STEP;
                if last_percent.is_none_or(|last| step > last) {
                    *last_percent = Some(step);
                    let _ = writeln!(out, "{name}: {percent}% ({done} of {total} bytes)");
                }
            }
        }
    }

    fn frame(&mut self, direction: Direction, bytes: &[u8]) {
        let shown: Vec<String> = bytes
            .iter()
            .take(FRAME_BYTES_SHOWN)
            .map(|b| format!("{b:02x}"))
            .collect();
        let more = if bytes.len() > FRAME_BYTES_SHOWN {
            format!(" ... ({} bytes)", bytes.len())
        } else {
            String::new()
        };
        self.say(&format!(
            "{} {}{more}",
            direction.ascii_arrow(),
            shown.join(" ")
        ));
    }
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{prefix:>10} {spinner} {elapsed} {msg}")
        .expect("valid spinner template")
}

fn bytes_style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{prefix:>10} [{bar:20}] {bytes}/{total_bytes} {binary_bytes_per_sec} ETA {eta} {msg}",
    )
    .expect("valid bar template")
    .progress_chars("=> ")
}

impl ProgressSink for ProgressView {
    fn event(&mut self, event: Event<'_>) {
        crate::report::record(&event);
        match event {
            Event::Stage(stage) => self.start_stage(stage),
            Event::Bytes { done, total } => self.bytes(done, total),
            Event::Retry {
                command,
                address,
                attempt,
                kind,
            } => {
                self.retries += 1;
                if let Output::Bar(Some(bar)) = &self.output {
                    bar.set_message(format!("{} retries", self.retries));
                }
                self.say(&retry_line(command, address, attempt, kind));
            }
            Event::Line(state) if self.line != Some(state) => {
                self.line = Some(state);
                self.say(&format!("line: {}", state.advice()));
            }
            Event::Line(_) => {}
            Event::Frame { direction, bytes } if self.verbose => self.frame(direction, bytes),
            Event::Frame { .. } => {}
            Event::Note(text) if !self.notes.iter().any(|seen| seen == text) => {
                self.notes.push(text.to_string());
                self.say(&format!("note: {text}"));
            }
            Event::Note(_) => {}
        }
    }
}

impl Drop for ProgressView {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bkflash_core::error::ErrorKind;
    use bkflash_core::protocol::Opcode;
    use std::sync::{Arc, Mutex};

    /// A writer the test can read back after the view is done with it.
    #[derive(Clone, Default)]
    struct Shared(Arc<Mutex<Vec<u8>>>);

    impl Write for Shared {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    fn run(verbose: bool, events: &[Event<'_>]) -> String {
        let shared = Shared::default();
        let mut view = ProgressView::lines(Box::new(shared.clone()), verbose);
        for &event in events {
            view.event(event);
        }
        drop(view);
        String::from_utf8(shared.0.lock().unwrap().clone()).unwrap()
    }

    #[test]
    fn plain_mode_prints_stages_and_ten_percent_steps_without_escapes() {
        let mut events = vec![Event::Stage(Stage::Write)];
        events.extend((0..=100u64).map(|k| Event::Bytes {
            done: k * 41,
            total: 4100,
        }));
        let text = run(false, &events);
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(
            text.starts_with(
                "write: started\nwrite: 0% (0 of 4100 bytes)\nwrite: 10% (410 of 4100 bytes)\n"
            ),
            "{text}"
        );
        assert_eq!(
            text.lines().filter(|l| l.contains('%')).count(),
            11,
            "{text}"
        );
        assert!(
            text.ends_with("write: 100% (4100 of 4100 bytes)\n"),
            "{text}"
        );
    }

    #[test]
    fn retries_notes_and_line_changes_are_reported_once() {
        let retry = Event::Retry {
            command: Opcode::FlashRead4K,
            address: Some(0x11000),
            attempt: 1,
            kind: ErrorKind::CrcMismatch,
        };
        let events = [
            Event::Line(LineState::Silent),
            Event::Line(LineState::Silent),
            Event::Line(LineState::Linked),
            retry,
            Event::Note("reset now"),
            Event::Note("kick"),
            Event::Note("reset now"),
            Event::Stage(Stage::Read),
            Event::Note("kick"),
        ];
        let text = run(false, &events);
        assert_eq!(text.matches("Nothing comes back yet").count(), 1, "{text}");
        assert!(text.contains("line: The chip answered."), "{text}");
        assert!(
            text.contains("retry 1 of FlashRead4K at 0x011000: "),
            "{text}"
        );
        assert_eq!(
            text.matches("note: reset now").count(),
            1,
            "once per stage: {text}"
        );
        assert_eq!(
            text.matches("note: kick").count(),
            2,
            "again in a new stage: {text}"
        );
    }

    #[test]
    fn frames_show_only_with_verbose_and_long_ones_are_cut() {
        let long = [0xAAu8; 100];
        let events = [
            Event::Frame {
                direction: Direction::Sent,
                bytes: &[0x01, 0xE0, 0xFC, 0x01, 0x00],
            },
            Event::Frame {
                direction: Direction::Received,
                bytes: &long,
            },
        ];
        assert_eq!(run(false, &events), "");
        let text = run(true, &events);
        assert!(text.starts_with("-> 01 e0 fc 01 00\n<- aa aa"), "{text}");
        assert!(text.contains("... (100 bytes)"), "{text}");
    }
}
