//! `sendMessage` and `editMessageText` as okno sends them: the JSON teloxide's own requests
//! send, through teloxide's client, but the message Telegram answers with is skipped rather
//! than parsed. okno never reads it, and parsing it back (a whole `Message` with its keyboard)
//! took about a tenth of the bot's CPU under load (BENCHMARKS.md).

use serde::Serialize;
use serde::de::IgnoredAny;
use teloxide::Bot;
use teloxide::RequestError;
use teloxide::requests::{JsonRequest, Payload};
use teloxide::types::{ChatId, MessageId, ReplyMarkup};

/// A new text message, with an optional keyboard.
#[derive(Debug, Clone, Serialize)]
struct SendText {
    chat_id: ChatId,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reply_markup: Option<ReplyMarkup>,
}

impl Payload for SendText {
    type Output = IgnoredAny;
    const NAME: &'static str = "SendMessage";
}

/// New text (and inline keyboard) for a message the bot sent.
#[derive(Debug, Clone, Serialize)]
struct EditText {
    chat_id: ChatId,
    /// A bare number: `MessageId` on its own serialises as an object.
    message_id: i32,
    text: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    reply_markup: Option<ReplyMarkup>,
}

impl Payload for EditText {
    type Output = IgnoredAny;
    const NAME: &'static str = "EditMessageText";
}

/// Sends `text` to `chat`; `markup` is an inline keyboard, the contact request or its removal.
pub async fn send_text(
    bot: &Bot,
    chat: ChatId,
    text: String,
    markup: Option<ReplyMarkup>,
) -> Result<(), RequestError> {
    let payload = SendText { chat_id: chat, text, reply_markup: markup };
    JsonRequest::new(bot.clone(), payload).await?;
    Ok(())
}

/// Replaces the text of message `id`; only an inline keyboard may go with an edit.
pub async fn edit_text(
    bot: &Bot,
    chat: ChatId,
    id: MessageId,
    text: String,
    keyboard: Option<ReplyMarkup>,
) -> Result<(), RequestError> {
    let payload = EditText { chat_id: chat, message_id: id.0, text, reply_markup: keyboard };
    JsonRequest::new(bot.clone(), payload).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use teloxide::payloads::{EditMessageText, SendMessage};
    use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};

    use super::*;

    fn keyboard() -> InlineKeyboardMarkup {
        InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("15:00", "7|t|29433660")]])
    }

    /// The JSON must be what teloxide's own payloads send, field for field.
    #[test]
    fn a_send_is_the_json_teloxide_would_send() {
        let mut theirs = SendMessage::new(ChatId(42), "Выберите время:");
        theirs.reply_markup = Some(keyboard().into());
        let ours = SendText {
            chat_id: ChatId(42),
            text: "Выберите время:".into(),
            reply_markup: Some(keyboard().into()),
        };

        assert_eq!(serde_json::to_value(&ours).unwrap(), serde_json::to_value(&theirs).unwrap());
        assert_eq!(SendText::NAME, SendMessage::NAME);
    }

    #[test]
    fn an_edit_is_the_json_teloxide_would_send() {
        let mut theirs = EditMessageText::new(ChatId(42), MessageId(7), "Готово");
        theirs.reply_markup = Some(keyboard());
        let ours = EditText {
            chat_id: ChatId(42),
            message_id: 7,
            text: "Готово".into(),
            reply_markup: Some(keyboard().into()),
        };

        assert_eq!(serde_json::to_value(&ours).unwrap(), serde_json::to_value(&theirs).unwrap());
        assert_eq!(EditText::NAME, EditMessageText::NAME);
    }

    #[test]
    fn a_plain_send_carries_no_markup_field() {
        let ours =
            SendText { chat_id: ChatId(42), text: "Привет".into(), reply_markup: None };

        let json = serde_json::to_value(&ours).unwrap();

        assert_eq!(json, serde_json::json!({"chat_id": 42, "text": "Привет"}));
    }
}
