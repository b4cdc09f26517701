//! A BK72xx board with a serprog programmer on its SPI pins and a USB-UART adapter on its UART and CEN.
//! The chip is the UART simulator's `Sim`, so both paths see one `Flash`; one virtual clock drives all.

use alloc::collections::VecDeque;
use alloc::rc::Rc;
use alloc::vec::Vec;
use core::cell::RefCell;
use core::time::Duration;

use super::nor::{NorModel, SpiNor};
use super::profile::Firmware;
use super::programmer::{Programmer, SpiBus};
use super::target::{ManualResets, PortModel, PortState, SpiTarget};
use bkflash_core::transport::Transport;

use crate::flash::Flash;
use crate::sim::Sim;
use crate::transport::SimTransport;

/// One USB direction of a full-speed CDC link: a 1 ms frame, half of it on average.
const USB_LATENCY: Duration = Duration::from_micros(500);

/// What the chip's SPI port saw in one CS frame, for tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SpiFrame {
    pub at: Duration,
    /// The first four MOSI bytes (opcode and address), zero-padded.
    pub head: [u8; 4],
    pub len: usize,
    pub clock_hz: u32,
    /// The frame reached the flash (SPI mode, start-up over).
    pub to_flash: bool,
}

/// Everything on the bench.
pub struct SerprogBoard {
    now: Duration,
    uart: SimTransport,
    programmer: Programmer,
    target: SpiTarget,
    dtr: bool,
    /// Reply bytes on their way to the host.
    to_host: VecDeque<(Duration, u8)>,
    frames: Vec<SpiFrame>,
}

/// The board shared by the programmer's port and the CEN adapter.
pub type SharedBoard = Rc<RefCell<SerprogBoard>>;

/// The chip and its flash, as the SPI bus reaches them during one O_SPIOP.
struct Bus<'a> {
    target: &'a mut SpiTarget,
    sim: &'a mut Sim,
    frames: &'a mut Vec<SpiFrame>,
}

impl SpiBus for Bus<'_> {
    fn frame(&mut self, clock_hz: u32, start: Duration, mosi: &[u8]) -> Vec<u8> {
        let timing = self.sim.config().timing;
        let to_flash =
            matches!(self.target.state(), PortState::Download { ready_at } if start >= ready_at);
        let mut head = [0u8; 4];
        let n = mosi.len().min(4);
        head[..n].copy_from_slice(&mosi[..n]);
        self.frames.push(SpiFrame {
            at: start,
            head,
            len: mosi.len(),
            clock_hz,
            to_flash,
        });
        self.target
            .frame(self.sim.flash_mut(), &timing, clock_hz, start, mosi)
    }
}

impl SerprogBoard {
    /// `uart` is the chip (its adapter and its `Sim`); the programmer runs `firmware`.
    pub fn new(uart: SimTransport, firmware: &'static Firmware, model: PortModel) -> Self {
        let jedec = uart.sim().config().jedec_id;
        let now = uart.now();
        Self {
            now,
            programmer: Programmer::new(firmware),
            target: SpiTarget::new(model, SpiNor::new(NorModel::for_part(jedec), jedec)),
            uart,
            dtr: false,
            to_host: VecDeque::new(),
            frames: Vec::new(),
        }
    }

    pub fn with_nor(mut self, model: NorModel) -> Self {
        self.target.nor.model = model;
        self
    }

    pub fn shared(self) -> SharedBoard {
        Rc::new(RefCell::new(self))
    }

    pub fn now(&self) -> Duration {
        self.now
    }

    pub fn flash(&self) -> &Flash {
        self.uart.sim().flash()
    }

    pub fn flash_mut(&mut self) -> &mut Flash {
        self.uart.sim_mut().flash_mut()
    }

    pub fn programmer(&self) -> &Programmer {
        &self.programmer
    }

    pub fn target_mut(&mut self) -> &mut SpiTarget {
        &mut self.target
    }

    /// Every CS frame the chip's SPI pins saw.
    pub fn frames(&self) -> &[SpiFrame] {
        &self.frames
    }

    /// The UART side, its clock brought up to the board's.
    pub fn into_uart(mut self) -> SimTransport {
        self.sync_uart();
        self.uart
    }

    /// The user resets the chip by hand: CEN low at `first` for 100 ms, again every `every` until
    /// the chip is in SPI mode.
    pub fn schedule_manual_resets(&mut self, first: Duration, every: Option<Duration>) {
        self.target.schedule_manual_resets(ManualResets {
            next: first,
            every,
            hold: Duration::from_millis(100),
        });
    }

    /// Host bytes written at `at` to the programmer's port.
    pub fn host_write(&mut self, at: Duration, bytes: &[u8]) {
        if self.programmer.firmware.silent_until_dtr && !self.dtr {
            return;
        }
        let mut bus = Bus {
            target: &mut self.target,
            sim: self.uart.sim_mut(),
            frames: &mut self.frames,
        };
        self.programmer.receive(at + USB_LATENCY, bytes, &mut bus);
        let mut out = Vec::new();
        self.programmer.take_output(Duration::MAX, &mut out);
        self.to_host
            .extend(out.into_iter().map(|(t, b)| (t + USB_LATENCY, b)));
    }

    /// When the next reply byte reaches the host.
    pub fn next_to_host(&self) -> Option<Duration> {
        self.to_host.front().map(|(at, _)| *at)
    }

    /// When the last reply byte queued so far reaches the host (the pty server's pacing).
    #[cfg(feature = "std")]
    pub(crate) fn last_to_host(&self) -> Option<Duration> {
        self.to_host.back().map(|(at, _)| *at)
    }

    /// Reply bytes that reached the host by `until`, as many as `out` holds; returns the count.
    pub fn take_to_host(&mut self, until: Duration, out: &mut [u8]) -> usize {
        let mut n = 0;
        while n < out.len()
            && let Some(&(_, byte)) = self.to_host.front().filter(|(at, _)| *at <= until)
        {
            out[n] = byte;
            n += 1;
            self.to_host.pop_front();
        }
        n
    }

    /// Drop reply bytes that arrived by `until` (the host discards its input).
    pub(crate) fn discard_to_host(&mut self, until: Duration) {
        self.to_host.retain(|(at, _)| *at > until);
    }

    /// The programmer port's DTR.
    pub fn set_dtr(&mut self, dtr: bool) {
        self.dtr = dtr;
    }

    /// The CEN adapter's lines at the board's time: RTS drives CEN and reaches the UART side too.
    pub(crate) fn set_adapter_lines(&mut self, dtr: bool, rts: bool) {
        self.sync_uart();
        let now = self.now;
        crate::block_on(self.uart.set_signals(dtr, rts))
            .expect("the simulated adapter stays plugged in");
        self.target.set_cen(now, rts);
    }

    /// Move the board's clock to `at` (never backwards).
    pub fn advance_to(&mut self, at: Duration) {
        self.now = self.now.max(at);
    }

    /// Bring the UART side's clock up to the board's.
    fn sync_uart(&mut self) {
        let behind = self.now.saturating_sub(self.uart.now());
        if !behind.is_zero() {
            crate::block_on(self.uart.sleep(behind));
        }
        self.now = self.now.max(self.uart.now());
    }

    pub(crate) fn uart_mut(&mut self) -> &mut SimTransport {
        self.sync_uart();
        &mut self.uart
    }
}
