//! Erasing a client on request: the person, the consent, the chat and everything keyed by it
//! go; bookings and events stay, keyed by the opaque client id, so counts survive.
//!
//! The steps run in an order that makes a crash mid-way safe to repeat: the chat → client
//! mapping, through which a repeat finds the client, is removed last.
//! sled may keep erased bytes in its log files until it reuses those segments; the trees and
//! every new backup are clean at once.

use chrono::{DateTime, Utc};
use sled::Transactional;

use super::clients::ClientRecord;
use super::error::{Result, StoreError};
use super::events::{Event, EventKind};
use super::leads::{ERASED_CHAT, Lead};
use super::{Store, keys};
use crate::domain::booking::{Actor, Booking};
use crate::domain::ids::{ChatKey, ClientId, LeadId};

impl Store {
    /// Forgets a client. Returns the future bookings it cancelled; each also owes staff a
    /// notice, which names no one (the cancellations are the system's, not the client's).
    pub fn forget_client(&self, client: ClientId, now: DateTime<Utc>) -> Result<Vec<Booking>> {
        let cancelled = self.cancel_future_bookings(client, now)?;
        self.erase_answers(client)?;
        let t = self.trees();
        t.persons.remove(keys::id(client.0)).map_err(StoreError::db("erasing a person"))?;
        t.consents.remove(keys::id(client.0)).map_err(StoreError::db("erasing a consent"))?;

        let chat = self.chat_for_client(client)?;
        if let Some(chat) = chat {
            self.forget_chat(chat)?;
        }
        self.forget_client_record(client)?;

        let event = Event { at: now, client: Some(client), kind: EventKind::ClientForgotten };
        self.append_event(&event)?;
        self.wrote_durable();
        tracing::info!(client = client.0, cancelled = cancelled.len(), "client forgotten");
        Ok(cancelled)
    }

    /// Cancels the client's active bookings that have not started yet.
    fn cancel_future_bookings(&self, client: ClientId, now: DateTime<Utc>) -> Result<Vec<Booking>> {
        let _guard = self.lock_bookings();
        let mut cancelled = Vec::new();
        for booking in self.client_bookings(client)? {
            if booking.is_active() && booking.start > now {
                cancelled.push(self.cancel_locked(booking, Actor::System, now)?);
            }
        }
        Ok(cancelled)
    }

    /// Clears the answers to qualifying questions on all of the client's bookings: a free
    /// answer may say something personal. Not a booking event, so no event is logged.
    fn erase_answers(&self, client: ClientId) -> Result<()> {
        let _guard = self.lock_bookings();
        for booking in self.client_bookings(client)? {
            if booking.answers.is_empty() {
                continue;
            }
            let erased = Booking { answers: Vec::new(), ..booking };
            let value = keys::encode("booking", &erased)?;
            let bookings = &self.trees().bookings;
            bookings
                .insert(keys::id(erased.id.0), value)
                .map_err(StoreError::db("erasing answers"))?;
        }
        Ok(())
    }

    /// Drops the chat's dialog state and unlinks its leads from the chat.
    fn forget_chat(&self, chat: ChatKey) -> Result<()> {
        let t = self.trees();
        t.dialogs.remove(keys::chat(chat)).map_err(StoreError::db("erasing a dialog"))?;

        for entry in t.chat_leads.scan_prefix(keys::chat(chat)) {
            let (key, _) = entry.map_err(StoreError::db("reading a chat's leads"))?;
            let id = keys::trailing_id(&key).map(LeadId);
            if let Some(lead) = id.map(|id| self.lead(id)).transpose()?.flatten() {
                self.save_lead(&Lead { chat: ERASED_CHAT, ..lead })?;
            }
            t.chat_leads.remove(key).map_err(StoreError::db("erasing a lead index"))?;
        }
        t.current_leads.remove(keys::chat(chat)).map_err(StoreError::db("erasing a lead index"))?;
        self.forget_cached_lead(chat);
        Ok(())
    }

    /// Unlinks client and chat both ways in one transaction, last, so a repeat after a crash
    /// still finds the client through its chat.
    fn forget_client_record(&self, client: ClientId) -> Result<()> {
        let Some(record) = self.client_record(client)? else {
            return Ok(());
        };
        let erased = keys::encode("client", &ClientRecord { chat: None, ..record.clone() })?;

        let t = self.trees();
        (&t.clients, &t.chats)
            .transaction(|(clients, chats)| {
                clients.insert(&keys::id(client.0), erased.as_slice())?;
                if let Some(chat) = record.chat {
                    chats.remove(&keys::chat(chat))?;
                }
                Ok(())
            })
            .map_err(StoreError::tx("unlinking a client's chat"))
    }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::super::testing::{at, contains, haircut, open_temp, raw_bytes};
    use super::super::{Consent, Person};
    use super::*;
    use crate::domain::booking::BookingStatus;

    const NAME: &str = "Мария Иванова";
    const PHONE: &str = "+79161234567";

    /// A consented client with a person, a dialog, a lead, a past and a future booking.
    fn known_client(store: &Store) -> (ChatKey, ClientId) {
        let chat = ChatKey(4242);
        let client = store.get_or_create_client(chat, at(8, 0)).unwrap();
        let person = Person {
            name: Some(NAME.into()),
            phone: Some(PHONE.into()),
            telegram_user: Some(4242),
        };
        store.save_consent(client, &Consent { version: "1".into(), at: at(8, 1) }).unwrap();
        store.save_person(client, &person).unwrap();
        store.save_dialog(chat, &(NAME, PHONE)).unwrap();
        store.open_lead(chat, Some("vk".into()), at(8, 0), 3).unwrap();
        store.take_slot(haircut(client, "anna", at(9, 0)), Duration::zero()).unwrap().unwrap();
        store.take_slot(haircut(client, "anna", at(15, 0)), Duration::zero()).unwrap().unwrap();
        (chat, client)
    }

    #[test]
    fn forgetting_leaves_no_name_or_phone_in_any_tree() {
        let (_dir, store) = open_temp();
        let (_, client) = known_client(&store);
        assert!(contains(&raw_bytes(&store), NAME), "the scan must see the name before");

        store.forget_client(client, at(12, 0)).unwrap();

        let bytes = raw_bytes(&store);
        assert!(!contains(&bytes, NAME), "a name survived");
        assert!(!contains(&bytes, PHONE), "a phone survived");
    }

    #[test]
    fn forgetting_cancels_only_future_bookings_and_unlinks_the_chat() {
        let (_dir, store) = open_temp();
        let (chat, client) = known_client(&store);

        let cancelled = store.forget_client(client, at(12, 0)).unwrap();

        assert_eq!(cancelled.len(), 1);
        assert_eq!(cancelled[0].start, at(15, 0));
        assert_eq!(cancelled[0].cancelled, Some((at(12, 0), Actor::System)));
        let bookings = store.client_bookings(client).unwrap();
        let statuses: Vec<_> = bookings.iter().map(|b| b.status).collect();
        assert_eq!(statuses, [BookingStatus::Booked, BookingStatus::Cancelled]);
        assert!(bookings.iter().all(|b| b.answers.is_empty()), "free answers are erased");
        assert_eq!(store.client_for_chat(chat).unwrap(), None);
        assert_eq!(store.chat_for_client(client).unwrap(), None);
        assert_eq!(store.current_lead(chat).unwrap(), None);
        assert_eq!(store.person(client).unwrap(), None);
        assert_eq!(store.consent(client).unwrap(), None);
    }

    #[test]
    fn forgetting_leaves_an_event_with_the_id_only() {
        let (_dir, store) = open_temp();
        let (_, client) = known_client(&store);

        store.forget_client(client, at(12, 0)).unwrap();

        let events = store.events_between(at(12, 0), at(12, 1)).unwrap();
        let last = events.last().unwrap();
        assert_eq!((last.client, &last.kind), (Some(client), &EventKind::ClientForgotten));
    }
}
