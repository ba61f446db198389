//! Wall-clock time in the business's zone. Every local time goes through here, so nothing
//! depends on the server's `TZ` (no `chrono::Local` anywhere in the domain).

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeZone, Utc};
use chrono_tz::Tz;

/// The instant a local wall-clock time names in `tz`.
///
/// A time skipped by a daylight-saving jump does not exist and gives `None`; a time that
/// happens twice when clocks go back gives the earlier instant.
pub fn to_utc(tz: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    tz.from_local_datetime(&local).earliest().map(|t| t.with_timezone(&Utc))
}

/// The local calendar date of an instant in `tz`.
pub fn local_date(tz: Tz, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}
