//! Slot tests run against a small Krasnoyarsk business written inline. Times in assertions are
//! local wall-clock strings, so a case reads the way the owner reads the schedule.

mod any_master;
mod dst;
mod recheck;
mod rules;
mod scale;
mod screens;
mod tz;

use chrono::{DateTime, Duration, NaiveDateTime};
use chrono_tz::Tz;

use super::*;
use crate::config::business::Business;
use crate::domain::booking::{Actor, Booking, BookingStatus};
use crate::domain::calendar::Calendar;
use crate::domain::ids::{BookingId, ClientId};
use crate::domain::local_time::to_utc;

/// Monday 2026-12-07 .. Wednesday 2026-12-09 in Krasnoyarsk (UTC+7).
///
/// anna: haircut 60 min 1 500 ₽, color with her own price 3 500 ₽ (90 min);
///       Mon–Wed 10:00–14:00 with lunch 12:00–13:00; Tue 12-08 off by exception,
///       Wed 12-09 shortened to 10:00–12:00 without lunch.
/// boris: haircut with his own duration 90 min and price 1 200 ₽; Mon and Wed 10:00–13:00.
const FIXTURE: &str = r#"
[business]
name = "Тест"
kind = "salon"
timezone = "Asia/Krasnoyarsk"
address = "г. Красноярск, ул. Ленина, 1"
phone = "+7 391 200-00-00"
privacy_url = "https://example.ru/privacy"
consent_version = "1"

[booking]
slot_step_minutes = 30
buffer_minutes = 10
min_notice_minutes = 60
horizon_days = 3
late_cancel_hours = 3
max_active_per_client = 3
lead_idle_days = 7

[staff]
chat_id = -100123
owners = [1]

[[services]]
id = "haircut"
name = "Стрижка"
duration_minutes = 60
price_rub = 1500

[[services]]
id = "color"
name = "Окрашивание"
duration_minutes = 90
price_rub = 3000

[[masters]]
id = "anna"
name = "Анна"
services = ["haircut", "color"]
overrides = [{ service = "color", price_rub = 3500 }]
exceptions = [
    { date = "2026-12-08" },
    { date = "2026-12-09", hours = { open = "10:00", close = "12:00" } },
]

[masters.week]
mon = { open = "10:00", close = "14:00", breaks = [{ from = "12:00", to = "13:00" }] }
tue = { open = "10:00", close = "14:00", breaks = [{ from = "12:00", to = "13:00" }] }
wed = { open = "10:00", close = "14:00", breaks = [{ from = "12:00", to = "13:00" }] }

[[masters]]
id = "boris"
name = "Борис"
services = ["haircut"]
overrides = [{ service = "haircut", price_rub = 1200, duration_minutes = 90 }]

[masters.week]
mon = { open = "10:00", close = "13:00" }
wed = { open = "10:00", close = "13:00" }
"#;

const KRSK: Tz = chrono_tz::Asia::Krasnoyarsk;

fn fixture() -> Business {
    toml::from_str(FIXTURE).expect("the test business parses")
}

/// Monday 07:00 local: well before opening, so the notice cuts nothing on Monday.
fn monday_morning() -> DateTime<Utc> {
    at("2026-12-07 07:00")
}

/// A Krasnoyarsk wall-clock time, `"2026-12-07 10:00"`, as an instant.
fn at(local: &str) -> DateTime<Utc> {
    at_in(KRSK, local)
}

fn at_in(tz: Tz, local: &str) -> DateTime<Utc> {
    let naive = NaiveDateTime::parse_from_str(local, "%Y-%m-%d %H:%M").expect("a test time");
    to_utc(tz, naive).expect("the test time exists")
}

fn service(id: &str) -> ServiceId {
    ServiceId(id.to_string())
}

fn master(id: &str) -> MasterId {
    MasterId(id.into())
}

/// An active booking of `who` from a local start for `minutes`.
fn booking(who: &str, local_start: &str, minutes: i64) -> Booking {
    let start = at(local_start);
    Booking {
        id: BookingId(1),
        client: ClientId(7),
        service: service("haircut"),
        master: master(who),
        start,
        end: start + Duration::minutes(minutes),
        price: Money::from_rubles(1500),
        status: BookingStatus::Booked,
        created_by: Actor::Client,
        created_at: start - Duration::days(1),
        source: None,
        answers: Vec::new(),
        cancelled: None,
    }
}

/// Starts as local `"MM-DD HH:MM"`, in the order returned.
fn local_starts(slots: &[Slot]) -> Vec<String> {
    slots.iter().map(|s| s.start.with_timezone(&KRSK).format("%m-%d %H:%M").to_string()).collect()
}

/// The starts one master is offered for a service.
fn starts_of(
    biz: &Business,
    service_id: &str,
    who: &str,
    busy: &[Booking],
    now: DateTime<Utc>,
) -> Vec<String> {
    local_starts(&find_free_slots(
        biz,
        &service(service_id),
        Some(&master(who)),
        &Calendar::of(busy),
        now,
    ))
}
