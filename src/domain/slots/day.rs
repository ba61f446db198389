//! One master's slots on one local date: the grid of start times, cut by hours, breaks,
//! notice and bookings.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc, Weekday};
use chrono_tz::Tz;

use super::Slot;
use crate::config::business::{Business, DayHours, Interval, Master, Service};
use crate::domain::booking::{Booking, collides};
use crate::domain::ids::ServiceId;
use crate::domain::local_time::{local_date, to_utc};

/// What every candidate of one search is checked against.
pub(super) struct Search<'a> {
    biz: &'a Business,
    service: &'a Service,
    busy: &'a [Booking],
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
        busy: &'a [Booking],
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

    /// The master's free slots on `date`, in time order.
    pub(super) fn day_slots(&self, master: &Master, date: NaiveDate) -> Vec<Slot> {
        let Some(hours) = hours_on(master, date) else {
            return Vec::new();
        };
        let terms = self.biz.terms(master, self.service);
        let length = minutes(terms.minutes);
        let close = date.and_time(hours.close);

        let mut slots = Vec::new();
        let mut local_start = date.and_time(hours.open);
        while local_start + length <= close {
            let clear = !hours.breaks.iter().any(|b| overlaps(local_start, length, b));
            if clear && let Some(start) = self.free_start(master, local_start, length) {
                let (master, price) = (master.id.clone(), terms.price);
                slots.push(Slot { master, start, end: start + length, price });
            }
            local_start += self.step;
        }
        slots
    }

    /// The instant of `local_start` when it exists, respects the notice and, with the buffer,
    /// stays clear of the master's active bookings.
    fn free_start(
        &self,
        master: &Master,
        local_start: NaiveDateTime,
        length: Duration,
    ) -> Option<DateTime<Utc>> {
        let start = to_utc(self.tz(), local_start)?;
        if start < self.earliest {
            return None;
        }
        let taken = self
            .busy
            .iter()
            .filter(|b| b.master == master.id && b.is_active())
            .any(|b| collides(start, start + length, b, self.buffer));
        (!taken).then_some(start)
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
