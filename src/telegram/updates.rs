//! What okno reads of Telegram's updates: ids, the text, a shared phone and a button's data,
//! under Telegram's field names; the rest is skipped as it is read. teloxide's `Update` read
//! whole messages by trying shape after shape on a buffered copy, a twentieth of the CPU.

use serde::Deserialize;

use crate::dialog::{Incoming, Input};
use crate::domain::ids::{ChatKey, UserKey};

/// One update: a message, a button press, or a kind okno does not ask for (both `None`).
#[derive(Debug, Deserialize)]
pub struct Update {
    pub update_id: u32,
    pub message: Option<Message>,
    pub callback_query: Option<CallbackQuery>,
}

#[derive(Debug, Deserialize)]
pub struct Message {
    pub chat: Chat,
    /// Missing in channels and for messages sent on behalf of a chat.
    pub from: Option<User>,
    pub text: Option<String>,
    pub contact: Option<Contact>,
}

#[derive(Debug, Deserialize)]
pub struct Chat {
    pub id: i64,
}

#[derive(Debug, Deserialize)]
pub struct User {
    pub id: u64,
}

#[derive(Debug, Deserialize)]
pub struct Contact {
    pub phone_number: String,
}

/// A press on an inline button.
#[derive(Debug, Deserialize)]
pub struct CallbackQuery {
    pub id: String,
    pub from: User,
    /// The message the button was on; missing for buttons on inline-mode messages.
    pub message: Option<PressedMessage>,
    pub data: Option<String>,
}

/// The message a pressed button was on: only where it is, which Telegram gives even when
/// the message itself is too old to show.
#[derive(Debug, Deserialize)]
pub struct PressedMessage {
    pub message_id: i32,
    pub chat: Chat,
}

impl Update {
    /// The offset that confirms this update and every one before it.
    pub fn next_offset(&self) -> i32 {
        i32::try_from(self.update_id).unwrap_or(i32::MAX).saturating_add(1)
    }

    /// Which queue the update joins: its chat's, or for a press on an inline-mode message,
    /// its sender's; updates of other kinds share queue 0.
    pub fn chat_key(&self) -> i64 {
        if let Some(message) = &self.message {
            return message.chat.id;
        }
        match &self.callback_query {
            Some(CallbackQuery { message: Some(pressed), .. }) => pressed.chat.id,
            Some(query) => i64::try_from(query.from.id).unwrap_or_default(),
            None => 0,
        }
    }

    /// What the engine is given for this update, when it takes it at all.
    pub fn incoming(&self) -> Option<Incoming> {
        if let Some(message) = &self.message {
            return Some(message.incoming());
        }
        self.callback_query.as_ref().and_then(CallbackQuery::incoming)
    }
}

impl Message {
    /// Whether the message is a command addressed to another bot (`/today@other_bot` in a
    /// group), which okno leaves alone. `me` is okno's username, without the `@`.
    pub fn for_another_bot(&self, me: &str) -> bool {
        let Some(command) = self.text.as_deref().and_then(|t| t.trim_start().strip_prefix('/'))
        else {
            return false;
        };
        let word = command.split(char::is_whitespace).next().unwrap_or_default();
        word.split_once('@').is_some_and(|(_, to)| !to.eq_ignore_ascii_case(me))
    }

    /// Text, a shared contact, or anything else (a sticker, a photo: a kind re-prompt).
    pub fn incoming(&self) -> Incoming {
        let input = match (&self.text, &self.contact) {
            (Some(text), _) => Input::from_text(text),
            (None, Some(contact)) => Input::Contact { phone: contact.phone_number.clone() },
            _ => Input::Unsupported,
        };
        Incoming {
            chat: ChatKey(self.chat.id),
            user: self.from.as_ref().map(|u| UserKey(u.id)),
            input,
        }
    }
}

impl CallbackQuery {
    /// A press on a message in a chat; `None` for one without data or without a message.
    pub fn incoming(&self) -> Option<Incoming> {
        let chat = self.message.as_ref()?.chat.id;
        let data = self.data.clone()?;
        Some(Incoming {
            chat: ChatKey(chat),
            user: Some(UserKey(self.from.id)),
            input: Input::Button(data),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_message_reads_as_text_from_its_chat_and_sender() {
        let raw = r#"{"update_id":7,"message":{"message_id":3,"date":1764800000,
            "chat":{"id":42,"type":"private","first_name":"Ира"},
            "from":{"id":42,"is_bot":false,"first_name":"Ира"},"text":"/start ig"}}"#;
        let update: Update = serde_json::from_str(raw).unwrap();

        let incoming = update.incoming().unwrap();
        assert_eq!((incoming.chat, incoming.user), (ChatKey(42), Some(UserKey(42))));
        assert_eq!(incoming.input, Input::from_text("/start ig"));
        assert_eq!((update.chat_key(), update.next_offset()), (42, 8));
    }

    #[test]
    fn a_press_reads_as_its_data_in_the_chat_of_the_message_it_was_on() {
        let raw = r#"{"update_id":9,"callback_query":{"id":"q1","chat_instance":"c",
            "from":{"id":42,"is_bot":false,"first_name":"Ира"},"data":"3|s|1",
            "message":{"message_id":5,"date":0,"chat":{"id":-100,"type":"supergroup"}}}}"#;
        let update: Update = serde_json::from_str(raw).unwrap();

        let incoming = update.incoming().unwrap();
        assert_eq!((incoming.chat, incoming.user), (ChatKey(-100), Some(UserKey(42))));
        assert_eq!(incoming.input, Input::Button("3|s|1".into()));
        assert_eq!(update.chat_key(), -100);
    }

    #[test]
    fn a_command_for_another_bot_is_told_apart_from_one_for_okno() {
        let message = |text: &str| Message {
            chat: Chat { id: -100 },
            from: None,
            text: Some(text.into()),
            contact: None,
        };
        let cases = [
            ("/today@other_bot", true),
            ("/today@Okno_Bot tomorrow", false),
            ("/today", false),
            ("hi @other_bot", false),
            ("/start@other_bot payload", true),
        ];
        for (text, elsewhere) in cases {
            assert_eq!(message(text).for_another_bot("okno_bot"), elsewhere, "case {text:?}");
        }
    }

    #[test]
    fn kinds_okno_does_not_ask_for_read_as_nothing_to_handle() {
        let raw = r#"{"update_id":11,"message_reaction":{"chat":{"id":1,"type":"private"},
            "message_id":1,"date":0,"old_reaction":[],"new_reaction":[]}}"#;
        let update: Update = serde_json::from_str(raw).unwrap();

        assert!(update.incoming().is_none());
        assert_eq!(update.chat_key(), 0);
    }
}
