//! What the fake server remembers: queued updates, every request, the messages the bot sent and
//! the faults a test scripted. One mutex guards it; a watch channel wakes whoever waits on it.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde_json::Value;
use tokio::sync::watch;
use tokio::time::{Duration, Instant};

use super::{Fault, SentMessage};

pub(super) struct Shared {
    inner: Mutex<Inner>,
    events: watch::Sender<u64>,
}

impl Shared {
    pub(super) fn new() -> Self {
        Self { inner: Mutex::new(Inner::new()), events: watch::Sender::new(0) }
    }

    /// A test that panicked while holding the lock must not hide its message behind a poison one.
    pub(super) fn lock(&self) -> MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Wakes every waiter: long polls, `wait_for_*` and the server's shutdown.
    pub(super) fn notify(&self) {
        self.events.send_modify(|n| *n = n.wrapping_add(1));
    }

    pub(super) fn subscribe(&self) -> watch::Receiver<u64> {
        self.events.subscribe()
    }

    pub(super) fn record(&self, method: &str, params: &Value) {
        let mut inner = self.lock();
        inner.requests.push((method.to_owned(), params.clone()));
        inner.last_request_at = Instant::now();
        drop(inner);
        self.notify();
    }

    pub(super) fn close(&self) {
        self.lock().closed = true;
        self.notify();
    }
}

/// A message the bot sent, as the fake keeps it to answer later edits.
pub(super) struct StoredMessage {
    pub(super) text: String,
    pub(super) markup: Value,
}

pub(super) struct Inner {
    /// Pushed and not yet confirmed by an `offset`, in id order.
    pub(super) updates: Vec<Value>,
    pub(super) last_update_id: i64,
    pub(super) requests: Vec<(String, Value)>,
    pub(super) last_request_at: Instant,
    pub(super) sent: Vec<SentMessage>,
    /// Per chat, how many of its sent messages `wait_for_sent` has already returned.
    pub(super) sent_cursor: HashMap<i64, usize>,
    pub(super) last_message_id: HashMap<i64, i64>,
    pub(super) messages: HashMap<(i64, i64), StoredMessage>,
    pub(super) commands: Vec<Value>,
    pub(super) callback_answers: Vec<Value>,
    /// Per chat, the fault to answer with and how many more requests get it.
    pub(super) faults: HashMap<i64, (Fault, usize)>,
    /// The offsets of `getUpdates` calls with `timeout=0`: teloxide's confirmation on shutdown.
    pub(super) confirmations: Vec<i64>,
    /// A webhook URL, as if another setup had set one: polls then fail with 409.
    pub(super) webhook: Option<String>,
    /// Telegram's limit on new messages across all chats, per second, when a test sets one.
    pub(super) sends_per_second: Option<usize>,
    /// When the `sendMessage` calls of the last second were taken.
    pub(super) recent_sends: std::collections::VecDeque<Instant>,
    pub(super) closed: bool,
}

impl Inner {
    fn new() -> Self {
        Self {
            updates: Vec::new(),
            last_update_id: 0,
            requests: Vec::new(),
            last_request_at: Instant::now(),
            sent: Vec::new(),
            sent_cursor: HashMap::new(),
            last_message_id: HashMap::new(),
            messages: HashMap::new(),
            commands: Vec::new(),
            callback_answers: Vec::new(),
            faults: HashMap::new(),
            confirmations: Vec::new(),
            webhook: None,
            sends_per_second: None,
            recent_sends: std::collections::VecDeque::new(),
            closed: false,
        }
    }

    pub(super) fn next_message_id(&mut self, chat_id: i64) -> i64 {
        let id = self.last_message_id.entry(chat_id).or_insert(0);
        *id += 1;
        *id
    }

    /// Telegram forgets every update below a positive offset; `-n` keeps only the last `n`.
    pub(super) fn confirm(&mut self, offset: i64) {
        if offset > 0 {
            self.updates.retain(|update| update_id(update) >= offset);
        } else if offset < 0 {
            let keep = usize::try_from(offset.unsigned_abs()).unwrap_or(usize::MAX);
            let drop = self.updates.len().saturating_sub(keep);
            self.updates.drain(..drop);
        }
    }

    /// Takes one use of the fault scripted for `chat_id`, if any.
    /// Whether one more `sendMessage` now would go over the limit a test set; a send within
    /// it is counted.
    pub(super) fn over_send_limit(&mut self) -> bool {
        let Some(limit) = self.sends_per_second else { return false };
        let now = Instant::now();
        while self.recent_sends.front().is_some_and(|at| now - *at >= Duration::from_secs(1)) {
            self.recent_sends.pop_front();
        }
        if self.recent_sends.len() >= limit {
            return true;
        }
        self.recent_sends.push_back(now);
        false
    }

    pub(super) fn take_fault(&mut self, chat_id: i64) -> Option<Fault> {
        let (fault, left) = self.faults.get_mut(&chat_id)?;
        let fault = fault.clone();
        *left = left.saturating_sub(1);
        if *left == 0 {
            self.faults.remove(&chat_id);
        }
        Some(fault)
    }

    pub(super) fn sent_to(&self, chat_id: i64) -> Vec<SentMessage> {
        self.sent.iter().filter(|sent| sent.chat_id == chat_id).cloned().collect()
    }

    /// What the server saw, for a timeout's panic message: every request but the polls.
    pub(super) fn report(&self) -> String {
        let polls = self.requests.iter().filter(|(method, _)| method == "getUpdates").count();
        let others: Vec<_> =
            self.requests.iter().filter(|(method, _)| method != "getUpdates").collect();
        let mut report = format!("received {polls} getUpdates and {} other requests", others.len());
        let skipped = others.len().saturating_sub(40);
        if skipped > 0 {
            let _ = write!(report, " (the first {skipped} left out)");
        }
        for (method, params) in &others[skipped..] {
            let _ = write!(report, "\n  {method} {params}");
        }
        report
    }
}

pub(super) fn update_id(update: &Value) -> i64 {
    update["update_id"].as_i64().unwrap_or_default()
}
