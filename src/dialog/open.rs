//! Conversations in progress, kept in memory as last saved so a step does not read its state
//! back from the store and decode it. A copy of the store's, so dropping one is always safe:
//! idle chats are not kept, and dialogs left untouched for a day are dropped as the map grows.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::state::{ClientDialog, Step};
use crate::domain::ids::ChatKey;

/// Below this many entries the map is never swept.
const SWEEP_FROM: usize = 1024;

/// How long an untouched dialog stays in memory once the map is swept.
fn kept_for() -> Duration {
    Duration::days(1)
}

#[derive(Debug, Default)]
pub(crate) struct OpenDialogs {
    dialogs: HashMap<ChatKey, (ClientDialog, DateTime<Utc>)>,
    /// The size at which the next sweep runs; it doubles with what a sweep keeps, so a
    /// busy day is not swept on every step.
    sweep_at: usize,
}

impl OpenDialogs {
    pub(crate) fn get(&self, chat: ChatKey) -> Option<&ClientDialog> {
        self.dialogs.get(&chat).map(|(dialog, _)| dialog)
    }

    /// Keeps `dialog` as the chat's last saved state, or forgets the chat when it is idle.
    pub(crate) fn saved(&mut self, chat: ChatKey, dialog: ClientDialog, now: DateTime<Utc>) {
        if dialog.step == Step::Idle {
            self.dialogs.remove(&chat);
            return;
        }
        self.dialogs.insert(chat, (dialog, now));
        if self.dialogs.len() >= self.sweep_at.max(SWEEP_FROM) {
            self.sweep(now);
        }
    }

    pub(crate) fn forget(&mut self, chat: ChatKey) {
        self.dialogs.remove(&chat);
    }

    fn sweep(&mut self, now: DateTime<Utc>) {
        let before = self.dialogs.len();
        self.dialogs.retain(|_, (_, saved)| now - *saved < kept_for());
        self.sweep_at = self.dialogs.len() * 2;
        tracing::debug!(before, kept = self.dialogs.len(), "open dialogs swept");
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.dialogs.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(hours: i64) -> DateTime<Utc> {
        "2026-12-03T02:00:00Z".parse::<DateTime<Utc>>().unwrap() + Duration::hours(hours)
    }

    fn asking_service() -> ClientDialog {
        ClientDialog { step: Step::Service, ..ClientDialog::default() }
    }

    #[test]
    fn an_idle_dialog_is_not_kept_and_a_forgotten_chat_is_gone() {
        let mut open = OpenDialogs::default();
        open.saved(ChatKey(1), asking_service(), at(0));
        open.saved(ChatKey(2), asking_service(), at(0));

        open.saved(ChatKey(1), ClientDialog::default(), at(0));
        open.forget(ChatKey(2));

        assert!(open.get(ChatKey(1)).is_none() && open.get(ChatKey(2)).is_none());
    }

    #[test]
    fn dialogs_left_for_a_day_are_dropped_once_the_map_grows() {
        let mut open = OpenDialogs::default();
        for chat in 0..SWEEP_FROM as i64 - 1 {
            open.saved(ChatKey(chat), asking_service(), at(0));
        }
        assert_eq!(open.len(), SWEEP_FROM - 1, "no sweep below the threshold");

        open.saved(ChatKey(-1), asking_service(), at(25));

        assert_eq!(open.len(), 1, "only the fresh one is kept");
        assert!(open.get(ChatKey(-1)).is_some());
    }
}
