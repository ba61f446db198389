//! Clients, the chats they write from, and the person and consent kept apart so they can be
//! erased.

use super::error::{Result, StoreError};
use super::{Store, keys};
use crate::domain::ids::{ChatKey, ClientId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// Who the client is. Stored in its own tree; `forget_client` removes it whole.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Person {
    pub name: Option<String>,
    /// E.164, as parsed at the edge.
    pub phone: Option<String>,
    pub telegram_user: Option<u64>,
}

/// Which version of the personal-data policy the client agreed to, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Consent {
    pub version: String,
    pub at: DateTime<Utc>,
}

/// What the store knows about a client apart from the person: never a name or a phone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ClientRecord {
    /// `None` once the client is forgotten.
    pub chat: Option<ChatKey>,
    pub created: DateTime<Utc>,
}

impl Store {
    /// The client who writes from this chat, if any.
    pub fn client_for_chat(&self, chat: ChatKey) -> Result<Option<ClientId>> {
        let found =
            self.trees().chats.get(keys::chat(chat)).map_err(StoreError::db("reading a chat"))?;
        found.map(|bytes| keys::decode("client id", &bytes)).transpose()
    }

    /// The chat's client, created on first contact.
    pub fn get_or_create_client(&self, chat: ChatKey, now: DateTime<Utc>) -> Result<ClientId> {
        if let Some(client) = self.client_for_chat(chat)? {
            return Ok(client);
        }

        let new = ClientId(self.next_id()?);
        let client_bytes = keys::encode("client id", &new)?;
        let record = keys::encode("client", &ClientRecord { chat: Some(chat), created: now })?;
        let trees = self.trees();
        // Two plain writes, not a transaction: each sled transaction writes the log out twice,
        // and a new client comes with every new chat. The record goes first, and sled keeps
        // the order of writes, so after a crash a chat never points at a missing record; at
        // worst a record stays behind that no chat points at, and no lookup reaches it.
        let creating = || StoreError::db("creating a client");
        trees.clients.insert(keys::id(new.0), record).map_err(creating())?;
        // Two first messages of one chat may race: the swap lets only one mapping in.
        let swapped = trees
            .chats
            .compare_and_swap(keys::chat(chat), None::<&[u8]>, Some(client_bytes.as_slice()))
            .map_err(creating())?;
        let client = match swapped {
            Ok(()) => client_bytes.into(),
            Err(lost) => {
                trees.clients.remove(keys::id(new.0)).map_err(creating())?;
                lost.current.ok_or(StoreError::BrokenIndex { what: "chat" })?
            }
        };

        let client: ClientId = keys::decode("client id", &client)?;
        tracing::debug!(client = client.0, "client ready");
        Ok(client)
    }

    /// The chat a client writes from; `None` for an unknown or forgotten client.
    pub fn chat_for_client(&self, client: ClientId) -> Result<Option<ChatKey>> {
        Ok(self.client_record(client)?.and_then(|record| record.chat))
    }

    pub(crate) fn client_record(&self, client: ClientId) -> Result<Option<ClientRecord>> {
        let found = self
            .trees()
            .clients
            .get(keys::id(client.0))
            .map_err(StoreError::db("reading a client"))?;
        found.map(|bytes| keys::decode("client", &bytes)).transpose()
    }

    pub fn person(&self, client: ClientId) -> Result<Option<Person>> {
        let found = self
            .trees()
            .persons
            .get(keys::id(client.0))
            .map_err(StoreError::db("reading a person"))?;
        found.map(|bytes| keys::decode("person", &bytes)).transpose()
    }

    /// Saves the person: a durable write, since the client is told their details are kept.
    pub fn save_person(&self, client: ClientId, person: &Person) -> Result<()> {
        let bytes = keys::encode("person", person)?;
        self.trees()
            .persons
            .insert(keys::id(client.0), bytes)
            .map_err(StoreError::db("saving a person"))?;
        self.wrote_durable();
        tracing::debug!(client = client.0, "person saved");
        Ok(())
    }

    pub fn consent(&self, client: ClientId) -> Result<Option<Consent>> {
        let found = self
            .trees()
            .consents
            .get(keys::id(client.0))
            .map_err(StoreError::db("reading a consent"))?;
        found.map(|bytes| keys::decode("consent", &bytes)).transpose()
    }

    /// Saves the consent: a durable write, and written before the person, so a crash can keep
    /// a consent without a person but never a person without the consent (sled keeps the
    /// order of writes).
    pub fn save_consent(&self, client: ClientId, consent: &Consent) -> Result<()> {
        let bytes = keys::encode("consent", consent)?;
        self.trees()
            .consents
            .insert(keys::id(client.0), bytes)
            .map_err(StoreError::db("saving a consent"))?;
        self.wrote_durable();
        tracing::debug!(client = client.0, "consent saved");
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::{at, open_temp};
    use super::*;

    #[test]
    fn one_chat_gets_one_client_and_maps_both_ways() {
        let (_dir, store) = open_temp();
        let chat = ChatKey(77);

        let first = store.get_or_create_client(chat, at(9, 0)).unwrap();
        let again = store.get_or_create_client(chat, at(10, 0)).unwrap();

        assert_eq!(first, again);
        assert_eq!(store.client_for_chat(chat).unwrap(), Some(first));
        assert_eq!(store.chat_for_client(first).unwrap(), Some(chat));
        assert_eq!(store.client_for_chat(ChatKey(78)).unwrap(), None);
    }

    #[test]
    fn person_and_consent_are_kept_per_client() {
        let (_dir, store) = open_temp();
        let client = store.get_or_create_client(ChatKey(1), at(9, 0)).unwrap();
        let person = Person {
            name: Some("Ольга".into()),
            phone: Some("+79990001122".into()),
            telegram_user: Some(5),
        };
        let consent = Consent { version: "2025-01".into(), at: at(9, 1) };

        store.save_person(client, &person).unwrap();
        store.save_consent(client, &consent).unwrap();

        assert_eq!(store.person(client).unwrap(), Some(person));
        assert_eq!(store.consent(client).unwrap(), Some(consent));
        assert_eq!(store.person(ClientId(999)).unwrap(), None);
    }
}
