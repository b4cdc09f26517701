//! What the host did to the line, with virtual timestamps: writes, baud changes, modem lines.
//! For golden tests: `render` lists the host's frames without times, so timing changes do not break them.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;
use core::time::Duration;

use crate::frames::{render, split_host_bytes};

/// One host action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HostEvent {
    Write(Vec<u8>),
    SetBaud(u32),
    SetSignals {
        dtr: bool,
        rts: bool,
    },
    DiscardInput,
    /// The port was opened again (a Web Serial baud change).
    PortOpened,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Virtual time when the action started.
    pub at: Duration,
    pub event: HostEvent,
}

#[derive(Clone, Debug, Default)]
pub struct Transcript {
    entries: Vec<Entry>,
}

impl Transcript {
    pub fn record(&mut self, at: Duration, event: HostEvent) {
        self.entries.push(Entry { at, event });
    }

    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    pub fn clear(&mut self) {
        self.entries.clear();
    }

    /// Everything the host wrote, in order.
    pub fn host_bytes(&self) -> Vec<u8> {
        self.entries
            .iter()
            .filter_map(|e| match &e.event {
                HostEvent::Write(bytes) => Some(bytes.as_slice()),
                _ => None,
            })
            .flatten()
            .copied()
            .collect()
    }

    /// One line per host frame, baud change or line change, without times. Runs of identical
    /// consecutive lines (a LinkCheck flood) collapse to one line with a count, so the flood length,
    /// which depends on timing, does not leak into golden files.
    pub fn render(&self) -> String {
        let mut lines: Vec<String> = Vec::new();
        let mut writes: Vec<u8> = Vec::new();
        for entry in &self.entries {
            match &entry.event {
                HostEvent::Write(bytes) => writes.extend_from_slice(bytes),
                other => {
                    flush_writes(&mut writes, &mut lines);
                    lines.push(match other {
                        HostEvent::SetBaud(baud) => format!("host baud {baud}"),
                        HostEvent::SetSignals { dtr, rts } => {
                            format!("lines dtr={} rts={}", u8::from(*dtr), u8::from(*rts))
                        }
                        HostEvent::PortOpened => String::from("port reopened"),
                        _ => String::from("discard input"),
                    });
                }
            }
        }
        flush_writes(&mut writes, &mut lines);
        let mut out = String::new();
        let mut i = 0;
        while i < lines.len() {
            let run = lines[i..].iter().take_while(|l| **l == lines[i]).count();
            if run > 1 {
                out.push_str(&format!("{} (repeated)\n", lines[i]));
            } else {
                out.push_str(&lines[i]);
                out.push('\n');
            }
            i += run;
        }
        out
    }
}

fn flush_writes(writes: &mut Vec<u8>, lines: &mut Vec<String>) {
    lines.extend(split_host_bytes(writes).iter().map(render));
    writes.clear();
}
