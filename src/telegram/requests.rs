//! `sendMessage`, `editMessageText` and `answerCallbackQuery` as okno sends them: the JSON
//! teloxide's own requests send, but written straight from the screen's buttons, and the
//! message Telegram answers with is skipped rather than parsed. okno never reads it; parsing
//! it back (a whole `Message` with its keyboard) and building teloxide's keyboard types took
//! about a tenth of the bot's CPU under load (BENCHMARKS.md).

use std::sync::Arc;

use serde::de::IgnoredAny;
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};
use teloxide::RequestError;
use teloxide::types::{ChatId, MessageId};

use super::api::{BotApi, Method};
use crate::dialog::Button;

/// What goes under a message.
#[derive(Debug, Clone)]
pub enum Markup {
    /// Inline buttons, row by row; shared between the tries of one send.
    Inline(Arc<Vec<Vec<Button>>>),
    /// A reply keyboard of one button that shares the person's phone, with this label.
    Contact(Arc<str>),
    /// Takes a reply keyboard away.
    Remove,
}

impl Serialize for Markup {
    fn serialize<S: Serializer>(&self, out: S) -> Result<S::Ok, S::Error> {
        let mut map = out.serialize_map(None)?;
        match self {
            Markup::Inline(rows) => map.serialize_entry("inline_keyboard", &InlineRows(rows))?,
            Markup::Contact(label) => {
                map.serialize_entry("keyboard", &[[ContactButton(label)]])?;
                map.serialize_entry("resize_keyboard", &true)?;
                map.serialize_entry("one_time_keyboard", &true)?;
            }
            Markup::Remove => map.serialize_entry("remove_keyboard", &true)?,
        }
        map.end()
    }
}

struct InlineRows<'a>(&'a [Vec<Button>]);

impl Serialize for InlineRows<'_> {
    fn serialize<S: Serializer>(&self, out: S) -> Result<S::Ok, S::Error> {
        let mut rows = out.serialize_seq(Some(self.0.len()))?;
        for row in self.0 {
            let row: Vec<InlineButton> = row.iter().map(InlineButton).collect();
            rows.serialize_element(&row)?;
        }
        rows.end()
    }
}

struct InlineButton<'a>(&'a Button);

impl Serialize for InlineButton<'_> {
    fn serialize<S: Serializer>(&self, out: S) -> Result<S::Ok, S::Error> {
        let mut map = out.serialize_map(Some(2))?;
        map.serialize_entry("text", &self.0.label)?;
        map.serialize_entry("callback_data", &self.0.data)?;
        map.end()
    }
}

struct ContactButton<'a>(&'a str);

impl Serialize for ContactButton<'_> {
    fn serialize<S: Serializer>(&self, out: S) -> Result<S::Ok, S::Error> {
        let mut map = out.serialize_map(Some(2))?;
        map.serialize_entry("text", self.0)?;
        map.serialize_entry("request_contact", &true)?;
        map.end()
    }
}

/// A new text message, with an optional keyboard.
#[derive(Debug, Clone, Serialize)]
struct SendText {
    chat_id: ChatId,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reply_markup: Option<Markup>,
}

/// New text (and inline keyboard) for a message the bot sent.
#[derive(Debug, Clone, Serialize)]
struct EditText {
    chat_id: ChatId,
    /// A bare number: `MessageId` on its own serialises as an object.
    message_id: i32,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reply_markup: Option<Markup>,
}

/// The answer to a button press: it stops the button's spinner, with an optional note.
#[derive(Debug, Serialize)]
struct AnswerCallback<'a> {
    callback_query_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
}

/// Sends `text` to `chat`, with `markup` under it.
pub async fn send_text(
    api: &BotApi,
    chat: ChatId,
    text: String,
    markup: Option<Markup>,
) -> Result<(), RequestError> {
    let payload = SendText { chat_id: chat, text, reply_markup: markup };
    api.call::<_, IgnoredAny>(Method::SendMessage, &payload).await?;
    Ok(())
}

/// Replaces the text and the inline buttons of message `id`.
pub async fn edit_text(
    api: &BotApi,
    chat: ChatId,
    id: MessageId,
    text: String,
    buttons: Option<Arc<Vec<Vec<Button>>>>,
) -> Result<(), RequestError> {
    let reply_markup = buttons.map(Markup::Inline);
    let payload = EditText { chat_id: chat, message_id: id.0, text, reply_markup };
    api.call::<_, IgnoredAny>(Method::EditMessageText, &payload).await?;
    Ok(())
}

/// Answers the press `query_id`, with `note` shown briefly over the chat.
pub async fn answer_callback(
    api: &BotApi,
    query_id: &str,
    note: Option<&str>,
) -> Result<(), RequestError> {
    let payload = AnswerCallback { callback_query_id: query_id, text: note };
    api.call::<_, IgnoredAny>(Method::AnswerCallbackQuery, &payload).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use teloxide::payloads::{AnswerCallbackQuery, EditMessageText, SendMessage};
    use teloxide::types::{
        ButtonRequest, CallbackQueryId, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton,
        KeyboardMarkup, KeyboardRemove, ReplyMarkup,
    };

    use super::*;

    fn buttons() -> Arc<Vec<Vec<Button>>> {
        let button = |label: &str, data: &str| Button { label: label.into(), data: data.into() };
        Arc::new(vec![
            vec![button("15:00", "7|t|29433660"), button("15:30", "7|t|29433690")],
            vec![button("← Другой день", "7|c")],
        ])
    }

    fn theirs_inline() -> InlineKeyboardMarkup {
        InlineKeyboardMarkup::new([
            vec![
                InlineKeyboardButton::callback("15:00", "7|t|29433660"),
                InlineKeyboardButton::callback("15:30", "7|t|29433690"),
            ],
            vec![InlineKeyboardButton::callback("← Другой день", "7|c")],
        ])
    }

    fn json(value: impl Serialize) -> serde_json::Value {
        serde_json::to_value(value).unwrap()
    }

    /// The JSON must be what teloxide's own payloads send, field for field.
    #[test]
    fn a_send_with_buttons_is_the_json_teloxide_would_send() {
        let mut theirs = SendMessage::new(ChatId(42), "Выберите время:");
        theirs.reply_markup = Some(theirs_inline().into());
        let ours = SendText {
            chat_id: ChatId(42),
            text: "Выберите время:".into(),
            reply_markup: Some(Markup::Inline(buttons())),
        };

        assert_eq!(json(&ours), json(&theirs));
    }

    #[test]
    fn the_contact_request_and_its_removal_are_the_json_teloxide_would_send() {
        let button = KeyboardButton::new("Отправить мой номер").request(ButtonRequest::Contact);
        let keyboard =
            KeyboardMarkup::new(vec![vec![button]]).resize_keyboard().one_time_keyboard();
        let cases = [
            (Markup::Contact("Отправить мой номер".into()), ReplyMarkup::Keyboard(keyboard)),
            (Markup::Remove, ReplyMarkup::KeyboardRemove(KeyboardRemove::new())),
        ];
        for (ours, theirs) in cases {
            assert_eq!(json(&ours), json(&theirs), "case: {ours:?}");
        }
    }

    #[test]
    fn an_edit_is_the_json_teloxide_would_send() {
        let mut theirs = EditMessageText::new(ChatId(42), MessageId(7), "Готово");
        theirs.reply_markup = Some(theirs_inline());
        let ours = EditText {
            chat_id: ChatId(42),
            message_id: 7,
            text: "Готово".into(),
            reply_markup: Some(Markup::Inline(buttons())),
        };

        assert_eq!(json(&ours), json(&theirs));
    }

    #[test]
    fn a_button_answer_is_the_json_teloxide_would_send() {
        let mut theirs = AnswerCallbackQuery::new(CallbackQueryId("q7".into()));
        let ours = AnswerCallback { callback_query_id: "q7", text: None };
        assert_eq!(json(&ours), json(&theirs));

        theirs.text = Some("Уже записаны".into());
        let ours =
            AnswerCallback { callback_query_id: "q7", text: Some("Уже записаны") };
        assert_eq!(json(&ours), json(&theirs));
    }

    #[test]
    fn a_plain_send_carries_no_markup_field() {
        let ours =
            SendText { chat_id: ChatId(42), text: "Привет".into(), reply_markup: None };

        assert_eq!(json(&ours), serde_json::json!({"chat_id": 42, "text": "Привет"}));
    }
}
