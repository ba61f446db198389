//! Days and times as the business's clients read them: «пт, 4 декабря, 14:30».
//!
//! Always in the business's zone, never the server's: a server in Moscow and a salon in
//! Krasnoyarsk must agree on when 14:30 is. The words come from `dialogs/ru/common.ftl`.

use super::{Arg, Texts};
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

/// The keys and placeholders these functions use, for `Texts::check` at start.
pub const REQUIRED: &[(&str, &[&str])] = &[
    ("weekday-short-1", &[]),
    ("weekday-short-2", &[]),
    ("weekday-short-3", &[]),
    ("weekday-short-4", &[]),
    ("weekday-short-5", &[]),
    ("weekday-short-6", &[]),
    ("weekday-short-7", &[]),
    ("month-gen-1", &[]),
    ("month-gen-2", &[]),
    ("month-gen-3", &[]),
    ("month-gen-4", &[]),
    ("month-gen-5", &[]),
    ("month-gen-6", &[]),
    ("month-gen-7", &[]),
    ("month-gen-8", &[]),
    ("month-gen-9", &[]),
    ("month-gen-10", &[]),
    ("month-gen-11", &[]),
    ("month-gen-12", &[]),
    ("day-label", &["weekday", "day", "month"]),
    ("moment-label", &["day", "time"]),
];

/// «пт, 4 декабря».
pub fn day_label(texts: &Texts, date: NaiveDate) -> String {
    let weekday = texts.get(&format!("weekday-short-{}", date.weekday().number_from_monday()));
    let month = texts.get(&format!("month-gen-{}", date.month()));
    let args =
        [("weekday", Arg::Str(weekday)), ("day", date.day().into()), ("month", Arg::Str(month))];
    texts.fmt("day-label", &args)
}

/// «14:30», «09:05»: 24-hour, two-digit hours so a column of slots lines up.
pub fn time_label(t: NaiveTime) -> String {
    t.format("%H:%M").to_string()
}

/// «пт, 4 декабря, 14:30» for an instant, as the clock on the wall in `tz` shows it.
pub fn moment_label(texts: &Texts, at: DateTime<Utc>, tz: Tz) -> String {
    let local = at.with_timezone(&tz);
    let args = [
        ("day", Arg::Str(day_label(texts, local.date_naive()))),
        ("time", Arg::Str(time_label(local.time()))),
    ];
    texts.fmt("moment-label", &args)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn texts() -> Texts {
        Texts::builtin().expect("built-in texts load")
    }

    #[test]
    fn the_date_keys_are_all_present_with_their_placeholders() {
        texts().check(REQUIRED).expect("date texts pass the check");
    }

    #[test]
    fn a_day_reads_as_weekday_day_and_month_in_the_genitive() {
        let cases = [
            ((2026, 12, 4), "пт, 4 декабря"),
            ((2026, 1, 1), "чт, 1 января"),
            ((2026, 3, 8), "вс, 8 марта"),
            ((2026, 5, 25), "пн, 25 мая"),
        ];
        for ((y, m, d), want) in cases {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(day_label(&texts(), date), want, "date {date}");
        }
    }

    #[test]
    fn times_have_two_digit_hours_and_minutes() {
        assert_eq!(time_label(NaiveTime::from_hms_opt(14, 30, 0).unwrap()), "14:30");
        assert_eq!(time_label(NaiveTime::from_hms_opt(9, 5, 59).unwrap()), "09:05");
    }

    #[test]
    fn a_moment_is_shown_on_the_business_clock() {
        let at = Utc.with_ymd_and_hms(2026, 12, 4, 7, 30, 0).unwrap();
        let krasnoyarsk = moment_label(&texts(), at, chrono_tz::Asia::Krasnoyarsk);
        assert_eq!(krasnoyarsk, "пт, 4 декабря, 14:30");
    }

    #[test]
    fn late_evening_utc_is_already_the_next_day_in_krasnoyarsk() {
        let late = Utc.with_ymd_and_hms(2026, 12, 3, 20, 15, 0).unwrap();
        let label = moment_label(&texts(), late, chrono_tz::Asia::Krasnoyarsk);
        assert_eq!(label, "пт, 4 декабря, 03:15");
    }

    #[test]
    fn the_server_zone_does_not_change_the_moment() {
        // Changing TZ inside this process would race other test threads, so the Krasnoyarsk test
        // is run again in a child process whose TZ is far away.
        for server_zone in ["America/Los_Angeles", "UTC", "Asia/Tokyo"] {
            let status = std::process::Command::new(std::env::current_exe().unwrap())
                .args(["--exact", "texts::dates::tests::a_moment_is_shown_on_the_business_clock"])
                .env("TZ", server_zone)
                .stdout(std::process::Stdio::null())
                .status()
                .expect("the test binary runs again");
            assert!(status.success(), "with TZ={server_zone}");
        }
    }
}
