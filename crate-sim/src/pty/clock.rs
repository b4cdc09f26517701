//! The serve loop's clock: real time, plus the wire and flash time skipped when not pacing.
//! The simulator only ever sees this clock, so skipping ahead is just answering sooner.

use core::time::Duration;
use std::time::Instant;

/// How the server spends the simulated chip's time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pacing {
    /// Chip output leaves at its wire time at the chip's current baud (`--realtime`).
    WireTime,
    /// Wire and flash-work time is skipped: the clock jumps to the chip's next event.
    AsFastAsPossible,
}

/// Longest poll wait when the chip has nothing scheduled sooner: bounds how late a stop signal
/// or a host byte that raced the poll is noticed.
pub const IDLE_POLL: Duration = Duration::from_millis(100);

/// Longest jump in `AsFastAsPossible`. Covers any flash work (a whole-chip CRC or erase takes
/// seconds) but not the ROM handler's 20 s partial-frame timeout, which must stay real.
pub const MAX_JUMP: Duration = Duration::from_secs(10);

/// Real time since the server started plus everything skipped so far.
pub struct ServeClock {
    started: Instant,
    skipped: Duration,
    pacing: Pacing,
}

impl ServeClock {
    pub fn start(pacing: Pacing) -> Self {
        Self {
            started: Instant::now(),
            skipped: Duration::ZERO,
            pacing,
        }
    }

    /// The time the simulator is told it is now.
    pub fn now(&self) -> Duration {
        self.started.elapsed() + self.skipped
    }

    /// How long to wait for host bytes before the chip's next event at `next_event`.
    ///
    /// Not pacing, and with `may_skip` (the caller knows the event is chip work, not a timeout
    /// that real time must reach), the clock jumps to the event and the wait is zero.
    pub fn wait_before(&mut self, next_event: Option<Duration>, may_skip: bool) -> Duration {
        let now = self.now();
        let Some(event) = next_event else {
            return IDLE_POLL;
        };
        let Some(ahead) = event.checked_sub(now) else {
            return Duration::ZERO;
        };
        if self.pacing == Pacing::AsFastAsPossible && may_skip && ahead <= MAX_JUMP {
            self.skipped += ahead;
            return Duration::ZERO;
        }
        ahead.min(IDLE_POLL)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_clock_jumps_to_chip_work_but_not_to_timeouts() {
        let mut clock = ServeClock::start(Pacing::AsFastAsPossible);
        let event = clock.now() + Duration::from_secs(5);
        assert_eq!(clock.wait_before(Some(event), true), Duration::ZERO);
        assert!(
            clock.now() >= event,
            "the clock must stand at the event after a jump"
        );

        let far = clock.now() + Duration::from_secs(20);
        assert_eq!(
            clock.wait_before(Some(far), true),
            IDLE_POLL,
            "a 20 s timeout is never skipped"
        );
        let not_work = clock.now() + Duration::from_millis(30);
        assert!(clock.wait_before(Some(not_work), false) <= Duration::from_millis(30));
        assert!(clock.now() < not_work);
    }

    #[test]
    fn wire_time_clock_never_jumps() {
        let mut clock = ServeClock::start(Pacing::WireTime);
        let event = clock.now() + Duration::from_secs(5);
        assert_eq!(clock.wait_before(Some(event), true), IDLE_POLL);
        assert!(clock.now() < event);
        assert_eq!(clock.wait_before(None, true), IDLE_POLL);
        assert_eq!(
            clock.wait_before(Some(Duration::ZERO), true),
            Duration::ZERO,
            "overdue events run at once"
        );
    }
}
