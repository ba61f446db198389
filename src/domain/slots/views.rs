//! Ways the dialog looks at a list of slots: which days have any, one day's slots, and the
//! merged «любой мастер» list where each time shows the lowest price («от N ₽»).

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;

use super::Slot;
use crate::domain::local_time::local_date;
use crate::domain::money::Money;

/// One start time in the «любой мастер» list; the master is chosen when it is taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnySlot {
    pub start: DateTime<Utc>,
    /// The lowest price among the masters free at this time.
    pub min_price: Money,
}

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

/// One entry per start time, sorted, with the lowest price of the masters free then.
pub fn any_master_times(slots: &[Slot]) -> Vec<AnySlot> {
    let mut cheapest: BTreeMap<DateTime<Utc>, Money> = BTreeMap::new();
    for slot in slots {
        cheapest
            .entry(slot.start)
            .and_modify(|price| *price = (*price).min(slot.price))
            .or_insert(slot.price);
    }
    cheapest.into_iter().map(|(start, min_price)| AnySlot { start, min_price }).collect()
}
