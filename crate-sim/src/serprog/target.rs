//! A BK72xx's SPI download port (docs/spi-unbrick.md §1, §3, §9.4): after CEN rises, P20-P23 listen for
//! a run of 0xD2 inside a short window; then, after a start-up delay, the flash is passed through.

use alloc::vec;
use alloc::vec::Vec;
use core::time::Duration;

use super::nor::{IDLE, SpiNor};
use crate::flash::Flash;
use crate::timing::Timing;

/// The handshake byte, and what MISO shows while the window is open.
pub const HANDSHAKE: u8 = 0xD2;

/// The knobs of the chip's SPI download port and its wires; defaults from the BK7252 measurements
/// (§3.2, §9.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PortModel {
    /// How long after CEN rises a handshake is still taken (~53 ms measured on BK7252).
    pub window: Duration,
    /// Consecutive 0xD2 bytes one CS frame must carry inside the window (2 were enough on BK7252).
    pub handshake_bytes: usize,
    /// After the handshake the flash needs this long; frames meanwhile read D2/00 residue.
    pub startup: Duration,
    /// Above this SCK every bit the chip sees or sends is shifted (a board that needs a slow clock).
    pub max_clock_hz: u32,
    /// CEN must stay low this long for the chip to reset (a big capacitor on CEN).
    pub min_reset: Duration,
    /// Handshakes ignored before one is taken: entry that "takes many tries".
    pub refuse_first: u32,
    /// A marginal MISO wire: bit 0 of a byte read from the flash flips with a chance of 1 in N
    /// (seeded, so runs repeat).
    pub flip_one_in: Option<u32>,
}

impl Default for PortModel {
    fn default() -> Self {
        Self {
            window: Duration::from_millis(53),
            handshake_bytes: 2,
            startup: Duration::from_millis(30),
            max_clock_hz: 1_000_000,
            min_reset: Duration::from_millis(10),
            refuse_first: 0,
            flip_one_in: None,
        }
    }
}

/// What the four pins do right now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PortState {
    /// The chip runs its firmware (or sits in reset): P20-P23 are not the download port.
    Idle,
    /// CEN rose at some point before `until`: the pins wait for the handshake and MISO shows 0xD2.
    Window { until: Duration },
    /// Handshake taken; the flash answers from `ready_at` on.
    Download { ready_at: Duration },
}

/// The user's manual resets: CEN low at `next` for `hold`, again every `every` until SPI mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ManualResets {
    pub next: Duration,
    pub every: Option<Duration>,
    pub hold: Duration,
}

/// The chip side of SPI flashing: entry state and the flash's command front end.
#[derive(Clone, Debug)]
pub struct SpiTarget {
    pub model: PortModel,
    pub nor: SpiNor,
    state: PortState,
    cen_low_since: Option<Duration>,
    manual: Option<ManualResets>,
    refused: u32,
    /// State of the generator behind `flip_one_in` (xorshift64).
    noise: u64,
}

impl SpiTarget {
    pub fn new(model: PortModel, nor: SpiNor) -> Self {
        Self {
            model,
            nor,
            state: PortState::Idle,
            cen_low_since: None,
            manual: None,
            refused: 0,
            noise: 0x5EED_B17F_11B5_0001,
        }
    }

    pub fn state(&self) -> PortState {
        self.state
    }

    /// Start in SPI flashing mode, flash ready (a previous session left it there).
    pub fn start_in_spi_mode(&mut self) {
        self.state = PortState::Download {
            ready_at: Duration::ZERO,
        };
    }

    pub fn schedule_manual_resets(&mut self, resets: ManualResets) {
        self.manual = Some(resets);
    }

    pub(crate) fn in_spi_mode(&self) -> bool {
        matches!(self.state, PortState::Download { .. })
    }

    /// CEN driven low (`true`) or released at `at`.
    pub(crate) fn set_cen(&mut self, at: Duration, low: bool) {
        self.settle(at);
        match (low, self.cen_low_since) {
            (true, None) => self.cen_low_since = Some(at),
            (false, Some(since)) => {
                self.cen_low_since = None;
                if at - since >= self.model.min_reset {
                    self.state = PortState::Window {
                        until: at + self.model.window,
                    };
                }
            }
            _ => {}
        }
    }

    /// Apply what happened by `at`: manual resets due, a window that closed unanswered.
    fn settle(&mut self, at: Duration) {
        while let Some(reset) = self.manual.filter(|r| r.next + r.hold <= at) {
            if self.in_spi_mode() {
                self.manual = None;
                break;
            }
            let released = reset.next + reset.hold;
            self.state = PortState::Window {
                until: released + self.model.window,
            };
            self.manual = reset.every.map(|every| ManualResets {
                next: reset.next + every,
                ..reset
            });
            if released + self.model.window > at {
                break;
            }
        }
        if let PortState::Window { until } = self.state
            && at > until
        {
            self.state = PortState::Idle;
        }
    }

    /// One CS frame at `clock_hz` from `start`: `mosi` out (the read phase clocks zeros), MISO back.
    pub fn frame(
        &mut self,
        flash: &mut Flash,
        timing: &Timing,
        clock_hz: u32,
        start: Duration,
        mosi: &[u8],
    ) -> Vec<u8> {
        self.settle(start);
        let byte_time = byte_time(clock_hz);
        let end = start + byte_time * mosi.len() as u32;
        let too_fast = clock_hz > self.model.max_clock_hz;
        let seen: Vec<u8> = mosi
            .iter()
            .map(|&b| if too_fast { b.rotate_left(1) } else { b })
            .collect();
        if self.cen_low_since.is_some() {
            return vec![IDLE; mosi.len()];
        }
        let miso = match self.state {
            PortState::Idle => vec![IDLE; mosi.len()],
            PortState::Window { until } => {
                self.listen(&seen, start, byte_time, until, end);
                vec![HANDSHAKE; mosi.len()]
            }
            PortState::Download { ready_at } if start < ready_at => {
                let mut residue = vec![0x00; mosi.len()];
                residue[0] = HANDSHAKE;
                residue
            }
            PortState::Download { .. } => {
                let mut miso = self.nor.frame(flash, timing, start, end, &seen);
                self.flip(&mut miso);
                miso
            }
        };
        if too_fast {
            miso.iter().map(|b| b.rotate_right(1)).collect()
        } else {
            miso
        }
    }

    /// Apply `flip_one_in` to the MISO bytes of one frame.
    fn flip(&mut self, miso: &mut [u8]) {
        let Some(one_in) = self.model.flip_one_in else {
            return;
        };
        for byte in miso.iter_mut() {
            self.noise ^= self.noise << 13;
            self.noise ^= self.noise >> 7;
            self.noise ^= self.noise << 17;
            if self.noise.is_multiple_of(u64::from(one_in.max(1))) {
                *byte ^= 1;
            }
        }
    }

    /// Look for the handshake run inside the window.
    fn listen(
        &mut self,
        seen: &[u8],
        start: Duration,
        byte_time: Duration,
        until: Duration,
        end: Duration,
    ) {
        let mut run = 0;
        for (i, &byte) in seen.iter().enumerate() {
            let at = start + byte_time * (i as u32 + 1);
            if at > until {
                return;
            }
            run = if byte == HANDSHAKE { run + 1 } else { 0 };
            if run == self.model.handshake_bytes {
                if self.refused < self.model.refuse_first {
                    self.refused += 1;
                    return;
                }
                self.state = PortState::Download {
                    ready_at: end + self.model.startup,
                };
                return;
            }
        }
    }
}

/// Time of one SPI byte at `clock_hz`.
pub fn byte_time(clock_hz: u32) -> Duration {
    Duration::from_nanos(8_000_000_000 / u64::from(clock_hz.max(1)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::serprog::nor::NorModel;

    const JEDEC: [u8; 3] = [0x1C, 0x70, 0x15];
    const MHZ: u32 = 1_000_000;

    fn ms(n: u64) -> Duration {
        Duration::from_millis(n)
    }

    fn chip() -> (SpiTarget, Flash) {
        let nor = SpiNor::new(NorModel::for_part(JEDEC), JEDEC);
        (
            SpiTarget::new(PortModel::default(), nor),
            Flash::new(0x20_0000, &[], 0x1C, JEDEC),
        )
    }

    fn reset(target: &mut SpiTarget, low_at: u64, high_at: u64) {
        target.set_cen(ms(low_at), true);
        target.set_cen(ms(high_at), false);
    }

    fn burst(target: &mut SpiTarget, flash: &mut Flash, at: Duration) -> Vec<u8> {
        target.frame(flash, &Timing::typical(), MHZ, at, &[HANDSHAKE; 250])
    }

    #[test]
    fn a_burst_inside_the_window_enters_and_the_flash_answers_after_start_up() {
        let (mut target, mut flash) = chip();
        reset(&mut target, 0, 100);
        assert_eq!(
            burst(&mut target, &mut flash, ms(110))[0],
            HANDSHAKE,
            "MISO echoes the window"
        );
        assert!(target.in_spi_mode());
        let rdid = |t: &mut SpiTarget, f: &mut Flash, at| {
            t.frame(f, &Timing::typical(), MHZ, at, &[0x9F, 0, 0, 0])
        };
        assert_eq!(
            rdid(&mut target, &mut flash, ms(120)),
            [HANDSHAKE, 0, 0, 0],
            "start-up residue"
        );
        assert_eq!(
            rdid(&mut target, &mut flash, ms(200)),
            [0xFF, 0x1C, 0x70, 0x15]
        );
    }

    #[test]
    fn a_burst_after_the_window_finds_a_running_chip() {
        let (mut target, mut flash) = chip();
        reset(&mut target, 0, 100);
        assert_eq!(
            burst(&mut target, &mut flash, ms(160))[0],
            IDLE,
            "53 ms window missed"
        );
        assert!(!target.in_spi_mode());
        reset(&mut target, 200, 205);
        burst(&mut target, &mut flash, ms(206));
        assert!(
            !target.in_spi_mode(),
            "a 5 ms pulse is shorter than the reset needs"
        );
    }

    #[test]
    fn a_too_fast_clock_garbles_the_handshake() {
        let (mut target, mut flash) = chip();
        reset(&mut target, 0, 100);
        target.frame(
            &mut flash,
            &Timing::typical(),
            4 * MHZ,
            ms(101),
            &[HANDSHAKE; 250],
        );
        assert!(!target.in_spi_mode());
    }

    #[test]
    fn manual_resets_repeat_until_the_chip_is_in_spi_mode() {
        let (mut target, mut flash) = chip();
        target.schedule_manual_resets(ManualResets {
            next: ms(1000),
            every: Some(ms(1000)),
            hold: ms(100),
        });
        assert_eq!(burst(&mut target, &mut flash, ms(500))[0], IDLE);
        assert_eq!(
            burst(&mut target, &mut flash, ms(1170))[0],
            IDLE,
            "between windows"
        );
        burst(&mut target, &mut flash, ms(2120));
        assert!(target.in_spi_mode(), "the second reset's window");
        burst(&mut target, &mut flash, ms(3150));
        assert!(target.in_spi_mode(), "no more resets once in SPI mode");
    }
}
