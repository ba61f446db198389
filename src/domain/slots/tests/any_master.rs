//! «Любой мастер»: one list of every master's times, and picking the master on booking.

use super::*;

#[test]
fn any_master_search_sorts_by_time_then_file_order() {
    let biz = fixture();
    let slots =
        find_free_slots(&biz, &service("haircut"), None, &Calendar::default(), monday_morning());

    let first: Vec<(String, String)> = slots
        .iter()
        .take(4)
        .map(|s| (s.start.with_timezone(&KRSK).format("%H:%M").to_string(), s.master.0.to_string()))
        .collect();
    let want = [("10:00", "anna"), ("10:00", "boris"), ("10:30", "anna"), ("10:30", "boris")];
    let want: Vec<(String, String)> =
        want.iter().map(|(t, m)| (t.to_string(), m.to_string())).collect();
    assert_eq!(first, want);
}

/// The master, price in rubles and local end a pick should give.
type Picked = Option<(&'static str, i64, &'static str)>;

#[test]
fn pick_master_takes_the_first_free_master_at_their_own_price() {
    let biz = fixture();
    let anna_busy = [booking("anna", "2026-12-07 10:00", 60)];
    let cases: [(&str, &str, &[Booking], Picked); 5] = [
        (
            "both free: anna comes first in the file",
            "2026-12-07 10:00",
            &[],
            Some(("anna", 1500, "2026-12-07 11:00")),
        ),
        (
            "anna booked: boris with his price and 90 min",
            "2026-12-07 10:00",
            &anna_busy,
            Some(("boris", 1200, "2026-12-07 11:30")),
        ),
        (
            "only boris works until 13:00 at 11:30",
            "2026-12-07 11:30",
            &[],
            Some(("boris", 1200, "2026-12-07 13:00")),
        ),
        (
            "only anna after lunch",
            "2026-12-07 13:00",
            &[],
            Some(("anna", 1500, "2026-12-07 14:00")),
        ),
        ("nobody at 12:00", "2026-12-07 12:00", &[], None),
    ];
    for (name, start, busy, want) in cases {
        let got = pick_master_for(
            &biz,
            &service("haircut"),
            at(start),
            &Calendar::of(busy),
            monday_morning(),
        );
        let want = want.map(|(who, rubles, end)| Slot {
            master: master(who),
            start: at(start),
            end: at(end),
            price: Money::from_rubles(rubles),
        });
        assert_eq!(got, want, "case: {name}");
    }
}

#[test]
fn days_with_slots_lists_each_local_date_once() {
    let biz = fixture();
    let slots =
        find_free_slots(&biz, &service("haircut"), None, &Calendar::default(), monday_morning());

    let days: Vec<String> = days_with_slots(&slots, KRSK).iter().map(|d| d.to_string()).collect();

    assert_eq!(days, ["2026-12-07", "2026-12-09"], "case: Tuesday is off for both");
}
