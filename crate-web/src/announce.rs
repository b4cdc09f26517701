//! What the page's one polite live region says while a job runs: each stage once, then at most every
//! 10 % or 10 s, and the link countdown at 20, 10 and 5 s, so a screen reader does not chatter.

/// Percent steps between two progress announcements.
const PERCENT_STEP: u64 = 10;
/// Most time between two progress announcements of a running stage (ms).
const QUIET_MS: f64 = 10_000.0;
/// Seconds of the link countdown that are read out.
const COUNTDOWN_MARKS: [u32; 3] = [20, 10, 5];

/// The running job as the announcer sees it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Moment<'a> {
    /// The stage line, as the progress section shows it.
    pub stage: &'a str,
    pub done: u64,
    pub total: u64,
    /// Whole seconds left, once the speed is known.
    pub seconds_left: Option<u64>,
    /// Whole seconds left to link, while linking.
    pub link_left: Option<u32>,
    pub now_ms: f64,
}

/// Remembers what was last said, to say only what changed enough.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Announcer {
    stage: String,
    step: u64,
    said_ms: f64,
    countdown: Option<u32>,
}

impl Announcer {
    /// The sentence to announce now, if any.
    pub fn next(&mut self, moment: Moment<'_>) -> Option<String> {
        let step = moment.done.saturating_mul(100) / moment.total.max(1) / PERCENT_STEP;
        if moment.stage != self.stage {
            self.stage = moment.stage.to_owned();
            self.step = step;
            self.said_ms = moment.now_ms;
            self.countdown = moment.link_left;
            return Some(match moment.link_left {
                Some(left) => format!("{}, {left} seconds left.", moment.stage),
                None => format!("{}.", moment.stage),
            });
        }
        if let Some(left) = moment.link_left {
            let mark = COUNTDOWN_MARKS.iter().find(|m| **m == left).copied();
            if mark.is_some() && mark != self.countdown {
                self.countdown = mark;
                return Some(format!("{left} seconds left to link."));
            }
            return None;
        }
        if moment.total == 0 || (step <= self.step && moment.now_ms - self.said_ms < QUIET_MS) {
            return None;
        }
        self.step = step;
        self.said_ms = moment.now_ms;
        let percent = moment.done.saturating_mul(100) / moment.total;
        Some(match moment.seconds_left {
            Some(left) => format!(
                "{}, {percent} percent, about {left} seconds left.",
                moment.stage
            ),
            None => format!("{}, {percent} percent.", moment.stage),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(stage: &str, done: u64, now_ms: f64) -> Moment<'_> {
        Moment {
            stage,
            done,
            total: 1000,
            seconds_left: Some(12),
            link_left: None,
            now_ms,
        }
    }

    #[test]
    fn a_stage_is_announced_once_then_every_ten_percent() {
        let mut a = Announcer::default();
        assert_eq!(a.next(at("Writing", 0, 0.0)).as_deref(), Some("Writing."));
        let said: Vec<String> = (1..=1000)
            .filter_map(|done| a.next(at("Writing", done, done as f64)))
            .collect();
        assert_eq!(said.len(), 10, "{said:?}");
        assert_eq!(said[3], "Writing, 40 percent, about 12 seconds left.");
    }

    #[test]
    fn a_slow_stage_is_announced_every_ten_seconds() {
        let mut a = Announcer::default();
        a.next(at("Erasing", 0, 0.0));
        assert_eq!(a.next(at("Erasing", 10, 9_000.0)), None);
        assert!(a.next(at("Erasing", 20, 10_000.0)).is_some());
        assert_eq!(a.next(at("Erasing", 30, 11_000.0)), None);
    }

    #[test]
    fn the_link_countdown_is_read_at_twenty_ten_and_five_seconds_only() {
        let mut a = Announcer::default();
        let said: Vec<String> = (0..=20)
            .rev()
            .filter_map(|left| {
                a.next(Moment {
                    link_left: Some(left),
                    total: 0,
                    ..at("Linking", 0, f64::from(20 - left) * 1000.0)
                })
            })
            .collect();
        assert_eq!(
            said,
            [
                "Linking, 20 seconds left.",
                "10 seconds left to link.",
                "5 seconds left to link."
            ]
        );
    }
}
