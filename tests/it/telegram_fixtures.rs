//! Every kind of update Telegram may send, from real samples, reaches the running bot: none
//! makes it panic or stop, and a new client books right after them.

use okno::dialog::Input;
use okno::domain::ids::{ChatKey, UserKey};
use teloxide::types::UpdateKind;

use crate::support::bot_api::{FakeBotApi, SentMessage, user_callback, user_sticker, user_text};
use crate::support::fixtures::fixture_updates;
use crate::support::okno::{RunningBot, STAFF_CHAT, salon_engine, thursday_morning};

const CLIENT: i64 = 720_001;
/// A chat that sends a forged button press and a sticker.
const ODD: i64 = 720_002;

fn press(api: &FakeBotApi, on: &SentMessage, label: &str) {
    let position = on.buttons.iter().flatten().position(|b| b == label);
    let position = position.unwrap_or_else(|| panic!("no {label:?} in {:?}", on.buttons));
    let data = on.callback_data.iter().flatten().nth(position).unwrap();
    api.push_update(user_callback(CLIENT, CLIENT as u64, on.message_id, data));
}

async fn last_to_client(api: &FakeBotApi, n: usize) -> SentMessage {
    api.wait_for_sent(CLIENT, n).await.pop().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_update_kind_stops_the_bot_and_a_new_client_books_after_them_all() {
    let dir = tempfile::tempdir().unwrap();
    let api = FakeBotApi::start().await;
    let bot = RunningBot::spawn(&api, salon_engine(dir.path(), thursday_morning()));

    for (name, mut update) in fixture_updates() {
        let fields = update.as_object_mut().unwrap_or_else(|| panic!("{name}: not an object"));
        fields.remove("update_id");
        api.push_update(update);
    }
    api.push_update(user_callback(ODD, ODD as u64, 1, "forged|data"));
    let forged = api.wait_for_sent(ODD, 1).await;
    assert_eq!(forged[0].text, "Эта кнопка из старого сообщения. Начните заново: /start");
    api.push_update(user_sticker(ODD, ODD as u64));
    let sticker = api.wait_for_sent(ODD, 2).await;
    assert_eq!(sticker[0].text, "Я понимаю только текст и кнопки.");

    api.push_update(user_text(CLIENT, CLIENT as u64, "/start"));
    let question = last_to_client(&api, 2).await;
    press(&api, &question, "Да, впервые");
    let wishes = last_to_client(&api, 1).await;
    press(&api, &wishes, "Пожеланий нет");
    let services = last_to_client(&api, 1).await;
    press(&api, &services, "Мужская стрижка · 1\u{a0}000\u{a0}₽");
    let masters = last_to_client(&api, 1).await;
    press(&api, &masters, "Анна Соколова · 1\u{a0}000\u{a0}₽");
    let days = last_to_client(&api, 1).await;
    press(&api, &days, "пт, 4 декабря");
    let times = last_to_client(&api, 1).await;
    press(&api, &times, "10:00");
    last_to_client(&api, 1).await;
    api.push_update(user_text(CLIENT, CLIENT as u64, "Пётр"));
    let consent = last_to_client(&api, 1).await;
    press(&api, &consent, "Даю согласие");
    last_to_client(&api, 1).await;
    api.push_update(user_text(CLIENT, CLIENT as u64, "+7 (391) 212-34-56"));
    let summary = last_to_client(&api, 2).await;
    press(&api, &summary, "Записаться");
    let booked = last_to_client(&api, 1).await;

    assert!(booked.text.starts_with("Готово, вы записаны!\nМужская стрижка"), "{}", booked.text);
    let staff = api.wait_for_sent(STAFF_CHAT, 1).await;
    assert!(staff[0].text.contains("Клиент: Пётр, +7 391 212-34-56"), "{}", staff[0].text);
    bot.stop().await;
    api.shutdown().await;
}

/// What okno's handlers took from an update when teloxide parsed it: (chat, sender, input).
fn as_teloxide_read_it(raw: &str) -> Option<(ChatKey, Option<UserKey>, Input)> {
    let update: teloxide::types::Update = serde_json::from_str(raw).ok()?;
    match update.kind {
        UpdateKind::Message(msg) => {
            let input = match (msg.text(), msg.contact()) {
                (Some(text), _) => Input::from_text(text),
                (None, Some(contact)) => Input::Contact { phone: contact.phone_number.clone() },
                _ => Input::Unsupported,
            };
            Some((ChatKey(msg.chat.id.0), msg.from.map(|u| UserKey(u.id.0)), input))
        }
        UpdateKind::CallbackQuery(query) => {
            let chat = query.message.as_ref()?.chat().id.0;
            Some((ChatKey(chat), Some(UserKey(query.from.id.0)), Input::Button(query.data?)))
        }
        _ => None,
    }
}

fn group_start(chat: i64) -> (ChatKey, Option<UserKey>, Input) {
    (ChatKey(chat), None, Input::from_text("/start"))
}

#[test]
fn okno_reads_every_sample_update_as_teloxide_did() {
    for (name, mut update) in fixture_updates() {
        // Some samples come without an id; the fake Bot API numbers them the same way.
        let fields = update.as_object_mut().unwrap_or_else(|| panic!("{name}: not an object"));
        fields.entry("update_id").or_insert(1.into());
        let raw = update.to_string();

        let ours: okno::telegram::Update =
            serde_json::from_str(&raw).unwrap_or_else(|e| panic!("{name}: {e}"));
        let ours = ours.incoming().map(|i| (i.chat, i.user, i.input));

        let theirs = match name.as_str() {
            // Library samples with no `message_id`, `date` or `from`: teloxide refused them
            // whole; okno reads the chat and the text it needs (Telegram always sends more).
            "04_message_command_with_botname_group_minimal.json" => Some(group_start(1)),
            "19_message_group_minimal_telegraf.json" => Some(group_start(2)),
            _ => as_teloxide_read_it(&raw),
        };
        assert_eq!(ours, theirs, "case {name}");
    }
}
