//! Changing a booking after it is made: cancelling it, or marking it confirmed, visited or
//! no-show. Each change appends an event and is a durable write (see the store's docs).

use chrono::{DateTime, Utc};

use super::Store;
use super::error::{Result, StoreError};
use super::events::{Event, EventKind};
use crate::domain::booking::{Actor, Booking, BookingStatus};
use crate::domain::ids::BookingId;

impl Store {
    /// Cancels an active booking and frees its time. `None` when there is no such booking or
    /// it is no longer active (already cancelled, visited, no-show); read it with `booking`
    /// to tell which.
    pub fn cancel_booking(
        &self,
        id: BookingId,
        by: Actor,
        now: DateTime<Utc>,
    ) -> Result<Option<Booking>> {
        let guard = self.lock_bookings();
        let Some(before) = self.booking(id)?.filter(Booking::is_active) else {
            return Ok(None);
        };

        let booking = self.cancel_locked(before, by, now)?;
        drop(guard);

        self.wrote_durable();
        Ok(Some(booking))
    }

    /// Sets a booking's status. Cancelling goes through `cancel_booking`; an inactive booking
    /// cannot become active again, because its time may have been given away.
    pub fn set_status(
        &self,
        id: BookingId,
        status: BookingStatus,
        by: Actor,
        now: DateTime<Utc>,
    ) -> Result<Option<Booking>> {
        if status == BookingStatus::Cancelled {
            return self.cancel_booking(id, by, now);
        }

        let guard = self.lock_bookings();
        let Some(before) = self.booking(id)? else {
            return Ok(None);
        };
        if !before.is_active() && matches!(status, BookingStatus::Booked | BookingStatus::Confirmed)
        {
            return Err(StoreError::Reactivate { booking: id });
        }

        let booking = Booking { status, ..before.clone() };
        let kind = EventKind::BookingStatusChanged { booking: id, status };
        let event = Event { at: now, client: Some(booking.client), kind };
        self.write_booking(&booking, Some(&before), &event)?;
        drop(guard);

        self.wrote_durable();
        tracing::info!(booking = id.0, status = ?status, "booking status set");
        Ok(Some(booking))
    }

    /// Cancels an active booking; the caller holds the bookings lock and flushes.
    pub(crate) fn cancel_locked(
        &self,
        before: Booking,
        by: Actor,
        now: DateTime<Utc>,
    ) -> Result<Booking> {
        let booking = Booking {
            status: BookingStatus::Cancelled,
            cancelled: Some((now, by)),
            ..before.clone()
        };
        let kind = EventKind::BookingCancelled { booking: booking.id, by };
        let event = Event { at: now, client: Some(booking.client), kind };
        self.write_booking(&booking, Some(&before), &event)?;
        tracing::info!(booking = booking.id.0, "booking cancelled");
        Ok(booking)
    }
}
