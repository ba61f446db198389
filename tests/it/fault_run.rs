//! The fault run: several clients book at once while the fake Bot API throttles one chat (429),
//! is blocked by another (403), and answers others slowly, with 400s on edits or with dropped
//! connections, in a pattern drawn from a seed. Nothing may be lost, nothing may panic, the
//! clean chats need no extra round trips, and a 429 delays a reply but never drops it.
//!
//! `OKNO_FAULT_SEED=<n>` replays a run; the seed is printed at the start of each run.

use std::time::Duration;

use crate::support::bot_api::{FakeBotApi, Fault, user_text};
use crate::support::client_flow::{BOOKED_PREFIX, Client, Step, booking_steps};
use crate::support::okno::{RunningBot, STAFF_CHAT, salon_engine, thursday_morning};
use crate::support::{panics, seed};

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

/// What the seed makes of a client.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Role {
    /// No faults: the yardstick for the others' speed.
    Clean,
    /// 429s with `retry_after` at some steps.
    Throttled,
    /// Blocks the bot just before the last press, so the booking is taken but not confirmed.
    Blocked,
    /// Slow answers, dropped connections and 400s on edits at some steps.
    Flaky,
}

const CLIENTS: usize = 8;
const FIRST_CHAT: i64 = 720_001;

/// The roles of the clients in chat order: one throttled, one blocked, three flaky.
fn roles(rng: &mut fastrand::Rng) -> Vec<Role> {
    let mut roles = vec![Role::Clean; CLIENTS];
    let mut order: Vec<usize> = (0..CLIENTS).collect();
    rng.shuffle(&mut order);
    roles[order[0]] = Role::Throttled;
    roles[order[1]] = Role::Blocked;
    for &i in &order[2..5] {
        roles[i] = Role::Flaky;
    }
    roles
}

/// The fault (if any) scripted for the call after this step's update, and how many calls get it.
fn fault_for(role: Role, step: &Step, rng: &mut fastrand::Rng) -> Option<Fault> {
    match role {
        Role::Clean | Role::Blocked => None,
        Role::Throttled => (rng.f32() < 0.3).then_some(Fault::RetryAfter(1)),
        Role::Flaky if rng.f32() < 0.5 => match rng.u8(0..3) {
            0 => Some(Fault::Slow(Duration::from_millis(rng.u64(20..300)))),
            1 => Some(Fault::Dropped),
            // A 400 on a new message would lose it for good, as in Telegram: edits only.
            _ if step.edits => Some(Fault::BadRequest),
            _ => Some(Fault::Slow(Duration::from_millis(rng.u64(20..300)))),
        },
        Role::Flaky => None,
    }
}

/// Calls the bot made naming `chat` (sends and edits, answered or failed).
fn calls_to(api: &FakeBotApi, chat: i64) -> usize {
    let names_chat = |params: &serde_json::Value| params["chat_id"].as_i64() == Some(chat);
    api.all_requests().iter().filter(|(_, params)| names_chat(params)).count()
}

/// One client's booking under its role, its faults drawn from its own stream of the seed.
async fn run_client(api: &FakeBotApi, i: usize, role: Role, seed: u64) -> Client<'_> {
    let mut rng = fastrand::Rng::with_seed(seed ^ (i as u64 + 1).wrapping_mul(0x9e37_79b9));
    let steps = booking_steps(i, 0);
    let last = steps.len() - 1;
    let mut client = Client::new(api, FIRST_CHAT + i as i64);
    // The throttled chat gets at least one 429, at a step the seed picks.
    let throttled_at = rng.usize(0..steps.len());

    for (n, step) in steps.iter().enumerate() {
        if role == Role::Blocked && n == last {
            // The person blocks the bot, then taps «Записаться» on the screen still open.
            api.block_chat(client.chat);
            client.act(step.action);
            break;
        }
        let forced = (role == Role::Throttled && n == throttled_at).then_some(Fault::RetryAfter(1));
        if let Some(fault) = forced.or_else(|| fault_for(role, step, &mut rng)) {
            api.fail_chat(client.chat, fault, 1);
        }
        client.take(step).await;
    }
    client
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clients_book_at_once_while_telegram_throttles_blocks_and_drops() {
    let seed = seed::seed("fault run", "OKNO_FAULT_SEED");
    let roles = roles(&mut fastrand::Rng::with_seed(seed));
    println!("roles by chat from {FIRST_CHAT}: {roles:?}");
    let panics_before = panics::outside_tests();
    let dir = tempfile::tempdir().unwrap();
    let mut api = FakeBotApi::start().await;
    api.set_wait_timeout(Duration::from_secs(30));
    let engine = salon_engine(dir.path(), thursday_morning());
    let bot = RunningBot::spawn(&api, engine.clone());

    let runs = roles.iter().enumerate().map(|(i, &role)| run_client(&api, i, role, seed));
    let clients = futures_util::future::join_all(runs).await;
    api.wait_idle(500).await;

    let steps = booking_steps(0, 0);
    let clean_messages: usize = steps.iter().map(|s| s.replies).sum();
    for (client, role) in clients.iter().zip(&roles) {
        let chat = client.chat;
        match role {
            Role::Blocked => assert!(!client.is_booked(), "chat {chat} blocked the bot"),
            _ => assert!(client.is_booked(), "chat {chat} ({role:?}) was not told it is booked"),
        }
        if *role == Role::Clean {
            let calls = calls_to(&api, chat);
            assert_eq!(calls, clean_messages, "chat {chat}: a clean chat needs no extra calls");
        }
        if *role != Role::Blocked {
            assert_eq!(
                client.received.len(),
                clean_messages,
                "chat {chat} ({role:?}): every reply"
            );
        }
    }

    let bookings = engine.store().active_bookings_from(thursday_morning()).unwrap();
    assert_eq!(bookings.len(), CLIENTS, "every client, the blocked one too, holds a booking");
    for booking in &bookings {
        let chat = engine.store().chat_for_client(booking.client).unwrap().expect("a chat").0;
        let i = usize::try_from(chat - FIRST_CHAT).expect("a client's chat");
        let told = clients[i].received.iter().any(|m| m.text.starts_with(BOOKED_PREFIX));
        assert!(told || roles[i] == Role::Blocked, "chat {chat}: booked but never told");
    }
    let staff = api.wait_for_sent(STAFF_CHAT, bookings.len()).await;
    assert_eq!(staff.len(), api.sent_to(STAFF_CHAT).len(), "one staff notice per booking");

    bot.stop().await;
    api.shutdown().await;
    assert_eq!(panics::outside_tests(), panics_before, "nothing outside the tests panicked");
}
