//! Leads: one chat's stretch of interest, from first contact to a booking or to going quiet.
//!
//! A chat has at most one current lead. Before consent a lead holds only the chat id, the
//! source and times; `client` is filled once the chat's client has consented.

use super::error::{Result, StoreError};
use super::events::{Event, EventKind};
use super::{Store, keys};
use crate::domain::ids::{ChatKey, ClientId, LeadId};
use std::collections::HashMap;
use std::sync::MutexGuard;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lead {
    pub id: LeadId,
    /// `ERASED_CHAT` once the client is forgotten.
    pub chat: ChatKey,
    pub client: Option<ClientId>,
    pub source: Option<String>,
    pub created: DateTime<Utc>,
    pub first_reply: Option<DateTime<Utc>>,
    pub last_activity: DateTime<Utc>,
    pub status: LeadStatus,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LeadStatus {
    Open,
    Booked,
    Idle,
}

/// The chat a forgotten client's leads point at. Telegram never uses this id.
pub const ERASED_CHAT: ChatKey = ChatKey(i64::MIN);

/// How stale `last_activity` may get before a message writes it again. A lead goes idle after
/// days, so an hour's precision loses nothing, and writing the lead back on every message was
/// the largest single store cost of a turn.
const TOUCH_EVERY_MINUTES: i64 = 60;

impl Store {
    /// The chat's open lead if it was active within `idle_days`, touched (to the hour);
    /// otherwise the old one turns `Idle` and a new lead starts (with a `LeadOpened` event).
    pub fn open_lead(
        &self,
        chat: ChatKey,
        source: Option<String>,
        now: DateTime<Utc>,
        idle_days: u32,
    ) -> Result<Lead> {
        let current = self.current_lead(chat)?.filter(|lead| lead.status == LeadStatus::Open);
        let idle_after = Duration::days(i64::from(idle_days));
        if let Some(lead) = current.as_ref().filter(|lead| now - lead.last_activity <= idle_after) {
            if now - lead.last_activity < Duration::minutes(TOUCH_EVERY_MINUTES) {
                return Ok(lead.clone());
            }
            let lead = Lead { last_activity: now, ..lead.clone() };
            self.save_lead(&lead)?;
            return Ok(lead);
        }

        if let Some(old) = current {
            self.save_lead(&Lead { status: LeadStatus::Idle, ..old })?;
        }
        let lead = Lead {
            id: LeadId(self.next_id()?),
            chat,
            client: self.consented_client(chat)?,
            source,
            created: now,
            first_reply: None,
            last_activity: now,
            status: LeadStatus::Open,
        };
        self.insert_lead(&lead)?;
        tracing::debug!(lead = lead.id.0, "lead opened");
        Ok(lead)
    }

    /// The chat's latest lead, whatever its status.
    pub fn current_lead(&self, chat: ChatKey) -> Result<Option<Lead>> {
        if let Some(lead) = self.cached_leads().get(&chat) {
            return Ok(Some(lead.clone()));
        }
        let found = self.read_current_lead(chat)?;
        if let Some(lead) = &found {
            self.cached_leads().insert(chat, lead.clone());
        }
        Ok(found)
    }

    fn read_current_lead(&self, chat: ChatKey) -> Result<Option<Lead>> {
        let trees = self.trees();
        let found =
            trees.current_leads.get(keys::chat(chat)).map_err(StoreError::db("reading a lead"))?;
        let Some(id) = found.map(|bytes| keys::decode::<LeadId>("lead id", &bytes)).transpose()?
        else {
            return Ok(None);
        };
        self.lead(id)
    }

    /// Saves changes to a lead (status, first reply, client). Not flushed.
    pub fn save_lead(&self, lead: &Lead) -> Result<()> {
        let value = keys::encode("lead", lead)?;
        self.trees()
            .leads
            .insert(keys::id(lead.id.0), value)
            .map_err(StoreError::db("saving a lead"))?;
        if let Some(cached) = self.cached_leads().get_mut(&lead.chat)
            && cached.id == lead.id
        {
            *cached = lead.clone();
        }
        Ok(())
    }

    /// Drops a chat's cached lead, after its lead index was erased.
    pub(super) fn forget_cached_lead(&self, chat: ChatKey) {
        self.cached_leads().remove(&chat);
    }

    /// A poisoned lock only means a panic mid-update of a plain map of clones: still usable.
    fn cached_leads(&self) -> MutexGuard<'_, HashMap<ChatKey, Lead>> {
        self.inner.current_leads.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub(crate) fn lead(&self, id: LeadId) -> Result<Option<Lead>> {
        let found =
            self.trees().leads.get(keys::id(id.0)).map_err(StoreError::db("reading a lead"))?;
        found.map(|bytes| keys::decode("lead", &bytes)).transpose()
    }

    /// The chat's client, only if they consented: before that a lead holds no client.
    fn consented_client(&self, chat: ChatKey) -> Result<Option<ClientId>> {
        let Some(client) = self.client_for_chat(chat)? else {
            return Ok(None);
        };
        Ok(self.consent(client)?.map(|_| client))
    }

    /// A new lead, its chat indexes and its event, as plain writes in an order that keeps any
    /// prefix sound: a lead is current only once everything else is written. A crash in
    /// between leaves a lead that is not current (the next message opens another); a sled
    /// transaction would write the log out twice for every new chat.
    fn insert_lead(&self, lead: &Lead) -> Result<()> {
        let value = keys::encode("lead", lead)?;
        let id_value = keys::encode("lead id", &lead.id)?;
        let kind = EventKind::LeadOpened { lead: lead.id, source: lead.source.clone() };
        let event = Event { at: lead.created, client: lead.client, kind };
        let (event_key, event_value) = self.event_entry(&event)?;
        let by_chat = keys::pair(keys::chat(lead.chat), keys::id(lead.id.0));

        let t = self.trees();
        let opening = || StoreError::db("opening a lead");
        t.leads.insert(keys::id(lead.id.0), value).map_err(opening())?;
        t.chat_leads.insert(by_chat, &[]).map_err(opening())?;
        t.events.insert(event_key, event_value).map_err(opening())?;
        t.current_leads.insert(keys::chat(lead.chat), id_value).map_err(opening())?;
        self.cached_leads().insert(lead.chat, lead.clone());
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::super::Consent;
    use super::super::testing::{at, open_temp};
    use super::*;

    #[test]
    fn a_lead_active_within_idle_days_is_reused_and_touched() {
        let (_dir, store) = open_temp();
        let chat = ChatKey(5);
        let first = store.open_lead(chat, Some("vk".into()), at(9, 0), 3).unwrap();

        let later = at(9, 0) + Duration::days(3);
        let again = store.open_lead(chat, None, later, 3).unwrap();

        assert_eq!(again.id, first.id);
        assert_eq!(again.last_activity, later);
        assert_eq!(store.current_lead(chat).unwrap(), Some(again));
    }

    #[test]
    fn a_lead_is_touched_at_most_hourly() {
        let (_dir, store) = open_temp();
        let chat = ChatKey(5);
        store.open_lead(chat, None, at(9, 0), 3).unwrap();

        let soon = store.open_lead(chat, None, at(9, 59), 3).unwrap();
        let later = store.open_lead(chat, None, at(10, 0), 3).unwrap();

        assert_eq!(soon.last_activity, at(9, 0), "within the hour: not written again");
        assert_eq!(later.last_activity, at(10, 0));
        assert_eq!(store.current_lead(chat).unwrap().unwrap().last_activity, at(10, 0));
    }

    #[test]
    fn a_lead_quiet_longer_than_idle_days_goes_idle_and_a_new_one_opens() {
        let (_dir, store) = open_temp();
        let chat = ChatKey(5);
        let first = store.open_lead(chat, Some("vk".into()), at(9, 0), 3).unwrap();

        let later = at(9, 1) + Duration::days(3);
        let second = store.open_lead(chat, Some("site".into()), later, 3).unwrap();

        assert_ne!(second.id, first.id);
        assert_eq!(store.lead(first.id).unwrap().unwrap().status, LeadStatus::Idle);
        assert_eq!(store.current_lead(chat).unwrap(), Some(second));
        let opened = store.events_between(at(0, 0), later + Duration::hours(1)).unwrap();
        assert_eq!(opened.len(), 2, "one LeadOpened event per lead");
    }

    #[test]
    fn a_booked_lead_is_not_reused() {
        let (_dir, store) = open_temp();
        let chat = ChatKey(5);
        let first = store.open_lead(chat, None, at(9, 0), 3).unwrap();
        store.save_lead(&Lead { status: LeadStatus::Booked, ..first.clone() }).unwrap();

        let second = store.open_lead(chat, None, at(10, 0), 3).unwrap();

        assert_ne!(second.id, first.id);
        assert_eq!(store.lead(first.id).unwrap().unwrap().status, LeadStatus::Booked);
    }

    #[test]
    fn a_lead_holds_a_client_only_after_consent() {
        let (_dir, store) = open_temp();
        let chat = ChatKey(5);
        let client = store.get_or_create_client(chat, at(9, 0)).unwrap();
        let before = store.open_lead(chat, None, at(9, 0), 0).unwrap();

        let consent = Consent { version: "1".into(), at: at(9, 5) };
        store.save_consent(client, &consent).unwrap();
        let after = store.open_lead(chat, None, at(12, 0), 0).unwrap();

        assert_eq!(before.client, None);
        assert_eq!(after.client, Some(client));
    }
}
