//! Where each chat's conversation stands, as the dialog engine's own serialisable state.
//! Not flushed: losing the last half second of a conversation only repeats a question.

use serde::Serialize;
use serde::de::DeserializeOwned;

use super::error::{Result, StoreError, json_failure};
use super::{Store, keys};
use crate::domain::ids::ChatKey;

impl Store {
    pub fn save_dialog<T: Serialize + ?Sized>(&self, chat: ChatKey, state: &T) -> Result<()> {
        let value = keys::encode("dialog state", state)?;
        self.trees()
            .dialogs
            .insert(keys::chat(chat), value)
            .map_err(StoreError::db("saving a dialog"))?;
        Ok(())
    }

    /// The chat's saved state. A state that no longer reads (the dialog changed shape since)
    /// is treated as none, so the conversation restarts instead of failing.
    pub fn load_dialog<T: DeserializeOwned>(&self, chat: ChatKey) -> Result<Option<T>> {
        let found = self
            .trees()
            .dialogs
            .get(keys::chat(chat))
            .map_err(StoreError::db("reading a dialog"))?;
        let Some(bytes) = found else {
            return Ok(None);
        };
        match serde_json::from_slice(&bytes) {
            Ok(state) => Ok(Some(state)),
            Err(err) => {
                let failure = json_failure(&err);
                tracing::warn!(chat = chat.0, %failure, "saved dialog unreadable; starting over");
                Ok(None)
            }
        }
    }

    pub fn clear_dialog(&self, chat: ChatKey) -> Result<()> {
        self.trees()
            .dialogs
            .remove(keys::chat(chat))
            .map_err(StoreError::db("clearing a dialog"))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use serde::Deserialize;

    use super::super::testing::open_temp;
    use super::*;

    #[derive(Debug, PartialEq, Serialize, Deserialize)]
    struct AskTime {
        service: String,
    }

    #[test]
    fn a_saved_dialog_loads_back_and_clears() {
        let (_dir, store) = open_temp();
        let chat = ChatKey(3);
        let state = AskTime { service: "haircut".into() };

        store.save_dialog(chat, &state).unwrap();
        assert_eq!(store.load_dialog::<AskTime>(chat).unwrap(), Some(state));

        store.clear_dialog(chat).unwrap();
        assert_eq!(store.load_dialog::<AskTime>(chat).unwrap(), None);
    }

    #[test]
    fn a_state_of_an_old_shape_loads_as_none() {
        let (_dir, store) = open_temp();
        let chat = ChatKey(3);
        store.save_dialog(chat, &("something", 42)).unwrap();

        assert_eq!(store.load_dialog::<AskTime>(chat).unwrap(), None);
    }
}
