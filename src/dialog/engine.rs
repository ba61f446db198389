//! The dialog engine: one input in, what to show out. Both transports call `handle`.
//! It loads the chat's state, runs the step's handler, saves the state, and turns any
//! failure into a kind message for the person and a cause chain for the log.

use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use anyhow::Context;
use chrono::{DateTime, Utc};
use tokio::sync::Notify;

use super::client;
use super::input::{Incoming, Input};
use super::limiter::{RateLimiter, Verdict};
use super::open::OpenDialogs;
use super::screen::{Outbox, Screen};
use super::staff;
use super::state::ClientDialog;
use crate::clock::Clock;
use crate::config::business::Business;
use crate::domain::ids::{ChatKey, UserKey};
use crate::store::{Store, StoreError};
use crate::texts::{Arg, Texts};

/// Everything a conversation needs, shared by all chats.
pub struct Engine {
    pub(crate) biz: Arc<Business>,
    pub(crate) texts: Arc<Texts>,
    pub(crate) store: Store,
    clock: Arc<dyn Clock>,
    limiter: RateLimiter,
    /// Wakes the staff-notice sender when a booking change queued a notice.
    notices_queued: Notify,
    /// Service and specialist buttons, formatted on first use.
    labels: OnceLock<client::Labels>,
    /// Conversations in progress as last saved (see [`OpenDialogs`]).
    open_dialogs: Mutex<OpenDialogs>,
}

/// One input being handled: who, when, and what goes out.
pub(crate) struct Turn {
    pub chat: ChatKey,
    pub user: Option<UserKey>,
    pub now: DateTime<Utc>,
    pub out: Outbox,
    /// Set when the chat's state was erased (`/forget`) and must not be written back.
    pub erased: bool,
}

impl Turn {
    pub fn reply(&mut self, screen: Screen) {
        self.out.replies.push(screen);
    }
}

impl Engine {
    pub fn new(biz: Arc<Business>, texts: Arc<Texts>, store: Store, clock: Arc<dyn Clock>) -> Self {
        let limiter = RateLimiter::default();
        let (notices_queued, labels) = (Notify::new(), OnceLock::new());
        let open_dialogs = Mutex::default();
        Engine { biz, texts, store, clock, limiter, notices_queued, labels, open_dialogs }
    }

    /// No limit on how fast a chat may write: for the terminal, where the one person typing (or
    /// a script piping a long session) is the operator, not a flood to fend off.
    pub fn without_rate_limit(mut self) -> Self {
        self.limiter = RateLimiter::off();
        self
    }

    /// Resolves when a staff notice may have been queued since the last call.
    pub async fn notices_queued(&self) {
        self.notices_queued.notified().await;
    }

    /// Tells the sender that a notice waits; a signal with no one waiting is kept for later.
    pub(crate) fn signal_notices(&self) {
        self.notices_queued.notify_one();
    }

    pub fn business(&self) -> &Business {
        &self.biz
    }

    pub fn biz_arc(&self) -> Arc<Business> {
        Arc::clone(&self.biz)
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn texts(&self) -> &Texts {
        &self.texts
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    pub(crate) fn labels(&self) -> &client::Labels {
        self.labels.get_or_init(|| client::Labels::new(self))
    }

    /// Handles one input and puts what it wrote on disk before returning. Never fails: a
    /// broken step answers with a kind message.
    pub fn handle(&self, msg: Incoming) -> Outbox {
        let mut outbox = self.handle_unflushed(msg);
        if outbox.must_flush {
            let flushed = self.store.flush();
            self.flushed(&mut outbox, flushed);
        }
        outbox
    }

    /// Handles one input without the flush: when `must_flush` is set, the caller flushes
    /// (`Store::flush_async`) and reports it to [`Engine::flushed`] before anything is
    /// delivered. This lets an async transport wait for the disk without holding a thread,
    /// and lets one flush serve many chats.
    pub fn handle_unflushed(&self, msg: Incoming) -> Outbox {
        let durable_before = self.store.durable_writes();
        let mut outbox = self.turn(msg);
        outbox.must_flush = self.store.durable_writes() != durable_before;
        outbox
    }

    /// Settles a flush the caller ran for `outbox`: on failure nothing it says may be
    /// delivered, since it may tell of writes the disk does not hold.
    pub fn flushed(&self, outbox: &mut Outbox, result: Result<(), StoreError>) {
        outbox.must_flush = false;
        if let Err(err) = result {
            tracing::error!(cause = %err, "flush before replying failed");
            *outbox = Outbox::default();
            outbox.replies.push(Screen::text(self.t("error-generic")));
        }
    }

    fn turn(&self, msg: Incoming) -> Outbox {
        let now = self.clock.now();
        let mut turn =
            Turn { chat: msg.chat, user: msg.user, now, out: Outbox::default(), erased: false };

        match self.limiter.check(msg.chat, now) {
            Verdict::Allow => {}
            Verdict::WarnOnce => {
                tracing::info!(chat = msg.chat.0, "chat over the rate limit");
                turn.reply(Screen::text(self.t("too-fast")));
                return turn.out;
            }
            Verdict::Ignore => return turn.out,
        }

        if let Err(err) = self.dispatch(&mut turn, msg.input) {
            tracing::error!(chat = msg.chat.0, cause = format!("{err:#}"), "input failed");
            turn.out.replies.clear();
            turn.reply(Screen::text(self.t("error-generic")));
        }
        turn.out
    }

    fn dispatch(&self, turn: &mut Turn, input: Input) -> anyhow::Result<()> {
        if let Input::Command { name, args } = &input
            && staff::is_staff_command(name)
            && turn.user.is_some_and(|u| self.biz.is_staff(u))
        {
            return staff::handle_command(self, turn, name, args);
        }
        if turn.chat.0 < 0 {
            // Group chats (the staff chat) get staff commands only; the bot stays quiet otherwise.
            return Ok(());
        }

        let mut dialog = self.load_dialog(turn.chat)?;
        client::handle(self, turn, &mut dialog, input)?;

        if turn.erased {
            self.open_dialogs().forget(turn.chat);
            return Ok(());
        }
        self.store.save_dialog(turn.chat, &dialog).context("saving the dialog")?;
        self.open_dialogs().saved(turn.chat, dialog, turn.now);
        Ok(())
    }

    fn load_dialog(&self, chat: ChatKey) -> anyhow::Result<ClientDialog> {
        if let Some(open) = self.open_dialogs().get(chat) {
            return Ok(open.clone());
        }
        let saved = self.store.load_dialog(chat).context("loading the dialog")?;
        Ok(saved.unwrap_or_default())
    }

    fn open_dialogs(&self) -> MutexGuard<'_, OpenDialogs> {
        // A map of plain values, whole after any panic.
        self.open_dialogs.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// A text by key.
    pub(crate) fn t(&self, key: &str) -> String {
        self.texts.get(key)
    }

    /// A text by key with arguments. The business's word for its specialists is always
    /// offered as `$specialist`, so texts can say «врач» or «тренер» where a salon says «мастер».
    pub(crate) fn tf(&self, key: &str, args: &[(&str, Arg)]) -> String {
        let mut all = args.to_vec();
        all.push(("specialist", Arg::from(self.biz.business.specialist.clone())));
        self.texts.fmt(key, &all)
    }
}
