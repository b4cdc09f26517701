//! `Sim`: one simulated chip driven by time. Host bytes go in with `rx`, chip bytes come out of `advance`,
//! each at its wire time; `next_event` says when anything happens next. No clock of its own, no sleeps.

use alloc::vec::Vec;
use core::time::Duration;

use crate::adapter::{Adapter, AdapterState};
use crate::config::{SimConfig, StartMode};
use crate::fault::{ByteFault, CORRUPT_MASK, CommandKind, Fault, Faults};
use crate::flash::Flash;
use crate::handler::Chip;
use crate::log_uart::LogUart;
use crate::parser::RxParser;
use crate::power::{AppListener, ChipMode, cen_low};
use crate::ring::{LEGACY_RX_RING, RxRing};
use crate::watch::{FlashChange, RangeWatch};
use crate::wire::Line;

mod events;
mod input;
mod log;

/// Every chip starts its UART here after a reset (docs/protocol.md §1.1).
pub const BOOT_BAUD: u32 = 115_200;

/// A simulated BK72xx in (or on its way to) download mode.
pub struct Sim {
    config: SimConfig,
    chip: Chip,
    parser: RxParser,
    app: AppListener,
    /// UART2: what the running app prints on its log port.
    log: LogUart,
    mode: ChipMode,
    /// End of the boot log (Booting), of the download window (Window), or the next status line (App).
    mode_until: Option<Duration>,
    /// A reset scheduled by a command, a fault or `StartMode::ResetAfter`.
    reset_at: Option<Duration>,
    cen_low: bool,
    chip_baud: u32,
    /// When the chip last switched baud, and the baud before.
    baud_switched: (Duration, u32),
    host_baud: u32,
    /// Everything up to here has been processed.
    now: Duration,
    /// The handler is blocked (flash work, sending a reply) until here.
    busy_until: Duration,
    last_rx: Duration,
    to_chip: Line,
    to_host: Line,
    delivered: Vec<u8>,
    faults: Faults,
    adapter: AdapterState,
    /// Legacy class: the bootloader's receive ring, which overflows while it programs pages.
    ring: Option<RxRing>,
    /// `Some(None)`: stalled forever.
    stalled_until: Option<Option<Duration>>,
    unplugged_at: Option<Duration>,
    watch: Option<RangeWatch>,
}

impl Sim {
    pub fn new(config: SimConfig) -> Self {
        let chip = Chip::new(&config);
        let mut sim = Self {
            chip,
            parser: RxParser::new(),
            app: AppListener::new(config.app),
            log: LogUart::new(
                &config,
                matches!(config.start, StartMode::App | StartMode::ResetAfter(_)),
            ),
            mode: ChipMode::Download,
            mode_until: None,
            reset_at: None,
            cen_low: false,
            chip_baud: BOOT_BAUD,
            baud_switched: (Duration::ZERO, BOOT_BAUD),
            host_baud: BOOT_BAUD,
            now: Duration::ZERO,
            busy_until: Duration::ZERO,
            last_rx: Duration::ZERO,
            to_chip: Line::default(),
            to_host: Line::default(),
            delivered: Vec::new(),
            faults: Faults::default(),
            adapter: AdapterState::new(Adapter::default()),
            ring: (config.class == crate::config::ChipClass::Legacy)
                .then(|| RxRing::new(LEGACY_RX_RING)),
            stalled_until: None,
            unplugged_at: None,
            watch: None,
            config,
        };
        match sim.config.start {
            StartMode::Download => {}
            StartMode::PowerOn => sim.boot(Duration::ZERO),
            StartMode::App => {
                sim.mode = ChipMode::App;
                sim.mode_until = sim.next_status(Duration::ZERO);
            }
            StartMode::ResetAfter(at) => {
                sim.mode = ChipMode::App;
                sim.reset_at = Some(at);
            }
        }
        sim
    }

    pub fn config(&self) -> &SimConfig {
        &self.config
    }

    pub fn flash(&self) -> &Flash {
        &self.chip.flash
    }

    pub fn flash_mut(&mut self) -> &mut Flash {
        &mut self.chip.flash
    }

    pub fn mode(&self) -> ChipMode {
        self.mode
    }

    /// The chip's UART baud rate right now.
    pub fn chip_baud(&self) -> u32 {
        self.chip_baud
    }

    pub fn host_baud(&self) -> u32 {
        self.host_baud
    }

    /// Put `adapter` between host and chip (the default is ideal).
    pub fn with_adapter(mut self, adapter: Adapter) -> Self {
        self.adapter = AdapterState::new(adapter);
        self
    }

    pub fn adapter(&self) -> &Adapter {
        &self.adapter.adapter
    }

    pub fn add_fault(&mut self, fault: Fault) {
        self.faults.add(fault);
    }

    /// Bytes the host has sent so far; `Fault::HostByte { nth: host_bytes_sent() + k }` hits the k-th next one.
    pub fn host_bytes_sent(&self) -> u64 {
        self.faults.host_bytes()
    }

    /// Bytes the chip has sent or scheduled so far; `Fault::ChipByte { nth: chip_bytes_sent() + k }` hits
    /// the k-th next one.
    pub fn chip_bytes_sent(&self) -> u64 {
        self.faults.chip_bytes()
    }

    /// Commands of `kind` the chip has dispatched so far; `CommandMatch::of(kind, commands_of(kind) + 1)`
    /// is the next one.
    pub fn commands_of(&self, kind: CommandKind) -> u32 {
        self.faults.commands_of(kind)
    }

    /// From now on, record every erase or write that changes flash inside `range` (see `flash_changes`).
    pub fn watch_flash(&mut self, range: core::ops::Range<u32>) {
        self.watch = Some(RangeWatch::new(&self.chip.flash, range));
    }

    /// The changes inside the range given to `watch_flash`, in order.
    pub fn flash_changes(&self) -> &[FlashChange] {
        self.watch.as_ref().map_or(&[], RangeWatch::changes)
    }

    /// Whether the adapter has been unplugged by `now`.
    pub(crate) fn is_unplugged(&self, now: Duration) -> bool {
        self.unplugged_at.is_some_and(|at| at <= now)
    }

    pub fn unplug(&mut self, now: Duration) {
        self.unplugged_at = Some(self.unplugged_at.map_or(now, |at| at.min(now)));
    }

    /// The chip ignores its input from `now` on, for `duration` or forever.
    pub fn stall(&mut self, now: Duration, duration: Option<Duration>) {
        self.run_until(now);
        self.stalled_until = Some(duration.map(|d| now + d));
    }

    /// The host starts sending `bytes` at `now` (or when its previous bytes are out) at `host_baud`.
    /// Returns when the host's write completes: when the last byte has left the host, or at once
    /// when the adapter takes bytes without backpressure (and drops what does not fit). The chip
    /// sees each byte at its arrival time. A `now` earlier than a time already given counts as that
    /// time: the clock never runs back.
    pub fn rx(&mut self, now: Duration, bytes: &[u8], host_baud: u32) -> Duration {
        self.run_until(now);
        self.set_host_baud(now, host_baud);
        let handed_over = self.now;
        let mut at = self.now;
        for &byte in bytes {
            if !self
                .adapter
                .takes_host_byte(handed_over, self.to_chip.free_at(), host_baud)
            {
                continue;
            }
            at = match self.faults.host_byte() {
                None => self.to_chip.send(at, byte, host_baud),
                Some(ByteFault::Drop) => self.to_chip.skip(at, host_baud),
                Some(ByteFault::Corrupt) => self.to_chip.send(at, byte ^ CORRUPT_MASK, host_baud),
                Some(ByteFault::Duplicate) => {
                    let done = self.to_chip.send(at, byte, host_baud);
                    self.to_chip.repeat_last();
                    done
                }
            };
        }
        if self.adapter.returns_at_once() {
            return handed_over;
        }
        at.max(self.to_chip.free_at())
    }

    /// The host port changes baud at `now`; bytes already received keep the old judgement.
    pub fn set_host_baud(&mut self, now: Duration, baud: u32) {
        if baud != self.host_baud {
            self.run_until(now);
            self.to_host
                .receive_until(now, self.host_baud, &mut self.delivered);
            self.host_baud = baud;
        }
    }

    /// Run the chip up to `now` and append every byte that has reached the host by then.
    pub fn advance(&mut self, now: Duration, out: &mut Vec<u8>) {
        self.run_until(now);
        out.append(&mut self.delivered);
        let latency = self.adapter.adapter.rx_latency;
        self.to_host
            .receive_until(now.saturating_sub(latency), self.host_baud, out);
    }

    /// When something next happens (a byte reaches the host, the chip acts on input or a timer).
    pub fn next_event(&self) -> Option<Duration> {
        let latency = self.adapter.adapter.rx_latency;
        let arrival = self.to_host.front().map(|(done, _, _)| done + latency);
        let input = self
            .to_chip
            .front()
            .map(|(done, _, _)| done.max(self.busy_until));
        [arrival, input, self.next_timer()]
            .into_iter()
            .flatten()
            .min()
    }

    /// The host opened (or reopened) the port: browsers and pyserial assert DTR and RTS on open
    /// until the host releases them with `set_lines` (docs/protocol.md §3.3, field-audit D2). With RTS
    /// wired to CEN that glitch resets the chip; with no wiring it does nothing.
    pub fn port_opened(&mut self, now: Duration) {
        self.set_lines(now, true, true);
    }

    /// The user touches CEN to GND at `now` and lets go: the chip resets and boots as after any
    /// reset. `StartMode::ResetAfter` fixes that moment in advance; this is for a user who acts
    /// while the host runs (the page's practice chip).
    pub fn manual_reset(&mut self, now: Duration) {
        self.run_until(now);
        self.reset_at = Some(self.reset_at.map_or(self.now, |at| at.min(self.now)));
    }

    /// The host drives DTR/RTS (true = asserted); the wiring decides what CEN does.
    pub fn set_lines(&mut self, now: Duration, dtr: bool, rts: bool) {
        self.run_until(now);
        if self.adapter.swallows_line_change(dtr || rts) {
            return;
        }
        let low = cen_low(self.config.wiring, dtr, rts);
        if low && !self.cen_low {
            self.power_down(now);
        } else if !low && self.cen_low {
            self.boot(now);
        }
        self.cen_low = low;
    }
}
