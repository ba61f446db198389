//! Telegram updates to engine inputs, and the engine's outbox back to Telegram.
//! Only ids and kinds are logged: never a name, a phone or a message text.

use std::sync::Arc;

use teloxide::prelude::*;
use teloxide::types::MessageId;

use super::send::{ContactKeyboards, edit_or_send, log_send_error, send_screen};
use crate::dialog::{Engine, Incoming, Input, Outbox};
use crate::domain::ids::{ChatKey, UserKey};

/// What a handler needs besides the update.
pub struct Context {
    pub engine: Arc<Engine>,
    pub keyboards: ContactKeyboards,
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
pub async fn on_message(bot: Bot, msg: Message, ctx: Arc<Context>) -> ResponseResult<()> {
    let incoming = Incoming {
        chat: ChatKey(msg.chat.id.0),
        user: msg.from.as_ref().map(|u| UserKey(u.id.0)),
        input: input_from_message(&msg),
    };
    tracing::debug!(chat = msg.chat.id.0, "message");

    let outbox = handle(&ctx, incoming).await;
    deliver(&bot, msg.chat.id, None, outbox, &ctx).await;
    Ok(())
}

/// A button press: handled, answered at once, then the pressed message is edited.
pub async fn on_callback(bot: Bot, query: CallbackQuery, ctx: Arc<Context>) -> ResponseResult<()> {
    let origin = query.message.as_ref().map(|m| (m.chat().id, m.id()));
    let (Some((chat, message_id)), Some(data)) = (origin, query.data.clone()) else {
        bot.answer_callback_query(query.id).await?;
        return Ok(());
    };
    let incoming = Incoming {
        chat: ChatKey(chat.0),
        user: Some(UserKey(query.from.id.0)),
        input: Input::Button(data),
    };
    tracing::debug!(chat = chat.0, "button");

    let mut outbox = handle(&ctx, incoming).await;
    let answer = bot.answer_callback_query(query.id);
    let answered = match outbox.button_note.take() {
        Some(note) => answer.text(note).await,
        None => answer.await,
    };
    if let Err(err) = answered {
        log_send_error(chat, &err);
    }
    let origin = (!outbox.keep_origin).then_some(message_id);
    deliver(&bot, chat, origin, outbox, &ctx).await;
    Ok(())
}

/// Runs the engine on this task (its steps take microseconds), then, when the turn wrote
/// something the client will be told about, waits for the flush without holding a thread;
/// a burst of bookings shares one flush.
async fn handle(ctx: &Arc<Context>, incoming: Incoming) -> Outbox {
    let mut outbox = ctx.engine.handle_unflushed(incoming);
    if outbox.must_flush {
        let flushed = ctx.engine.store().flush_async().await;
        ctx.engine.flushed(&mut outbox, flushed);
    }
    outbox
}

/// Replies to the chat; the first one replaces the pressed message.
async fn deliver(
    bot: &Bot,
    chat: ChatId,
    origin: Option<MessageId>,
    outbox: Outbox,
    ctx: &Context,
) {
    for (i, screen) in outbox.replies.iter().enumerate() {
        let sent = match (i, origin) {
            (0, Some(origin)) => edit_or_send(bot, chat, origin, screen, &ctx.keyboards).await,
            _ => send_screen(bot, chat, screen, &ctx.keyboards).await,
        };
        if let Err(err) = sent {
            log_send_error(chat, &err);
            // The rest of the chat's replies would fail too.
            break;
        }
    }
}
