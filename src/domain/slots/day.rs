//! One master's slots on one local date: the grid of start times, cut by hours, breaks,
//! notice and bookings.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike, Utc, Weekday};
use chrono_tz::Tz;

use super::Slot;
use crate::config::business::{Business, DayHours, Interval, Master, Service};
use crate::domain::calendar::{Calendar, Held, ceil_seconds};
use crate::domain::ids::ServiceId;
use crate::domain::local_time::{local_date, to_utc};

/// What every candidate of one search is checked against.
pub(super) struct Search<'a> {
    biz: &'a Business,
    service: &'a Service,
    busy: &'a Calendar,
    now: DateTime<Utc>,
    /// The first start the notice allows, in Unix seconds.
    earliest: i64,
    /// The grid step in minutes.
    step: u32,
    /// The buffer in seconds.
    buffer: i64,
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
            earliest: ceil_seconds(now) + i64::from(rules.min_notice_minutes) * 60,
            step: rules.slot_step_minutes,
            buffer: i64::from(rules.buffer_minutes) * 60,
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

    /// Walks the day's grid in local minutes and checks each start in Unix seconds; only the
    /// free ones become `DateTime`s. Date arithmetic on every candidate was most of a search.
    fn free_within<'s>(
        &'s self,
        master: &'s Master,
        date: NaiveDate,
        hours: &'s DayHours,
    ) -> impl Iterator<Item = Slot> + 's {
        let terms = self.biz.terms(master, self.service);
        let length = i64::from(terms.minutes);
        let (open, close) = (minute_of_day(hours.open), minute_of_day(hours.close));
        let to_instant = self.day_clock(date, open, close);
        let busy = self.busy.held(&master.id);

        let grid = (open..).step_by(self.step as usize);
        grid.take_while(move |minute| minute + length <= close)
            .filter(move |minute| !hours.breaks.iter().any(|b| overlaps(*minute, length, b)))
            .filter_map(to_instant)
            .filter(move |start| self.is_free(busy, *start, length * 60))
            .filter_map(move |start| {
                Some(Slot {
                    master: master.id.clone(),
                    start: DateTime::from_timestamp(start, 0)?,
                    end: DateTime::from_timestamp(start + length * 60, 0)?,
                    price: terms.price,
                })
            })
    }

    /// Whether a start (Unix seconds) respects the notice and, with the buffer, stays clear
    /// of the master's active bookings.
    fn is_free(&self, busy: Option<&Held>, start: i64, length: i64) -> bool {
        if start < self.earliest {
            return false;
        }
        !busy.is_some_and(|b| b.collides_secs(start, start + length, self.buffer))
    }

    /// Local minutes of one working day to Unix seconds. On a day without a clock change
    /// (every day in most zones) one offset serves all; otherwise each time is converted on
    /// its own, and a time the clocks skip has no instant.
    fn day_clock(&self, date: NaiveDate, open: i64, close: i64) -> impl Fn(i64) -> Option<i64> {
        let tz = self.tz();
        let instant = move |minute: i64| {
            let time =
                NaiveTime::from_num_seconds_from_midnight_opt(u32::try_from(minute * 60).ok()?, 0)?;
            to_utc(tz, date.and_time(time)).map(|at| at.timestamp())
        };
        let steady = match (instant(open), instant(close)) {
            (Some(a), Some(b)) if b - a == (close - open) * 60 => Some(a - open * 60),
            _ => None,
        };
        move |minute| match steady {
            Some(midnight) => Some(midnight + minute * 60),
            None => instant(minute),
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

/// Whether a service from `start` (a minute of the day) touches a break; ending exactly as the
/// break starts is fine.
fn overlaps(start: i64, length: i64, b: &Interval) -> bool {
    start < minute_of_day(b.to) && minute_of_day(b.from) < start + length
}

fn minute_of_day(time: NaiveTime) -> i64 {
    i64::from(time.num_seconds_from_midnight() / 60)
}
