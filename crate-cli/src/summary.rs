//! Small formatting helpers for the final reports: byte counts with time and speed, plan counts.
//! Kept apart so every command prints them the same way.

use std::time::Duration;

/// "2.1 s, 48.0 KiB/s" for `bytes` moved in `elapsed`.
pub fn rate(bytes: u64, elapsed: Duration) -> String {
    let secs = elapsed.as_secs_f64();
    if secs <= 0.0 {
        return format!("{secs:.1} s");
    }
    format!("{secs:.1} s, {:.1} KiB/s", bytes as f64 / 1024.0 / secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_shows_seconds_and_speed() {
        assert_eq!(
            rate(2048 * 10, Duration::from_secs(10)),
            "10.0 s, 2.0 KiB/s"
        );
        assert_eq!(rate(100, Duration::ZERO), "0.0 s");
    }
}
