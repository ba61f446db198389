//! Each chat's updates one after another, in the order they came, and different chats side by
//! side: a task serves a chat while its queue has updates, so an idle chat costs nothing.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use tokio::task::JoinSet;

use super::handlers::{self, Context};
use super::updates::Update;

/// Updates one chat may have waiting; past that a flood's extra updates are dropped, so one
/// chat can neither grow memory without end nor hold the others back.
const MAX_WAITING_PER_CHAT: usize = 64;

/// The chats with updates in hand, and the tasks serving them.
pub(super) struct Chats {
    queues: Arc<Queues>,
    tasks: JoinSet<()>,
    ctx: Arc<Context>,
}

impl Chats {
    pub(super) fn new(ctx: Arc<Context>) -> Self {
        Chats { queues: Arc::default(), tasks: JoinSet::new(), ctx }
    }

    /// Hands `update` to its chat's queue, starting a task for the chat when it had none.
    pub(super) fn dispatch(&mut self, update: Update) {
        let key = update.chat_key();
        let Some(first) = self.queues.push(key, update) else { return };
        let turn = ChatTurn { queues: Arc::clone(&self.queues), key };
        let ctx = Arc::clone(&self.ctx);
        self.tasks.spawn(async move { turn.serve(&ctx, first).await });
    }

    /// Lets go of finished tasks, then waits while more than `limit` updates are in hand
    /// (queued, or being handled by a chat's task).
    pub(super) async fn settle(&mut self, limit: usize) {
        while self.tasks.try_join_next().is_some() {}
        while self.queues.waiting() + self.tasks.len() > limit {
            if self.tasks.join_next().await.is_none() {
                return;
            }
        }
    }

    /// Lets the chats finish the updates they hold, for at most `limit`; the replies still
    /// unsent then are cut off (a 429 may ask for half a minute) and counted in the log.
    pub(super) async fn drain(&mut self, limit: Duration) {
        let all_done = async { while self.tasks.join_next().await.is_some() {} };
        if tokio::time::timeout(limit, all_done).await.is_ok() {
            return;
        }
        let chats = self.tasks.len();
        self.tasks.abort_all();
        tracing::warn!(chats, "stopping: replies still being sent were cut off");
    }
}

/// Updates waiting per chat. A chat is here only while a task serves it.
#[derive(Default)]
struct Queues(Mutex<HashMap<i64, Queue>>);

#[derive(Default)]
struct Queue {
    waiting: VecDeque<Update>,
    /// Updates dropped since the chat's task started: a flood is logged once, with a count.
    dropped: usize,
}

impl Queues {
    fn lock(&self) -> MutexGuard<'_, HashMap<i64, Queue>> {
        // Plain queues, whole after any panic.
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Queues `update`, or returns it when the chat had no task and one must start with it.
    fn push(&self, key: i64, update: Update) -> Option<Update> {
        let mut queues = self.lock();
        let queue = match queues.entry(key) {
            Entry::Vacant(vacant) => {
                vacant.insert(Queue::default());
                return Some(update);
            }
            Entry::Occupied(occupied) => occupied.into_mut(),
        };
        if queue.waiting.len() >= MAX_WAITING_PER_CHAT {
            queue.dropped += 1;
            if queue.dropped == 1 {
                tracing::info!(chat = key, "chat flooding; its further updates are dropped");
            }
            return None;
        }
        queue.waiting.push_back(update);
        None
    }

    /// The chat's next update; with none left the chat leaves the map.
    fn next(&self, key: i64) -> Option<Update> {
        let mut queues = self.lock();
        let queue = queues.get_mut(&key)?;
        if let Some(next) = queue.waiting.pop_front() {
            return Some(next);
        }
        if queue.dropped > 0 {
            tracing::info!(chat = key, dropped = queue.dropped, "chat flood over");
        }
        queues.remove(&key);
        None
    }

    /// Updates waiting in all chats, besides the ones being handled.
    fn waiting(&self) -> usize {
        self.lock().values().map(|queue| queue.waiting.len()).sum()
    }
}

/// The task serving one chat until its queue is empty.
struct ChatTurn {
    queues: Arc<Queues>,
    key: i64,
}

impl ChatTurn {
    async fn serve(&self, ctx: &Context, first: Update) {
        let mut update = first;
        loop {
            handle(ctx, &update).await;
            match self.queues.next(self.key) {
                Some(next) => update = next,
                None => return,
            }
        }
    }
}

impl Drop for ChatTurn {
    /// A handler that panicked leaves the chat free for a new task, so the chat is not stuck;
    /// the updates it had waiting are dropped with it.
    fn drop(&mut self) {
        if !std::thread::panicking() {
            return;
        }
        let dropped = self.queues.lock().remove(&self.key).map_or(0, |q| q.waiting.len());
        tracing::error!(chat = self.key, dropped, "a handler panicked; the chat starts afresh");
    }
}

async fn handle(ctx: &Context, update: &Update) {
    match (&update.message, &update.callback_query) {
        (Some(message), _) => handlers::on_message(ctx, message).await,
        (None, Some(query)) => handlers::on_callback(ctx, query).await,
        (None, None) => tracing::debug!(update = update.update_id, "nothing to handle; skipped"),
    }
}
