//! A larger business, 10 masters over 14 days, returns the counts the hours imply.

use super::*;

/// Ten masters, every day 09:00–21:00 with lunch 13:00–14:00, 60-minute service, 15-minute grid.
fn big_business() -> Business {
    let mut biz = fixture();
    biz.booking.slot_step_minutes = 15;
    biz.booking.horizon_days = 14;
    let template = biz.masters[0].clone();
    let day: crate::config::business::DayHours = toml::from_str(
        r#"open = "09:00"
close = "21:00"
breaks = [{ from = "13:00", to = "14:00" }]"#,
    )
    .expect("hours");

    biz.masters = (0..10)
        .map(|i| {
            let mut m = template.clone();
            m.id = master(&format!("m{i}"));
            m.overrides.clear();
            m.exceptions.clear();
            m.week.mon = Some(day.clone());
            m.week.tue = Some(day.clone());
            m.week.wed = Some(day.clone());
            m.week.thu = Some(day.clone());
            m.week.fri = Some(day.clone());
            m.week.sat = Some(day.clone());
            m.week.sun = Some(day.clone());
            m
        })
        .collect();
    biz
}

#[test]
fn ten_masters_over_fourteen_days_give_sane_counts() {
    let biz = big_business();
    let now = at("2026-12-07 00:00");
    // 09:00..12:00 is 13 starts before lunch, 14:00..20:00 is 25 after: 38 a day.
    let per_day = 38;

    let slots = find_free_slots(&biz, &service("haircut"), None, &Calendar::default(), now);
    assert_eq!(slots.len(), 14 * 10 * per_day, "case: every master, every day");
    let tuesday = local_date(KRSK, at("2026-12-08 12:00"));
    let on_tuesday =
        free_slots_on(&biz, &service("haircut"), None, tuesday, &Default::default(), now);
    assert_eq!(on_tuesday.len(), 10 * per_day, "case: one day's list");
    let days = free_days(&biz, &service("haircut"), None, &Calendar::default(), now);
    assert_eq!(days.len(), 14, "case: 14 days");

    let busy = [booking("m3", "2026-12-08 10:00", 60)];
    let with_one_booking =
        find_free_slots(&biz, &service("haircut"), None, &Calendar::of(&busy), now);
    // Busy 10:00–11:10 with its buffer; a start from 09:00 (busy to 10:10) to 11:00 collides.
    let lost = slots.len() - with_one_booking.len();
    assert_eq!(lost, 9, "case: one booking takes 9 of m3's starts on Tuesday");
}
