//! The CLI's hardware report: the session facts gathered while a command runs (port, chip, every
//! progress event), rendered by the core's `HardwareReport`; saved on request or after a failure.

use std::path::{Path, PathBuf};
use std::sync::{LazyLock, Mutex, PoisonError};

use bkflash_core::flasher::ChipInfo;
use bkflash_core::progress::Event;
use bkflash_core::report::{HardwareReport, ReportRecorder};
use chrono::Local;

use crate::args::Global;
use crate::port_ids::describe_port;

/// What this run has seen so far; one command runs per process, so one set of facts.
#[derive(Default)]
struct Facts {
    recorder: ReportRecorder,
    port: Option<String>,
    chip: Option<ChipInfo>,
}

static FACTS: LazyLock<Mutex<Facts>> = LazyLock::new(Mutex::default);

fn with_facts<R>(f: impl FnOnce(&mut Facts) -> R) -> R {
    f(&mut FACTS.lock().unwrap_or_else(PoisonError::into_inner))
}

/// Note a progress event (the progress view forwards every one).
pub fn record(event: &Event<'_>) {
    with_facts(|facts| facts.recorder.record(event));
}

/// Note the port the command opened.
pub fn note_port(name: &str) {
    let described = describe_port(name);
    with_facts(|facts| facts.port = Some(described));
}

/// Note the chip `connect` found.
pub fn note_chip(chip: &ChipInfo) {
    with_facts(|facts| facts.chip = Some(chip.clone()));
}

/// The OS and architecture, with the distribution and kernel where Linux tells them.
fn host() -> String {
    let pretty = std::fs::read_to_string("/etc/os-release")
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|line| line.strip_prefix("PRETTY_NAME="))
                .map(|name| name.trim_matches('"').to_owned())
        });
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease")
        .ok()
        .map(|release| format!("kernel {}", release.trim()));
    let mut parts = vec![format!(
        "{} {}",
        std::env::consts::OS,
        std::env::consts::ARCH
    )];
    parts.extend(pretty);
    parts.extend(kernel);
    parts.join(", ")
}

/// The report of this run so far, ending with `outcome`.
pub fn render(global: &Global, outcome: &str) -> String {
    let tool = format!("bkflash {}, command line", env!("CARGO_PKG_VERSION"));
    let host = host();
    with_facts(|facts| {
        HardwareReport {
            tool: &tool,
            host: &host,
            host_detail: None,
            flash_port: facts.port.as_deref(),
            log_port: None,
            chip: facts.chip.as_ref(),
            baud_asked: global.baud,
            reset: global.reset.method(),
            recorder: &facts.recorder,
            outcome: Some(outcome),
        }
        .render()
    })
}

/// Where a report is saved when `--report` does not say: the current folder, named by the time.
pub fn default_path() -> PathBuf {
    PathBuf::from(format!(
        "bkflash-report-{}.txt",
        Local::now().format("%Y%m%d-%H%M%S")
    ))
}

/// Write the report to `path`; the error names the file.
pub fn save(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text).map_err(|error| {
        format!(
            "cannot save the hardware report to {}: {error}",
            path.display()
        )
    })
}
