//! What the dialogs leave behind and who may see it: cancellations and their staff notices,
//! `/forget`, staff rights by sender, the per-chat rate limit, and leads.

use okno::dialog::Engine;
use okno::domain::ids::ChatKey;
use okno::store::EventKind;

use crate::support::okno::{
    OWNER, Person, STAFF_CHAT, salon_engine, salon_engine_with_clock, thursday_morning,
};

#[test]
fn a_cancelled_booking_frees_its_time_and_staff_are_told() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 801);
    client.book_haircut("пт, 4 декабря", "12:00", "Ирина", "+7 913 123-45-67");
    client.press("Мои записи");

    client.press("Отменить пт, 4 декабря, 12:00");
    assert_eq!(
        client.texts(),
        ["Отменить запись пт, 4 декабря, 12:00 — Женская стрижка, мастер Анна Соколова?"]
    );
    client.press("Да, отменить");

    assert_eq!(
        client.texts()[0],
        "Запись отменена: пт, 4 декабря, 12:00 — Женская стрижка, мастер Анна Соколова."
    );
    let notices = drain_staff_notices(&engine);
    assert_eq!(notices.len(), 2);
    assert_eq!(
        notices[1],
        "Клиент отменил запись\nЖенская стрижка, мастер Анна Соколова\nпт, 4 декабря, 12:00\n\
         Клиент: Ирина, +7 913 123-45-67"
    );
    let mut other = Person::new(&engine, 802);
    other.book_haircut("пт, 4 декабря", "12:00", "Олег", "+7 913 765-43-21");
    assert!(other.texts()[0].starts_with("Готово, вы записаны!"), "the time is free again");
}

#[test]
fn a_cancel_inside_the_late_window_asks_for_a_call_and_shows_the_bookings_again() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, clock) = salon_engine_with_clock(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 702);
    client.book_haircut("пт, 4 декабря", "12:00", "Ирина", "+7 913 123-45-68");
    // Friday 10:00 in Krasnoyarsk: two hours before the visit, inside the 3-hour window.
    clock.set("2026-12-04T03:00:00Z".parse().unwrap());

    client.press("Мои записи");
    client.press("Отменить пт, 4 декабря, 12:00");

    let texts = client.texts();
    assert_eq!(
        texts[0],
        "До визита меньше 3 часов — отменить через бота уже нельзя. \
         Позвоните нам, пожалуйста: +7 391 205-41-17"
    );
    assert!(texts[1].starts_with("Ваши записи:"), "{texts:?}");
    assert!(client.labels().concat().contains(&"Отменить пт, 4 декабря, 12:00".to_string()));
    let id = engine.store().client_for_chat(ChatKey(702)).unwrap().unwrap();
    assert!(engine.store().client_bookings(id).unwrap()[0].is_active(), "nothing was cancelled");
}

#[test]
fn a_visit_under_way_cannot_be_cancelled_and_is_listed_without_a_cancel_button() {
    let dir = tempfile::tempdir().unwrap();
    let (engine, clock) = salon_engine_with_clock(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 703);
    client.book_haircut("пт, 4 декабря", "12:00", "Ирина", "+7 913 123-45-69");
    client.press("Мои записи");
    // Friday 12:30 in Krasnoyarsk: half an hour into the visit, the list still on screen.
    clock.set("2026-12-04T05:30:00Z".parse().unwrap());

    client.press("Отменить пт, 4 декабря, 12:00");

    let texts = client.texts();
    assert_eq!(texts[0], "Этот визит уже начался — отменить его нельзя.");
    assert!(texts[1].starts_with("Ваши записи:\n• пт, 4 декабря, 12:00 — Женская стрижка"));
    assert_eq!(client.labels(), [["Записаться"]], "nothing left to cancel");
}

fn drain_staff_notices(engine: &Engine) -> Vec<String> {
    let mut texts = Vec::new();
    okno::jobs::notify::drain(engine, |notice| {
        assert_eq!(notice.chat, ChatKey(STAFF_CHAT));
        texts.push(notice.screen.text.clone());
    })
    .unwrap();
    texts
}

#[test]
fn forget_erases_the_person_everywhere_and_staff_get_a_notice_naming_no_one() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 901);
    client.book_haircut("пт, 4 декабря", "12:00", "Аглая", "+7 913 555-12-34");
    drain_staff_notices(&engine);

    client.say("/forget");
    assert_eq!(
        client.texts(),
        ["Удалить ваше имя, телефон и будущие записи? Это нельзя отменить."]
    );
    client.press("Да, удалить");

    assert_eq!(client.texts(), ["Готово: ваши данные удалены, будущие записи отменены."]);
    assert_eq!(
        drain_staff_notices(&engine),
        ["Запись отменена: клиент удалил свои данные\nЖенская стрижка, мастер Анна Соколова\n\
          пт, 4 декабря, 12:00"]
    );
    let backup = dir.path().join("after-forget.jsonl");
    engine.store().backup_to(&backup).unwrap();
    let dump = std::fs::read_to_string(&backup).unwrap();
    for secret in ["Аглая", "+79135551234", "9135551234"] {
        assert!(!dump.contains(secret), "{secret} survived in the backup");
    }
    assert!(engine.store().active_bookings_from(thursday_morning()).unwrap().is_empty());
    let day = thursday_morning()..thursday_morning() + chrono::Duration::days(1);
    let history = engine.store().events_between(day.start, day.end).unwrap();
    let cancelled = history
        .iter()
        .filter(|e| matches!(e.kind, EventKind::BookingCancelled { .. }) && e.client.is_some());
    assert_eq!(cancelled.count(), 1, "anonymous history stays, keyed by client id");
}

#[test]
fn staff_commands_follow_the_sender_not_the_chat() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 1101);
    client.book_haircut("чт, 3 декабря", "12:00", "Ирина", "+7 913 123-45-67");

    let mut stranger_in_staff_chat = Person::new(&engine, STAFF_CHAT).speaking_as(555);
    stranger_in_staff_chat.say("/today");
    assert!(stranger_in_staff_chat.texts().is_empty(), "no answer to a non-staff sender");

    let mut client_asking = Person::new(&engine, 1101);
    client_asking.say("/today");
    assert_eq!(client_asking.texts(), ["Такой команды я не знаю. /help — что я умею."]);

    let mut owner = Person::new(&engine, OWNER as i64).speaking_as(OWNER);
    owner.say("/today");
    assert_eq!(
        owner.texts(),
        ["чт, 3 декабря: 1 запись\n\
             12:00 — Женская стрижка, Анна Соколова. Ирина, +7 913 123-45-67"]
    );
    let mut owner_in_group = Person::new(&engine, STAFF_CHAT).speaking_as(OWNER);
    owner_in_group.say("/today");
    assert_eq!(owner_in_group.texts().len(), 1, "staff may ask in the staff chat too");
}

#[test]
fn a_flood_from_one_chat_is_answered_once_then_ignored() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 1201);

    let answered: Vec<Vec<String>> = (0..40)
        .map(|_| client.say("/help").replies.iter().map(|s| s.text.clone()).collect())
        .collect();

    assert!(answered[..30].iter().all(|t| t.len() == 1 && t[0].starts_with("Я записываю")));
    assert_eq!(answered[30], ["Вы пишете очень быстро. Подождите минуту, и продолжим."]);
    assert!(answered[31..].iter().all(Vec::is_empty));
    let mut neighbour = Person::new(&engine, 1202);
    neighbour.say("/help");
    assert_eq!(neighbour.texts().len(), 1, "other chats are not slowed");
}

#[test]
fn a_lead_is_recorded_from_the_first_message_with_its_source_and_closed_by_a_booking() {
    let dir = tempfile::tempdir().unwrap();
    let engine = salon_engine(dir.path(), thursday_morning());
    let mut client = Person::new(&engine, 1301);

    client.say("/start vk_promo");

    let lead = engine.store().current_lead(ChatKey(1301)).unwrap().expect("a lead");
    assert_eq!(lead.source.as_deref(), Some("vk_promo"));
    assert_eq!(lead.first_reply, Some(thursday_morning()));
    assert_eq!(lead.client, None, "before consent a lead holds no client");

    client.book_haircut("пт, 4 декабря", "12:00", "Ирина", "+7 913 123-45-67");
    let booked = engine.store().current_lead(ChatKey(1301)).unwrap().expect("the lead");
    assert_eq!(booked.status, okno::store::LeadStatus::Booked);
    assert!(booked.client.is_some());
}
