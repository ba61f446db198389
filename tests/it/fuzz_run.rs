//! The fuzz run: random and mutated updates (see `support::fuzz_updates`) are read as okno's
//! polling reads them and fed to the dialog engine in process, then pushed through the real
//! HTTP path to the running bot. Nothing may panic, and every fuzzed chat must still answer
//! /start with the greeting afterwards (no dialog left in a state it cannot leave).
//!
//! `OKNO_FUZZ_SEED=<n>` replays a run; `OKNO_FUZZ_CASES` sizes the in-process part and
//! `OKNO_FUZZ_HTTP_CASES` the HTTP part.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Arc;

use chrono::Duration;
use okno::clock::ManualClock;
use okno::config::load::load_business;
use okno::dialog::{Engine, Incoming, Input, Outbox};
use okno::domain::ids::{ChatKey, UserKey};
use okno::store::Store;
use okno::telegram::Update;
use serde_json::Value;

use crate::support::bot_api::{FakeBotApi, user_text};
use crate::support::client_flow::{Client, booking_steps};
use crate::support::fuzz_updates::UpdateFuzzer;
use crate::support::okno::{RunningBot, SALON, STAFF_CHAT, salon_engine, thursday_morning};
use crate::support::{panics, seed};

const GREETING: &str = "Здравствуйте! Это Салон красоты «Ель». Запишу вас за минуту.";

/// 50 private chats and two groups, the staff chat among them.
fn chat_pool(first: i64, private: i64) -> Vec<i64> {
    let mut chats: Vec<i64> = (first..first + private).collect();
    chats.extend([STAFF_CHAT, -1_009_999_999_999]);
    chats
}

/// The engine on the sample salon with its clock, so the run can move time on.
fn engine_with_clock(dir: &Path) -> (Engine, Arc<ManualClock>) {
    let biz = load_business(Path::new(SALON)).expect("the sample salon loads");
    let texts = okno::app::load_texts(None).expect("built-in texts pass the check");
    let store = Store::open(dir).expect("the store opens");
    let clock = Arc::new(ManualClock::new(thursday_morning()));
    let engine = Engine::new(Arc::new(biz), Arc::new(texts), store, clock.clone());
    (engine, clock)
}

fn button_data(outbox: &Outbox) -> impl Iterator<Item = &str> {
    outbox.replies.iter().flat_map(|s| s.buttons.iter().flatten()).map(|b| b.data.as_str())
}

/// Update kinds teloxide knows that okno does not subscribe to. okno's polling asks only for
/// `message` and `callback_query` (`allowed_updates`), so Telegram never sends these. okno reads
/// them as nothing to handle; the HTTP part still leaves them out, as Telegram would.
const NOT_SUBSCRIBED: &[&str] = &[
    "edited_message",
    "channel_post",
    "edited_channel_post",
    "business_connection",
    "business_message",
    "edited_business_message",
    "deleted_business_messages",
    "message_reaction",
    "message_reaction_count",
    "inline_query",
    "chosen_inline_result",
    "shipping_query",
    "pre_checkout_query",
    "purchased_paid_media",
    "poll",
    "poll_answer",
    "my_chat_member",
    "chat_member",
    "chat_join_request",
    "chat_boost",
    "removed_chat_boost",
];

/// Whether Telegram would deliver the update to okno: a subscribed kind, or one nobody knows.
fn telegram_would_send(update: &Value) -> bool {
    let fields = update.as_object().into_iter().flatten();
    let mut kinds = fields.map(|(key, _)| key.as_str()).filter(|key| *key != "update_id");
    !kinds.any(|kind| NOT_SUBSCRIBED.contains(&kind))
}

#[derive(Debug, Default)]
struct Tally {
    cases: usize,
    not_subscribed: usize,
    parsed: usize,
    handled: usize,
    panics: usize,
}

/// One fuzzed update through parsing and the engine; panics are caught and counted.
fn run_case(engine: &Engine, fuzzer: &mut UpdateFuzzer, mut raw: Value, tally: &mut Tally) {
    tally.cases += 1;
    if !telegram_would_send(&raw) {
        tally.not_subscribed += 1;
    }
    if let Some(fields) = raw.as_object_mut() {
        fields.insert("update_id".to_owned(), tally.cases.into());
    }
    let text = raw.to_string();
    let parsed = catch_unwind(|| serde_json::from_str::<Update>(&text));
    let Ok(parsed) = parsed else {
        tally.panics += 1;
        return;
    };
    let Some(incoming) = parsed.ok().and_then(|update| update.incoming()) else { return };
    tally.parsed += 1;
    match catch_unwind(AssertUnwindSafe(|| engine.handle(incoming))) {
        Ok(outbox) => {
            tally.handled += 1;
            button_data(&outbox).for_each(|data| fuzzer.saw_button(data));
        }
        Err(_) => tally.panics += 1,
    }
}

/// Every private chat of the pool, an hour later (past the rate limit), answers /start.
fn assert_every_chat_greets(engine: &Engine, clock: &ManualClock, chats: &[i64]) {
    clock.set(engine.now() + Duration::hours(1));
    for &chat in chats.iter().filter(|&&chat| chat > 0) {
        let start = Incoming {
            chat: ChatKey(chat),
            user: Some(UserKey(chat.unsigned_abs())),
            input: Input::from_text("/start"),
        };
        let outbox = engine.handle(start);
        let first = outbox.replies.first().map(|s| s.text.as_str());
        assert_eq!(first, Some(GREETING), "chat {chat} is stuck after the fuzz");
    }
}

#[test]
fn fuzzed_updates_never_panic_the_parser_or_the_engine_nor_leave_a_dialog_stuck() {
    let seed = seed::seed("fuzz run, in process", "OKNO_FUZZ_SEED");
    let cases = seed::count("OKNO_FUZZ_CASES", 100_000);
    let dir = tempfile::tempdir().unwrap();
    let (engine, clock) = engine_with_clock(dir.path());
    let mut fuzzer = UpdateFuzzer::new(seed, chat_pool(810_001, 50));
    let mut tally = Tally::default();

    let started = std::time::Instant::now();
    for _ in 0..cases {
        // A second per update: each chat stays under the rate limit, and days go by.
        clock.set(engine.now() + Duration::seconds(1));
        let raw = fuzzer.next_update();
        run_case(&engine, &mut fuzzer, raw, &mut tally);
    }
    let bookings = engine.store().active_bookings_from(thursday_morning()).unwrap().len();
    println!("{tally:?}, {bookings} bookings, in {:?}", started.elapsed());

    assert_eq!(tally.panics, 0, "{tally:?}");
    assert!(tally.handled > cases / 10, "too few updates reached the engine: {tally:?}");
    assert_every_chat_greets(&engine, &clock, &fuzzer.chats);
}

/// Waits (bounded) until the chat got `n` more messages than it had.
async fn greets_again(api: &FakeBotApi, chat: i64) {
    let already = api.sent_to(chat).len();
    if already > 0 {
        api.wait_for_sent(chat, already).await;
    }
    api.push_update(user_text(chat, chat.unsigned_abs(), "/start"));
    let sent = api.wait_for_sent(chat, 2).await;
    assert_eq!(sent[0].text, GREETING, "chat {chat} is stuck after the fuzz");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fuzzed_updates_over_http_leave_the_bot_running_and_booking() {
    let seed = seed::seed("fuzz run, over HTTP", "OKNO_FUZZ_SEED");
    let cases = seed::count("OKNO_FUZZ_HTTP_CASES", 2_000);
    let panics_before = panics::outside_tests();
    let dir = tempfile::tempdir().unwrap();
    let mut api = FakeBotApi::start().await;
    api.set_wait_timeout(std::time::Duration::from_secs(60));
    let engine = salon_engine(dir.path(), thursday_morning());
    let bot = RunningBot::spawn(&api, engine);
    // Many chats, so that no chat passes the engine's rate limit on the stopped clock.
    let mut fuzzer = UpdateFuzzer::new(seed, chat_pool(830_001, 200));

    let mut pushed = 0;
    while pushed < cases {
        let update = fuzzer.next_update();
        if telegram_would_send(&update) {
            api.push_update(update);
            pushed += 1;
        }
    }
    api.wait_idle(500).await;

    // teloxide names the kinds on its first poll; Telegram keeps them for the later ones.
    let mut polls = api.all_requests().into_iter().filter(|(method, _)| method == "getUpdates");
    let first = polls.next().map(|(_, params)| params["allowed_updates"].clone());
    let mut allowed: Vec<String> = serde_json::from_value(first.unwrap_or_default()).unwrap();
    allowed.sort();
    assert_eq!(allowed, ["callback_query", "message"], "what okno subscribes to");

    let mut client = Client::new(&api, 840_001);
    for step in booking_steps(0, 0) {
        client.take(&step).await;
    }
    assert!(client.is_booked(), "a new client books after the fuzz");
    for &chat in fuzzer.chats.iter().filter(|&&chat| chat > 0) {
        greets_again(&api, chat).await;
    }

    bot.stop().await;
    api.shutdown().await;
    assert_eq!(panics::outside_tests(), panics_before, "nothing outside the tests panicked");
}
