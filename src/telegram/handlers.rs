//! Telegram updates to engine inputs, and the engine's outbox back to Telegram.
//! Only ids and kinds are logged: never a name, a phone or a message text.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::MessageId;

use super::api::BotApi;
use super::requests::answer_callback;
use super::send::{ContactKeyboards, edit_or_send, log_send_error, send_screen};
use crate::dialog::{Engine, Incoming, Input, Outbox};
use crate::domain::ids::{ChatKey, UserKey};

/// What a handler needs besides the update.
pub struct Context {
    pub api: BotApi,
    pub engine: Arc<Engine>,
    pub keyboards: ContactKeyboards,
}

impl Context {
    pub fn new(bot: &Bot, engine: Arc<Engine>) -> Self {
        Context { api: BotApi::new(bot), engine, keyboards: ContactKeyboards::default() }
    }
}

/// What a message means to the engine: text, a shared contact, or anything else.
pub fn input_from_message(msg: &Message) -> Input {
    match (msg.text(), msg.contact()) {
        (Some(text), _) => Input::from_text(text),
        (None, Some(contact)) => Input::Contact { phone: contact.phone_number.clone() },
        _ => Input::Unsupported,
    }
}

/// A message: text, a shared contact, or anything else (a kind re-prompt).
pub async fn on_message(ctx: &Context, msg: &Message) {
    let incoming = Incoming {
        chat: ChatKey(msg.chat.id.0),
        user: msg.from.as_ref().map(|u| UserKey(u.id.0)),
        input: input_from_message(msg),
    };
    tracing::debug!(chat = msg.chat.id.0, "message");

    let outbox = handle(ctx, incoming).await;
    deliver(ctx, msg.chat.id, None, outbox).await;
}

/// A button press: handled, answered at once, then the pressed message is edited.
pub async fn on_callback(ctx: &Context, query: &CallbackQuery) {
    let origin = query.message.as_ref().map(|m| (m.chat().id, m.id()));
    let (Some((chat, message_id)), Some(data)) = (origin, query.data.clone()) else {
        if let Err(err) = answer_callback(&ctx.api, &query.id.0, None).await {
            log_send_error(ChatId(query.from.id.0 as i64), &err);
        }
        return;
    };
    let incoming = Incoming {
        chat: ChatKey(chat.0),
        user: Some(UserKey(query.from.id.0)),
        input: Input::Button(data),
    };
    tracing::debug!(chat = chat.0, "button");

    let mut outbox = handle(ctx, incoming).await;
    let note = outbox.button_note.take();
    if let Err(err) = answer_callback(&ctx.api, &query.id.0, note.as_deref()).await {
        log_send_error(chat, &err);
    }
    let origin = (!outbox.keep_origin).then_some(message_id);
    deliver(ctx, chat, origin, outbox).await;
}

/// Runs the engine on this task (its steps take microseconds), then, when the turn wrote
/// something the client will be told about, waits for the flush without holding a thread;
/// a burst of bookings shares one flush.
async fn handle(ctx: &Context, incoming: Incoming) -> Outbox {
    let mut outbox = ctx.engine.handle_unflushed(incoming);
    if outbox.must_flush {
        let flushed = ctx.engine.store().flush_async().await;
        ctx.engine.flushed(&mut outbox, flushed);
    }
    outbox
}

/// Replies to the chat; the first one replaces the pressed message.
async fn deliver(ctx: &Context, chat: ChatId, origin: Option<MessageId>, outbox: Outbox) {
    for (i, screen) in outbox.replies.iter().enumerate() {
        let sent = match (i, origin) {
            (0, Some(origin)) => edit_or_send(&ctx.api, chat, origin, screen, &ctx.keyboards).await,
            _ => send_screen(&ctx.api, chat, screen, &ctx.keyboards).await,
        };
        if let Err(err) = sent {
            log_send_error(chat, &err);
            // The rest of the chat's replies would fail too.
            break;
        }
    }
}
