//! Telegram updates to engine inputs, and the engine's outbox back to Telegram.
//! Only ids and kinds are logged: never a name, a phone or a message text.

use std::sync::{Arc, OnceLock};

use teloxide::types::{ChatId, MessageId};

use super::api::BotApi;
use super::requests::answer_callback;
use super::send::{ContactKeyboards, edit_or_send, log_send_error, send_screen};
use super::updates::{CallbackQuery, Message};
use crate::dialog::{Engine, Incoming, Outbox};

/// What a handler needs besides the update.
pub struct Context {
    pub api: BotApi,
    pub engine: Arc<Engine>,
    pub keyboards: ContactKeyboards,
    /// The bot's username, once `getMe` told it: commands addressed to other bots are skipped.
    pub username: OnceLock<String>,
}

impl Context {
    pub fn new(api: BotApi, engine: Arc<Engine>) -> Self {
        let (keyboards, username) = (ContactKeyboards::default(), OnceLock::new());
        Context { api, engine, keyboards, username }
    }
}

/// A message: text, a shared contact, or anything else (a kind re-prompt).
pub async fn on_message(ctx: &Context, msg: &Message) {
    if ctx.username.get().is_some_and(|me| msg.for_another_bot(me)) {
        tracing::debug!(chat = msg.chat.id, "a command for another bot; skipped");
        return;
    }
    tracing::debug!(chat = msg.chat.id, "message");
    let outbox = handle(ctx, msg.incoming()).await;
    deliver(ctx, ChatId(msg.chat.id), None, outbox).await;
}

/// A button press: handled, answered at once, then the pressed message is edited.
pub async fn on_callback(ctx: &Context, query: &CallbackQuery) {
    let (Some(pressed), Some(incoming)) = (&query.message, query.incoming()) else {
        if let Err(err) = answer_callback(&ctx.api, &query.id, None).await {
            log_send_error(ChatId(i64::try_from(query.from.id).unwrap_or_default()), &err);
        }
        return;
    };
    let chat = ChatId(pressed.chat.id);
    tracing::debug!(chat = chat.0, "button");

    let mut outbox = handle(ctx, incoming).await;
    let note = outbox.button_note.take();
    if let Err(err) = answer_callback(&ctx.api, &query.id, note.as_deref()).await {
        log_send_error(chat, &err);
    }
    let origin = (!outbox.keep_origin).then_some(MessageId(pressed.message_id));
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
