//! A business in a zone with daylight saving: skipped local times are not offered, repeated
//! ones are offered once (the earlier), and nothing panics.

use super::*;

const BERLIN: Tz = chrono_tz::Europe::Berlin;

/// A Berlin business open 01:00–04:00 on Sundays, 30-minute services, no buffer or notice.
fn berlin() -> Business {
    let mut biz = fixture();
    biz.business.timezone = BERLIN;
    biz.booking.buffer_minutes = 0;
    biz.booking.min_notice_minutes = 0;
    biz.booking.horizon_days = 1;
    biz.services[0].duration_minutes = 30;
    let sunday: crate::config::business::DayHours = toml::from_str(
        r#"open = "01:00"
close = "04:00""#,
    )
    .expect("hours");
    biz.masters[0].exceptions.clear();
    biz.masters[0].week.sun = Some(sunday);
    biz
}

fn utc_starts(slots: &[Slot]) -> Vec<String> {
    slots.iter().map(|s| s.start.format("%m-%d %H:%M").to_string()).collect()
}

#[test]
fn daylight_saving_days_neither_panic_nor_double_book() {
    let biz = berlin();
    let cases = [
        (
            "spring forward 2026-03-29: 02:00 and 02:30 do not exist",
            "2026-03-29 00:00",
            vec!["03-29 00:00", "03-29 00:30", "03-29 01:00", "03-29 01:30"],
        ),
        (
            "fall back 2026-10-25: 02:00 and 02:30 happen twice, offered once (summer time)",
            "2026-10-25 00:00",
            vec![
                "10-24 23:00",
                "10-24 23:30",
                "10-25 00:00",
                "10-25 00:30",
                "10-25 02:00",
                "10-25 02:30",
            ],
        ),
    ];
    for (name, now, want) in cases {
        let now = at_in(BERLIN, now);
        let slots = find_free_slots(
            &biz,
            &service("haircut"),
            Some(&master("anna")),
            &Calendar::default(),
            now,
        );
        assert_eq!(utc_starts(&slots), want, "case: {name}");
        for slot in &slots {
            let again = slot_is_free(
                &biz,
                &service("haircut"),
                &master("anna"),
                slot.start,
                &Calendar::default(),
                now,
            );
            assert_eq!(again.as_ref(), Some(slot), "case: {name}: recheck {}", slot.start);
        }
    }
}

#[test]
fn the_second_pass_of_a_repeated_hour_is_not_bookable() {
    let biz = berlin();
    let now = at_in(BERLIN, "2026-10-25 00:00");
    let second_two_oclock = "2026-10-25T01:00:00Z".parse().expect("an instant");

    let got = slot_is_free(
        &biz,
        &service("haircut"),
        &master("anna"),
        second_two_oclock,
        &Calendar::default(),
        now,
    );

    assert_eq!(got, None, "case: 02:00 winter time is the repeat of 02:00 summer time");
}
