//! okno's own polling loop against the fake Bot API: what it tells Telegram when it stops, how
//! it gets past a batch that does not read, a webhook in the way, other bots' commands, and a
//! staff group that moved.

use std::time::Duration;

use serde_json::json;

use crate::support::bot_api::{BOT_USERNAME, FakeBotApi, Fault, user_text};
use crate::support::client_flow::{Client, booking_steps};
use crate::support::okno::{
    OWNER, RunningBot, STAFF_CHAT, bot_api, salon_engine, thursday_morning,
};

const GREETING: &str = "Здравствуйте! Это Салон красоты «Ель». Запишу вас за минуту.";

#[tokio::test]
async fn a_stop_confirms_every_update_taken_so_a_restart_does_not_answer_them_again() {
    let dir = tempfile::tempdir().unwrap();
    let api = FakeBotApi::start().await;
    let bot = RunningBot::spawn(&api, salon_engine(dir.path(), thursday_morning()));

    api.push_update(user_text(801, 801, "/start"));
    let last = api.push_update(user_text(802, 802, "/start"));
    assert_eq!(api.wait_for_sent(801, 2).await[0].text, GREETING);
    assert_eq!(api.wait_for_sent(802, 2).await[0].text, GREETING);
    bot.stop().await;

    assert_eq!(api.confirmed_offset(), Some(last + 1));
    assert_eq!(api.queued_updates(), 0, "nothing is left for the next start");
    api.shutdown().await;
}

#[tokio::test]
async fn a_batch_with_an_unreadable_update_is_read_one_by_one_and_the_rest_are_answered() {
    let dir = tempfile::tempdir().unwrap();
    let api = FakeBotApi::start().await;
    // Queued before the bot starts, so its first poll takes all three in one batch.
    api.push_update(user_text(811, 811, "/start"));
    let mut broken = user_text(812, 812, "/start");
    broken["update_id"] = json!(2.5);
    api.push_raw_update(broken);
    let mut after = user_text(813, 813, "/start");
    after["update_id"] = json!(3);
    api.push_update(after);

    let bot = RunningBot::spawn(&api, salon_engine(dir.path(), thursday_morning()));
    assert_eq!(api.wait_for_sent(811, 2).await[0].text, GREETING);
    assert_eq!(api.wait_for_sent(813, 2).await[0].text, GREETING);
    api.wait_idle(100).await;
    bot.stop().await;

    assert!(api.sent_to(812).is_empty(), "an update without a usable id is skipped");
    assert_eq!(api.confirmed_offset(), Some(4), "polling moved past the batch");
    api.shutdown().await;
}

#[tokio::test]
async fn a_stop_confirms_at_once_even_while_a_reply_waits_out_a_429() {
    let dir = tempfile::tempdir().unwrap();
    let api = FakeBotApi::start().await;
    let engine = salon_engine(dir.path(), thursday_morning());
    let (polling, stop) = okno::telegram::polling(api.bot(), bot_api(&api), engine);
    let task = tokio::spawn(polling.run());
    api.fail_chat(821, Fault::RetryAfter(25), 10);

    let last = api.push_update(user_text(821, 821, "/start"));
    api.wait_for_requests("sendMessage", 1).await;
    stop.stop();

    for _ in 0..100 {
        if api.confirmed_offset() == Some(last + 1) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(api.confirmed_offset(), Some(last + 1), "confirmed before the chat is done");
    assert!(!task.is_finished(), "the chat still waits out its 429");
    task.abort();
    api.shutdown().await;
}

#[tokio::test]
async fn dropping_the_stop_handle_does_not_stop_polling() {
    let dir = tempfile::tempdir().unwrap();
    let api = FakeBotApi::start().await;
    let engine = salon_engine(dir.path(), thursday_morning());
    let (polling, stop) = okno::telegram::polling(api.bot(), bot_api(&api), engine);
    drop(stop);
    let task = tokio::spawn(polling.run());

    api.push_update(user_text(831, 831, "/start"));

    assert_eq!(api.wait_for_sent(831, 2).await[0].text, GREETING);
    task.abort();
    api.shutdown().await;
}

#[tokio::test]
async fn a_webhook_set_before_or_during_polling_is_removed_and_polling_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    let api = FakeBotApi::start().await;
    api.set_webhook("https://old.example/hook");
    let bot = RunningBot::spawn(&api, salon_engine(dir.path(), thursday_morning()));

    api.push_update(user_text(841, 841, "/start"));
    assert_eq!(api.wait_for_sent(841, 2).await[0].text, GREETING);
    assert!(!api.has_webhook(), "removed at start");

    // The poll held open when the webhook appears still answers; the next one meets it.
    api.set_webhook("https://other.example/hook");
    api.push_update(user_text(842, 842, "/start"));
    api.wait_for_sent(842, 2).await;
    api.push_update(user_text(843, 843, "/start"));
    assert_eq!(api.wait_for_sent(843, 2).await[0].text, GREETING);
    assert!(!api.has_webhook(), "removed when a poll met it");
    bot.stop().await;
    api.shutdown().await;
}

#[tokio::test]
async fn a_command_for_another_bot_in_the_staff_chat_gets_no_answer() {
    let dir = tempfile::tempdir().unwrap();
    let api = FakeBotApi::start().await;
    let bot = RunningBot::spawn(&api, salon_engine(dir.path(), thursday_morning()));

    api.push_update(user_text(STAFF_CHAT, OWNER, "/today@other_bot"));
    api.push_update(user_text(STAFF_CHAT, OWNER, &format!("/today@{BOT_USERNAME}")));

    let sent = api.wait_for_sent(STAFF_CHAT, 1).await;
    assert!(sent[0].text.starts_with("чт, 3 декабря"), "{:?}", sent[0].text);
    api.wait_idle(200).await;
    assert_eq!(api.sent_to(STAFF_CHAT).len(), 1, "only the command for okno is answered");
    bot.stop().await;
    api.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn when_the_staff_group_becomes_a_supergroup_notices_follow_it() {
    let dir = tempfile::tempdir().unwrap();
    let api = FakeBotApi::start().await;
    let bot = RunningBot::spawn(&api, salon_engine(dir.path(), thursday_morning()));
    let supergroup = -1_009_999_999_999;
    api.fail_chat(STAFF_CHAT, Fault::Migrated(supergroup), 100);

    let mut client = Client::new(&api, 851);
    for step in booking_steps(0, 0) {
        client.take(&step).await;
    }

    assert!(client.is_booked());
    let notice = api.wait_for_sent(supergroup, 1).await;
    assert!(notice[0].text.starts_with("Новая запись"), "{:?}", notice[0].text);
    assert!(api.sent_to(STAFF_CHAT).is_empty());
    bot.stop().await;
    api.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crowd_arriving_at_once_gets_every_reply_under_telegrams_send_limit() {
    let dir = tempfile::tempdir().unwrap();
    let mut api = FakeBotApi::start().await;
    api.set_wait_timeout(Duration::from_secs(20));
    api.limit_sends(30);
    let engine = salon_engine(dir.path(), thursday_morning());
    // okno's default pace: a margin under Telegram's limit, as arrivals jitter.
    let bot = RunningBot::spawn_paced(&api, engine, 25);

    let crowd: Vec<i64> = (861..901).collect();
    for &chat in &crowd {
        api.push_update(user_text(chat, chat as u64, "/start"));
    }

    for &chat in &crowd {
        let sent = api.wait_for_sent(chat, 2).await;
        assert_eq!(sent[0].text, GREETING, "chat {chat}");
    }
    // Paced, no send is refused; a stall of the test machine can bunch a few, sent again.
    let sends = api.all_requests().iter().filter(|(m, _)| m == "sendMessage").count();
    assert!((80..=84).contains(&sends), "80 messages in {sends} sends");
    bot.stop().await;
    api.shutdown().await;
}
