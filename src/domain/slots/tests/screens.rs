//! The day list and the time list search less than the full search does; they must still show
//! exactly what it finds, for every master choice, with bookings, notice and exceptions.

use super::*;

/// The full search, cut into days and one day's slots the plain way.
fn reference(
    biz: &Business,
    service_id: &str,
    who: Option<&MasterId>,
    busy: &Calendar,
    now: DateTime<Utc>,
) -> Vec<Slot> {
    find_free_slots(biz, &service(service_id), who, busy, now)
}

fn assert_screens_agree(biz: &Business, busy: &[Booking], now: DateTime<Utc>, name: &str) {
    let tz = biz.business.timezone;
    let calendar = Calendar::of(busy);
    let masters: Vec<MasterId> = biz.masters.iter().map(|m| m.id.clone()).collect();
    let choices = std::iter::once(None).chain(masters.iter().map(Some));

    for who in choices {
        for service_id in ["haircut", "color"] {
            let all = reference(biz, service_id, who, &calendar, now);
            let case = format!("case: {name}, {service_id}, master {who:?}");

            let days = free_days(biz, &service(service_id), who, &calendar, now);
            assert_eq!(days, days_with_slots(&all, tz), "{case}: days");

            let today = local_date(tz, now);
            for date in today.iter_days().take(biz.booking.horizon_days as usize + 2) {
                let got = free_slots_on(biz, &service(service_id), who, date, &calendar, now);
                assert_eq!(got, slots_on_day(&all, date, tz), "{case}: slots on {date}");
            }
        }
    }
}

#[test]
fn the_day_and_time_lists_show_what_the_full_search_finds() {
    let biz = fixture();
    let busy = [
        booking("anna", "2026-12-07 10:00", 60),
        booking("anna", "2026-12-09 10:30", 60),
        booking("boris", "2026-12-07 10:00", 180),
    ];
    let cases = [
        ("an empty salon on Monday morning", &[][..], monday_morning()),
        ("bookings that fill boris's Monday", &busy[..], monday_morning()),
        ("late on Monday, past the notice", &busy[..], at("2026-12-07 12:40")),
        ("the day before the first working day", &busy[..], at("2026-12-06 08:00")),
    ];
    for (name, busy, now) in cases {
        assert_screens_agree(&biz, busy, now, name);
    }
}

#[test]
fn a_day_outside_the_horizon_has_no_times() {
    let biz = fixture();
    let after = local_date(biz.business.timezone, at("2026-12-12 10:00"));

    let got = free_slots_on(
        &biz,
        &service("haircut"),
        None,
        after,
        &Calendar::default(),
        monday_morning(),
    );

    assert!(got.is_empty(), "{got:?}");
}
