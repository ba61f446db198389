//! Which times and masters a client is offered and may take: a time another client took
//! meanwhile leads to fresh times, «любой мастер» books a free master at their own price, no
//! time clashes with the client's own visit, and a time that passed is called passed.

use std::sync::Arc;

use chrono::Duration;
use okno::dialog::{Engine, Input};
use okno::domain::ids::ChatKey;

use crate::support::okno::{
    Person, SALON, salon_engine, salon_engine_with_clock, thursday_morning,
};

const MANICURE: &str = "Маникюр классический · 1\u{a0}200\u{a0}₽";
const OLGA: &str = "Ольга Ким · 1\u{a0}200\u{a0}₽";

/// From a booking just made to Friday's times for a manicure with Olga.
fn manicure_times_on_friday(client: &mut Person) {
    for label in ["Записаться ещё", MANICURE, OLGA, "пт, 4 декабря"] {
        client.press(label);
    }
}

#[test]
fn a_time_taken_while_the_client_gives_a_phone_leads_to_fresh_times_not_a_dead_summary() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let mut slow = Person::new(&engine, 1101);
    slow.reach_haircut_summary("пт, 4 декабря", "15:00", "Клиент", "+7 913 000-00-01");
    let mut second = Person::new(&engine, 1102);
    second.say("/start");
    second.press("Да, впервые");
    second.press("Пожеланий нет");
    second.press("Женская стрижка · 1\u{a0}800\u{a0}₽");
    second.press("Анна Соколова · 1\u{a0}800\u{a0}₽");
    second.press("пт, 4 декабря");
    second.press("15:00");
    second.say("Второй клиент");
    second.press("Даю согласие");

    slow.press("Записаться");
    second.say("+7 913 000-00-02");

    let texts = second.texts();
    assert_eq!(
        texts[..2],
        ["Спасибо, номер сохранён.", "Увы, это время только что заняли. Вот что свободно сейчас:"]
    );
    assert_eq!(texts[2], "пт, 4 декабря, 1\u{a0}800\u{a0}₽. Выберите время:");
    let times: Vec<String> = second.labels().concat();
    assert!(
        times.contains(&"16:30".to_string()) && !times.contains(&"15:00".to_string()),
        "{times:?}"
    );
    second.press("16:30");
    assert!(second.texts()[0].starts_with("Проверьте запись"), "{:?}", second.texts());
}

#[test]
fn any_master_shows_the_lowest_price_and_books_the_first_free_master_at_their_price() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let from = "от 1\u{a0}500\u{a0}₽";

    let booked: Vec<String> = [601, 602]
        .into_iter()
        .map(|chat| {
            let mut client = Person::new(&engine, chat);
            client.say("/start");
            client.press("Да, впервые");
            client.press("Пожеланий нет");
            client.press(&format!("Укладка · {from}"));
            client.press(&format!("Любой мастер · {from}"));
            client.press("пт, 4 декабря");
            assert_eq!(client.texts(), [format!("пт, 4 декабря, {from}. Выберите время:")]);
            client.press("12:00");
            client.say("Вера");
            client.press("Даю согласие");
            client.say("+7 913 111-22-33");
            client.press("Записаться");
            client.texts()[0].clone()
        })
        .collect();

    assert!(booked[0].contains("Укладка, мастер Анна Соколова"), "{}", booked[0]);
    assert!(booked[0].contains("Стоимость: 1\u{a0}500\u{a0}₽"), "{}", booked[0]);
    assert!(booked[1].contains("Укладка, мастер Марина Лебедева"), "{}", booked[1]);
    assert!(booked[1].contains("Стоимость: 1\u{a0}800\u{a0}₽"), "{}", booked[1]);
}

#[test]
fn a_second_service_is_not_offered_at_the_time_of_the_clients_own_visit() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 2001);
    client.book_haircut("пт, 4 декабря", "12:00", "Ирина", "+7 913 123-45-67");

    manicure_times_on_friday(&mut client);

    let times: Vec<String> = client.labels().concat();
    for clashing in ["11:15", "11:30", "11:45", "12:00", "12:15", "12:30", "12:45"] {
        assert!(!times.iter().any(|t| t == clashing), "{clashing} clashes: {times:?}");
    }
    for free in ["11:00", "13:30"] {
        assert!(times.iter().any(|t| t == free), "{free} is free for the client: {times:?}");
    }
}

#[test]
fn a_booking_that_would_clash_with_the_clients_own_visit_is_refused_at_confirmation() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 2002);
    client.book_haircut("пт, 4 декабря", "15:00", "Ирина", "+7 913 123-45-67");
    manicure_times_on_friday(&mut client);
    client.press("12:00");
    let manicure_summary: okno::dialog::state::ClientDialog =
        engine.store().load_dialog(ChatKey(2002)).unwrap().unwrap();
    let book_manicure = client.button_data("Записаться");

    // The same client takes 12:00 for a haircut first (another device, or a dialog rolled back
    // by a crash), then presses the manicure's «Записаться».
    client.say("/start");
    let haircut = ["Женская стрижка · 1\u{a0}800\u{a0}₽", "Анна Соколова · 1\u{a0}800\u{a0}₽"];
    for label in haircut.into_iter().chain(["пт, 4 декабря", "12:00", "Записаться"])
    {
        client.press(label);
    }
    engine.store().save_dialog(ChatKey(2002), &manicure_summary).unwrap();
    client.send(Input::Button(book_manicure));

    let texts = client.texts();
    assert_eq!(
        texts[0],
        "В это время у вас уже есть запись: пт, 4 декабря, 12:00 — Женская стрижка. \
         Выберите другое время:"
    );
    assert!(texts[1].starts_with("пт, 4 декабря, 1\u{a0}200\u{a0}₽. Выберите время:"), "{texts:?}");
    let client_id = engine.store().client_for_chat(ChatKey(2002)).unwrap().unwrap();
    let services: Vec<String> = engine
        .store()
        .client_bookings(client_id)
        .unwrap()
        .iter()
        .map(|b| b.service.0.to_string())
        .collect();
    assert_eq!(services, ["haircut_women", "haircut_women"], "no manicure was booked");
}

#[test]
fn a_time_that_passed_while_the_summary_waited_is_called_passed_not_taken() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, clock) = salon_engine_with_clock(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 2003);
    client.reach_haircut_summary("чт, 3 декабря", "11:00", "Ирина", "+7 913 123-45-67");

    clock.set(thursday_morning() + Duration::hours(3));
    client.press("Записаться");

    assert_eq!(
        client.texts()[0],
        "Это время уже прошло или до него слишком мало времени. Вот что свободно сейчас:"
    );
}

/// The sample salon where Anna's styling takes 90 minutes (Marina's takes 60).
fn salon_with_long_styling_at_anna(dir: &std::path::Path) -> Engine {
    let salon = std::fs::read_to_string(SALON).unwrap();
    let anna_override = r#"{ service = "coloring", price_rub = 4500 },"#;
    let longer =
        format!("{anna_override}\n    {{ service = \"styling\", duration_minutes = 90 }},");
    let file = dir.join("salon.toml");
    std::fs::write(&file, salon.replacen(anna_override, &longer, 1)).unwrap();
    let biz = okno::config::load::load_business(&file).unwrap();
    let texts = okno::app::load_texts(None).unwrap();
    let store = okno::store::Store::open(&dir.join("data")).unwrap();
    let clock = Arc::new(okno::clock::ManualClock::new(thursday_morning()));
    Engine::new(Arc::new(biz), Arc::new(texts), store, clock)
}

#[test]
fn any_master_takes_the_one_whose_slot_leaves_the_clients_own_visit_clear() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_with_long_styling_at_anna(dir.path());
    let mut client = Person::new(&engine, 2004);
    client.say("/start");
    for label in ["Да, впервые", "Пожеланий нет", MANICURE, OLGA, "пт, 4 декабря", "12:00"]
    {
        client.press(label);
    }
    client.say("Ирина");
    client.press("Даю согласие");
    client.say("+7 913 123-45-67");
    client.press("Записаться");

    client.press("Записаться ещё");
    client.press("Укладка · от 1\u{a0}500\u{a0}₽");
    let any = client.labels().concat().into_iter().find(|l| l.starts_with("Любой")).unwrap();
    client.press(&any);
    client.press("пт, 4 декабря");
    // Anna comes first in the file, but her 90 minutes from 11:00 would run into the manicure.
    client.press("11:00");

    let summary = &client.texts()[0];
    assert!(
        summary.starts_with("Проверьте запись:\nУкладка, мастер Марина Лебедева\n"),
        "{summary}"
    );
}
