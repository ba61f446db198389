//! Long polling: one loop asks Telegram for updates and hands each to its chat's queue. okno
//! runs this instead of teloxide's dispatcher, whose per-update dependency maps and boxed
//! handler chains cost about a tenth of the bot's CPU under a burst (BENCHMARKS.md).

use std::sync::Arc;
use std::time::Duration;

use serde::Serialize;
use teloxide::prelude::Requester;
use teloxide::types::AllowedUpdate;
use teloxide::{ApiError, Bot, RequestError};
use tokio::sync::watch;

use super::api::BotApi;
use super::chats::Chats;
use super::handlers::Context;

/// How long Telegram holds a poll open when there is nothing new (teloxide's default too; the
/// HTTP client gives up after 17 s).
const POLL_SECONDS: u32 = 10;
/// Updates in hand (waiting or being handled) before the loop stops asking for more.
const MAX_IN_HAND: usize = 10_000;
/// The longest pause between polls after errors (it doubles from one second).
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// How long a stop lets the chats finish what they hold: systemd kills okno after 30 s
/// (`deploy/okno.service`), and the store still has to flush after this.
const DRAIN_LIMIT: Duration = Duration::from_secs(20);

/// The kinds okno handles; Telegram sends no others.
const ALLOWED: [AllowedUpdate; 2] = [AllowedUpdate::Message, AllowedUpdate::CallbackQuery];

#[derive(Serialize)]
struct GetUpdates {
    offset: i32,
    timeout: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    limit: Option<u8>,
    allowed_updates: &'static [AllowedUpdate],
}

/// Ends [`Polling::run`]. Dropping every handle without calling it does not stop polling.
#[derive(Clone)]
pub struct Stop(Arc<watch::Sender<bool>>);

impl Stop {
    pub fn stop(&self) {
        self.0.send_replace(true);
    }
}

/// The polling loop with okno's handlers.
pub struct Polling {
    bot: Bot,
    api: BotApi,
    ctx: Arc<Context>,
    chats: Chats,
    stop: watch::Receiver<bool>,
}

impl Polling {
    pub fn new(bot: Bot, ctx: Context) -> (Polling, Stop) {
        let (stop, stopped) = watch::channel(false);
        let api = ctx.api.clone();
        let ctx = Arc::new(ctx);
        let chats = Chats::new(Arc::clone(&ctx));
        let polling = Polling { bot, api, ctx, chats, stop: stopped };
        (polling, Stop(Arc::new(stop)))
    }

    /// Polls until stopped, then tells Telegram every update taken was handled and lets the
    /// chats finish (for at most [`DRAIN_LIMIT`]). Updates are confirmed by the next poll, as
    /// teloxide does: the ones taken but not yet handled when the process dies are lost, and
    /// the person whose tap it was taps again.
    pub async fn run(mut self) {
        remove_webhook(&self.bot).await;
        self.learn_username().await;
        let offset = self.poll_until_stopped().await;

        self.confirm(offset).await;
        self.chats.drain(DRAIN_LIMIT).await;
    }

    /// The loop; returns the offset that confirms every update taken.
    async fn poll_until_stopped(&mut self) -> i32 {
        let mut offset = 0;
        let mut errors = 0;
        loop {
            let request = GetUpdates {
                offset,
                timeout: POLL_SECONDS,
                limit: None,
                allowed_updates: &ALLOWED,
            };
            let polled = tokio::select! {
                _ = stopped(&mut self.stop) => return offset,
                polled = self.api.get_updates(&request) => polled,
            };

            match polled {
                Ok(updates) => {
                    errors = 0;
                    for update in updates {
                        offset = update.next_offset();
                        self.chats.dispatch(update);
                    }
                }
                Err(err) => {
                    if webhook_in_the_way(&err) {
                        remove_webhook(&self.bot).await;
                    }
                    errors += 1;
                    let pause = poll_pause(&err, errors);
                    log_poll_error(&err, pause);
                    tokio::select! {
                        _ = stopped(&mut self.stop) => return offset,
                        _ = tokio::time::sleep(pause) => {}
                    }
                }
            }

            tokio::select! {
                _ = stopped(&mut self.stop) => return offset,
                _ = self.chats.settle(MAX_IN_HAND) => {}
            }
        }
    }

    /// The bot's own username, to tell commands for okno from commands for other bots.
    async fn learn_username(&self) {
        match self.bot.get_me().await {
            Ok(me) => {
                if let Some(username) = me.user.username {
                    let _ = self.ctx.username.set(username);
                }
            }
            Err(err) => tracing::warn!(cause = %err, "could not read the bot's username"),
        }
    }

    /// Tells Telegram that every update taken so far is okno's, so a restart does not bring
    /// them again.
    async fn confirm(&self, offset: i32) {
        if offset == 0 {
            return;
        }
        let request = GetUpdates { offset, timeout: 0, limit: Some(1), allowed_updates: &ALLOWED };
        if let Err(err) = self.api.get_updates(&request).await {
            tracing::warn!(cause = %err, "could not confirm the last updates; they may come again");
        }
    }
}

/// Resolves once a stop is asked for; never, when every [`Stop`] is gone without asking.
async fn stopped(stop: &mut watch::Receiver<bool>) {
    if stop.wait_for(|stopped| *stopped).await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// Polling through a webhook fails with a conflict: remove one left from another setup (at
/// start) or set while okno runs.
async fn remove_webhook(bot: &Bot) {
    let set = match bot.get_webhook_info().await {
        Ok(info) => info.url.is_some(),
        Err(err) => {
            tracing::warn!(cause = %err, "could not read the webhook settings");
            return;
        }
    };
    if !set {
        return;
    }
    match bot.delete_webhook().await {
        Ok(_) => tracing::info!("a webhook was set for this bot; removed it to poll"),
        Err(err) => tracing::warn!(cause = %err, "could not remove the webhook; polling fails"),
    }
}

/// Telegram's answer to a poll while a webhook is set (teloxide knows one wording of it).
fn webhook_in_the_way(err: &RequestError) -> bool {
    match err {
        RequestError::Api(ApiError::CantGetUpdates) => true,
        RequestError::Api(ApiError::Unknown(description)) => {
            description.contains("webhook is active")
        }
        _ => false,
    }
}

/// How long to wait after a failed poll: what Telegram asks, or one second doubling to 30.
fn poll_pause(err: &RequestError, errors: u32) -> Duration {
    let pause = match err {
        RequestError::RetryAfter(after) => after.duration(),
        _ => Duration::from_secs(1) * 2u32.pow(errors.saturating_sub(1).min(5)),
    };
    pause.min(MAX_BACKOFF)
}

fn log_poll_error(err: &RequestError, pause: Duration) {
    let pause_s = pause.as_secs();
    match err {
        RequestError::Api(ApiError::TerminatedByOtherGetUpdates) => {
            tracing::error!(pause_s, "another process polls with this bot token; stop it");
        }
        RequestError::Api(ApiError::InvalidToken) => {
            tracing::error!(pause_s, "Telegram no longer accepts the token; check TELOXIDE_TOKEN");
        }
        _ => tracing::warn!(pause_s, cause = %err, "polling failed; trying again"),
    }
}
