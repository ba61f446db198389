//! One master's slots on one local date: the grid of start times, cut by hours, breaks,
//! notice and bookings.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc, Weekday};
use chrono_tz::Tz;

use super::Slot;
use crate::config::business::{Business, DayHours, Interval, Master, Service};
use crate::domain::calendar::{Calendar, Held};
use crate::domain::ids::ServiceId;
use crate::domain::local_time::{local_date, to_utc};

/// What every candidate of one search is checked against.
pub(super) struct Search<'a> {
    biz: &'a Business,
    service: &'a Service,
    busy: &'a Calendar,
    now: DateTime<Utc>,
    earliest: DateTime<Utc>,
    step: Duration,
    buffer: Duration,
}

impl<'a> Search<'a> {
    /// `None` when the service is unknown or the grid step is 0 (an unvalidated file), since
    /// neither can produce a slot.
    pub(super) fn new(
        biz: &'a Business,
        service: &ServiceId,
        busy: &'a Calendar,
        now: DateTime<Utc>,
    ) -> Option<Self> {
        let service = biz.service(service)?;
        let rules = &biz.booking;
        if rules.slot_step_minutes == 0 {
            return None;
        }
        Some(Search {
            biz,
            service,
            busy,
            now,
            earliest: now + minutes(rules.min_notice_minutes),
            step: minutes(rules.slot_step_minutes),
            buffer: minutes(rules.buffer_minutes),
        })
    }

    pub(super) fn tz(&self) -> Tz {
        self.biz.business.timezone
    }

    /// The local dates offered: today and the following days, `horizon_days` in all.
    pub(super) fn horizon(&self) -> impl Iterator<Item = NaiveDate> + use<> {
        let today = local_date(self.tz(), self.now);
        today.iter_days().take(self.biz.booking.horizon_days as usize)
    }

    /// The master's free slots on `date`, in time order, found one at a time: the day list
    /// only needs to know whether a day has a first one.
    pub(super) fn free_on<'s>(
        &'s self,
        master: &'s Master,
        date: NaiveDate,
    ) -> impl Iterator<Item = Slot> + 's {
        let hours = hours_on(master, date);
        hours.into_iter().flat_map(move |hours| self.free_within(master, date, hours))
    }

    fn free_within<'s>(
        &'s self,
        master: &'s Master,
        date: NaiveDate,
        hours: &'s DayHours,
    ) -> impl Iterator<Item = Slot> + 's {
        let terms = self.biz.terms(master, self.service);
        let length = minutes(terms.minutes);
        let (open, close) = (date.and_time(hours.open), date.and_time(hours.close));
        let to_instant = self.day_clock(open, close);
        let busy = self.busy.held(&master.id);

        let grid = std::iter::successors(Some(open), move |local| Some(*local + self.step));
        grid.take_while(move |local| *local + length <= close)
            .filter(move |local| !hours.breaks.iter().any(|b| overlaps(*local, length, b)))
            .filter_map(to_instant)
            .filter(move |start| self.is_free(busy, *start, length))
            .map(move |start| Slot {
                master: master.id.clone(),
                start,
                end: start + length,
                price: terms.price,
            })
    }

    /// Whether `start` respects the notice and, with the buffer, stays clear of the master's
    /// active bookings.
    fn is_free(&self, busy: Option<&Held>, start: DateTime<Utc>, length: Duration) -> bool {
        if start < self.earliest {
            return false;
        }
        !busy.is_some_and(|b| b.collides(start, start + length, self.buffer))
    }

    /// Local times of one working day to instants. On a day without a clock change (every day
    /// in most zones) one offset serves all; otherwise each time is converted on its own.
    fn day_clock(
        &self,
        open: NaiveDateTime,
        close: NaiveDateTime,
    ) -> impl Fn(NaiveDateTime) -> Option<DateTime<Utc>> + use<> {
        let tz = self.tz();
        let steady = match (to_utc(tz, open), to_utc(tz, close)) {
            (Some(a), Some(b)) if b - a == close - open => Some(a - open.and_utc()),
            _ => None,
        };
        move |local| match steady {
            Some(offset) => Some(local.and_utc() + offset),
            None => to_utc(tz, local),
        }
    }
}

/// The master's hours on a date: a dated exception wins over the weekly plan.
fn hours_on(master: &Master, date: NaiveDate) -> Option<&DayHours> {
    if let Some(exception) = master.exceptions.iter().find(|e| e.date == date) {
        return exception.hours.as_ref();
    }
    let week = &master.week;
    let hours = match date.weekday() {
        Weekday::Mon => &week.mon,
        Weekday::Tue => &week.tue,
        Weekday::Wed => &week.wed,
        Weekday::Thu => &week.thu,
        Weekday::Fri => &week.fri,
        Weekday::Sat => &week.sat,
        Weekday::Sun => &week.sun,
    };
    hours.as_ref()
}

/// Whether a service from `start` touches a break; ending exactly as the break starts is fine.
fn overlaps(start: NaiveDateTime, length: Duration, b: &Interval) -> bool {
    let date = start.date();
    start < date.and_time(b.to) && date.and_time(b.from) < start + length
}

fn minutes(n: u32) -> Duration {
    Duration::minutes(i64::from(n))
}
