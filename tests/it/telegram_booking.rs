//! A whole booking over the real Bot API protocol: the real teloxide client polls a fake Bot API
//! server on 127.0.0.1; the client taps buttons and types; the exact texts and keyboards that the
//! client and the staff chat receive are checked; then the bot restarts on the same data dir.

use serde_json::Value;

use crate::support::bot_api::{FakeBotApi, SentMessage, user_callback, user_contact, user_text};
use crate::support::okno::{RunningBot, STAFF_CHAT, salon_engine, thursday_morning};

const CLIENT: i64 = 700_001;

fn press(api: &FakeBotApi, on: &SentMessage, label: &str) {
    let data = on
        .buttons
        .iter()
        .flatten()
        .zip(on.callback_data.iter().flatten())
        .find(|(text, _)| text.as_str() == label)
        .map(|(_, data)| data.clone())
        .unwrap_or_else(|| panic!("no button {label:?} in {:?}", on.buttons));
    api.push_update(user_callback(CLIENT, CLIENT as u64, on.message_id, &data));
}

fn rows(labels: &[&[&str]]) -> Vec<Vec<String>> {
    labels.iter().map(|row| row.iter().map(|s| s.to_string()).collect()).collect()
}

/// Waits for one message or edit to the client and returns it.
async fn next(api: &FakeBotApi) -> SentMessage {
    api.wait_for_sent(CLIENT, 1).await.remove(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_books_a_free_slot_over_the_bot_api_and_it_survives_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let api = FakeBotApi::start().await;
    let engine = salon_engine(dir.path(), thursday_morning());
    okno::telegram::register_commands(&api.bot(), engine.business(), engine.texts())
        .await
        .expect("command menus are registered");
    let bot = RunningBot::spawn(&api, engine);

    api.push_update(user_text(CLIENT, CLIENT as u64, "/start ig_stories"));
    let sent = api.wait_for_sent(CLIENT, 2).await;
    assert_eq!(sent[0].text, "Здравствуйте! Это Салон красоты «Ель». Запишу вас за минуту.");
    assert_eq!(sent[1].text, "Вы у нас впервые?");
    assert_eq!(sent[1].buttons, rows(&[&["Да, впервые"], &["Нет, уже были"]]));

    press(&api, &sent[1], "Да, впервые");
    let wishes = next(&api).await;
    assert_eq!(wishes.method, "editMessageText", "a press edits the message it was on");
    assert_eq!(wishes.message_id, sent[1].message_id);
    assert_eq!(wishes.text, "Есть пожелания к мастеру? Напишите их или нажмите «Пожеланий нет».");

    api.push_update(user_text(CLIENT, CLIENT as u64, "Покороче, пожалуйста"));
    let services = next(&api).await;
    assert_eq!(services.text, "Выберите услугу:");
    assert_eq!(services.buttons.len(), 10);
    assert_eq!(services.buttons[0], ["Женская стрижка · 1\u{a0}800\u{a0}₽"]);
    assert_eq!(services.buttons[3], ["Укладка · от 1\u{a0}500\u{a0}₽"]);

    press(&api, &services, "Укладка · от 1\u{a0}500\u{a0}₽");
    let masters = next(&api).await;
    assert_eq!(masters.text, "Укладка. К кому записать?");
    assert_eq!(
        masters.buttons,
        rows(&[
            &["Анна Соколова · 1\u{a0}500\u{a0}₽"],
            &["Марина Лебедева · 1\u{a0}800\u{a0}₽"],
            &["Любой мастер · от 1\u{a0}500\u{a0}₽"]
        ])
    );

    press(&api, &masters, "Марина Лебедева · 1\u{a0}800\u{a0}₽");
    let days = next(&api).await;
    assert_eq!(days.text, "Выберите день:");
    assert_eq!(days.buttons[0], ["чт, 3 декабря", "пт, 4 декабря"]);

    press(&api, &days, "пт, 4 декабря");
    let times = next(&api).await;
    assert_eq!(times.text, "пт, 4 декабря, 1\u{a0}800\u{a0}₽. Выберите время:");
    assert_eq!(times.buttons[0], ["11:00", "11:30", "12:00", "12:30"]);
    assert_eq!(times.buttons.last().unwrap(), &["← Другой день"]);

    press(&api, &times, "11:00");
    assert_eq!(next(&api).await.text, "Как к вам обращаться?");

    api.push_update(user_text(CLIENT, CLIENT as u64, "Ирина"));
    let consent = next(&api).await;
    assert_eq!(
        consent.text,
        "Чтобы записать вас, Салон красоты «Ель» сохранит ваше имя и телефон. Это нужно только \
         для записи и напоминаний.\nПолитика обработки персональных данных: \
         https://el-salon24.ru/privacy\nСогласны?"
    );
    assert_eq!(consent.buttons, rows(&[&["Даю согласие", "Нет"]]));

    press(&api, &consent, "Даю согласие");
    let ask_phone = next(&api).await;
    assert_eq!(ask_phone.method, "sendMessage", "a contact request cannot be an edit");
    assert!(ask_phone.request_contact);
    assert_eq!(ask_phone.reply_keyboard, rows(&[&["Отправить мой номер"]]));

    api.push_update(user_text(CLIENT, CLIENT as u64, "8 800 555-35-35"));
    let refused = api.wait_for_sent(CLIENT, 2).await;
    assert_eq!(
        refused[0].text,
        "Не получилось принять этот номер. Нужен мобильный или городской номер России, \
         например +7 913 123-45-67. Если такого номера нет, позвоните нам: +7 391 205-41-17"
    );
    assert!(refused[1].request_contact, "the phone is asked again");

    api.push_update(user_contact(CLIENT, CLIENT as u64, "79131234567", "Ирина"));
    let after_phone = api.wait_for_sent(CLIENT, 2).await;
    assert_eq!(after_phone[0].text, "Спасибо, номер сохранён.");
    assert_eq!(after_phone[0].raw["reply_markup"]["remove_keyboard"], Value::Bool(true));
    let summary = &after_phone[1];
    assert_eq!(
        summary.text,
        "Проверьте запись:\nУкладка, мастер Марина Лебедева\nпт, 4 декабря, 11:00\n\
         Стоимость: 1\u{a0}800\u{a0}₽\nАдрес: г. Красноярск, ул. Карла Маркса, 93, 1 этаж"
    );
    assert_eq!(summary.buttons, rows(&[&["Записаться", "Изменить"]]));

    press(&api, summary, "Записаться");
    let booked = next(&api).await;
    assert_eq!(
        booked.text,
        "Готово, вы записаны!\nУкладка, мастер Марина Лебедева\nпт, 4 декабря, 11:00\n\
         Стоимость: 1\u{a0}800\u{a0}₽\nАдрес: г. Красноярск, ул. Карла Маркса, 93, 1 этаж\n\
         Если планы изменятся, отмените запись в «Мои записи»."
    );
    assert_eq!(booked.buttons, rows(&[&["Мои записи", "Записаться ещё"]]));

    let staff = api.wait_for_sent(STAFF_CHAT, 1).await;
    assert_eq!(
        staff[0].text,
        "Новая запись\nУкладка, мастер Марина Лебедева\nпт, 4 декабря, 11:00, 1\u{a0}800\u{a0}₽\n\
         Клиент: Ирина, +7 913 123-45-67\nИсточник: ig_stories\n\
         Впервые — Да, впервые\n\
         Пожелания — Покороче, пожалуйста"
    );

    // A double tap on «Записаться»: nothing is booked twice, and the booking is shown again.
    press(&api, summary, "Записаться");
    let again = next(&api).await;
    assert_eq!(again.method, "editMessageText");
    assert!(again.text.starts_with("Вы уже записаны:\nУкладка, мастер Марина Лебедева\n"));
    api.wait_idle(200).await;
    assert_eq!(api.sent_to(STAFF_CHAT).len(), 1, "one booking, one staff notice");
    let answers = api.callback_answers();
    assert!(answers.iter().any(|a| a["text"] == "Вы уже записаны"), "{answers:?}");

    bot.stop().await;
    api.shutdown().await;

    // The restart: a new process would see the same data dir.
    let api = FakeBotApi::start().await;
    let engine = salon_engine(dir.path(), thursday_morning());
    let bot = RunningBot::spawn(&api, engine);
    api.push_update(user_text(CLIENT, CLIENT as u64, "/my"));
    let mine = next(&api).await;
    assert_eq!(
        mine.text,
        "Ваши записи:\n• пт, 4 декабря, 11:00 — Укладка, мастер Марина Лебедева, 1\u{a0}800\u{a0}₽"
    );
    assert_eq!(mine.buttons, rows(&[&["Отменить пт, 4 декабря, 11:00"], &["Записаться"]]));
    bot.stop().await;
    api.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_menus_are_registered_for_clients_and_for_each_staff_member() {
    let dir = tempfile::tempdir().unwrap();
    let api = FakeBotApi::start().await;
    let engine = salon_engine(dir.path(), thursday_morning());

    okno::telegram::register_commands(&api.bot(), engine.business(), engine.texts())
        .await
        .expect("command menus are registered");

    let set = api.commands_set();
    assert_eq!(set.len(), 4, "clients, then the owner and two managers: {set:?}");
    let names = |v: &Value| -> Vec<String> {
        v["commands"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["command"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(names(&set[0]), ["start", "book", "my", "cancel", "forget", "help"]);
    assert_eq!(set[1]["scope"]["type"], "chat");
    assert_eq!(set[1]["scope"]["chat_id"], 401_234_567);
    assert_eq!(names(&set[1])[6..], ["today", "tomorrow"]);
    api.shutdown().await;
}
