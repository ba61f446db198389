//! The client and staff dialogs driven through the engine, as either transport would: what a
//! person sees at each step, and the rules that must hold whatever they type or tap.

use std::sync::{Arc, Barrier};

use okno::dialog::Input;
use okno::domain::ids::ChatKey;

use crate::support::okno::{Person, salon_engine, salon_engine_with_clock, thursday_morning};

const NBSP_PRICE: &str = "1\u{a0}800\u{a0}₽";

#[test]
fn a_sticker_where_text_is_expected_gets_a_kind_reprompt_of_the_same_step() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 501);
    client.say("/start");
    client.press("Да, впервые");

    client.send(Input::Unsupported);

    assert_eq!(
        client.texts(),
        [
            "Я понимаю только текст и кнопки.",
            "Есть пожелания к мастеру? Напишите их или нажмите «Пожеланий нет»."
        ]
    );
    client.press("Пожеланий нет");
    assert_eq!(client.texts(), ["Выберите услугу:"], "the dialog goes on from the same step");
}

#[test]
fn a_button_from_an_old_message_asks_to_start_again_and_books_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 502);
    client.say("/start");
    let old_answer = client.button_data("Да, впервые");
    client.press("Да, впервые");

    client.send(Input::Button(old_answer));

    assert_eq!(client.texts(), ["Эта кнопка из старого сообщения. Начните заново: /start"]);
    assert_eq!(client.last.button_note.as_deref(), Some("Кнопка устарела"));
    assert!(client.last.keep_origin, "the message the old button was on stays as it was");
}

#[test]
fn a_double_tap_on_book_makes_one_booking_and_shows_it_again() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 503);
    client.reach_haircut_summary("пт, 4 декабря", "12:00", "Ирина", "+7 913 123-45-67");
    let book = client.button_data("Записаться");

    client.send(Input::Button(book.clone()));
    // Also what a client does whose «Готово» never arrived (Telegram refused it, or okno died
    // between the booking and the reply): the summary still shows «Записаться».
    client.send(Input::Button(book));

    let texts = client.texts();
    assert_eq!(texts.len(), 1, "{texts:?}");
    assert!(texts[0].starts_with("Вы уже записаны:\nЖенская стрижка, мастер Анна Соколова\n"));
    assert_eq!(client.last.button_note.as_deref(), Some("Вы уже записаны"));
    assert!(!client.last.keep_origin, "the old summary becomes the confirmation");
    assert_eq!(client.labels(), [["Мои записи", "Записаться ещё"]]);
    client.say("/my");
    assert_eq!(
        client.texts(),
        [format!(
            "Ваши записи:\n\
             • пт, 4 декабря, 12:00 — Женская стрижка, мастер Анна Соколова, {NBSP_PRICE}"
        )]
    );
    let client_id = engine.store().client_for_chat(ChatKey(503)).unwrap().unwrap();
    assert_eq!(engine.store().client_bookings(client_id).unwrap().len(), 1);
}

#[test]
fn an_old_book_button_with_no_booking_behind_it_is_only_stale() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 504);
    client.reach_haircut_summary("пт, 4 декабря", "12:00", "Ирина", "+7 913 123-45-67");
    let book = client.button_data("Записаться");
    client.say("/start");

    client.send(Input::Button(book));

    assert_eq!(client.texts(), ["Эта кнопка из старого сообщения. Начните заново: /start"]);
    let client_id = engine.store().client_for_chat(ChatKey(504)).unwrap().unwrap();
    assert!(engine.store().client_bookings(client_id).unwrap().is_empty());
}

#[test]
fn a_typed_option_label_answers_a_question_and_a_typed_menu_label_opens_it() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 1201);
    client.say("/start");

    client.say("нет, уже были");
    assert_eq!(
        client.texts(),
        ["Есть пожелания к мастеру? Напишите их или нажмите «Пожеланий нет»."]
    );
    client.say("Пожеланий нет");
    assert!(client.texts()[0].starts_with("Выберите услугу"), "{:?}", client.texts());

    client.say("/cancel");
    assert_eq!(client.texts(), ["Хорошо, запись прервана.", "Чем могу помочь?"]);
    client.say("/cancel");
    assert_eq!(client.texts(), ["Чем могу помочь?"], "nothing left to call off");
    client.say("/forget");
    client.say("/cancel");
    assert_eq!(client.texts(), ["Хорошо, ничего не удаляю.", "Чем могу помочь?"]);
    client.say("Мои записи");
    assert_eq!(client.texts(), ["Предстоящих записей нет."]);
}

#[test]
fn where_a_free_answer_is_welcome_the_start_of_a_label_is_an_answer_kept_without_direction_marks() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 1202);
    client.say("/start");
    client.press("Да, впервые");

    client.say("По\u{202E}");
    client.haircut_from_services("пт, 4 декабря", "15:00", "Клиент", "+7 913 000-00-03");
    client.press("Записаться");

    let client_id = engine.store().client_for_chat(ChatKey(1202)).unwrap().unwrap();
    let booking = engine.store().client_bookings(client_id).unwrap().remove(0);
    let answers: Vec<(String, String)> = booking.answers.clone();
    assert_eq!(
        answers,
        [("first_visit".into(), "Да, впервые".into()), ("wishes".into(), "По".into())]
    );
}

#[test]
fn of_fifty_clients_confirming_one_slot_at_once_exactly_one_is_booked() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let chats: Vec<i64> = (1000..1050).collect();
    let mut ready = Vec::new();
    for &chat in &chats {
        let mut client = Person::new(&engine, chat);
        client.reach_haircut_summary("пт, 4 декабря", "15:00", "Клиент", "+7 913 000-00-00");
        ready.push((chat, client.button_data("Записаться")));
    }

    let barrier = Arc::new(Barrier::new(chats.len()));
    let outcomes: Vec<Vec<String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = ready
            .into_iter()
            .map(|(chat, data)| {
                let (engine, barrier) = (&engine, Arc::clone(&barrier));
                scope.spawn(move || {
                    let mut client = Person::new(engine, chat);
                    barrier.wait();
                    client.send(Input::Button(data));
                    client.texts()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("no panic")).collect()
    });

    let won = outcomes.iter().filter(|t| t[0].starts_with("Готово, вы записаны!")).count();
    let told_kindly = outcomes
        .iter()
        .filter(|t| t[0] == "Увы, это время только что заняли. Вот что свободно сейчас:")
        .count();
    assert_eq!((won, told_kindly), (1, 49), "{outcomes:?}");
    let losers_see_fresh_times =
        outcomes.iter().filter(|t| t.len() == 2 && t[1].starts_with("пт, 4 декабря")).count();
    assert_eq!(losers_see_fresh_times, 49);
    let active = engine.store().active_bookings_from(thursday_morning()).unwrap();
    assert_eq!(active.len(), 1);
}

#[test]
fn a_client_may_hold_only_the_configured_number_of_active_bookings() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, clock) = salon_engine_with_clock(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 701);
    client.book_haircut("пт, 4 декабря", "12:00", "Ирина", "+7 913 123-45-67");
    // A person takes a minute or more per booking; keep under the per-chat rate limit.
    let mut minutes = 0;
    let mut a_minute_later = || {
        minutes += 2;
        clock.set(thursday_morning() + chrono::Duration::minutes(minutes));
    };
    for time in ["15:00", "16:30"] {
        a_minute_later();
        client.press("Записаться ещё");
        client.press(&format!("Женская стрижка · {NBSP_PRICE}"));
        client.press(&format!("Анна Соколова · {NBSP_PRICE}"));
        client.press("пт, 4 декабря");
        client.press(time);
        assert!(
            client.texts()[0].starts_with("Проверьте запись:"),
            "known client skips to summary"
        );
        client.press("Записаться");
    }

    a_minute_later();
    client.press("Записаться ещё");

    assert_eq!(
        client.texts()[0],
        "У вас уже 3 активные записи — больше сразу нельзя. \
         Отмените одну из них или дождитесь визита."
    );
}

#[test]
fn typing_a_label_works_like_tapping_it_when_it_names_one_button() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 1401);
    client.say("/start");
    client.press("Да, впервые");
    client.press("Пожеланий нет");

    client.say("укладка");
    assert_eq!(client.texts(), ["Укладка. К кому записать?"]);
    client.say("марина");
    client.say("пт, 4 декабря");
    client.say("1");
    assert_eq!(client.texts()[0], "Выберите вариант кнопкой ниже.", "every time starts with 1");
    client.say("15:30");
    assert_eq!(client.texts(), ["Как к вам обращаться?"]);
}

#[test]
fn a_returning_client_is_greeted_by_name_and_not_asked_the_first_visit_question() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 1501);
    client.book_haircut("пт, 4 декабря", "12:00", "Ирина", "+7 913 123-45-67");

    client.say("/start");

    assert_eq!(
        client.texts(),
        ["Здравствуйте, Ирина! Это Салон красоты «Ель». Запишу вас за минуту.", "Выберите услугу:"]
    );
}

#[test]
fn help_in_the_middle_of_a_booking_answers_and_shows_the_step_again() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 1601);
    client.say("/start");
    client.press("Да, впервые");
    client.press("Пожеланий нет");

    client.say("/help");

    let texts = client.texts();
    assert!(texts[0].starts_with("Я записываю на услуги"), "{texts:?}");
    assert_eq!(texts[1], "Выберите услугу:");
    client.press("Укладка · от 1\u{a0}500\u{a0}₽");
    assert_eq!(client.texts(), ["Укладка. К кому записать?"], "the new buttons work");
}

#[test]
fn a_clinic_says_doctor_where_a_salon_says_master() {
    let dir = tempfile::tempdir().unwrap();
    let biz = okno::config::load::load_business(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("data/dental.toml"),
    )
    .unwrap();
    let texts = okno::app::load_texts(None).unwrap();
    let store = okno::store::Store::open(dir.path()).unwrap();
    let clock = Arc::new(okno::clock::ManualClock::new(thursday_morning()));
    let engine = okno::dialog::Engine::new(Arc::new(biz), Arc::new(texts), store, clock);
    let mut client = Person::new(&engine, 1701);
    client.say("/start");
    while client.texts().last().is_some_and(|t| !t.starts_with("Выберите услугу")) {
        let first = client.labels()[0][0].clone();
        client.press(&first);
    }
    let service = client.labels()[0][0].clone();

    client.press(&service);

    let any = client.labels().last().unwrap()[0].clone();
    assert!(any.starts_with("Любой врач · "), "{any}");
}

#[test]
fn a_confirmation_replayed_after_a_crash_rolled_the_dialog_back_shows_the_booking_made() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 1801);
    client.reach_haircut_summary("пт, 4 декабря", "12:00", "Ирина", "+7 913 123-45-67");
    let at_summary: okno::dialog::state::ClientDialog =
        engine.store().load_dialog(ChatKey(1801)).unwrap().unwrap();
    let book = client.button_data("Записаться");
    client.send(Input::Button(book.clone()));

    // The crash: the booking reached the disk, the dialog state did not.
    engine.store().save_dialog(ChatKey(1801), &at_summary).unwrap();
    client.send(Input::Button(book));

    assert!(
        client.texts()[0].starts_with("Готово, вы записаны!\nЖенская стрижка"),
        "{:?}",
        client.texts()
    );
    let client_id = engine.store().client_for_chat(ChatKey(1801)).unwrap().unwrap();
    assert_eq!(engine.store().client_bookings(client_id).unwrap().len(), 1);
}

#[test]
fn only_turns_that_tell_of_a_durable_write_ask_the_transport_to_flush_first() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 530);
    client.reach_haircut_summary("пт, 4 декабря", "12:00", "Ирина", "+7 913 123-45-67");
    let chat = ChatKey(530);
    let user = Some(okno::domain::ids::UserKey(530));
    let turn = |input| engine.handle_unflushed(okno::dialog::Incoming { chat, user, input });

    let booked = turn(Input::Button(client.button_data("Записаться")));
    let browsing = turn(Input::from_text("/help"));

    assert!(booked.must_flush, "a booking is on disk before «Готово» goes out");
    assert!(booked.replies[0].text.starts_with("Готово, вы записаны"));
    assert!(!browsing.must_flush, "a step that wrote only dialog state waits for no disk");
    assert!(!client.last.must_flush, "`handle` flushed for its caller");
}
