//! The time each master is held by active bookings, kept sorted so slot search checks a
//! candidate with one binary search.
//!
//! The store keeps one calendar in memory and replaces it after every booking write, so a
//! search never reads or decodes bookings: with a thousand bookings held, reading them back for
//! each screen cost more than everything else the bot does for an update.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};

use super::booking::Booking;
use super::ids::{BookingId, MasterId};

/// Every master's held time. Cheap to clone: each master's list is shared until it changes.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    masters: HashMap<MasterId, Arc<Held>>,
}

/// One master's active bookings sorted by start, with the latest end among each prefix, also
/// in whole Unix seconds for slot search: adding a buffer to a `DateTime` twice per candidate
/// was a fifth of a search.
#[derive(Debug, Clone, Default)]
pub struct Held {
    spans: Vec<Span>,
    /// `latest_end[i]` is the latest end among `spans[0..=i]`.
    latest_end: Vec<DateTime<Utc>>,
    /// Each span's start in Unix seconds, rounded down, in the order of `spans`.
    start_secs: Vec<i64>,
    /// `latest_end` in Unix seconds, rounded up.
    latest_end_secs: Vec<i64>,
}

/// One active booking as the calendar sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub booking: BookingId,
}

impl Calendar {
    /// The calendar of the active ones among `bookings`.
    pub fn of<'a>(bookings: impl IntoIterator<Item = &'a Booking>) -> Self {
        let mut spans: HashMap<MasterId, Vec<Span>> = HashMap::new();
        for booking in bookings.into_iter().filter(|b| b.is_active()) {
            spans.entry(booking.master.clone()).or_default().push(Span::of(booking));
        }
        let masters = spans.into_iter().map(|(id, spans)| (id, Arc::new(Held::new(spans))));
        Calendar { masters: masters.collect() }
    }

    /// The master's held time; `None` when nothing is booked with them.
    pub fn held(&self, master: &MasterId) -> Option<&Held> {
        self.masters.get(master).map(Arc::as_ref)
    }

    /// Every span ending after `from`, of all masters, in no particular order.
    pub fn spans_ending_after(&self, from: DateTime<Utc>) -> impl Iterator<Item = Span> + '_ {
        self.masters
            .values()
            .flat_map(|held| held.spans.iter().copied())
            .filter(move |s| s.end > from)
    }

    /// How many active bookings the calendar holds.
    pub fn len(&self) -> usize {
        self.masters.values().map(|held| held.spans.len()).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Records a booking write: `before` is the stored version it replaces, if any. Only
    /// active bookings hold time, so a cancellation or a visit frees it.
    pub fn apply(&mut self, before: Option<&Booking>, after: &Booking) {
        if let Some(before) = before.filter(|b| b.is_active()) {
            self.change(&before.master, |spans| spans.retain(|s| s.booking != before.id));
        }
        if after.is_active() {
            self.change(&after.master, |spans| spans.push(Span::of(after)));
        }
    }

    fn change(&mut self, master: &MasterId, edit: impl FnOnce(&mut Vec<Span>)) {
        let held = self.masters.entry(master.clone()).or_default();
        let mut spans = held.spans.clone();
        edit(&mut spans);
        if spans.is_empty() {
            self.masters.remove(master);
        } else {
            *held = Arc::new(Held::new(spans));
        }
    }
}

impl Held {
    fn new(mut spans: Vec<Span>) -> Self {
        spans.sort();
        let latest_end: Vec<DateTime<Utc>> = spans
            .iter()
            .scan(DateTime::<Utc>::MIN_UTC, |latest, span| {
                *latest = (*latest).max(span.end);
                Some(*latest)
            })
            .collect();
        let start_secs = spans.iter().map(|span| span.start.timestamp()).collect();
        let latest_end_secs = latest_end.iter().map(|end| ceil_seconds(*end)).collect();
        Held { spans, latest_end, start_secs, latest_end_secs }
    }

    /// The same answer as [`crate::domain::booking::collides`] against each booking: some
    /// booking starts before the candidate's buffer ends and ends (with its own buffer) after
    /// the candidate starts.
    pub fn collides(&self, start: DateTime<Utc>, end: DateTime<Utc>, buffer: Duration) -> bool {
        let before = self.starting_before(end + buffer);
        before > 0 && self.latest_end[before - 1] + buffer > start
    }

    /// [`Held::collides`] for a candidate and buffer in whole Unix seconds, as slot search
    /// asks it; exact for such candidates whatever the bookings' precision.
    pub fn collides_secs(&self, start: i64, end: i64, buffer: i64) -> bool {
        let before = self.start_secs.partition_point(|s| *s < end + buffer);
        before > 0 && self.latest_end_secs[before - 1] + buffer > start
    }

    /// The booking a candidate collides with, when it does (the latest-starting one).
    pub fn collision(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        buffer: Duration,
    ) -> Option<BookingId> {
        if !self.collides(start, end, buffer) {
            return None;
        }
        let before = self.starting_before(end + buffer);
        let found = self.spans[..before].iter().rev().find(|s| s.end + buffer > start);
        found.map(|s| s.booking)
    }

    /// How many spans start before `instant`.
    fn starting_before(&self, instant: DateTime<Utc>) -> usize {
        self.spans.partition_point(|s| s.start < instant)
    }
}

/// `at` in Unix seconds, rounded up.
pub(crate) fn ceil_seconds(at: DateTime<Utc>) -> i64 {
    at.timestamp() + i64::from(at.timestamp_subsec_nanos() > 0)
}

impl Span {
    fn of(booking: &Booking) -> Self {
        Span { start: booking.start, end: booking.end, booking: booking.id }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::booking::{Actor, BookingStatus, collides};
    use crate::domain::ids::{ClientId, ServiceId};
    use crate::domain::money::Money;

    fn booking(id: u64, master: &str, start: DateTime<Utc>, minutes: i64) -> Booking {
        Booking {
            id: BookingId(id),
            client: ClientId(1),
            service: ServiceId("s".into()),
            master: MasterId(master.into()),
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

    fn t0() -> DateTime<Utc> {
        "2030-03-11T00:00:00Z".parse().unwrap()
    }

    #[test]
    fn the_index_agrees_with_checking_every_booking_even_when_bookings_overlap() {
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut next = move |n: u64| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % n
        };
        let m = MasterId("m".into());
        for case in 0..300 {
            let bookings: Vec<Booking> = (0..next(8))
                .map(|i| {
                    booking(
                        i,
                        "m",
                        t0() + Duration::minutes(next(600) as i64),
                        15 + next(120) as i64,
                    )
                })
                .collect();
            let calendar = Calendar::of(&bookings);
            let buffer = Duration::minutes(next(20) as i64);
            for _ in 0..20 {
                let start = t0() + Duration::minutes(next(700) as i64);
                let end = start + Duration::minutes(15 + next(90) as i64);
                let hit = bookings.iter().find(|b| collides(start, end, b, buffer));
                let held = calendar.held(&m);
                let got = held.and_then(|h| h.collision(start, end, buffer));
                assert_eq!(got.is_some(), hit.is_some(), "case {case} at {start}");
                if let Some(id) = got {
                    let named = bookings.iter().find(|b| b.id == id).unwrap();
                    assert!(collides(start, end, named, buffer), "case {case}: named a free one");
                }
            }
        }
    }

    #[test]
    fn applying_writes_holds_and_frees_time() {
        let first = booking(1, "anna", t0(), 60);
        let second = booking(2, "anna", t0() + Duration::hours(2), 60);
        let mut calendar = Calendar::of([&first]);
        calendar.apply(None, &second);
        let before = calendar.clone();

        let mut cancelled = first.clone();
        cancelled.status = BookingStatus::Cancelled;
        calendar.apply(Some(&first), &cancelled);

        let anna = MasterId("anna".into());
        assert_eq!(before.len(), 2, "a clone keeps the old state");
        assert_eq!(calendar.len(), 1);
        let held = calendar.held(&anna).unwrap();
        assert!(!held.collides(first.start, first.end, Duration::zero()), "freed");
        assert_eq!(held.collision(second.start, second.end, Duration::zero()), Some(BookingId(2)));
        let rest: Vec<_> = calendar.spans_ending_after(t0()).map(|s| s.booking).collect();
        assert_eq!(rest, [BookingId(2)]);
    }

    #[test]
    fn checks_stay_exact_when_a_booking_or_a_candidate_has_a_fraction_of_a_second() {
        let half = Duration::milliseconds(500);
        let odd = booking(1, "m", t0() + half, 60);
        let calendar = Calendar::of([&odd]);
        let held = calendar.held(&MasterId("m".into())).unwrap();
        let zero = Duration::zero();

        let (before_start, after_end) = (t0() - Duration::minutes(30), odd.end);
        assert!(!held.collides(before_start, t0(), zero), "ends half a second before it");
        assert!(held.collides(before_start, t0() + Duration::seconds(1), zero));
        assert!(held.collides(after_end - half, after_end + Duration::minutes(30), zero));

        let secs = |at: DateTime<Utc>| at.timestamp();
        assert!(!held.collides_secs(secs(before_start), secs(t0()), 0));
        assert!(held.collides_secs(secs(before_start), secs(t0()) + 1, 0));
        let (end_floor, later) = (secs(after_end), secs(after_end) + 1800);
        assert!(held.collides_secs(end_floor, later, 0), "starts before it ends");
        assert!(!held.collides_secs(end_floor + 1, later, 0));
    }

    #[test]
    fn inactive_bookings_hold_nothing() {
        let mut visited = booking(1, "anna", t0(), 60);
        visited.status = BookingStatus::Visited;

        let calendar = Calendar::of([&visited]);

        assert!(calendar.is_empty());
        assert!(calendar.held(&MasterId("anna".into())).is_none());
    }
}
