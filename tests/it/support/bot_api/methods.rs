//! The answers of the Bot API methods other than `getUpdates`, with Telegram's own error texts
//! for the mistakes a bot can make: empty or too long text, too long callback data, editing a
//! message that is gone or unchanged.

use serde_json::{Value, json};

use super::state::{Inner, Shared, StoredMessage};
use super::updates::{bot_json, chat_json, unix_now};
use super::{Fault, SentMessage};

/// Every method name the fake knows, spelled as Telegram documents it.
const KNOWN_METHODS: &[&str] = &[
    "getUpdates",
    "getMe",
    "getWebhookInfo",
    "deleteWebhook",
    "close",
    "logOut",
    "setMyCommands",
    "deleteMyCommands",
    "getMyCommands",
    "sendMessage",
    "editMessageText",
    "editMessageReplyMarkup",
    "answerCallbackQuery",
    "deleteMessage",
    "sendChatAction",
];

const MAX_TEXT_CHARS: usize = 4096;
const MAX_CALLBACK_DATA_BYTES: usize = 64;

/// A failed call: the HTTP status doubles as Telegram's `error_code`.
pub(super) struct ApiError {
    pub(super) code: u16,
    pub(super) description: String,
    pub(super) retry_after: Option<u32>,
    pub(super) migrate_to: Option<i64>,
}

impl ApiError {
    pub(super) fn new(code: u16, description: &str) -> Self {
        Self { code, description: description.to_owned(), retry_after: None, migrate_to: None }
    }

    pub(super) fn bad_request(what: &str) -> Self {
        Self::new(400, &format!("Bad Request: {what}"))
    }

    /// The error a fault answers with; `Slow` and `Dropped` are carried out by the server.
    pub(super) fn from_fault(fault: &Fault) -> Self {
        match fault {
            Fault::RetryAfter(seconds) => Self {
                retry_after: Some(*seconds),
                ..Self::new(429, &format!("Too Many Requests: retry after {seconds}"))
            },
            Fault::Blocked => Self::new(403, "Forbidden: bot was blocked by the user"),
            Fault::BadRequest => Self::bad_request("message to edit not found"),
            Fault::Kicked => Self::new(403, "Forbidden: bot was kicked from the supergroup chat"),
            Fault::Migrated(to) => Self {
                migrate_to: Some(*to),
                ..Self::bad_request("group chat was upgraded to a supergroup chat")
            },
            Fault::Slow(_) | Fault::Dropped => Self::new(500, "Internal Server Error"),
        }
    }
}

pub(super) type Answer = Result<Value, ApiError>;

/// Telegram ignores the case of method names; teloxide sends them in PascalCase.
pub(super) fn canonical_name(method: &str) -> String {
    let known = KNOWN_METHODS.iter().find(|known| known.eq_ignore_ascii_case(method));
    known.map_or_else(|| method.to_owned(), |known| (*known).to_owned())
}

/// The answer to a call; the server has already taken any fault scripted for its chat.
pub(super) fn answer(shared: &Shared, bot_id: u64, method: &str, params: &Value) -> Answer {
    let mut inner = shared.lock();
    match method {
        "getMe" => Ok(get_me(bot_id)),
        "getWebhookInfo" => Ok(json!({
            "url": inner.webhook.clone().unwrap_or_default(),
            "has_custom_certificate": false,
            "pending_update_count": inner.updates.len(),
        })),
        "deleteWebhook" => {
            inner.webhook = None;
            Ok(json!(true))
        }
        "close" | "logOut" | "sendChatAction" => Ok(json!(true)),
        "setMyCommands" => {
            inner.commands.push(params.clone());
            Ok(json!(true))
        }
        "deleteMyCommands" => {
            inner.commands.retain(|set| !same_command_scope(set, params));
            Ok(json!(true))
        }
        "getMyCommands" => Ok(my_commands(&inner, params)),
        "answerCallbackQuery" => {
            inner.callback_answers.push(params.clone());
            Ok(json!(true))
        }
        "deleteMessage" => delete_message(&mut inner, params),
        "sendMessage" => send_message(&mut inner, bot_id, params),
        "editMessageText" | "editMessageReplyMarkup" => {
            edit_message(&mut inner, bot_id, method, params)
        }
        _ => Err(ApiError::new(404, "Not Found: method not found")),
    }
}

fn get_me(bot_id: u64) -> Value {
    let mut me = bot_json(bot_id);
    me["can_join_groups"] = json!(true);
    me["can_read_all_group_messages"] = json!(false);
    me["supports_inline_queries"] = json!(false);
    me["can_connect_to_business"] = json!(false);
    me["has_main_web_app"] = json!(false);
    me
}

/// Commands are kept per scope and language, as Telegram does.
fn same_command_scope(set: &Value, params: &Value) -> bool {
    let scope = |value: &Value| value.get("scope").cloned().unwrap_or(json!({"type": "default"}));
    scope(set) == scope(params) && set.get("language_code") == params.get("language_code")
}

fn my_commands(inner: &Inner, params: &Value) -> Value {
    let set = inner.commands.iter().rev().find(|set| same_command_scope(set, params));
    set.map_or_else(|| json!([]), |set| set["commands"].clone())
}

fn delete_message(inner: &mut Inner, params: &Value) -> Answer {
    let (chat_id, message_id) = message_key(params)?;
    inner.messages.remove(&(chat_id, message_id));
    Ok(json!(true))
}

fn send_message(inner: &mut Inner, bot_id: u64, params: &Value) -> Answer {
    let chat_id = chat_id(params).ok_or_else(|| ApiError::bad_request("chat_id is empty"))?;
    let text = params["text"].as_str().unwrap_or_default();
    let markup = reply_markup(params);
    check_text(text)?;
    check_markup(&markup)?;

    let message_id = inner.next_message_id(chat_id);
    inner.sent.push(SentMessage::new("sendMessage", chat_id, message_id, text, &markup, params));
    let message = message_json(bot_id, chat_id, message_id, text, &markup);
    inner.messages.insert((chat_id, message_id), StoredMessage { text: text.to_owned(), markup });
    Ok(message)
}

/// `editMessageText` without a markup drops the keyboard, as in Telegram.
fn edit_message(inner: &mut Inner, bot_id: u64, method: &str, params: &Value) -> Answer {
    if params.get("inline_message_id").is_some() {
        return Ok(json!(true));
    }
    let key = message_key(params)?;
    let stored = inner
        .messages
        .get(&key)
        .ok_or_else(|| ApiError::bad_request("message to edit not found"))?;
    let text = match method {
        "editMessageText" => params["text"].as_str().unwrap_or_default().to_owned(),
        _ => stored.text.clone(),
    };
    let markup = reply_markup(params);
    check_text(&text)?;
    check_markup(&markup)?;
    if text == stored.text && markup == stored.markup {
        return Err(ApiError::bad_request(
            "message is not modified: specified new message content and reply markup are \
             exactly the same as a current content and reply markup of the message",
        ));
    }

    let (chat_id, message_id) = key;
    inner.sent.push(SentMessage::new(method, chat_id, message_id, &text, &markup, params));
    let mut message = message_json(bot_id, chat_id, message_id, &text, &markup);
    message["edit_date"] = json!(unix_now());
    inner.messages.insert(key, StoredMessage { text, markup });
    Ok(message)
}

/// A Message as Telegram returns it; only an inline keyboard is echoed, as in Telegram.
fn message_json(bot_id: u64, chat_id: i64, message_id: i64, text: &str, markup: &Value) -> Value {
    let mut message = json!({
        "message_id": message_id,
        "date": unix_now(),
        "chat": chat_json(chat_id),
        "from": bot_json(bot_id),
        "text": text,
    });
    if markup.get("inline_keyboard").is_some() {
        message["reply_markup"] = markup.clone();
    }
    message
}

fn check_text(text: &str) -> Result<(), ApiError> {
    if text.trim().is_empty() {
        return Err(ApiError::bad_request("message text is empty"));
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(ApiError::bad_request("message is too long"));
    }
    Ok(())
}

fn check_markup(markup: &Value) -> Result<(), ApiError> {
    let rows = markup["inline_keyboard"].as_array().into_iter().flatten();
    let buttons = rows.filter_map(Value::as_array).flatten();
    let data = buttons.filter_map(|button| button["callback_data"].as_str());
    if data.into_iter().any(|data| data.is_empty() || data.len() > MAX_CALLBACK_DATA_BYTES) {
        return Err(ApiError::bad_request("BUTTON_DATA_INVALID"));
    }
    Ok(())
}

/// The markup as an object: form-encoded callers send it as a JSON string.
fn reply_markup(params: &Value) -> Value {
    match params.get("reply_markup") {
        Some(Value::String(text)) => serde_json::from_str(text).unwrap_or(Value::Null),
        Some(markup) => markup.clone(),
        None => Value::Null,
    }
}

fn message_key(params: &Value) -> Result<(i64, i64), ApiError> {
    let chat_id = chat_id(params).ok_or_else(|| ApiError::bad_request("chat_id is empty"))?;
    let message_id = int_param(params, "message_id")
        .ok_or_else(|| ApiError::bad_request("message identifier is not specified"))?;
    Ok((chat_id, message_id))
}

/// The `chat_id` of a call, sent as a number or as a string of digits.
pub(super) fn chat_id(params: &Value) -> Option<i64> {
    int_param(params, "chat_id")
}

pub(super) fn int_param(params: &Value, key: &str) -> Option<i64> {
    match params.get(key)? {
        Value::Number(number) => number.as_i64(),
        Value::String(text) => text.parse().ok(),
        _ => None,
    }
}
