//! One test per rule of the slot search, each a small table of named cases.

use super::*;

/// A named case: who, which service, what is already booked, when "now" is, what is offered.
struct Case {
    name: &'static str,
    service: &'static str,
    master: &'static str,
    busy: Vec<Booking>,
    now: DateTime<Utc>,
    want: Vec<&'static str>,
}

fn run(biz: &Business, cases: Vec<Case>) {
    for case in cases {
        let got = starts_of(biz, case.service, case.master, &case.busy, case.now);
        assert_eq!(got, case.want, "case: {}", case.name);
    }
}

fn case(
    name: &'static str,
    master: &'static str,
    busy: Vec<Booking>,
    want: &[&'static str],
) -> Case {
    Case { name, service: "haircut", master, busy, now: monday_morning(), want: want.to_vec() }
}

const ANNA_FREE: [&str; 7] = [
    "12-07 10:00",
    "12-07 10:30",
    "12-07 11:00",
    "12-07 13:00",
    "12-09 10:00",
    "12-09 10:30",
    "12-09 11:00",
];

#[test]
fn a_service_never_overlaps_the_lunch_break() {
    let biz = fixture();
    run(
        &biz,
        vec![case(
            "anna Monday: 11:00 ends as lunch starts, 11:30..12:30 would touch it, 13:00 after",
            "anna",
            vec![],
            &ANNA_FREE,
        )],
    );
}

#[test]
fn a_service_may_end_exactly_at_closing() {
    let biz = fixture();
    let monday = starts_of(&biz, "haircut", "anna", &[], monday_morning());

    assert!(monday.contains(&"12-07 13:00".to_string()), "13:00–14:00 ends at close: {monday:?}");
    assert!(!monday.contains(&"12-07 13:30".to_string()), "13:30 would run past close");
}

#[test]
fn the_buffer_keeps_a_gap_before_and_after_other_bookings() {
    let biz = fixture();
    run(
        &biz,
        vec![
            case(
                "a booking at 11:00: 10:00–11:00 plus 10 min buffer would run into it",
                "anna",
                vec![booking("anna", "2026-12-07 11:00", 60)],
                &["12-07 13:00", "12-09 10:00", "12-09 10:30", "12-09 11:00"],
            ),
            case(
                "a booking 10:00–10:30: its own buffer holds until 10:40, so 10:30 is taken",
                "anna",
                vec![booking("anna", "2026-12-07 10:00", 30)],
                &["12-07 11:00", "12-07 13:00", "12-09 10:00", "12-09 10:30", "12-09 11:00"],
            ),
        ],
    );
}

#[test]
fn the_buffer_may_run_past_closing_or_into_a_break() {
    let biz = fixture();
    let slots = find_free_slots(
        &biz,
        &service("haircut"),
        Some(&master("anna")),
        &Calendar::default(),
        monday_morning(),
    );
    let starts = local_starts(&slots);

    for (name, start) in [
        ("13:00–14:00, buffer until 14:10 after closing", "12-07 13:00"),
        ("11:00–12:00, buffer until 12:10 inside lunch", "12-07 11:00"),
        ("11:00–12:00 on the shortened day, buffer after its 12:00 close", "12-09 11:00"),
    ] {
        assert!(starts.contains(&start.to_string()), "case: {name}: {starts:?}");
    }
}

#[test]
fn the_minimum_notice_is_counted_from_now() {
    let biz = fixture();
    let later = |name, now: &str, want: &[&'static str]| Case {
        now: at(now),
        ..case(name, "anna", vec![], want)
    };
    run(
        &biz,
        vec![
            later(
                "now 09:30 + 60 min: 10:30 is exactly on the limit and offered",
                "2026-12-07 09:30",
                &[
                    "12-07 10:30",
                    "12-07 11:00",
                    "12-07 13:00",
                    "12-09 10:00",
                    "12-09 10:30",
                    "12-09 11:00",
                ],
            ),
            later(
                "now 09:31: 10:30 is a minute too soon",
                "2026-12-07 09:31",
                &["12-07 11:00", "12-07 13:00", "12-09 10:00", "12-09 10:30", "12-09 11:00"],
            ),
        ],
    );
}

#[test]
fn past_times_never_appear() {
    let mut biz = fixture();
    biz.booking.min_notice_minutes = 0;
    let slots = find_free_slots(
        &biz,
        &service("haircut"),
        None,
        &Calendar::default(),
        at("2026-12-07 12:30"),
    );

    assert!(slots.iter().all(|s| s.start >= at("2026-12-07 12:30")), "{slots:?}");
    let evening = find_free_slots(
        &biz,
        &service("haircut"),
        None,
        &Calendar::default(),
        at("2026-12-07 23:00"),
    );
    let first = local_starts(&evening).first().cloned();
    assert_eq!(
        first.as_deref(),
        Some("12-09 10:00"),
        "case: late Monday evening offers Wednesday first"
    );
}

#[test]
fn the_horizon_counts_today_as_the_first_day() {
    let mut biz = fixture();
    let monday = ["12-07 10:00", "12-07 10:30", "12-07 11:00", "12-07 11:30"];
    let wednesday = ["12-09 10:00", "12-09 10:30", "12-09 11:00", "12-09 11:30"];
    let cases = [
        (1, "today only", monday.to_vec()),
        (2, "today and Tuesday, boris's day off", monday.to_vec()),
        (3, "through Wednesday", [monday, wednesday].concat()),
    ];
    for (days, name, want) in cases {
        biz.booking.horizon_days = days;
        let got = starts_of(&biz, "haircut", "boris", &[], monday_morning());
        assert_eq!(got, want, "case: horizon {days}: {name}");
    }
}

#[test]
fn a_weekday_without_hours_is_a_day_off() {
    let biz = fixture();
    let boris = starts_of(&biz, "haircut", "boris", &[], monday_morning());

    assert!(!boris.iter().any(|s| s.starts_with("12-08")), "case: boris has no Tuesday: {boris:?}");
}

#[test]
fn dated_exceptions_replace_the_weekly_hours() {
    let biz = fixture();
    let anna = starts_of(&biz, "haircut", "anna", &[], monday_morning());

    assert!(!anna.iter().any(|s| s.starts_with("12-08")), "case: Tuesday 12-08 off: {anna:?}");
    let wednesday: Vec<_> = anna.iter().filter(|s| s.starts_with("12-09")).collect();
    assert_eq!(
        wednesday,
        ["12-09 10:00", "12-09 10:30", "12-09 11:00"],
        "case: Wednesday shortened to 10:00–12:00, with no lunch"
    );
}

#[test]
fn a_master_s_own_duration_sets_the_end_and_the_last_start() {
    let biz = fixture();
    let slots = find_free_slots(
        &biz,
        &service("haircut"),
        Some(&master("boris")),
        &Calendar::default(),
        monday_morning(),
    );
    let monday: Vec<_> = slots.iter().filter(|s| s.start < at("2026-12-08 00:00")).collect();

    let last = monday.last().expect("boris works Monday");
    assert_eq!(last.start, at("2026-12-07 11:30"), "case: 11:30 + 90 min ends at 13:00 close");
    assert!(
        monday.iter().all(|s| s.end - s.start == Duration::minutes(90)),
        "case: 90-minute slots"
    );
}

#[test]
fn a_master_s_own_price_is_the_slot_price() {
    let biz = fixture();
    let cases = [
        ("anna's color: own price", "color", "anna", 3500),
        ("anna's haircut: the service price", "haircut", "anna", 1500),
        ("boris's haircut: own price", "haircut", "boris", 1200),
    ];
    for (name, service_id, who, rubles) in cases {
        let slots = find_free_slots(
            &biz,
            &service(service_id),
            Some(&master(who)),
            &Calendar::default(),
            monday_morning(),
        );
        assert!(!slots.is_empty(), "case: {name}: some slots");
        assert!(slots.iter().all(|s| s.price == Money::from_rubles(rubles)), "case: {name}");
    }
}

#[test]
fn only_active_bookings_of_the_same_master_block() {
    let biz = fixture();
    let mut cancelled = booking("anna", "2026-12-07 10:00", 60);
    cancelled.status = BookingStatus::Cancelled;
    let mut visited = booking("anna", "2026-12-07 13:00", 60);
    visited.status = BookingStatus::Visited;
    let mut confirmed = booking("anna", "2026-12-07 13:00", 60);
    confirmed.status = BookingStatus::Confirmed;
    run(
        &biz,
        vec![
            case("a cancelled booking frees its time", "anna", vec![cancelled], &ANNA_FREE),
            case("a visited (closed) booking does not block", "anna", vec![visited], &ANNA_FREE),
            case(
                "boris's booking does not block anna",
                "anna",
                vec![booking("boris", "2026-12-07 10:00", 90)],
                &ANNA_FREE,
            ),
            case(
                "a confirmed booking blocks like a booked one",
                "anna",
                vec![confirmed],
                &[
                    "12-07 10:00",
                    "12-07 10:30",
                    "12-07 11:00",
                    "12-09 10:00",
                    "12-09 10:30",
                    "12-09 11:00",
                ],
            ),
        ],
    );
}

#[test]
fn unknown_ids_give_no_slots() {
    let biz = fixture();
    let cases = [
        ("unknown service", "nails", Some("anna")),
        ("unknown master", "haircut", Some("zoya")),
        ("boris does not do color", "color", Some("boris")),
    ];
    for (name, service_id, who) in cases {
        let who = who.map(master);
        let slots = find_free_slots(
            &biz,
            &service(service_id),
            who.as_ref(),
            &Calendar::default(),
            monday_morning(),
        );
        assert!(slots.is_empty(), "case: {name}: {slots:?}");
    }
}
