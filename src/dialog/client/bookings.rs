//! «Мои записи»: upcoming bookings, each with a cancel button; late cancels go by phone.

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};

use super::render::{ask, button};
use crate::dialog::callback::{Action, encode};
use crate::dialog::engine::{Engine, Turn};
use crate::dialog::screen::{Button, Screen};
use crate::dialog::state::ClientDialog;
use crate::domain::booking::{Actor, Booking};
use crate::domain::ids::BookingId;
use crate::texts::dates;

/// The client's bookings that still hold a time, soonest first.
pub(crate) fn upcoming(engine: &Engine, turn: &Turn) -> anyhow::Result<Vec<Booking>> {
    let Some(client) = engine.store.client_for_chat(turn.chat)? else { return Ok(Vec::new()) };
    let history = engine.store.client_bookings(client).context("reading the client's bookings")?;
    Ok(holding_time(history, turn.now))
}

/// Of a client's bookings, those that still hold a time, soonest first.
pub(crate) fn holding_time(history: Vec<Booking>, now: DateTime<Utc>) -> Vec<Booking> {
    let mut list: Vec<Booking> =
        history.into_iter().filter(|b| b.is_active() && b.end > now).collect();
    list.sort_by_key(|b| b.start);
    list
}

/// The client's own booking that overlaps `start..end`, if any: one person cannot sit in two
/// chairs at once, so such a time is neither offered nor taken (two services at once with two
/// masters were booked side by side).
pub(crate) fn own_clash(
    mine: &[Booking],
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Option<&Booking> {
    mine.iter().find(|b| b.start < end && start < b.end)
}

/// Whether the client already holds as many booked or confirmed future visits as allowed.
pub(crate) fn at_cap(engine: &Engine, now: DateTime<Utc>, history: &[Booking]) -> bool {
    let active = history.iter().filter(|b| b.is_active() && b.end > now).count();
    active >= engine.biz.booking.max_active_per_client as usize
}

/// Says the cap is reached and lists the bookings, so the client can cancel one.
pub(crate) fn refuse_over_cap(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
) -> anyhow::Result<()> {
    let max = i64::from(engine.biz.booking.max_active_per_client);
    turn.reply(Screen::text(engine.tf("too-many-bookings", &[("count", max.into())])));
    show(engine, turn, dialog)
}

pub(crate) fn show(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
) -> anyhow::Result<()> {
    let list = upcoming(engine, turn)?;
    dialog.reset();
    let seq = dialog.next_seq(turn.now);
    if list.is_empty() {
        turn.reply(Screen {
            text: engine.t("no-bookings"),
            buttons: vec![vec![button(engine, "button-book", seq, Action::NewBooking)]],
            request_contact: None,
        });
        return Ok(());
    }

    let tz = engine.biz.business.timezone;
    let mut lines = vec![engine.t("my-bookings-title")];
    let mut buttons = Vec::new();
    for booking in &list {
        let when = dates::moment_label(&engine.texts, booking.start, tz);
        lines.push(engine.tf("my-booking-line", &describe(engine, booking, &when)));
        if booking.start <= turn.now {
            // Under way: listed, since it still holds its time, but there is nothing to cancel.
            continue;
        }
        let label = engine.tf("button-cancel-booking", &[("when", when.into())]);
        buttons.push(vec![Button { label, data: encode(seq, Action::CancelAsk(booking.id)) }]);
    }
    buttons.push(vec![button(engine, "button-book", seq, Action::NewBooking)]);
    turn.reply(Screen { text: lines.join("\n"), buttons, request_contact: None });
    Ok(())
}

fn describe<'a>(
    engine: &Engine,
    booking: &Booking,
    when: &str,
) -> Vec<(&'a str, crate::texts::Arg)> {
    let service = engine.biz.service(&booking.service).map(|s| s.name.clone()).unwrap_or_default();
    let master = engine.biz.master(&booking.master).map(|m| m.name.clone()).unwrap_or_default();
    vec![
        ("when", when.to_string().into()),
        ("service", service.into()),
        ("master", master.into()),
        ("price", booking.price.to_string().into()),
    ]
}

/// The client's own active future booking outside the late window, or why not (said here).
fn cancellable(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    id: BookingId,
) -> anyhow::Result<Option<Booking>> {
    let Some(booking) = upcoming(engine, turn)?.into_iter().find(|b| b.id == id) else {
        turn.reply(Screen::text(engine.t("booking-not-found")));
        show(engine, turn, dialog)?;
        return Ok(None);
    };
    if booking.start <= turn.now {
        turn.reply(Screen::text(engine.t("visit-started")));
        show(engine, turn, dialog)?;
        return Ok(None);
    }
    let hours = i64::from(engine.biz.booking.late_cancel_hours);
    if booking.start - turn.now < Duration::hours(hours) {
        let phone = engine.biz.business.phone.clone();
        let args = [("hours", hours.into()), ("phone", phone.into())];
        turn.reply(Screen::text(engine.tf("late-cancel", &args)));
        // The refusal replaces the pressed message; the list again leaves something to press.
        show(engine, turn, dialog)?;
        return Ok(None);
    }
    Ok(Some(booking))
}

/// «Отменить» on a booking: «Точно отменить?» first, since it cannot be undone.
pub(crate) fn ask_cancel(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    id: BookingId,
) -> anyhow::Result<()> {
    let Some(booking) = cancellable(engine, turn, dialog, id)? else { return Ok(()) };
    let seq = dialog.next_seq(turn.now);

    let when = dates::moment_label(&engine.texts, booking.start, engine.biz.business.timezone);
    turn.reply(Screen {
        text: engine.tf("cancel-ask", &describe(engine, &booking, &when)),
        buttons: vec![vec![
            button(engine, "button-cancel-yes", seq, Action::Cancel(id)),
            button(engine, "button-cancel-no", seq, Action::MyBookings),
        ]],
        request_contact: None,
    });
    Ok(())
}

/// «Да, отменить»: checked again, then cancelled; staff are told through the outbox.
pub(crate) fn cancel(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    id: BookingId,
) -> anyhow::Result<()> {
    if cancellable(engine, turn, dialog, id)?.is_none() {
        return Ok(());
    }

    let Some(cancelled) = engine.store.cancel_booking(id, Actor::Client, turn.now)? else {
        turn.reply(Screen::text(engine.t("booking-not-found")));
        return show(engine, turn, dialog);
    };
    tracing::info!(chat = turn.chat.0, booking = id.0, "cancelled by the client");

    let when = dates::moment_label(&engine.texts, cancelled.start, engine.biz.business.timezone);
    turn.reply(Screen::text(engine.tf("booking-cancelled", &describe(engine, &cancelled, &when))));
    engine.signal_notices();
    dialog.reset();
    ask(engine, turn, dialog)
}
