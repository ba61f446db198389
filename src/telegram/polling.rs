//! Long polling, and the order of updates within a chat.
//!
//! One loop asks Telegram for updates; each chat's updates are handled one after another, in
//! the order they came, while different chats are handled side by side. A chat with nothing in
//! progress costs nothing: its queue exists only while it has updates. okno runs this loop
//! instead of teloxide's dispatcher, which wrapped every update in a dependency map and a
//! chain of boxed handler futures: under a burst that cost about a tenth of the bot's CPU.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use serde::Serialize;
use teloxide::Bot;
use teloxide::prelude::Requester;
use teloxide::types::AllowedUpdate;
use tokio::sync::watch;
use tokio::task::JoinSet;

use super::api::BotApi;
use super::handlers::{self, Context};
use super::updates::Update;

/// How long Telegram holds a poll open when there is nothing new (teloxide's default too; the
/// HTTP client gives up after 17 s).
const POLL_SECONDS: u32 = 10;
/// Updates one chat may have waiting; past that a flood's extra updates are dropped, so one
/// chat can neither grow memory without end nor hold the others back.
const MAX_WAITING_PER_CHAT: usize = 64;
/// Updates waiting in all chats together before the loop stops asking for more.
const MAX_WAITING: usize = 10_000;
/// The longest pause between polls after errors (it doubles from one second).
const MAX_BACKOFF: Duration = Duration::from_secs(30);

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

/// Ends [`Polling::run`]: polling stops, the updates already taken are handled, and Telegram
/// is told they were.
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
    chats: Arc<Chats>,
    stop: watch::Receiver<bool>,
}

impl Polling {
    pub fn new(bot: Bot, ctx: Context) -> (Polling, Stop) {
        let (stop, stopped) = watch::channel(false);
        let api = ctx.api.clone();
        let polling =
            Polling { bot, api, ctx: Arc::new(ctx), chats: Arc::default(), stop: stopped };
        (polling, Stop(Arc::new(stop)))
    }

    /// Polls until stopped. Updates are confirmed to Telegram by the next poll, as teloxide
    /// does: an update taken just before a crash is not handled again after it.
    pub async fn run(mut self) {
        remove_webhook(&self.bot).await;
        let mut offset = 0;
        let mut errors = 0;
        let mut tasks = JoinSet::new();

        while !*self.stop.borrow() {
            let request = GetUpdates {
                offset,
                timeout: POLL_SECONDS,
                limit: None,
                allowed_updates: &ALLOWED,
            };
            let polled = tokio::select! {
                _ = self.stop.changed() => break,
                polled = self.api.get_updates(&request) => polled,
            };

            match polled {
                Ok(updates) => {
                    errors = 0;
                    for update in updates {
                        offset = update.next_offset();
                        self.dispatch(update, &mut tasks);
                    }
                }
                Err(err) => {
                    errors += 1;
                    let pause = poll_pause(&err, errors);
                    log_poll_error(&err, pause);
                    tokio::select! {
                        _ = self.stop.changed() => break,
                        _ = tokio::time::sleep(pause) => {}
                    }
                }
            }

            while tasks.try_join_next().is_some() {}
            while self.chats.waiting() > MAX_WAITING && tasks.join_next().await.is_some() {}
        }

        while tasks.join_next().await.is_some() {}
        self.confirm(offset).await;
    }

    /// Hands `update` to its chat's queue, starting a task for the chat when it had none.
    fn dispatch(&self, update: Update, tasks: &mut JoinSet<()>) {
        let key = update.chat_key();
        let Some(first) = self.chats.push(key, update) else { return };
        let turn = ChatTurn { chats: Arc::clone(&self.chats), key };
        let ctx = Arc::clone(&self.ctx);
        tasks.spawn(async move { turn.serve(&ctx, first).await });
    }

    /// Tells Telegram that every update taken so far was handled, so a restart does not
    /// bring them again.
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

/// Polling through a webhook fails with a conflict: remove one left from another setup.
async fn remove_webhook(bot: &Bot) {
    let set = match bot.get_webhook_info().await {
        Ok(info) => info.url.is_some(),
        Err(err) => {
            tracing::warn!(cause = %err, "could not read the webhook settings");
            return;
        }
    };
    if set && let Err(err) = bot.delete_webhook().await {
        tracing::warn!(cause = %err, "could not remove the webhook; polling will fail until it is");
    }
}

/// How long to wait after a failed poll: what Telegram asks, or one second doubling to 30.
fn poll_pause(err: &teloxide::RequestError, errors: u32) -> Duration {
    if let teloxide::RequestError::RetryAfter(after) = err {
        return after.duration();
    }
    let doubled = Duration::from_secs(1) * 2u32.saturating_pow(errors.saturating_sub(1).min(5));
    doubled.min(MAX_BACKOFF)
}

fn log_poll_error(err: &teloxide::RequestError, pause: Duration) {
    let pause_s = pause.as_secs();
    match err {
        teloxide::RequestError::Api(teloxide::ApiError::TerminatedByOtherGetUpdates) => {
            tracing::error!(pause_s, "another process polls with this bot token; stop it");
        }
        teloxide::RequestError::Api(teloxide::ApiError::InvalidToken) => {
            tracing::error!(pause_s, "Telegram no longer accepts the token; check TELOXIDE_TOKEN");
        }
        _ => tracing::warn!(pause_s, cause = %err, "polling failed; trying again"),
    }
}

/// Updates waiting per chat. A chat is here only while a task serves it.
#[derive(Default)]
struct Chats {
    queues: Mutex<HashMap<i64, VecDeque<Update>>>,
}

impl Chats {
    fn lock(&self) -> MutexGuard<'_, HashMap<i64, VecDeque<Update>>> {
        // Plain queues, whole after any panic.
        self.queues.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues `update`, or returns it when the chat had no task and one must start with it.
    fn push(&self, key: i64, update: Update) -> Option<Update> {
        let mut queues = self.lock();
        let queue = match queues.entry(key) {
            Entry::Vacant(vacant) => {
                vacant.insert(VecDeque::new());
                return Some(update);
            }
            Entry::Occupied(occupied) => occupied.into_mut(),
        };
        if queue.len() >= MAX_WAITING_PER_CHAT {
            tracing::info!(chat = key, update = update.update_id, "chat flooding; update dropped");
            return None;
        }
        queue.push_back(update);
        None
    }

    /// The chat's next update; with none left the chat leaves the map.
    fn next(&self, key: i64) -> Option<Update> {
        let mut queues = self.lock();
        let next = queues.get_mut(&key).and_then(VecDeque::pop_front);
        if next.is_none() {
            queues.remove(&key);
        }
        next
    }

    /// Updates waiting in all chats, besides the ones being handled.
    fn waiting(&self) -> usize {
        self.lock().values().map(VecDeque::len).sum()
    }
}

/// The task serving one chat until its queue is empty.
struct ChatTurn {
    chats: Arc<Chats>,
    key: i64,
}

impl ChatTurn {
    async fn serve(&self, ctx: &Context, first: Update) {
        let mut update = first;
        loop {
            handle(ctx, &update).await;
            match self.chats.next(self.key) {
                Some(next) => update = next,
                None => return,
            }
        }
    }
}

impl Drop for ChatTurn {
    /// A handler that panicked leaves the chat free for a new task, so the chat is not stuck.
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.chats.lock().remove(&self.key);
        }
    }
}

async fn handle(ctx: &Context, update: &Update) {
    match (&update.message, &update.callback_query) {
        (Some(message), _) => handlers::on_message(ctx, message).await,
        (None, Some(query)) => handlers::on_callback(ctx, query).await,
        (None, None) => tracing::debug!(update = update.update_id, "nothing to handle; skipped"),
    }
}
