//! Checks for working hours: whole minutes, opening before closing, breaks inside the day and
//! apart (slot search counts in minutes of the day).

use chrono::{NaiveTime, Timelike};

use super::Report;
use crate::config::business::{DayHours, Interval, WeekHours};

pub(super) fn check_week(week: &WeekHours, field: &str, report: &mut Report) {
    let days = [
        ("mon", &week.mon),
        ("tue", &week.tue),
        ("wed", &week.wed),
        ("thu", &week.thu),
        ("fri", &week.fri),
        ("sat", &week.sat),
        ("sun", &week.sun),
    ];
    for (name, hours) in days {
        if let Some(hours) = hours {
            check_day(hours, &format!("{field}.{name}"), report);
        }
    }
}

pub(super) fn check_day(day: &DayHours, field: &str, report: &mut Report) {
    let times = [("open", day.open), ("close", day.close)].into_iter();
    let breaks = day.breaks.iter().enumerate().flat_map(|(k, b)| {
        [(format!("breaks[{k}].from"), b.from), (format!("breaks[{k}].to"), b.to)]
    });
    for (name, time) in times.map(|(n, t)| (n.to_owned(), t)).chain(breaks) {
        if time.second() != 0 || time.nanosecond() != 0 {
            let fix = format!("is {}; write whole minutes, like \"{}\"", time, hm(time));
            report.add(format!("{field}.{name}"), fix);
        }
    }

    if day.open >= day.close {
        report.add(
            field,
            format!(
                "opens at {} but closes at {}; the opening time must come first \
                 (a shift past midnight is not supported)",
                hm(day.open),
                hm(day.close)
            ),
        );
    }

    for (k, brk) in day.breaks.iter().enumerate() {
        let field = format!("{field}.breaks[{k}]");
        if brk.from >= brk.to {
            report.add(
                &field,
                format!(
                    "starts at {} but ends at {}; the start must come first",
                    hm(brk.from),
                    hm(brk.to)
                ),
            );
        } else if brk.from < day.open || brk.to > day.close {
            report.add(
                &field,
                format!(
                    "{} lies outside working hours {}; move it inside or remove it",
                    span(brk.from, brk.to),
                    span(day.open, day.close)
                ),
            );
        }
        if let Some(j) = day.breaks[..k].iter().position(|other| overlap(brk, other)) {
            report.add(
                &field,
                format!(
                    "{} overlaps breaks[{j}]; merge them into one break",
                    span(brk.from, brk.to)
                ),
            );
        }
    }
}

fn overlap(a: &Interval, b: &Interval) -> bool {
    a.from < b.to && b.from < a.to
}

/// `10:00`, as an operator writes it in the file.
fn hm(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

fn span(from: NaiveTime, to: NaiveTime) -> String {
    format!("{}–{}", hm(from), hm(to))
}
