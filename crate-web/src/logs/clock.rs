//! The page's wall clock for monitor timestamps and file names, in the user's local time.

use js_sys::Date;

/// Milliseconds since local midnight.
pub fn time_of_day_ms() -> u64 {
    let now = Date::new_0();
    let seconds = now.get_hours() * 3600 + now.get_minutes() * 60 + now.get_seconds();
    u64::from(seconds) * 1000 + u64::from(now.get_milliseconds())
}

/// `20261124-021500`, for the names of saved files (the backup names' stamp).
pub fn file_stamp() -> String {
    crate::files::timestamp(&Date::new_0())
}
