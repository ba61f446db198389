//! Bookings and the rule that two of them must not overlap on one master.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use super::ids::{BookingId, ClientId, MasterId, ServiceId, UserKey};
use super::money::Money;

/// Where a booking is in its life. A new one is `Booked`; only the client's reminder tap or
/// staff make it `Confirmed`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    Booked,
    Confirmed,
    Cancelled,
    Visited,
    NoShow,
}

/// Who did something to a booking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Actor {
    Client,
    Staff(UserKey),
    System,
}

/// A booking before the store gave it an id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewBooking {
    pub client: ClientId,
    pub service: ServiceId,
    pub master: MasterId,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub price: Money,
    pub created_by: Actor,
    pub created_at: DateTime<Utc>,
    /// The lead's source (deep-link payload), copied so staff and KPI see it without a join.
    pub source: Option<String>,
    /// The answers to the business's qualifying questions: question id and answer. A free
    /// answer may say something personal, so `/forget` erases these.
    pub answers: Vec<(String, String)>,
}

/// A booking as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Booking {
    pub id: BookingId,
    pub client: ClientId,
    pub service: ServiceId,
    pub master: MasterId,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub price: Money,
    pub status: BookingStatus,
    pub created_by: Actor,
    pub created_at: DateTime<Utc>,
    pub source: Option<String>,
    #[serde(default)]
    pub answers: Vec<(String, String)>,
    /// When and by whom it was cancelled, if it was.
    pub cancelled: Option<(DateTime<Utc>, Actor)>,
}

impl Booking {
    /// Built from a draft once the store has allocated an id.
    pub fn from_new(id: BookingId, new: NewBooking) -> Self {
        Booking {
            id,
            client: new.client,
            service: new.service,
            master: new.master,
            start: new.start,
            end: new.end,
            price: new.price,
            status: BookingStatus::Booked,
            created_by: new.created_by,
            created_at: new.created_at,
            source: new.source,
            answers: new.answers,
            cancelled: None,
        }
    }

    /// Booked or confirmed: it still holds its time.
    pub fn is_active(&self) -> bool {
        matches!(self.status, BookingStatus::Booked | BookingStatus::Confirmed)
    }
}

/// Whether `[start, end + buffer)` of a candidate collides with an existing booking's
/// `[start, end + buffer)`. The buffer follows each service, so it is added to both ends.
pub fn collides(
    candidate_start: DateTime<Utc>,
    candidate_end: DateTime<Utc>,
    existing: &Booking,
    buffer: Duration,
) -> bool {
    let candidate_busy_until = candidate_end + buffer;
    let existing_busy_until = existing.end + buffer;
    candidate_start < existing_busy_until && existing.start < candidate_busy_until
}
