//! Sends queued staff notices to Telegram. Woken by the engine after a booking change and
//! every half minute anyway, so notices left by a crash go out after the restart.

use std::sync::Arc;
use std::time::Duration;

use teloxide::prelude::*;
use teloxide::{ApiError, RequestError};

use super::api::BotApi;
use super::send::{ContactKeyboards, log_send_error, send_screen};
use crate::dialog::Engine;
use crate::jobs::notify::{ReadyNotice, ready_notices};

const BATCH: usize = 20;
const IDLE_CHECK: Duration = Duration::from_secs(30);
const ERROR_PAUSE: Duration = Duration::from_secs(5);
/// Longest pause a 429 may impose on the notices before they are tried again.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// What happened to one notice.
enum Sent {
    Done,
    /// Telegram will never take it (the chat is gone or the bot was removed): marked anyway.
    GaveUp,
    /// Try again after this pause; nothing is marked.
    Later(Duration),
}

/// Runs until the task is dropped.
pub async fn send_staff_notices(bot: Bot, engine: Arc<Engine>) {
    let api = BotApi::new(&bot);
    let keyboards = ContactKeyboards::default();
    loop {
        let batch = match next_batch(&engine).await {
            Ok(batch) => batch,
            Err(err) => {
                tracing::error!(cause = format!("{err:#}"), "reading staff notices failed");
                tokio::time::sleep(ERROR_PAUSE).await;
                continue;
            }
        };
        if batch.is_empty() {
            let _ = tokio::time::timeout(IDLE_CHECK, engine.notices_queued()).await;
            continue;
        }
        if let Some(pause) = send_batch(&api, &engine, &batch, &keyboards).await {
            tokio::time::sleep(pause).await;
        }
    }
}

/// The next notices, with what they tell of on disk first: staff are never told of a booking
/// a crash could still take back.
async fn next_batch(engine: &Arc<Engine>) -> anyhow::Result<Vec<ReadyNotice>> {
    let batch = ready_notices(engine, BATCH)?;
    if !batch.is_empty() {
        engine.store().flush_async().await?;
    }
    Ok(batch)
}

/// Sends in order; stops at the first notice that must wait, returning the pause.
async fn send_batch(
    api: &BotApi,
    engine: &Arc<Engine>,
    batch: &[ReadyNotice],
    keyboards: &ContactKeyboards,
) -> Option<Duration> {
    for notice in batch {
        let chat = ChatId(notice.chat.0);
        let outcome = classify(chat, send_screen(api, chat, &notice.screen, keyboards).await);
        if let Sent::Later(pause) = outcome {
            return Some(pause);
        }
        if let Err(err) = engine.store().mark_notice_sent(notice.seq) {
            tracing::error!(notice = notice.seq, cause = %err, "could not mark a staff notice sent");
            return Some(ERROR_PAUSE);
        }
    }
    None
}

fn classify(chat: ChatId, result: Result<(), RequestError>) -> Sent {
    let Err(err) = result else { return Sent::Done };
    log_send_error(chat, &err);
    match err {
        RequestError::RetryAfter(after) => Sent::Later(after.duration().min(MAX_RETRY_AFTER)),
        RequestError::Api(
            ApiError::BotBlocked
            | ApiError::ChatNotFound
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::UserDeactivated,
        ) => Sent::GaveUp,
        RequestError::MigrateToChatId(_) => Sent::GaveUp,
        _ => Sent::Later(ERROR_PAUSE),
    }
}
