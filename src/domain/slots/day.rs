//! One master's slots on one local date: the grid of start times, cut by hours, breaks,
//! notice and bookings.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc, Weekday};
use chrono_tz::Tz;

use super::Slot;
use crate::config::business::{Business, DayHours, Interval, Master, Service};
use std::collections::HashMap;

use crate::domain::booking::Booking;
use crate::domain::ids::{MasterId, ServiceId};
use crate::domain::local_time::{local_date, to_utc};

/// One master's active bookings sorted by start, with the latest end among each prefix, so a
/// candidate is checked with one binary search instead of a walk through every booking.
#[derive(Default)]
struct Busy {
    starts: Vec<DateTime<Utc>>,
    /// `latest_end[i]` is the latest end among bookings `0..=i`.
    latest_end: Vec<DateTime<Utc>>,
}

impl Busy {
    fn new(mut spans: Vec<(DateTime<Utc>, DateTime<Utc>)>) -> Self {
        spans.sort();
        let starts = spans.iter().map(|(start, _)| *start).collect();
        let latest_end = spans
            .iter()
            .scan(DateTime::<Utc>::MIN_UTC, |latest, (_, end)| {
                *latest = (*latest).max(*end);
                Some(*latest)
            })
            .collect();
        Busy { starts, latest_end }
    }

    /// The same answer as `collides` against each booking: some booking starts before the
    /// candidate's buffer ends and ends (with its own buffer) after the candidate starts.
    fn collides(&self, start: DateTime<Utc>, end: DateTime<Utc>, buffer: Duration) -> bool {
        let before = self.starts.partition_point(|s| *s < end + buffer);
        before > 0 && self.latest_end[before - 1] + buffer > start
    }
}

/// What every candidate of one search is checked against.
pub(super) struct Search<'a> {
    biz: &'a Business,
    service: &'a Service,
    busy: HashMap<&'a MasterId, Busy>,
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
            busy: index_busy(busy),
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

        let open = date.and_time(hours.open);
        let to_instant = self.day_clock(open, close);
        let busy = self.busy.get(&master.id);

        let mut slots = Vec::new();
        let mut local_start = open;
        while local_start + length <= close {
            let clear = !hours.breaks.iter().any(|b| overlaps(local_start, length, b));
            let start = if clear { to_instant(local_start) } else { None };
            if let Some(start) = start.filter(|s| self.is_free(busy, *s, length)) {
                let (master, price) = (master.id.clone(), terms.price);
                slots.push(Slot { master, start, end: start + length, price });
            }
            local_start += self.step;
        }
        slots
    }

    /// Whether `start` respects the notice and, with the buffer, stays clear of the master's
    /// active bookings.
    fn is_free(&self, busy: Option<&Busy>, start: DateTime<Utc>, length: Duration) -> bool {
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

/// Active bookings grouped by master.
fn index_busy(busy: &[Booking]) -> HashMap<&MasterId, Busy> {
    let mut spans: HashMap<&MasterId, Vec<_>> = HashMap::new();
    for booking in busy.iter().filter(|b| b.is_active()) {
        spans.entry(&booking.master).or_default().push((booking.start, booking.end));
    }
    spans.into_iter().map(|(master, spans)| (master, Busy::new(spans))).collect()
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

#[cfg(test)]
mod busy_tests {
    use super::*;
    use crate::domain::booking::{Actor, BookingStatus, collides};
    use crate::domain::ids::{BookingId, ClientId};
    use crate::domain::money::Money;

    fn booking(start: DateTime<Utc>, minutes: i64) -> Booking {
        Booking {
            id: BookingId(1),
            client: ClientId(1),
            service: ServiceId("s".into()),
            master: MasterId("m".into()),
            start,
            end: start + Duration::minutes(minutes),
            price: Money(0),
            status: BookingStatus::Booked,
            created_by: Actor::Client,
            created_at: start,
            source: None,
            answers: Vec::new(),
            cancelled: None,
        }
    }

    #[test]
    fn the_index_agrees_with_checking_every_booking_even_when_bookings_overlap() {
        let t0: DateTime<Utc> = "2030-03-11T00:00:00Z".parse().unwrap();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        };
        for case in 0..300 {
            let bookings: Vec<Booking> = (0..next(8))
                .map(|_| booking(t0 + Duration::minutes(next(600) as i64), 15 + next(120) as i64))
                .collect();
            let busy = Busy::new(bookings.iter().map(|b| (b.start, b.end)).collect());
            let buffer = Duration::minutes(next(20) as i64);
            for _ in 0..20 {
                let start = t0 + Duration::minutes(next(700) as i64);
                let end = start + Duration::minutes(15 + next(90) as i64);
                let want = bookings.iter().any(|b| collides(start, end, b, buffer));
                assert_eq!(busy.collides(start, end, buffer), want, "case {case} at {start}");
            }
        }
    }
}
