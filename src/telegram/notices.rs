//! Sends queued staff notices to Telegram. Woken by the engine after a booking change and
//! every half minute anyway, so notices left by a crash go out after the restart. A staff chat
//! the bot cannot write to keeps its notices queued until it can: none is dropped.

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
/// How often a staff chat the bot cannot write to is tried again.
const UNREACHABLE_PAUSE: Duration = Duration::from_secs(300);

/// What happened to one notice.
enum Sent {
    Done,
    /// Try again after this pause; nothing is marked.
    Later(Duration),
    /// The group became a supergroup with this id: send there.
    Moved(ChatId),
}

/// Where notices go, and where the staff group went if Telegram moved it since start.
struct Staff {
    api: BotApi,
    keyboards: ContactKeyboards,
    moved_to: Option<ChatId>,
}

/// Runs until the task is dropped.
pub async fn send_staff_notices(api: BotApi, engine: Arc<Engine>) {
    let mut staff = Staff { api, keyboards: Default::default(), moved_to: None };
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
        if let Some(pause) = staff.send_batch(&engine, &batch).await {
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

impl Staff {
    /// Sends in order; stops at the first notice that must wait, returning the pause.
    async fn send_batch(
        &mut self,
        engine: &Arc<Engine>,
        batch: &[ReadyNotice],
    ) -> Option<Duration> {
        for notice in batch {
            if let Some(pause) = self.send(notice).await {
                return Some(pause);
            }
            if let Err(err) = engine.store().mark_notice_sent(notice.seq) {
                tracing::error!(
                    notice = notice.seq,
                    cause = %err,
                    "could not mark a staff notice sent"
                );
                return Some(ERROR_PAUSE);
            }
        }
        None
    }

    /// Sends one notice, following the staff group once if Telegram says it moved.
    async fn send(&mut self, notice: &ReadyNotice) -> Option<Duration> {
        let chat = self.moved_to.unwrap_or(ChatId(notice.chat.0));
        let sent = send_screen(&self.api, chat, &notice.screen, &self.keyboards).await;
        let moved_to = match classify(chat, sent) {
            Sent::Done => return None,
            Sent::Later(pause) => return Some(pause),
            Sent::Moved(to) => to,
        };

        tracing::error!(
            from = chat.0,
            to = moved_to.0,
            "the staff group became a supergroup; set staff.chat_id to the new id in the \
             business file (notices go there until okno restarts)"
        );
        self.moved_to = Some(moved_to);
        let sent = send_screen(&self.api, moved_to, &notice.screen, &self.keyboards).await;
        match classify(moved_to, sent) {
            Sent::Done => None,
            Sent::Later(pause) => Some(pause),
            Sent::Moved(_) => Some(ERROR_PAUSE),
        }
    }
}

fn classify(chat: ChatId, result: Result<(), RequestError>) -> Sent {
    let Err(err) = result else { return Sent::Done };
    match err {
        RequestError::RetryAfter(after) => {
            log_send_error(chat, &err);
            Sent::Later(after.duration().min(MAX_RETRY_AFTER))
        }
        RequestError::MigrateToChatId(to) => Sent::Moved(to),
        RequestError::Api(
            ApiError::BotBlocked
            | ApiError::ChatNotFound
            | ApiError::BotKicked
            | ApiError::BotKickedFromSupergroup
            | ApiError::UserDeactivated,
        ) => {
            tracing::error!(
                chat = chat.0,
                cause = %err,
                "okno cannot write to the staff chat; add the bot back or fix staff.chat_id \
                 in the business file (notices wait and are tried again every 5 minutes)"
            );
            Sent::Later(UNREACHABLE_PAUSE)
        }
        _ => {
            log_send_error(chat, &err);
            Sent::Later(ERROR_PAUSE)
        }
    }
}

#[cfg(test)]
mod tests {
    use teloxide::types::Seconds;

    use super::*;

    fn pause(sent: Sent) -> Option<Duration> {
        match sent {
            Sent::Later(pause) => Some(pause),
            _ => None,
        }
    }

    #[test]
    fn no_failure_marks_a_notice_sent_and_an_unreachable_staff_chat_waits_minutes() {
        let chat = ChatId(-100);
        let kicked = Err(RequestError::Api(ApiError::BotKickedFromSupergroup));
        let throttled = Err(RequestError::RetryAfter(Seconds::from_seconds(600)));
        let odd = Err(RequestError::Api(ApiError::Unknown("Bad Request: odd".into())));

        assert_eq!(pause(classify(chat, kicked)), Some(UNREACHABLE_PAUSE));
        assert_eq!(pause(classify(chat, throttled)), Some(MAX_RETRY_AFTER));
        assert_eq!(pause(classify(chat, odd)), Some(ERROR_PAUSE));
        let moved = classify(chat, Err(RequestError::MigrateToChatId(ChatId(-1009))));
        assert!(matches!(moved, Sent::Moved(ChatId(-1009))));
        assert!(matches!(classify(chat, Ok(())), Sent::Done));
    }
}
