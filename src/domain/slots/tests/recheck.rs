//! `slot_is_free` must say yes to exactly the slots the search offers, and to nothing else.

use super::*;

/// Every 5 minutes over the horizon and a day either side, for each master.
fn assert_recheck_agrees(
    biz: &Business,
    service_id: &str,
    busy: &[Booking],
    now: DateTime<Utc>,
    name: &str,
) {
    for who in biz.masters_for(&service(service_id)).map(|m| m.id.clone()) {
        let offered =
            find_free_slots(biz, &service(service_id), Some(&who), &Calendar::of(busy), now);
        let mut t = now - Duration::days(1);
        while t < now + Duration::days(i64::from(biz.booking.horizon_days) + 1) {
            let want = offered.iter().find(|s| s.start == t).cloned();
            let got = slot_is_free(biz, &service(service_id), &who, t, &Calendar::of(busy), now);
            assert_eq!(got, want, "case: {name}, {who} at {t}");
            t += Duration::minutes(5);
        }
    }
}

#[test]
fn the_recheck_agrees_with_the_search_everywhere() {
    let biz = fixture();
    let busy = [booking("anna", "2026-12-07 11:00", 60), booking("boris", "2026-12-09 10:30", 90)];
    let cases = [
        ("empty day, haircut", "haircut", &[][..], monday_morning()),
        ("with bookings, haircut", "haircut", &busy[..], monday_morning()),
        ("with bookings, color", "color", &busy[..], monday_morning()),
        ("now mid-morning off the grid", "haircut", &busy[..], at("2026-12-07 09:47")),
    ];
    for (name, service_id, busy, now) in cases {
        assert_recheck_agrees(&biz, service_id, busy, now, name);
    }
}

#[test]
fn the_recheck_refuses_what_the_search_would_not_offer() {
    let biz = fixture();
    let haircut = service("haircut");
    let cases = [
        ("off the 30-minute grid", "anna", "2026-12-07 10:15"),
        ("inside lunch", "anna", "2026-12-07 12:00"),
        ("after the horizon", "anna", "2026-12-14 10:00"),
        ("before now", "anna", "2026-12-06 10:00"),
        ("a master who does not exist", "zoya", "2026-12-07 10:00"),
    ];
    for (name, who, start) in cases {
        let got = slot_is_free(
            &biz,
            &haircut,
            &master(who),
            at(start),
            &Calendar::default(),
            monday_morning(),
        );
        assert_eq!(got, None, "case: {name}");
    }
}
