//! The USB-UART adapter between host and chip: how much it takes without backpressure, the bytes it
//! loses in long fast replies, how late it hands bytes over, and reset pulses that never reach the
//! wire (field-audit S12, D7, D13).

use core::time::Duration;

use crate::timing::byte_time;

/// What the adapter does to the traffic. `Adapter::default()` is ideal: the host's writes wait for
/// the wire, nothing is lost, every line change reaches CEN.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Adapter {
    /// Bytes the adapter holds that are not on the wire yet. `None`: the host's write waits until
    /// they fit (backpressure). `Some(n)`: a write returns at once and what does not fit is dropped.
    pub tx_buffer: Option<usize>,
    /// Bytes lost from long back-to-back replies at high rates.
    pub rx_loss: Option<RxLoss>,
    /// Reset pulses (lines asserted, then released) that never reach the chip, from the first on.
    pub lost_pulses: u32,
    /// How late received bytes reach the host: a USB latency timer, a busy browser tab.
    pub rx_latency: Duration,
}

/// Loss in a long reply: at `min_baud` or faster, each byte after the first `after` of a
/// back-to-back run is lost with probability 1 / `one_in` (seeded, so a run reproduces).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RxLoss {
    pub min_baud: u32,
    pub after: usize,
    pub one_in: u32,
    pub seed: u64,
}

impl Adapter {
    /// A bridge without backpressure: ESPHome saw one buffer "less than 512 bytes" and drop the rest
    /// of an unpaced burst (field-audit D10).
    pub const fn bridge_without_backpressure() -> Self {
        Self {
            tx_buffer: Some(448),
            rx_loss: None,
            lost_pulses: 0,
            rx_latency: Duration::ZERO,
        }
    }

    /// CH340-like: at 2 Mbaud long replies lose bytes (Easy Flasher #5: "Reading 0x00... failed with
    /// serial.BytesToRead 4056"); shorter replies and slower rates pass. `seed` picks the losses.
    pub const fn ch340(seed: u64) -> Self {
        Self {
            tx_buffer: None,
            rx_loss: Some(RxLoss {
                min_baud: 2_000_000,
                after: 1024,
                one_in: 2000,
                seed,
            }),
            lost_pulses: 0,
            rx_latency: Duration::ZERO,
        }
    }

    /// An adapter whose first reset pulse after a replug never reaches the wire (ESPHome's macOS
    /// CH340 note, field-audit D13).
    pub const fn first_pulse_lost() -> Self {
        Self {
            tx_buffer: None,
            rx_loss: None,
            lost_pulses: 1,
            rx_latency: Duration::ZERO,
        }
    }

    /// Every received byte reaches the host `latency` late (the replies 250-600 ms late).
    pub const fn late(latency: Duration) -> Self {
        Self {
            tx_buffer: None,
            rx_loss: None,
            lost_pulses: 0,
            rx_latency: latency,
        }
    }
}

/// An `Adapter` in use: its settings plus what it has seen so far.
#[derive(Clone, Debug)]
pub struct AdapterState {
    pub adapter: Adapter,
    /// Bytes of the current back-to-back run from the chip, and when its last byte arrived.
    run: usize,
    run_ends: Duration,
    rng: u64,
    pulses_lost: u32,
    in_lost_pulse: bool,
}

impl AdapterState {
    pub fn new(adapter: Adapter) -> Self {
        Self {
            adapter,
            run: 0,
            run_ends: Duration::ZERO,
            rng: adapter
                .rx_loss
                .map_or(1, |l| l.seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1),
            pulses_lost: 0,
            in_lost_pulse: false,
        }
    }

    /// Whether a host byte handed over at `now` fits, with the wire free from `wire_free_at` on.
    pub fn takes_host_byte(&self, now: Duration, wire_free_at: Duration, baud: u32) -> bool {
        match self.adapter.tx_buffer {
            None => true,
            Some(room) => {
                let queued =
                    wire_free_at.saturating_sub(now).as_nanos() / byte_time(baud).as_nanos().max(1);
                queued < room as u128
            }
        }
    }

    /// Whether a write returns before its bytes are on the wire (no backpressure).
    pub fn returns_at_once(&self) -> bool {
        self.adapter.tx_buffer.is_some()
    }

    /// Whether the chip byte starting at `start` (at `baud`, taking until `done`) reaches the host.
    pub fn passes_chip_byte(&mut self, start: Duration, done: Duration, baud: u32) -> bool {
        self.run = if start <= self.run_ends {
            self.run + 1
        } else {
            1
        };
        self.run_ends = done;
        let Some(loss) = self.adapter.rx_loss else {
            return true;
        };
        if baud < loss.min_baud || self.run <= loss.after {
            return true;
        }
        self.rng ^= self.rng >> 12;
        self.rng ^= self.rng << 25;
        self.rng ^= self.rng >> 27;
        !self
            .rng
            .wrapping_mul(0x2545_F491_4F6C_DD1D)
            .is_multiple_of(u64::from(loss.one_in.max(1)))
    }

    /// Whether a change of the modem lines is swallowed (a lost pulse) instead of reaching CEN.
    pub fn swallows_line_change(&mut self, asserted: bool) -> bool {
        if self.pulses_lost >= self.adapter.lost_pulses {
            return false;
        }
        if asserted {
            self.in_lost_pulse = true;
        } else if self.in_lost_pulse {
            self.in_lost_pulse = false;
            self.pulses_lost += 1;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bridge_takes_its_buffer_and_no_more() {
        let state = AdapterState::new(Adapter::bridge_without_backpressure());
        let bt = byte_time(115_200);
        let now = Duration::from_millis(10);
        assert!(state.takes_host_byte(now, now + bt * 447, 115_200));
        assert!(!state.takes_host_byte(now, now + bt * 448, 115_200));
        assert!(state.returns_at_once());
        assert!(AdapterState::new(Adapter::default()).takes_host_byte(
            now,
            now + bt * 10_000,
            115_200
        ));
    }

    #[test]
    fn the_ch340_model_loses_only_late_bytes_of_long_fast_runs() {
        let mut state = AdapterState::new(Adapter::ch340(7));
        let bt = byte_time(2_000_000);
        let mut lost = 0;
        let mut at = Duration::ZERO;
        for i in 0..4111 {
            if !state.passes_chip_byte(at, at + bt, 2_000_000) {
                assert!(i >= 1024, "byte {i} of the run was lost");
                lost += 1;
            }
            at += bt;
        }
        assert!(
            lost > 0,
            "a 4 KiB reply at 2 Mbaud loses bytes with this seed"
        );
        let mut slow = AdapterState::new(Adapter::ch340(7));
        let bt = byte_time(1_500_000);
        let mut at = Duration::ZERO;
        assert!((0..4111).all(|_| {
            let passed = slow.passes_chip_byte(at, at + bt, 1_500_000);
            at += bt;
            passed
        }));
    }

    #[test]
    fn the_first_pulse_is_swallowed_whole() {
        let mut state = AdapterState::new(Adapter::first_pulse_lost());
        assert!(state.swallows_line_change(true));
        assert!(state.swallows_line_change(true));
        assert!(state.swallows_line_change(false));
        assert!(!state.swallows_line_change(true));
        assert!(!state.swallows_line_change(false));
    }
}
