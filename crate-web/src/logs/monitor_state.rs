//! One monitor window's state: the core's bounded buffer and view, the user's choices, lines
//! waiting to be sent, and a version signal bumped at most a few times a second, so a chatty
//! device does not re-render the page for every chunk it sends.

use core::time::Duration;

use bkflash_core::monitor::{LineEnding, MonitorBuffer, MonitorLimits, MonitorView};
use leptos::prelude::*;

use super::clock::time_of_day_ms;

/// The monitor text is re-rendered at most this often.
const RENDER_EVERY: Duration = Duration::from_millis(150);
/// Lines shown on the page; Save writes everything the buffer keeps.
pub const SHOWN_LINES: usize = 500;

/// Handles to one monitor's state (`Copy`, shared by its port loop and its panel).
#[derive(Clone, Copy)]
pub struct MonitorState {
    buffer: StoredValue<MonitorBuffer>,
    view: StoredValue<MonitorView>,
    dirty: StoredValue<bool>,
    outbox: StoredValue<Vec<Vec<u8>>>,
    /// Bumped when the text to show has changed; everything shown reads it.
    pub version: RwSignal<u64>,
    pub timestamps: RwSignal<bool>,
    pub ending: RwSignal<LineEnding>,
}

impl MonitorState {
    pub fn new() -> Self {
        let state = Self {
            buffer: StoredValue::new(MonitorBuffer::new(MonitorLimits::DEFAULT)),
            view: StoredValue::new(MonitorView::new()),
            dirty: StoredValue::new(false),
            outbox: StoredValue::new(Vec::new()),
            version: RwSignal::new(0),
            timestamps: RwSignal::new(true),
            ending: RwSignal::new(LineEnding::default()),
        };
        let refresh = set_interval_with_handle(move || state.refresh(), RENDER_EVERY);
        if let Ok(handle) = refresh {
            on_cleanup(move || handle.clear());
        }
        state
    }

    fn refresh(&self) {
        if self.dirty.get_value() {
            self.dirty.set_value(false);
            self.version.update(|v| *v += 1);
        }
    }

    fn changed(&self) {
        self.dirty.set_value(true);
    }

    /// Bytes received now.
    pub fn push(&self, bytes: &[u8]) {
        let at = time_of_day_ms();
        self.buffer.update_value(|buffer| buffer.push(at, bytes));
        self.changed();
    }

    pub fn clear(&self) {
        self.buffer.update_value(MonitorBuffer::clear);
        self.version.update(|v| *v += 1);
    }

    pub fn is_following(&self) -> bool {
        self.version.track();
        self.view.with_value(MonitorView::is_following)
    }

    /// Pause when following, follow when paused.
    pub fn toggle_pause(&self) {
        let buffer = self.buffer;
        self.view.update_value(|view| {
            if view.is_following() {
                buffer.with_value(|b| view.pause(b));
            } else {
                view.follow();
            }
        });
        self.version.update(|v| *v += 1);
    }

    pub fn set_query(&self, query: &str) {
        self.view.update_value(|view| view.set_query(query));
        self.version.update(|v| *v += 1);
    }

    /// The last `SHOWN_LINES` lines the view shows.
    pub fn text(&self) -> String {
        self.version.track();
        let timestamps = self.timestamps.get();
        self.view.with_value(|view| {
            self.buffer
                .with_value(|buffer| view.render(buffer, timestamps, SHOWN_LINES))
        })
    }

    /// Lines kept and dropped, bytes received and heap held, in words.
    pub fn status(&self) -> String {
        self.version.track();
        let (held_back, matching) = self.view.with_value(|view| {
            self.buffer
                .with_value(|buffer| (view.held_back(buffer), view.count(buffer)))
        });
        self.buffer.with_value(|buffer| {
            let mut words = format!(
                "{} lines kept ({} dropped to stay within {} KiB), {} bytes received, {} KiB held",
                buffer.line_count(),
                buffer.dropped_lines(),
                buffer.limits().max_bytes / 1024,
                buffer.received_bytes(),
                buffer.memory_bytes().div_ceil(1024)
            );
            if matching != buffer.line_count() {
                words.push_str(&format!("; {matching} match the search"));
            }
            if held_back > 0 {
                words.push_str(&format!("; paused, {held_back} new lines"));
            }
            words
        })
    }

    /// The figures e2e tests and the status line read: lines, dropped, received, heap bytes.
    pub fn figures(&self) -> [u64; 4] {
        self.version.track();
        self.buffer.with_value(|b| {
            [
                b.line_count() as u64,
                b.dropped_lines(),
                b.received_bytes(),
                b.memory_bytes() as u64,
            ]
        })
    }

    /// Everything kept, for "Save".
    pub fn saved_text(&self) -> String {
        let timestamps = self.timestamps.get_untracked();
        self.buffer.with_value(|buffer| buffer.to_text(timestamps))
    }

    /// Queue `text` with the chosen line ending for the port's loop to send.
    pub fn send_line(&self, text: &str) {
        let bytes = self.ending.get_untracked().encode(text);
        self.outbox.update_value(|outbox| outbox.push(bytes));
    }

    /// Lines queued for sending, oldest first.
    pub fn take_outbox(&self) -> Vec<Vec<u8>> {
        let mut taken = Vec::new();
        self.outbox
            .update_value(|outbox| taken = core::mem::take(outbox));
        taken
    }
}
