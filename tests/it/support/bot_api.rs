//! A fake Telegram Bot API server on 127.0.0.1 for end-to-end tests of the real bot.
//!
//! `FakeBotApi::start()` serves `/bot<token>/<method>` on a free port; point a bot at it with
//! [`FakeBotApi::bot`] or `Bot::new(TEST_TOKEN).set_api_url(api.url().parse()?)`. Tests push
//! updates, the bot long-polls them, and the test waits (always with a timeout) for what the bot
//! sent. Limits: JSON and query parameters only (an upload is recorded and refused with a 400);
//! `parse_mode` is recorded but not checked; waits use tokio's clock, so do not pause time.

mod methods;
mod server;
mod state;
mod updates;

use std::fmt::Display;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use state::{Inner, Shared};
pub use updates::{
    BOT_ID, BOT_USERNAME, TEST_TOKEN, user_callback, user_contact, user_sticker, user_text,
};

/// How long a `wait_*` call waits before it panics, unless the test sets another.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(5);

/// A message the bot sent or edited, flattened for assertions.
#[derive(Clone, Debug, PartialEq)]
pub struct SentMessage {
    /// `sendMessage`, `editMessageText` or `editMessageReplyMarkup`.
    pub method: String,
    pub chat_id: i64,
    pub message_id: i64,
    /// The text as the bot sent it, markup included; for a markup edit, the message's text.
    pub text: String,
    /// Inline keyboard: the button texts, row by row.
    pub buttons: Vec<Vec<String>>,
    /// Inline keyboard: each button's callback data ("" for a URL button), row by row.
    pub callback_data: Vec<Vec<String>>,
    /// Reply keyboard: the button texts, row by row.
    pub reply_keyboard: Vec<Vec<String>>,
    /// Whether a reply keyboard button asks for the person's phone number.
    pub request_contact: bool,
    /// The request's parameters as received.
    pub raw: Value,
}

impl SentMessage {
    fn new(
        method: &str,
        chat_id: i64,
        message_id: i64,
        text: &str,
        markup: &Value,
        raw: &Value,
    ) -> Self {
        let inline = keyboard_rows(&markup["inline_keyboard"]);
        let reply = keyboard_rows(&markup["keyboard"]);
        Self {
            method: method.to_owned(),
            chat_id,
            message_id,
            text: text.to_owned(),
            buttons: button_fields(&inline, "text"),
            callback_data: button_fields(&inline, "callback_data"),
            reply_keyboard: button_fields(&reply, "text"),
            request_contact: reply.iter().flatten().any(|b| b["request_contact"] == json!(true)),
            raw: raw.clone(),
        }
    }
}

/// A reply keyboard button may be a bare string; it is normalised to `{"text": ...}`.
fn keyboard_rows(rows: &Value) -> Vec<Vec<Value>> {
    let rows = rows.as_array().into_iter().flatten().filter_map(Value::as_array);
    let button = |button: &Value| match button {
        Value::String(text) => json!({ "text": text }),
        other => other.clone(),
    };
    rows.map(|row| row.iter().map(button).collect()).collect()
}

fn button_fields(rows: &[Vec<Value>], field: &str) -> Vec<Vec<String>> {
    let text = |button: &Value| button[field].as_str().unwrap_or_default().to_owned();
    rows.iter().map(|row| row.iter().map(text).collect()).collect()
}

/// A scripted failure for every call that names a chat (`chat_id`).
#[derive(Clone, Debug, PartialEq)]
pub enum Fault {
    /// 429 `Too Many Requests` with `parameters.retry_after` in seconds.
    RetryAfter(u32),
    /// 403 `Forbidden: bot was blocked by the user`.
    Blocked,
    /// 400 `Bad Request: message to edit not found`: what an edit of a deleted message gets.
    BadRequest,
    /// 403 `Forbidden: bot was kicked from the supergroup chat`.
    Kicked,
    /// 400 with `parameters.migrate_to_chat_id`: the group became this supergroup.
    Migrated(i64),
    /// The call is answered normally, after this delay.
    Slow(Duration),
    /// The connection is cut after the status line, before the body: the call is not carried
    /// out, and the bot sees a network error.
    Dropped,
}

/// The running server; it stops when dropped or on [`FakeBotApi::shutdown`].
pub struct FakeBotApi {
    shared: Arc<Shared>,
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<std::io::Result<()>>>,
    wait: Duration,
}

impl FakeBotApi {
    /// Starts the server on a free port of 127.0.0.1.
    pub async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("the fake Bot API could not bind a port on 127.0.0.1");
        let addr = listener.local_addr().expect("a bound listener has an address");
        let shared = Arc::new(Shared::new());
        let app = server::router(Arc::clone(&shared));
        let (stop, stopped) = oneshot::channel::<()>();

        let serve = axum::serve(listener, app).with_graceful_shutdown(async {
            let _ = stopped.await;
        });
        let task = tokio::spawn(async move { serve.await });
        Self { shared, addr, stop: Some(stop), task: Some(task), wait: DEFAULT_WAIT }
    }

    /// The base URL for `Bot::set_api_url`, like `http://127.0.0.1:PORT/`.
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// A bot with [`TEST_TOKEN`] that talks to this server.
    pub fn bot(&self) -> teloxide::Bot {
        let url = self.url().parse().expect("the fake's URL is valid");
        teloxide::Bot::new(TEST_TOKEN).set_api_url(url)
    }

    /// Sets how long each `wait_*` call waits before it panics.
    pub fn set_wait_timeout(&mut self, wait: Duration) {
        self.wait = wait;
    }

    /// Ends held polls, stops accepting requests and waits (bounded) for the server task.
    pub async fn shutdown(mut self) {
        self.shared.close();
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        let Some(task) = self.task.take() else { return };
        let abort = task.abort_handle();
        match tokio::time::timeout(self.wait, task).await {
            Ok(Ok(Ok(()))) => {}
            Ok(Ok(Err(error))) => panic!("the fake Bot API failed: {error}"),
            Ok(Err(error)) if error.is_cancelled() => {}
            Ok(Err(error)) => panic!("the fake Bot API task panicked: {error}"),
            Err(_) => abort.abort(),
        }
    }

    /// Queues an update for the bot's next poll and returns its `update_id`.
    ///
    /// An update without `update_id` gets the next free one. Telegram's ids only grow, and
    /// teloxide confirms them with `offset`, so an explicit id must be above every earlier one.
    pub fn push_update(&self, mut update: Value) -> i64 {
        let mut inner = self.shared.lock();
        let fields = update.as_object_mut().expect("an update is a JSON object");
        let id = match fields.get("update_id").and_then(Value::as_i64) {
            Some(id) => id,
            None => inner.last_update_id + 1,
        };
        assert!(
            id > inner.last_update_id && id <= i64::from(i32::MAX),
            "update_id {id} is not above the last pushed id {} (or does not fit teloxide's i32): \
             the bot would never see it. Remove update_id to let the fake number the update.",
            inner.last_update_id,
        );
        fields.insert("update_id".to_owned(), json!(id));
        inner.last_update_id = id;
        inner.updates.push(update);
        drop(inner);
        self.shared.notify();
        id
    }

    /// Answers `sendMessage` past `per_second` calls in any second, all chats together, with
    /// 429 `retry_after: 1`, as Telegram limits a bot's new messages.
    pub fn limit_sends(&self, per_second: usize) {
        self.shared.lock().sends_per_second = Some(per_second);
    }

    /// Sets a webhook, as another deployment of the same bot would: polls fail with 409 until
    /// the bot calls `deleteWebhook`.
    pub fn set_webhook(&self, url: &str) {
        self.shared.lock().webhook = Some(url.to_owned());
        self.shared.notify();
    }

    /// Whether a webhook is set.
    pub fn has_webhook(&self) -> bool {
        self.shared.lock().webhook.is_some()
    }

    /// Queues `update` exactly as given, unnumbered: for updates Telegram would never send, such
    /// as one whose `update_id` is not a whole number. It goes out with the next poll at
    /// offset 0 (an id that is not a number reads as 0 here).
    pub fn push_raw_update(&self, update: Value) {
        self.shared.lock().updates.push(update);
        self.shared.notify();
    }

    /// Waits until the bot sent or edited `n` messages in `chat_id` that no earlier call
    /// returned, and returns exactly those `n`; later ones stay for the next call.
    pub async fn wait_for_sent(&self, chat_id: i64, n: usize) -> Vec<SentMessage> {
        let what = format!("{n} new sent messages in chat {chat_id}");
        self.wait_until(what, |inner| {
            let cursor = inner.sent_cursor.get(&chat_id).copied().unwrap_or(0);
            let fresh: Vec<_> = inner.sent_to(chat_id).into_iter().skip(cursor).take(n).collect();
            if fresh.len() < n {
                return None;
            }
            inner.sent_cursor.insert(chat_id, cursor + n);
            Some(fresh)
        })
        .await
    }

    /// Everything the bot sent or edited in `chat_id`, whatever `wait_for_sent` returned.
    pub fn sent_to(&self, chat_id: i64) -> Vec<SentMessage> {
        self.shared.lock().sent_to(chat_id)
    }

    /// Every message sent or edited in any chat after the first `from`, and the new count:
    /// a cheap cursor for tests that watch many chats at once.
    pub fn sent_since(&self, from: usize) -> (Vec<SentMessage>, usize) {
        let inner = self.shared.lock();
        (inner.sent.iter().skip(from).cloned().collect(), inner.sent.len())
    }

    /// Updates pushed and not yet confirmed by the bot: its backlog.
    pub fn queued_updates(&self) -> usize {
        self.shared.lock().updates.len()
    }

    /// Waits until at least `n` calls of `method` (any case) arrived; returns all of them.
    pub async fn wait_for_requests(&self, method: &str, n: usize) -> Vec<Value> {
        let method = methods::canonical_name(method);
        let what = format!("{n} {method} requests");
        self.wait_until(what, |inner| {
            let calls: Vec<_> = inner
                .requests
                .iter()
                .filter(|(name, _)| *name == method)
                .map(|(_, params)| params.clone())
                .collect();
            (calls.len() >= n).then_some(calls)
        })
        .await
    }

    /// Waits until no request arrived for `quiet_ms` (a held poll is not a request).
    pub async fn wait_idle(&self, quiet_ms: u64) {
        let quiet = Duration::from_millis(quiet_ms);
        let deadline = Instant::now() + self.wait + quiet;
        loop {
            let since = self.shared.lock().last_request_at.elapsed();
            if since >= quiet {
                return;
            }
            if Instant::now() >= deadline {
                let report = self.shared.lock().report();
                panic!(
                    "the bot did not fall quiet for {quiet_ms} ms within {:?}\n{report}",
                    self.wait
                );
            }
            tokio::time::sleep(quiet - since).await;
        }
    }

    /// The parameters of every `answerCallbackQuery`.
    pub fn callback_answers(&self) -> Vec<Value> {
        self.shared.lock().callback_answers.clone()
    }

    /// The parameters of every `setMyCommands` still in force (scope, language, commands).
    pub fn commands_set(&self) -> Vec<Value> {
        self.shared.lock().commands.clone()
    }

    /// Every request as (method as Telegram spells it, parameters), polls included.
    pub fn all_requests(&self) -> Vec<(String, Value)> {
        self.shared.lock().requests.clone()
    }

    /// The offset of the last `getUpdates` with `timeout=0`: teloxide's confirmation on stop.
    pub fn confirmed_offset(&self) -> Option<i64> {
        self.shared.lock().confirmations.last().copied()
    }

    /// Answers the next `times` calls naming `chat_id` with `fault`.
    pub fn fail_chat(&self, chat_id: i64, fault: Fault, times: usize) {
        self.shared.lock().faults.insert(chat_id, (fault, times));
    }

    /// From now on every call naming `chat_id` gets 403: the person blocked the bot.
    pub fn block_chat(&self, chat_id: i64) {
        self.fail_chat(chat_id, Fault::Blocked, usize::MAX);
    }

    /// Lifts whatever fault was scripted for `chat_id`.
    pub fn clear_faults(&self, chat_id: i64) {
        self.shared.lock().faults.remove(&chat_id);
    }

    /// Runs `check` after every change until it returns a value; panics with what the server
    /// received if the wait timeout passes first.
    async fn wait_until<T>(
        &self,
        what: impl Display,
        mut check: impl FnMut(&mut Inner) -> Option<T>,
    ) -> T {
        let deadline = Instant::now() + self.wait;
        let mut events = self.shared.subscribe();
        loop {
            events.borrow_and_update();
            if let Some(found) = check(&mut self.shared.lock()) {
                return found;
            }
            if tokio::time::timeout_at(deadline, events.changed()).await.is_err() {
                let report = self.shared.lock().report();
                panic!("timed out after {:?} waiting for {what}\n{report}", self.wait);
            }
        }
    }
}

impl Drop for FakeBotApi {
    fn drop(&mut self) {
        self.shared.close();
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}
