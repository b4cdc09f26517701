//! What the monitor shows of its buffer: everything as it comes (follow), or frozen at the line
//! where the user paused, and only the lines that contain the search text when there is one.

use alloc::string::String;
use alloc::vec::Vec;

use super::buffer::{MonitorBuffer, MonitorLine};

/// Pause/follow and search state of one monitor window.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MonitorView {
    /// Paused: lines numbered from here on are held back.
    paused_at: Option<u64>,
    /// Lowercased search text; empty shows every line.
    query: String,
}

impl MonitorView {
    pub fn new() -> Self {
        Self::default()
    }

    /// Freeze the view at what `buffer` holds now; new lines keep arriving (within the limits).
    pub fn pause(&mut self, buffer: &MonitorBuffer) {
        self.paused_at.get_or_insert(buffer.next_seq());
    }

    /// Show everything again, as it comes.
    pub fn follow(&mut self) {
        self.paused_at = None;
    }

    pub fn is_following(&self) -> bool {
        self.paused_at.is_none()
    }

    /// Show only lines containing `query` (ignoring ASCII case); an empty query shows all.
    pub fn set_query(&mut self, query: &str) {
        self.query = query.to_ascii_lowercase();
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    fn shows(&self, line: &MonitorLine) -> bool {
        self.paused_at.is_none_or(|paused| line.seq < paused)
            && (self.query.is_empty() || line.text.to_ascii_lowercase().contains(&self.query))
    }

    /// Lines received since the pause, shown when the user follows again.
    pub fn held_back(&self, buffer: &MonitorBuffer) -> u64 {
        self.paused_at
            .map_or(0, |paused| buffer.next_seq().saturating_sub(paused))
    }

    /// How many kept lines the view shows.
    pub fn count(&self, buffer: &MonitorBuffer) -> usize {
        buffer.lines().filter(|line| self.shows(line)).count()
    }

    /// The last `most` shown lines as text, one per line; the unfinished line too while following.
    /// A page keeps its text short this way; "Save" takes the whole buffer.
    pub fn render(&self, buffer: &MonitorBuffer, timestamps: bool, most: usize) -> String {
        let unfinished = self
            .paused_at
            .is_none()
            .then(|| buffer.unfinished())
            .flatten();
        let shown: Vec<&MonitorLine> = buffer
            .lines()
            .chain(unfinished.as_ref())
            .filter(|line| self.shows(line))
            .collect();
        let mut text = String::new();
        for line in &shown[shown.len().saturating_sub(most)..] {
            if !text.is_empty() {
                text.push('\n');
            }
            line.display(timestamps, &mut text);
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::MonitorLimits;

    fn buffer_with(text: &[u8]) -> MonitorBuffer {
        let mut buffer = MonitorBuffer::new(MonitorLimits::DEFAULT);
        buffer.push(1_000, text);
        buffer
    }

    #[test]
    fn pause_freezes_the_view_until_follow() {
        let mut buffer = buffer_with(b"one\ntwo\n");
        let mut view = MonitorView::new();
        view.pause(&buffer);
        buffer.push(2_000, b"three\nfour\nfi");
        assert!(!view.is_following());
        assert_eq!(view.render(&buffer, false, usize::MAX), "one\ntwo");
        assert_eq!(view.held_back(&buffer), 2);
        view.pause(&buffer);
        assert_eq!(
            view.held_back(&buffer),
            2,
            "pausing twice keeps the first point"
        );
        view.follow();
        assert_eq!(
            view.render(&buffer, false, usize::MAX),
            "one\ntwo\nthree\nfour\nfi"
        );
        assert_eq!(view.held_back(&buffer), 0);
    }

    #[test]
    fn search_shows_matching_lines_ignoring_case() {
        let buffer = buffer_with(b"Info:MAIN:boot\nWarn:WIFI:no ap\ninfo:MQTT:connect\n");
        let mut view = MonitorView::new();
        view.set_query("INFO");
        assert_eq!(
            view.render(&buffer, false, usize::MAX),
            "Info:MAIN:boot\ninfo:MQTT:connect"
        );
        assert_eq!(view.count(&buffer), 2);
        assert_eq!(
            view.render(&buffer, true, usize::MAX),
            "00:00:01.000  Info:MAIN:boot\n00:00:01.000  info:MQTT:connect"
        );
        view.set_query("");
        assert_eq!(view.count(&buffer), 3);
        assert_eq!(
            view.render(&buffer, false, 1),
            "info:MQTT:connect",
            "only the last lines"
        );
    }
}
