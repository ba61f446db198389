//! Taking a slot atomically, and reading bookings back.
//!
//! `master_slots` indexes only ACTIVE bookings by master and start; the store reads it once
//! when it opens to build the in-memory calendar, which every later check and search uses.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use sled::Transactional;

use super::error::{Result, StoreError};
use super::events::{Event, EventKind};
use super::{Store, keys};

use crate::domain::booking::{Booking, NewBooking};
use crate::domain::calendar::Calendar;
use crate::domain::ids::{BookingId, ClientId};

/// The slot was taken by another booking first; `by` is the one it collides with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotTaken {
    pub by: BookingId,
}

impl Store {
    /// Books `new` unless an active booking of the same master collides with it (each padded
    /// by `buffer`). The check and the insert happen under one lock, and the booking with its
    /// `BookingCreated` event is one transaction, a durable write (see the store's docs).
    pub fn take_slot(
        &self,
        new: NewBooking,
        buffer: Duration,
    ) -> Result<Result<Booking, SlotTaken>, StoreError> {
        let guard = self.lock_bookings();
        if let Some(taken) = self.first_collision(&new, buffer)? {
            tracing::debug!(by = taken.by.0, "slot already taken");
            return Ok(Err(taken));
        }

        let booking = Booking::from_new(BookingId(self.next_id()?), new);
        let event = Event {
            at: booking.created_at,
            client: Some(booking.client),
            kind: EventKind::BookingCreated { booking: booking.id },
        };
        self.write_booking(&booking, None, &event)?;
        drop(guard);

        self.wrote_durable();
        tracing::info!(booking = booking.id.0, client = booking.client.0, "slot taken");
        Ok(Ok(booking))
    }

    pub fn booking(&self, id: BookingId) -> Result<Option<Booking>> {
        let found = self
            .trees()
            .bookings
            .get(keys::id(id.0))
            .map_err(StoreError::db("reading a booking"))?;
        found.map(|bytes| keys::decode("booking", &bytes)).transpose()
    }

    /// Active bookings of every master that end after `from`, by start.
    pub fn active_bookings_from(&self, from: DateTime<Utc>) -> Result<Vec<Booking>> {
        let mut found = Vec::new();
        for span in self.calendar().spans_ending_after(from) {
            match self.booking(span.booking)? {
                Some(booking) => found.push(booking),
                None => return Err(StoreError::BrokenIndex { what: "booking" }),
            }
        }
        found.sort_by_key(|b| (b.start, b.id));
        tracing::debug!(count = found.len(), "active bookings read");
        Ok(found)
    }

    /// Every active booking's time, read from the index (once, when the store opens).
    pub(super) fn read_calendar(&self) -> Result<Calendar> {
        let mut active = Vec::new();
        for entry in self.trees().master_slots.iter() {
            let booking = self.indexed_booking(entry)?;
            if booking.is_active() {
                active.push(booking);
            }
        }
        Ok(Calendar::of(&active))
    }

    /// Every booking of a client, any status, by start.
    pub fn client_bookings(&self, client: ClientId) -> Result<Vec<Booking>> {
        let prefix = keys::id(client.0);
        let mut found = Vec::new();
        for entry in self.trees().client_bookings.scan_prefix(prefix) {
            found.push(self.indexed_booking(entry)?);
        }
        found.sort_by_key(|b| (b.start, b.id));
        Ok(found)
    }

    /// An active booking of the same master that collides with `new`. The caller holds the
    /// bookings lock, so the calendar is the stored state.
    fn first_collision(&self, new: &NewBooking, buffer: Duration) -> Result<Option<SlotTaken>> {
        let calendar = self.calendar();
        let held = calendar.held(&new.master);
        let by = held.and_then(|h| h.collision(new.start, new.end, buffer));
        Ok(by.map(|by| SlotTaken { by }))
    }

    /// The booking an index entry points at (its key ends with the booking id).
    fn indexed_booking(&self, entry: sled::Result<(sled::IVec, sled::IVec)>) -> Result<Booking> {
        let (key, _) = entry.map_err(StoreError::db("reading a booking index"))?;
        let id = keys::trailing_id(&key).map(BookingId);
        match id.map(|id| self.booking(id)).transpose()?.flatten() {
            Some(booking) => Ok(booking),
            None => Err(StoreError::BrokenIndex { what: "booking" }),
        }
    }

    /// Writes a new or changed booking, its indexes and its event in one transaction.
    /// `before` is the stored version when changing one, so its slot can be released.
    pub(crate) fn write_booking(
        &self,
        booking: &Booking,
        before: Option<&Booking>,
        event: &Event,
    ) -> Result<()> {
        let value = keys::encode("booking", booking)?;
        let (event_key, event_value) = self.event_entry(event)?;
        let slot = keys::master_slot(&booking.master, booking.start, booking.id.0);
        let held_before = before.is_some_and(Booking::is_active);
        let by_client = keys::pair(keys::id(booking.client.0), keys::id(booking.id.0));
        let owes_notice = matches!(
            event.kind,
            EventKind::BookingCreated { .. } | EventKind::BookingCancelled { .. }
        );
        let notice_key = keys::id(self.next_id()?);

        let t = self.trees();
        (&t.bookings, &t.master_slots, &t.client_bookings, &t.events, &t.staff_outbox)
            .transaction(|(bookings, slots, clients, events, outbox)| {
                bookings.insert(&keys::id(booking.id.0), value.as_slice())?;
                match (held_before, booking.is_active()) {
                    (false, true) => slots.insert(slot.as_slice(), &[])?,
                    (true, false) => slots.remove(slot.as_slice())?,
                    _ => None,
                };
                clients.insert(&by_client, &[])?;
                events.insert(&event_key, event_value.as_slice())?;
                if owes_notice {
                    outbox.insert(&notice_key, event_value.as_slice())?;
                }
                Ok(())
            })
            .map_err(StoreError::tx("writing a booking"))?;

        let mut calendar = self.inner.calendar.write().unwrap_or_else(|p| p.into_inner());
        Arc::make_mut(&mut calendar).apply(before, booking);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Barrier;

    use super::super::testing::{at, haircut, open_temp};
    use super::*;
    use crate::domain::booking::{Actor, BookingStatus};

    #[test]
    fn of_fifty_concurrent_overlapping_attempts_exactly_one_wins() {
        let (_dir, store) = open_temp();
        let barrier = Barrier::new(50);

        let wins: usize = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..50)
                .map(|i| {
                    let (store, barrier) = (store.clone(), &barrier);
                    scope.spawn(move || {
                        let start = at(10, 0) + Duration::minutes(i % 30);
                        barrier.wait();
                        store
                            .take_slot(haircut(ClientId(i as u64), "anna", start), Duration::zero())
                    })
                })
                .collect();
            handles.into_iter().map(|h| usize::from(h.join().unwrap().unwrap().is_ok())).sum()
        });

        assert_eq!(wins, 1);
        assert_eq!(store.active_bookings_from(at(0, 0)).unwrap().len(), 1);
    }

    #[test]
    fn the_buffer_pads_both_bookings() {
        let (_dir, store) = open_temp();
        let buffer = Duration::minutes(15);
        store.take_slot(haircut(ClientId(1), "anna", at(10, 0)), buffer).unwrap().unwrap();

        let cases = [
            (at(11, 0), false, "right after the end, inside the buffer"),
            (at(11, 10), false, "still inside the buffer"),
            (at(8, 50), false, "its own buffer runs into the existing start"),
            (at(11, 15), true, "right after the buffer"),
            (at(8, 45), true, "its end plus buffer touches the existing start"),
        ];
        for (start, free, case) in cases {
            let got = store.first_collision(&haircut(ClientId(2), "anna", start), buffer).unwrap();
            assert_eq!(got.is_none(), free, "case: {case}");
        }
    }

    #[test]
    fn another_master_at_the_same_time_is_free() {
        let (_dir, store) = open_temp();
        store
            .take_slot(haircut(ClientId(1), "anna", at(10, 0)), Duration::zero())
            .unwrap()
            .unwrap();

        let other = store.take_slot(haircut(ClientId(2), "olga", at(10, 0)), Duration::zero());

        assert!(other.unwrap().is_ok());
    }

    #[test]
    fn a_cancelled_booking_frees_its_slot() {
        let (_dir, store) = open_temp();
        let first = store.take_slot(haircut(ClientId(1), "anna", at(10, 0)), Duration::zero());
        let first = first.unwrap().unwrap();
        let blocked = store.take_slot(haircut(ClientId(2), "anna", at(10, 30)), Duration::zero());
        assert_eq!(blocked.unwrap(), Err(SlotTaken { by: first.id }));

        let cancelled = store.cancel_booking(first.id, Actor::Client, at(9, 0)).unwrap().unwrap();
        let second = store.take_slot(haircut(ClientId(2), "anna", at(10, 30)), Duration::zero());

        assert_eq!(cancelled.status, BookingStatus::Cancelled);
        assert_eq!(cancelled.cancelled, Some((at(9, 0), Actor::Client)));
        assert!(second.unwrap().is_ok());
        assert_eq!(store.cancel_booking(first.id, Actor::Client, at(9, 1)).unwrap(), None);
    }

    #[test]
    fn status_changes_keep_or_free_the_slot_and_log_events() {
        let (_dir, store) = open_temp();
        let staff = Actor::System;
        let booking = store.take_slot(haircut(ClientId(1), "anna", at(10, 0)), Duration::zero());
        let id = booking.unwrap().unwrap().id;

        let confirmed = store.set_status(id, BookingStatus::Confirmed, staff, at(9, 0)).unwrap();
        assert_eq!(store.active_bookings_from(at(0, 0)).unwrap().len(), 1, "confirmed holds");
        let visited = store.set_status(id, BookingStatus::Visited, staff, at(11, 0)).unwrap();
        assert!(store.active_bookings_from(at(0, 0)).unwrap().is_empty(), "visited frees");
        let back = store.set_status(id, BookingStatus::Booked, staff, at(11, 1));

        assert_eq!(confirmed.unwrap().status, BookingStatus::Confirmed);
        assert_eq!(visited.unwrap().status, BookingStatus::Visited);
        assert!(matches!(back, Err(StoreError::Reactivate { .. })));
        let events = store.events_between(at(0, 0) - Duration::days(1), at(23, 0)).unwrap();
        assert_eq!(events.len(), 3, "created, confirmed, visited");
    }

    #[test]
    fn active_bookings_from_skips_ended_and_inactive_ones() {
        let (_dir, store) = open_temp();
        let zero = Duration::zero();
        for (client, master, hour) in [(1, "anna", 9), (2, "olga", 12), (3, "anna", 14)] {
            store.take_slot(haircut(ClientId(client), master, at(hour, 0)), zero).unwrap().unwrap();
        }
        let late = store.take_slot(haircut(ClientId(4), "olga", at(16, 0)), zero).unwrap().unwrap();
        store.cancel_booking(late.id, Actor::Client, at(8, 0)).unwrap();

        let got = store.active_bookings_from(at(10, 0)).unwrap();

        let clients: Vec<_> = got.iter().map(|b| b.client.0).collect();
        assert_eq!(clients, [2, 3]);
    }

    #[test]
    fn a_reopened_store_rebuilds_the_calendar_from_its_index() {
        let dir = tempfile::tempdir().unwrap();
        let zero = Duration::zero();
        let store = Store::open(dir.path()).unwrap();
        let kept = store.take_slot(haircut(ClientId(1), "anna", at(10, 0)), zero).unwrap().unwrap();
        let gone = store.take_slot(haircut(ClientId(2), "olga", at(10, 0)), zero).unwrap().unwrap();
        store.cancel_booking(gone.id, Actor::Client, at(8, 0)).unwrap();
        drop(store);

        let store = Store::open(dir.path()).unwrap();
        let again = store.take_slot(haircut(ClientId(3), "anna", at(10, 30)), zero).unwrap();
        let freed = store.take_slot(haircut(ClientId(4), "olga", at(10, 0)), zero).unwrap();

        assert_eq!(again, Err(SlotTaken { by: kept.id }));
        assert!(freed.is_ok(), "the cancelled booking's time is free after the restart");
        assert_eq!(store.calendar().len(), 2);
    }

    #[test]
    fn client_bookings_lists_every_status_by_start() {
        let (_dir, store) = open_temp();
        let zero = Duration::zero();
        let late = store.take_slot(haircut(ClientId(1), "anna", at(15, 0)), zero).unwrap().unwrap();
        store.take_slot(haircut(ClientId(1), "olga", at(9, 0)), zero).unwrap().unwrap();
        store.take_slot(haircut(ClientId(2), "anna", at(9, 0)), zero).unwrap().unwrap();
        store.cancel_booking(late.id, Actor::Client, at(8, 0)).unwrap();

        let got = store.client_bookings(ClientId(1)).unwrap();

        let starts: Vec<_> = got.iter().map(|b| (b.start, b.status)).collect();
        assert_eq!(
            starts,
            [(at(9, 0), BookingStatus::Booked), (at(15, 0), BookingStatus::Cancelled)]
        );
    }
}
