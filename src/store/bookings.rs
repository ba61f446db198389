//! Taking a slot atomically, and reading bookings back.
//!
//! `master_slots` indexes only ACTIVE bookings by master and start, so a collision check reads
//! one master's active bookings, never the whole history.

use chrono::{DateTime, Duration, Utc};
use sled::Transactional;

use super::error::{Result, StoreError};
use super::events::{Event, EventKind};
use super::{Store, keys};
use crate::domain::booking::{Booking, NewBooking, collides};
use crate::domain::ids::{BookingId, ClientId};

/// The slot was taken by another booking first; `by` is the one it collides with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SlotTaken {
    pub by: BookingId,
}

impl Store {
    /// Books `new` unless an active booking of the same master collides with it (each padded
    /// by `buffer`). The check and the insert happen under one lock, and the booking with its
    /// `BookingCreated` event is one transaction, flushed before returning.
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

        self.flush()?;
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

    /// Active bookings of every master that end after `from`, by start: what slot search
    /// must avoid.
    pub fn active_bookings_from(&self, from: DateTime<Utc>) -> Result<Vec<Booking>> {
        let mut found = Vec::new();
        for entry in self.trees().master_slots.iter() {
            let booking = self.indexed_booking(entry)?;
            if booking.is_active() && booking.end > from {
                found.push(booking);
            }
        }
        found.sort_by_key(|b| (b.start, b.id));
        tracing::debug!(count = found.len(), "active bookings read");
        Ok(found)
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

    /// The first active booking of the same master that collides with `new`.
    fn first_collision(&self, new: &NewBooking, buffer: Duration) -> Result<Option<SlotTaken>> {
        // Only bookings starting before the candidate's padded end can collide.
        let start = keys::master_prefix(&new.master);
        let end = keys::master_slot(&new.master, new.end + buffer, 0);
        for entry in self.trees().master_slots.range(start..end) {
            let existing = self.indexed_booking(entry)?;
            if existing.is_active() && collides(new.start, new.end, &existing, buffer) {
                return Ok(Some(SlotTaken { by: existing.id }));
            }
        }
        Ok(None)
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

        let t = self.trees();
        (&t.bookings, &t.master_slots, &t.client_bookings, &t.events)
            .transaction(|(bookings, slots, clients, events)| {
                bookings.insert(&keys::id(booking.id.0), value.as_slice())?;
                match (held_before, booking.is_active()) {
                    (false, true) => slots.insert(slot.as_slice(), &[])?,
                    (true, false) => slots.remove(slot.as_slice())?,
                    _ => None,
                };
                clients.insert(&by_client, &[])?;
                events.insert(&event_key, event_value.as_slice())?;
                Ok(())
            })
            .map_err(StoreError::tx("writing a booking"))
    }
}
