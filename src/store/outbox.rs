//! Staff notices owed: each new or cancelled booking puts its event here in the same
//! transaction as the booking, so a crash cannot lose the notice. A sender takes entries in
//! order, sends, then marks them sent; a death between the two repeats one notice.

use serde::{Deserialize, Serialize};

use super::error::{Result, StoreError};
use super::events::Event;
use super::{Store, keys};

/// One notice still to send.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingNotice {
    /// Its place in the queue; pass it to `mark_notice_sent`.
    pub seq: u64,
    pub event: Event,
}

impl Store {
    /// The oldest notices not yet marked sent, at most `limit`.
    pub fn pending_notices(&self, limit: usize) -> Result<Vec<PendingNotice>> {
        let mut pending = Vec::new();
        for entry in self.trees().staff_outbox.iter().take(limit) {
            let (key, value) = entry.map_err(StoreError::db("reading the staff outbox"))?;
            let seq = keys::trailing_id(&key).ok_or(StoreError::BrokenIndex { what: "notice" })?;
            pending.push(PendingNotice { seq, event: keys::decode("notice", &value)? });
        }
        Ok(pending)
    }

    /// Marks a notice sent (or given up: a chat that blocked the bot). Flushed, so a restart
    /// repeats as few notices as possible.
    pub fn mark_notice_sent(&self, seq: u64) -> Result<()> {
        let outbox = &self.trees().staff_outbox;
        outbox.remove(keys::id(seq)).map_err(StoreError::db("marking a notice sent"))?;
        self.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{at, haircut, open_temp};
    use crate::domain::booking::Actor;
    use crate::domain::ids::ClientId;
    use crate::store::events::EventKind;

    #[test]
    fn a_booking_and_its_cancellation_each_owe_one_notice_until_marked() {
        let (_dir, store) = open_temp();
        let booked = store
            .take_slot(haircut(ClientId(1), "anna", at(10, 0)), chrono::Duration::zero())
            .unwrap()
            .unwrap();
        store.cancel_booking(booked.id, Actor::Client, at(8, 0)).unwrap();

        let pending = store.pending_notices(10).unwrap();

        let kinds: Vec<_> = pending.iter().map(|p| p.event.kind.clone()).collect();
        assert_eq!(
            kinds,
            [
                EventKind::BookingCreated { booking: booked.id },
                EventKind::BookingCancelled { booking: booked.id, by: Actor::Client }
            ]
        );
        store.mark_notice_sent(pending[0].seq).unwrap();
        assert_eq!(store.pending_notices(10).unwrap(), pending[1..]);
    }
}
