//! The append-only event log: what happened, when, to which client id. No personal data.
//!
//! The key is the event's time in milliseconds (sortable bytes) and then a sequence number, so
//! any period, a day or a year, is one range scan: that key is the day index.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::error::{Result, StoreError};
use super::{Store, keys};
use crate::domain::booking::{Actor, BookingStatus};
use crate::domain::ids::{BookingId, ClientId, LeadId};

/// One thing that happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub client: Option<ClientId>,
    pub kind: EventKind,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventKind {
    LeadOpened { lead: LeadId, source: Option<String> },
    BookingCreated { booking: BookingId },
    BookingCancelled { booking: BookingId, by: Actor },
    BookingStatusChanged { booking: BookingId, status: BookingStatus },
    ClientForgotten,
}

impl Store {
    /// Appends an event. Not flushed by itself: the write it records flushes.
    pub fn append_event(&self, event: &Event) -> Result<()> {
        let (key, value) = self.event_entry(event)?;
        self.trees().events.insert(key, value).map_err(StoreError::db("appending an event"))?;
        Ok(())
    }

    /// Events with `from <= at < to`, oldest first.
    pub fn events_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<Event>> {
        if from >= to {
            return Ok(Vec::new());
        }
        let start = keys::pair(keys::time(from), keys::id(0));
        let end = keys::pair(keys::time(to), keys::id(0));
        let mut events = Vec::new();
        for entry in self.trees().events.range(start..end) {
            let (_, value) = entry.map_err(StoreError::db("reading events"))?;
            events.push(keys::decode("event", &value)?);
        }
        tracing::debug!(count = events.len(), "events read");
        Ok(events)
    }

    /// The key and bytes of an event, ready to insert (also inside a transaction).
    pub(crate) fn event_entry(&self, event: &Event) -> Result<([u8; 16], Vec<u8>)> {
        let key = keys::pair(keys::time(event.at), keys::id(self.next_id()?));
        Ok((key, keys::encode("event", event)?))
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{at, open_temp};
    use super::*;

    fn forgotten(at: DateTime<Utc>, client: u64) -> Event {
        Event { at, client: Some(ClientId(client)), kind: EventKind::ClientForgotten }
    }

    #[test]
    fn events_between_returns_the_half_open_range_in_time_order() {
        let (_dir, store) = open_temp();
        for (hour, client) in [(12, 3), (9, 1), (10, 2), (14, 4)] {
            store.append_event(&forgotten(at(hour, 0), client)).unwrap();
        }

        let got = store.events_between(at(9, 30), at(14, 0)).unwrap();

        let clients: Vec<_> = got.iter().filter_map(|e| e.client).collect();
        assert_eq!(clients, [ClientId(2), ClientId(3)]);
    }

    #[test]
    fn events_in_the_same_millisecond_are_all_kept_in_order() {
        let (_dir, store) = open_temp();
        for client in 1..=3 {
            store.append_event(&forgotten(at(9, 0), client)).unwrap();
        }

        let got = store.events_between(at(9, 0), at(9, 1)).unwrap();

        let clients: Vec<_> = got.iter().filter_map(|e| e.client).collect();
        assert_eq!(clients, [ClientId(1), ClientId(2), ClientId(3)]);
    }
}
