//! Slot search: which start times a service can be booked at, per master, from the business
//! file, the bookings already held and the current instant. Pure: no store, no clock of its own.
//!
//! All hours are read in the business's time zone. A slot is offered when the service fits the
//! master's hours without touching a break, starts at least the minimum notice after now, lies
//! within the horizon, and it plus the buffer stays clear of the master's active bookings.
//! Group classes (`seats`) are treated as one client per slot until seats are sold.

mod day;
#[cfg(test)]
mod views;

use chrono::{DateTime, NaiveDate, Utc};

use crate::config::business::{Business, Master};
use crate::domain::calendar::Calendar;
use crate::domain::ids::{MasterId, ServiceId};
use crate::domain::local_time::local_date;
use crate::domain::money::Money;

use day::Search;
#[cfg(test)]
use views::{days_with_slots, slots_on_day};

/// A bookable time with one master, at that master's price.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub master: MasterId,
    pub start: DateTime<Utc>,
    /// `start` plus the master's duration; the buffer is not included.
    pub end: DateTime<Utc>,
    pub price: Money,
}

/// Every free slot for a service, sorted by start, then by the masters' order in the file.
///
/// `master: None` means «любой мастер»: every master who does the service. An unknown service,
/// an unknown master or a master who does not do the service gives no slots.
pub fn find_free_slots(
    biz: &Business,
    service: &ServiceId,
    master: Option<&MasterId>,
    busy: &Calendar,
    now: DateTime<Utc>,
) -> Vec<Slot> {
    let Some(search) = Search::new(biz, service, busy, now) else {
        return Vec::new();
    };

    let masters: Vec<&Master> = chosen(biz, service, master).collect();
    let mut slots = Vec::new();
    for date in search.horizon() {
        let day_starts_at = slots.len();
        for master in &masters {
            slots.extend(search.free_on(master, date));
        }
        // A local date's slots all come before the next date's, so sorting day by day
        // gives the whole order; stable, so masters keep their file order at one start.
        slots[day_starts_at..].sort_by_key(|slot| slot.start);
    }
    slots
}

/// The local dates [`find_free_slots`] has slots on, in order: the day list. Each day is
/// searched only up to its first free slot.
pub fn free_days(
    biz: &Business,
    service: &ServiceId,
    master: Option<&MasterId>,
    busy: &Calendar,
    now: DateTime<Utc>,
) -> Vec<NaiveDate> {
    let Some(search) = Search::new(biz, service, busy, now) else {
        return Vec::new();
    };

    let masters: Vec<&Master> = chosen(biz, service, master).collect();
    let has_slot =
        |date: &NaiveDate| masters.iter().any(|m| search.free_on(m, *date).next().is_some());
    search.horizon().filter(has_slot).collect()
}

/// The slots [`find_free_slots`] has on one local date, in the same order: the time list.
pub fn free_slots_on(
    biz: &Business,
    service: &ServiceId,
    master: Option<&MasterId>,
    date: NaiveDate,
    busy: &Calendar,
    now: DateTime<Utc>,
) -> Vec<Slot> {
    let Some(search) = Search::new(biz, service, busy, now) else {
        return Vec::new();
    };
    if !search.horizon().any(|d| d == date) {
        return Vec::new();
    }

    let mut slots: Vec<Slot> =
        chosen(biz, service, master).flat_map(|m| search.free_on(m, date)).collect();
    slots.sort_by_key(|slot| slot.start);
    slots
}

/// The masters a search covers: the one asked for, or every master who does the service.
fn chosen<'a>(
    biz: &'a Business,
    service: &'a ServiceId,
    master: Option<&'a MasterId>,
) -> impl Iterator<Item = &'a Master> {
    biz.masters_for(service).filter(move |m| master.is_none_or(|id| &m.id == id))
}

/// Re-checks one proposed start (a button pressed later, an LLM proposal) against the same
/// rules as [`find_free_slots`]: `Some` exactly when that search would offer this slot.
pub fn slot_is_free(
    biz: &Business,
    service: &ServiceId,
    master: &MasterId,
    start: DateTime<Utc>,
    busy: &Calendar,
    now: DateTime<Utc>,
) -> Option<Slot> {
    let search = Search::new(biz, service, busy, now)?;
    let master = biz.masters_for(service).find(|m| &m.id == master)?;

    let date = local_date(search.tz(), start);
    if !search.horizon().any(|d| d == date) {
        return None;
    }
    // Walking the day's grid and looking the start up keeps both paths one rule set.
    search.free_on(master, date).find(|slot| slot.start == start)
}

/// For «любой мастер»: the first master in file order who is free at `start`, with that
/// master's own price and end.
pub fn pick_master_for(
    biz: &Business,
    service: &ServiceId,
    start: DateTime<Utc>,
    busy: &Calendar,
    now: DateTime<Utc>,
) -> Option<Slot> {
    biz.masters_for(service).find_map(|m| slot_is_free(biz, service, &m.id, start, busy, now))
}

#[cfg(test)]
mod tests;
