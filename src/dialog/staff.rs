//! What staff see: notices of new bookings and cancellations in the staff chat, and the staff
//! commands. Rights come from the sender's Telegram id, never from the chat.

use anyhow::Context;
use chrono::{Duration, TimeZone};

use super::engine::{Engine, Turn};
use super::screen::Screen;
use crate::domain::booking::{Actor, Booking};
use crate::domain::phone::Phone;
use crate::store::{Event, EventKind};
use crate::texts::dates;

/// Staff commands with their names as typed: `/today`, `/tomorrow`.
const STAFF_COMMANDS: [&str; 2] = ["today", "tomorrow"];

pub(crate) fn is_staff_command(name: &str) -> bool {
    STAFF_COMMANDS.contains(&name)
}

/// The names of the staff commands, for the command menu.
pub fn staff_command_names() -> &'static [&'static str] {
    &STAFF_COMMANDS
}

pub(crate) fn handle_command(
    engine: &Engine,
    turn: &mut Turn,
    name: &str,
    _args: &str,
) -> anyhow::Result<()> {
    tracing::info!(chat = turn.chat.0, command = name, "staff command");
    match name {
        "today" => day_list(engine, turn, 0),
        "tomorrow" => day_list(engine, turn, 1),
        _ => Ok(()),
    }
}

/// `/today`, `/tomorrow`: a day's active bookings in the business's zone, with who and when.
fn day_list(engine: &Engine, turn: &mut Turn, days_ahead: i64) -> anyhow::Result<()> {
    let tz = engine.biz.business.timezone;
    let local_day = turn.now.with_timezone(&tz).date_naive() + Duration::days(days_ahead);
    let day_start = tz
        .from_local_datetime(&local_day.and_hms_opt(0, 0, 0).context("midnight")?)
        .earliest()
        .context("local midnight does not exist")?
        .with_timezone(&chrono::Utc);
    let day_end = day_start + Duration::days(1);

    let mut list: Vec<Booking> = engine
        .store
        .active_bookings_from(day_start)?
        .into_iter()
        .filter(|b| b.start < day_end)
        .collect();
    list.sort_by_key(|b| b.start);

    let day = dates::day_label(&engine.texts, local_day);
    let count = i64::try_from(list.len()).unwrap_or(i64::MAX);
    let mut lines = vec![engine.tf("today-title", &[("day", day.into()), ("count", count.into())])];
    for booking in &list {
        lines.push(booking_line(engine, booking)?);
    }
    turn.reply(Screen::text(lines.join("\n")));
    Ok(())
}

fn booking_line(engine: &Engine, booking: &Booking) -> anyhow::Result<String> {
    let tz = engine.biz.business.timezone;
    let (name, phone) = person_of(engine, booking)?;
    Ok(engine.tf(
        "today-line",
        &[
            ("time", dates::time_label(booking.start.with_timezone(&tz).time()).into()),
            ("service", service_name(engine, booking).into()),
            ("master", master_name(engine, booking).into()),
            ("client", name.into()),
            ("phone", phone.into()),
        ],
    ))
}

/// The client's name and phone, or «—» where they are not known (or were erased).
fn person_of(engine: &Engine, booking: &Booking) -> anyhow::Result<(String, String)> {
    let person = engine.store.person(booking.client)?.unwrap_or_default();
    let dash = engine.t("unknown-value");
    let phone = person.phone.map(|p| Phone::parse(&p).map_or(p, |p| p.international()));
    Ok((person.name.unwrap_or_else(|| dash.clone()), phone.unwrap_or(dash)))
}

fn service_name(engine: &Engine, booking: &Booking) -> String {
    engine
        .biz
        .service(&booking.service)
        .map(|s| s.name.clone())
        .unwrap_or_else(|| booking.service.0.clone())
}

fn master_name(engine: &Engine, booking: &Booking) -> String {
    engine
        .biz
        .master(&booking.master)
        .map(|m| m.name.clone())
        .unwrap_or_else(|| booking.master.0.to_string())
}

/// The staff chat's message for a queued event, or `None` when the event owes no notice or
/// its booking is gone.
pub fn render_notice(engine: &Engine, event: &Event) -> anyhow::Result<Option<Screen>> {
    let (id, cancelled_by) = match &event.kind {
        EventKind::BookingCreated { booking } => (*booking, None),
        EventKind::BookingCancelled { booking, by } => (*booking, Some(*by)),
        _ => return Ok(None),
    };
    let Some(booking) = engine.store.booking(id)? else { return Ok(None) };
    let screen = match cancelled_by {
        None => new_booking_notice(engine, &booking)?,
        Some(by) => cancellation_notice(engine, &booking, by)?,
    };
    Ok(Some(screen))
}

fn new_booking_notice(engine: &Engine, booking: &Booking) -> anyhow::Result<Screen> {
    let tz = engine.biz.business.timezone;
    let (name, phone) = person_of(engine, booking)?;
    let source = booking.source.clone().unwrap_or_else(|| engine.t("source-direct"));
    let mut text = engine.tf(
        "staff-new-booking",
        &[
            ("service", service_name(engine, booking).into()),
            ("master", master_name(engine, booking).into()),
            ("when", dates::moment_label(&engine.texts, booking.start, tz).into()),
            ("price", booking.price.to_string().into()),
            ("client", name.into()),
            ("phone", phone.into()),
            ("source", source.into()),
        ],
    );
    for (id, answer) in &booking.answers {
        let question = engine.biz.questions.iter().find(|q| &q.id == id);
        let question = match question {
            Some(q) => q.label.clone().unwrap_or_else(|| q.text.clone()),
            None => id.clone(),
        };
        let line = engine.tf(
            "staff-answer-line",
            &[("question", question.into()), ("answer", answer.clone().into())],
        );
        text.push('\n');
        text.push_str(&line);
    }
    Ok(Screen::text(text))
}

/// A cancellation by the client names them; one by the system (the client erased their data
/// with `/forget`) names no one.
fn cancellation_notice(engine: &Engine, booking: &Booking, by: Actor) -> anyhow::Result<Screen> {
    let tz = engine.biz.business.timezone;
    let when = dates::moment_label(&engine.texts, booking.start, tz);
    let mut args = vec![
        ("service", service_name(engine, booking).into()),
        ("master", master_name(engine, booking).into()),
        ("when", when.into()),
    ];
    let key = match by {
        Actor::Client | Actor::Staff(_) => {
            let (name, phone) = person_of(engine, booking)?;
            args.push(("client", name.into()));
            args.push(("phone", phone.into()));
            "staff-cancelled"
        }
        Actor::System => "staff-cancelled-forgotten",
    };
    Ok(Screen::text(engine.tf(key, &args)))
}
