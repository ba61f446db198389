//! The fake Bot API against the real teloxide client: a small echo bot is polled, answers texts
//! and button presses, survives every fixture update and stops cleanly.

use std::time::Duration;

use serde_json::{Value, json};
use teloxide::dispatching::{Dispatcher, ShutdownToken, UpdateFilterExt, UpdateHandler};
use teloxide::dptree;
use teloxide::prelude::*;
use teloxide::types::{InlineKeyboardButton, InlineKeyboardMarkup};
use tokio::task::JoinHandle;

use crate::support::bot_api::{
    BOT_ID, BOT_USERNAME, FakeBotApi, Fault, TEST_TOKEN, user_callback, user_contact, user_sticker,
    user_text,
};
use crate::support::fixtures::fixture_updates;

const CHAT: i64 = 100_000_501;
const USER: u64 = 100_000_501;
const STOP_WAIT: Duration = Duration::from_secs(10);

/// The echo bot, running until [`EchoBot::stop`].
struct EchoBot {
    shutdown: ShutdownToken,
    task: JoinHandle<()>,
}

impl EchoBot {
    fn spawn(api: &FakeBotApi) -> Self {
        let mut dispatcher = Dispatcher::builder(api.bot(), echo_schema()).build();
        let shutdown = dispatcher.shutdown_token();
        let task = tokio::spawn(async move { dispatcher.dispatch().await });
        Self { shutdown, task }
    }

    /// `shutdown()` reports "idle" until the dispatcher has started: retry until it accepts.
    /// The future it returns can miss teloxide's wake-up, so the task's end is awaited instead.
    async fn stop(self) {
        let requested = async {
            while self.shutdown.shutdown().is_err() && !self.task.is_finished() {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
        };
        tokio::time::timeout(STOP_WAIT, requested).await.expect("the dispatcher did not stop");
        let finished = tokio::time::timeout(STOP_WAIT, self.task).await;
        finished.expect("the dispatch task did not end").expect("the dispatch task panicked");
    }
}

fn echo_schema() -> UpdateHandler<teloxide::RequestError> {
    dptree::entry()
        .branch(Update::filter_message().endpoint(echo_text))
        .branch(Update::filter_callback_query().endpoint(answer_press))
}

fn again_keyboard() -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Ещё раз", "again")]])
}

async fn echo_text(bot: Bot, message: Message) -> ResponseResult<()> {
    let Some(text) = message.text() else { return Ok(()) };
    bot.send_message(message.chat.id, format!("echo: {text}"))
        .reply_markup(again_keyboard())
        .await?;
    Ok(())
}

async fn answer_press(bot: Bot, press: CallbackQuery) -> ResponseResult<()> {
    bot.answer_callback_query(press.id.clone()).text("ok").await?;
    let (Some(data), Some(message)) = (press.data, press.message) else { return Ok(()) };
    bot.edit_message_text(message.chat().id, message.id(), format!("pressed: {data}"))
        .reply_markup(again_keyboard())
        .await?;
    Ok(())
}

#[tokio::test]
async fn a_text_is_echoed_and_a_press_is_answered_then_the_bot_stops_cleanly() {
    let api = FakeBotApi::start().await;
    let bot = EchoBot::spawn(&api);

    api.push_update(user_text(CHAT, USER, "Привет 👋"));
    let echoed = api.wait_for_sent(CHAT, 1).await;
    let [echo] = echoed.as_slice() else { panic!("one echo expected: {echoed:?}") };
    assert_eq!((echo.method.as_str(), echo.text.as_str()), ("sendMessage", "echo: Привет 👋"));
    assert_eq!(echo.buttons, [["Ещё раз"]]);
    assert_eq!(echo.callback_data, [["again"]]);

    let last_id = api.push_update(user_callback(CHAT, USER, echo.message_id, "again"));
    let answers = api.wait_for_requests("answerCallbackQuery", 1).await;
    assert_eq!(answers[0]["text"], "ok");
    let edited = api.wait_for_sent(CHAT, 1).await;
    assert_eq!(edited[0].method, "editMessageText");
    assert_eq!(
        (edited[0].message_id, edited[0].text.as_str()),
        (echo.message_id, "pressed: again")
    );
    assert_eq!(api.callback_answers().len(), 1);

    bot.stop().await;
    assert_eq!(api.confirmed_offset(), Some(last_id + 1), "the stop confirms the last update");
    api.shutdown().await;
}

#[tokio::test]
async fn every_fixture_update_is_survived_and_a_text_is_still_echoed_after_them() {
    let api = FakeBotApi::start().await;
    let bot = EchoBot::spawn(&api);

    let mut texts_in_fixtures = 0;
    for (name, mut update) in fixture_updates() {
        update
            .as_object_mut()
            .unwrap_or_else(|| panic!("{name}: not an object"))
            .remove("update_id");
        let id = api.push_update(update.clone());
        texts_in_fixtures += usize::from(parses_as_text_message(&update, id));
    }
    let last_id = api.push_update(user_text(CHAT, USER, "после фикстур"));

    let echoed = api.wait_for_sent(CHAT, 1).await;
    assert_eq!(echoed[0].text, "echo: после фикстур");
    api.wait_for_requests("sendMessage", texts_in_fixtures + 1).await;
    api.wait_idle(100).await;
    bot.stop().await;
    assert_eq!(api.confirmed_offset(), Some(last_id + 1), "every update was taken");
    api.shutdown().await;
}

/// Whether teloxide reads `update` as a text message, which the echo bot must answer.
fn parses_as_text_message(update: &Value, id: i64) -> bool {
    let mut update = update.clone();
    update["update_id"] = json!(id);
    let parsed = serde_json::from_str::<Update>(&update.to_string());
    parsed.is_ok_and(|parsed| {
        matches!(&parsed.kind, teloxide::types::UpdateKind::Message(m) if m.text().is_some())
    })
}

#[tokio::test]
async fn a_blocked_chat_gets_403_and_other_chats_are_still_served() {
    let api = FakeBotApi::start().await;
    let bot = EchoBot::spawn(&api);
    let blocked_chat = CHAT + 1;
    api.block_chat(blocked_chat);
    api.fail_chat(CHAT, Fault::RetryAfter(3), 1);

    api.push_update(user_text(blocked_chat, USER + 1, "меня не услышат"));
    api.push_update(user_text(CHAT, USER, "первый"));
    api.push_update(user_text(CHAT, USER, "второй"));

    let echoed = api.wait_for_sent(CHAT, 1).await;
    assert_eq!(echoed[0].text, "echo: второй", "the first send got 429 and was not retried");
    let sends = api.wait_for_requests("sendMessage", 3).await;
    assert!(sends.iter().any(|send| send["chat_id"] == json!(blocked_chat)));
    assert!(api.sent_to(blocked_chat).is_empty(), "a blocked chat receives nothing");
    bot.stop().await;
    // The server is dropped rather than shut down, to cover that path too.
}

#[tokio::test]
async fn the_update_builders_parse_as_the_kinds_teloxide_expects() {
    let cases: [(&str, Value); 4] = [
        ("text", user_text(CHAT, USER, "/start promo")),
        ("contact", user_contact(CHAT, USER, "+79130000000", "Иван")),
        ("callback", user_callback(-1_001_000_000_001, USER, 7, "slot:42")),
        ("sticker", user_sticker(CHAT, USER)),
    ];
    for (case, mut update) in cases {
        update["update_id"] = json!(1);
        let parsed: Update = serde_json::from_str(&update.to_string())
            .unwrap_or_else(|error| panic!("{case}: {error}"));
        let kind_ok = match &parsed.kind {
            teloxide::types::UpdateKind::Message(message) => match case {
                "text" => message.text() == Some("/start promo"),
                "contact" => message.contact().is_some_and(|c| c.phone_number == "+79130000000"),
                _ => message.sticker().is_some(),
            },
            teloxide::types::UpdateKind::CallbackQuery(press) => {
                press.data.as_deref() == Some("slot:42") && press.message.is_some()
            }
            _ => false,
        };
        assert!(kind_ok, "{case}: parsed as {:?}", parsed.kind);
    }
}

#[tokio::test]
async fn methods_are_matched_in_any_case_and_unknown_ones_get_404() {
    let api = FakeBotApi::start().await;
    let client = api.bot();
    let me = client.get_me().await.expect("getMe answers");
    assert_eq!((me.id.0, me.username()), (BOT_ID, BOT_USERNAME));
    client
        .set_my_commands([teloxide::types::BotCommand::new("help", "Помощь")])
        .await
        .expect("setMyCommands answers");
    assert_eq!(api.commands_set()[0]["commands"][0]["command"], "help");
    let commands = client.get_my_commands().await.expect("getMyCommands answers");
    assert_eq!(commands.len(), 1);

    let unknown = client.get_chat(ChatId(CHAT)).await.expect_err("getChat is not faked");
    assert!(unknown.to_string().contains("method not found"), "{unknown}");
    assert!(api.all_requests().iter().any(|(method, _)| method == "GetChat"));

    let photo = teloxide::types::InputFile::memory(vec![0_u8; 16]);
    let upload = client.send_photo(ChatId(CHAT), photo).await.expect_err("uploads are refused");
    assert!(upload.to_string().contains("multipart"), "{upload}");
    assert!(
        api.all_requests().iter().any(|(method, params)| {
            method == "SendPhoto" && params.get("unsupported").is_some()
        })
    );
    assert!(TEST_TOKEN.starts_with(&format!("{BOT_ID}:")));
    api.shutdown().await;
}
