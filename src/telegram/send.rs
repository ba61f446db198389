//! Screens to Telegram messages: inline keyboards, the contact request, and its removal.
//! Texts go out without a parse mode, so nothing a person or a config wrote can be read as
//! markup: plain text needs no escaping.

use std::collections::HashSet;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::types::MessageId;
use teloxide::{ApiError, RequestError};

use super::api::BotApi;
use super::requests::{Markup, edit_text, send_text};
use super::split::{MAX_MESSAGE_CHARS, split_message};
use crate::dialog::{Button, Screen};

/// How many times one request is tried in all when Telegram says "wait" or the line drops.
const MAX_ATTEMPTS: u32 = 4;
/// A 429 asking for a longer wait than this is not waited out: the reply is dropped and logged.
const MAX_RETRY_WAIT: Duration = Duration::from_secs(30);
/// The pause before a request whose connection dropped is sent again.
const NETWORK_RETRY_WAIT: Duration = Duration::from_millis(300);

/// Runs `call` again after a 429 (waiting as long as Telegram asks) or a dropped connection,
/// a few times. The bare `Bot` hands a 429 back as an error, so without this a throttled chat
/// lost its replies. Limit: a connection that drops after Telegram took the message gives the
/// person that message twice; a lost booking confirmation is the worse outcome.
async fn retrying<T, F, Fut>(chat: ChatId, mut call: F) -> Result<T, RequestError>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T, RequestError>>,
{
    let mut attempt = 1;
    loop {
        let err = match call().await {
            Ok(done) => return Ok(done),
            Err(err) => err,
        };
        let Some(wait) = retry_wait(&err).filter(|_| attempt < MAX_ATTEMPTS) else {
            return Err(err);
        };
        tracing::info!(chat = chat.0, attempt, wait_ms = wait.as_millis() as u64, "send retried");
        tokio::time::sleep(wait).await;
        attempt += 1;
    }
}

/// How long to wait before trying again, for the errors a second try can cure.
fn retry_wait(err: &RequestError) -> Option<Duration> {
    match err {
        RequestError::RetryAfter(seconds) => {
            Some(seconds.duration()).filter(|wait| *wait <= MAX_RETRY_WAIT)
        }
        // A timeout already waited long; trying again would keep the chat waiting longer still.
        RequestError::Network(cause) if !cause.is_timeout() => Some(NETWORK_RETRY_WAIT),
        _ => None,
    }
}

/// Chats that currently show the "share my phone" keyboard, so the next plain message hides it.
#[derive(Default)]
pub struct ContactKeyboards(Mutex<HashSet<ChatId>>);

impl ContactKeyboards {
    fn shown(&self, chat: ChatId) {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).insert(chat);
    }

    /// Whether the keyboard was shown; forgets it, since the caller is about to remove it.
    fn take(&self, chat: ChatId) -> bool {
        self.0.lock().unwrap_or_else(|e| e.into_inner()).remove(&chat)
    }
}

fn inline(screen: &Screen) -> Option<Arc<Vec<Vec<Button>>>> {
    (!screen.buttons.is_empty()).then(|| Arc::new(screen.buttons.clone()))
}

fn markup(screen: &Screen, chat: ChatId, keyboards: &ContactKeyboards) -> Option<Markup> {
    if let Some(label) = &screen.request_contact {
        keyboards.shown(chat);
        return Some(Markup::Contact(label.as_str().into()));
    }
    if let Some(buttons) = inline(screen) {
        return Some(Markup::Inline(buttons));
    }
    keyboards.take(chat).then_some(Markup::Remove)
}

/// Sends one screen as one or more messages; buttons go with the last piece.
pub async fn send_screen(
    api: &BotApi,
    chat: ChatId,
    screen: &Screen,
    keyboards: &ContactKeyboards,
) -> Result<(), RequestError> {
    let pieces = split_message(&screen.text, MAX_MESSAGE_CHARS);
    let last = pieces.len() - 1;
    for (i, piece) in pieces.into_iter().enumerate() {
        let markup = (i == last).then(|| markup(screen, chat, keyboards)).flatten();
        retrying(chat, || send_text(api, chat, piece.clone(), markup.clone())).await?;
    }
    Ok(())
}

/// Replaces the message a button was on, when the screen fits in one message with inline
/// buttons only. Returns false when it had to be sent as a new message instead.
pub async fn edit_or_send(
    api: &BotApi,
    chat: ChatId,
    origin: MessageId,
    screen: &Screen,
    keyboards: &ContactKeyboards,
) -> Result<(), RequestError> {
    let fits = screen.request_contact.is_none() && screen.text.chars().count() <= MAX_MESSAGE_CHARS;
    if fits {
        let buttons = inline(screen);
        let text = &screen.text;
        let result =
            retrying(chat, || edit_text(api, chat, origin, text.clone(), buttons.clone())).await;
        match result {
            Ok(_) => return Ok(()),
            Err(RequestError::Api(ApiError::MessageNotModified)) => return Ok(()),
            Err(err) => tracing::debug!(chat = chat.0, cause = %err, "edit failed; sending anew"),
        }
    }
    send_screen(api, chat, screen, keyboards).await
}

/// A blocked bot or a deleted account is an outcome for that chat, not a failure of the bot.
pub fn log_send_error(chat: ChatId, err: &RequestError) {
    match err {
        RequestError::Api(
            ApiError::BotBlocked | ApiError::UserDeactivated | ApiError::ChatNotFound,
        ) => {
            tracing::info!(chat = chat.0, "chat unreachable: {err}");
        }
        _ => tracing::warn!(chat = chat.0, cause = %err, "sending failed"),
    }
}
