//! Builders for realistic updates a person sends, to push with `FakeBotApi::push_update`.
//!
//! Private chats have positive ids and group chats negative ones, as in Telegram. The builders
//! leave `update_id` out: the fake server numbers updates in the order they are pushed.

use std::sync::atomic::{AtomicI64, Ordering};

use serde_json::{Value, json};

/// The token tests pass to `Bot::new`; the fake server takes the bot id from its first part.
pub const TEST_TOKEN: &str = "123:TEST";
/// The bot's user id for [`TEST_TOKEN`].
pub const BOT_ID: u64 = 123;
/// The bot's username, as `getMe` reports it.
pub const BOT_USERNAME: &str = "okno_test_bot";

/// User messages take ids from one counter far above the bot's, so the two never collide.
static NEXT_USER_MESSAGE_ID: AtomicI64 = AtomicI64::new(1_000_000);
static NEXT_CALLBACK_ID: AtomicI64 = AtomicI64::new(1);

/// A text message from `user_id` in `chat_id`; a leading `/word` gets its bot_command entity.
pub fn user_text(chat_id: i64, user_id: u64, text: &str) -> Value {
    let mut message = user_message(chat_id, user_id);
    message["text"] = json!(text);
    if let Some(command) = text.split_whitespace().next().filter(|word| word.starts_with('/')) {
        let length = command.encode_utf16().count();
        message["entities"] = json!([{"type": "bot_command", "offset": 0, "length": length}]);
    }
    json!({ "message": message })
}

/// The message Telegram sends when a person shares a phone number with a request_contact button.
pub fn user_contact(chat_id: i64, user_id: u64, phone: &str, first_name: &str) -> Value {
    let mut message = user_message(chat_id, user_id);
    message["contact"] = json!({
        "phone_number": phone,
        "first_name": first_name,
        "user_id": user_id,
    });
    json!({ "message": message })
}

/// A press on an inline button with `data`, under the bot's message `message_id`.
pub fn user_callback(chat_id: i64, user_id: u64, message_id: i64, data: &str) -> Value {
    let id = NEXT_CALLBACK_ID.fetch_add(1, Ordering::Relaxed);
    json!({
        "callback_query": {
            "id": format!("{chat_id}:{id}"),
            "from": user_json(user_id),
            "chat_instance": format!("instance{chat_id}"),
            "message": {
                "message_id": message_id,
                "date": unix_now(),
                "chat": chat_json(chat_id),
                "from": bot_json(BOT_ID),
                "text": "…",
            },
            "data": data,
        }
    })
}

/// A plain (not animated) sticker, which a text-only dialog has to survive.
pub fn user_sticker(chat_id: i64, user_id: u64) -> Value {
    let mut message = user_message(chat_id, user_id);
    message["sticker"] = json!({
        "file_id": "FAKE_STICKER_FILE_ID",
        "file_unique_id": "FAKE_STICKER_UNIQUE_ID",
        "file_size": 12000,
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": false,
        "is_video": false,
        "emoji": "👍",
    });
    json!({ "message": message })
}

fn user_message(chat_id: i64, user_id: u64) -> Value {
    json!({
        "message_id": NEXT_USER_MESSAGE_ID.fetch_add(1, Ordering::Relaxed),
        "from": user_json(user_id),
        "chat": chat_json(chat_id),
        "date": unix_now(),
    })
}

fn user_json(user_id: u64) -> Value {
    json!({
        "id": user_id,
        "is_bot": false,
        "first_name": "Иван",
        "last_name": "Тестов",
        "language_code": "ru",
    })
}

/// The bot as a `User`, as Telegram shows it in `from` of the bot's messages.
pub(super) fn bot_json(bot_id: u64) -> Value {
    json!({"id": bot_id, "is_bot": true, "first_name": "Okno Test", "username": BOT_USERNAME})
}

/// A private chat for a positive id, a supergroup for a negative one.
pub(super) fn chat_json(chat_id: i64) -> Value {
    if chat_id > 0 {
        json!({"id": chat_id, "type": "private", "first_name": "Иван", "last_name": "Тестов"})
    } else {
        json!({"id": chat_id, "type": "supergroup", "title": "Тестовая группа"})
    }
}

pub(super) fn unix_now() -> i64 {
    chrono::Utc::now().timestamp()
}
