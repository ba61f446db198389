//! The plain way to cut a full search into the day list and one day's slots. The dialog uses
//! `free_days` and `free_slots_on`, which search less; the tests hold them to these.

use chrono::NaiveDate;
use chrono_tz::Tz;

use super::Slot;
use crate::domain::local_time::local_date;

/// The local dates that have at least one slot, in order, each once.
pub fn days_with_slots(slots: &[Slot], tz: Tz) -> Vec<NaiveDate> {
    let mut days: Vec<NaiveDate> = slots.iter().map(|s| local_date(tz, s.start)).collect();
    days.sort();
    days.dedup();
    days
}

/// The slots starting on one local date, in the order given.
pub fn slots_on_day(slots: &[Slot], day: NaiveDate, tz: Tz) -> Vec<Slot> {
    slots.iter().filter(|s| local_date(tz, s.start) == day).cloned().collect()
}
