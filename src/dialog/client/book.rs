//! The summary and the booking itself: the slot is re-checked and taken atomically, the client
//! is told only after the store has flushed, and staff get a notice.

use anyhow::Context;
use chrono::{DateTime, Duration, Utc};

use super::bookings;
use super::render::{ask, button};
use crate::config::business::{Master, Service};
use crate::dialog::callback::Action;
use crate::dialog::engine::{Engine, Turn};
use crate::dialog::screen::Screen;
use crate::dialog::state::{ClientDialog, Step};
use crate::domain::booking::{Actor, Booking, NewBooking};
use crate::domain::ids::ClientId;
use crate::domain::slots::{self, Slot};
use crate::store::LeadStatus;
use crate::texts::dates;

/// The slot the draft points at, if it is still free (for «любой мастер», the first free master).
pub(crate) fn current_slot(
    engine: &Engine,
    turn: &Turn,
    dialog: &ClientDialog,
) -> anyhow::Result<Option<Slot>> {
    let Some(start) = dialog.draft.start else { return Ok(None) };
    let mine = bookings::upcoming(engine, turn)?;
    Ok(slot_at(engine, turn, dialog, start, &mine))
}

/// The slot at `start` with the draft's master (or any master), if it is still free.
///
/// For «любой мастер» the first free master is taken unless their slot clashes with one of
/// the client's own visits (`mine`) and another master's would not: masters' durations
/// differ, and the time list offered the start because some master's slot fit.
pub(crate) fn slot_at(
    engine: &Engine,
    turn: &Turn,
    dialog: &ClientDialog,
    start: DateTime<Utc>,
    mine: &[Booking],
) -> Option<Slot> {
    let service = dialog.draft.service.as_ref()?;
    let busy = engine.store.calendar();
    let biz = &engine.biz;
    if let (Some(master), false) = (&dialog.draft.master, dialog.draft.any_master) {
        return slots::slot_is_free(biz, service, master, start, &busy, turn.now);
    }

    let first = slots::pick_master_for(biz, service, start, &busy, turn.now)?;
    if bookings::own_clash(mine, first.start, first.end).is_none() {
        return Some(first);
    }
    let day = start.with_timezone(&biz.business.timezone).date_naive();
    let clear = slots::free_slots_on(biz, service, None, day, &busy, turn.now)
        .into_iter()
        .find(|s| s.start == start && bookings::own_clash(mine, s.start, s.end).is_none());
    Some(clear.unwrap_or(first))
}

fn names<'a>(
    engine: &'a Engine,
    slot: &Slot,
    dialog: &ClientDialog,
) -> anyhow::Result<(&'a Service, &'a Master)> {
    let service_id = dialog.draft.service.as_ref().context("no service in the draft")?;
    let service = engine.biz.service(service_id).context("service left the business file")?;
    let master = engine.biz.master(&slot.master).context("master left the business file")?;
    Ok((service, master))
}

pub(crate) fn summary(
    engine: &Engine,
    turn: &Turn,
    dialog: &ClientDialog,
) -> anyhow::Result<Screen> {
    let Some(slot) = current_slot(engine, turn, dialog)? else {
        return Ok(Screen::text(engine.t("slot-gone")));
    };
    let (service, master) = names(engine, &slot, dialog)?;
    let tz = engine.biz.business.timezone;
    let text = engine.tf(
        "summary",
        &[
            ("service", service.name.clone().into()),
            ("master", master.name.clone().into()),
            ("when", dates::moment_label(&engine.texts, slot.start, tz).into()),
            ("price", slot.price.to_string().into()),
            ("address", engine.biz.business.address.clone().into()),
        ],
    );
    let seq = dialog.seq;
    Ok(Screen {
        text,
        buttons: vec![vec![
            button(engine, "button-confirm", seq, Action::Book),
            button(engine, "button-change", seq, Action::Change),
        ]],
        request_contact: None,
    })
}

/// «Записаться»: checks the cap, re-checks the slot, takes it atomically.
pub(crate) fn confirm(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
) -> anyhow::Result<()> {
    let client = engine.store.get_or_create_client(turn.chat, turn.now)?;
    let history = engine.store.client_bookings(client).context("reading the client's bookings")?;
    let mine = bookings::holding_time(history, turn.now);
    if let Some(made) = already_booked(dialog, &mine) {
        tracing::info!(chat = turn.chat.0, booking = made.id.0, "repeated confirmation");
        return show_booked(engine, turn, dialog, made, "booked");
    }
    if bookings::at_cap(engine, turn.now, &mine) {
        return bookings::refuse_over_cap(engine, turn, dialog);
    }

    let slot = dialog.draft.start.and_then(|start| slot_at(engine, turn, dialog, start, &mine));
    let Some(slot) = slot else {
        return slot_gone(engine, turn, dialog);
    };
    if let Some(other) = bookings::own_clash(&mine, slot.start, slot.end) {
        tracing::info!(chat = turn.chat.0, booking = other.id.0, "time clashes with own booking");
        return own_clash(engine, turn, dialog, other);
    }

    let new = new_booking(dialog, client, &slot, turn.now)?;
    let buffer = Duration::minutes(i64::from(engine.biz.booking.buffer_minutes));
    let booking = match engine.store.take_slot(new, buffer).context("taking the slot")? {
        Ok(booking) => booking,
        Err(_taken) => return slot_gone(engine, turn, dialog),
    };
    tracing::info!(chat = turn.chat.0, booking = booking.id.0, client = client.0, "booked");

    mark_lead_booked(engine, turn, client)?;
    show_booked(engine, turn, dialog, &booking, "booked")?;
    engine.signal_notices();
    Ok(())
}

/// Among the client's bookings that hold a time (`mine`), the one of exactly this draft: after
/// a crash the saved dialog may still stand at the summary of a booking that was made, and a
/// repeated «Записаться» must show that booking, not call its own time taken.
fn already_booked<'a>(dialog: &ClientDialog, mine: &'a [Booking]) -> Option<&'a Booking> {
    let draft = &dialog.draft;
    let (Some(service), Some(start)) = (&draft.service, draft.start) else { return None };
    mine.iter().find(|b| {
        let same_master = draft.any_master || draft.master.as_ref() == Some(&b.master);
        &b.service == service && b.start == start && same_master
    })
}

/// How recent a booking must be for a second «Записаться» to be taken as a repeat of it.
fn repeat_window() -> Duration {
    Duration::minutes(30)
}

/// «Записаться» on a summary that is no longer current: a double tap, or a tap again after
/// «Готово» never arrived (Telegram refused it, or okno died before sending it). When the
/// client booked within the last half hour, that booking is shown again, so nobody books twice
/// believing the first one failed; otherwise the button is simply stale.
pub(crate) fn pressed_again(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
) -> anyhow::Result<()> {
    let Some(client) = engine.store.client_for_chat(turn.chat)? else {
        return super::stale(engine, turn);
    };
    let mine = bookings::holding_time(engine.store.client_bookings(client)?, turn.now);
    let recent = mine
        .iter()
        .filter(|b| turn.now - b.created_at < repeat_window())
        .max_by_key(|b| b.created_at);
    let Some(booking) = recent else {
        return super::stale(engine, turn);
    };
    tracing::info!(chat = turn.chat.0, booking = booking.id.0, "booking shown again");
    turn.out.button_note = Some(engine.t("already-booked-note"));
    show_booked(engine, turn, dialog, booking, "booked-again")
}

/// What was booked, under «Готово, вы записаны!» (`booked`) or «Вы уже записаны»
/// (`booked-again`); the dialog starts over.
fn show_booked(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    booking: &Booking,
    key: &str,
) -> anyhow::Result<()> {
    let service = engine.biz.service(&booking.service).context("service left the business file")?;
    let master = engine.biz.master(&booking.master).context("master left the business file")?;
    let when = dates::moment_label(&engine.texts, booking.start, engine.biz.business.timezone);
    dialog.reset();
    let seq = dialog.next_seq(turn.now);

    let text = engine.tf(
        key,
        &[
            ("service", service.name.clone().into()),
            ("master", master.name.clone().into()),
            ("when", when.into()),
            ("price", booking.price.to_string().into()),
            ("address", engine.biz.business.address.clone().into()),
        ],
    );
    turn.reply(Screen {
        text,
        buttons: vec![vec![
            button(engine, "button-my-bookings", seq, Action::MyBookings),
            button(engine, "button-book-more", seq, Action::NewBooking),
        ]],
        request_contact: None,
    });
    Ok(())
}

fn new_booking(
    dialog: &ClientDialog,
    client: ClientId,
    slot: &Slot,
    now: DateTime<Utc>,
) -> anyhow::Result<NewBooking> {
    let service = dialog.draft.service.clone().context("no service in the draft")?;
    Ok(NewBooking {
        client,
        service,
        master: slot.master.clone(),
        start: slot.start,
        end: slot.end,
        price: slot.price,
        created_by: Actor::Client,
        created_at: now,
        source: dialog.source.clone(),
        answers: dialog.draft.answers.clone(),
    })
}

fn mark_lead_booked(engine: &Engine, turn: &Turn, client: ClientId) -> anyhow::Result<()> {
    let Some(mut lead) = engine.store.current_lead(turn.chat)? else { return Ok(()) };
    lead.status = LeadStatus::Booked;
    lead.client = Some(client);
    lead.last_activity = turn.now;
    engine.store.save_lead(&lead)?;
    Ok(())
}

/// The chosen time cannot be had: say why and show fresh times for the same day.
pub(crate) fn slot_gone(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
) -> anyhow::Result<()> {
    let text = gone_text(engine, turn, dialog.draft.start);
    back_to_times(engine, turn, dialog, text)
}

/// Why `start` is not free: it has passed (or is now too close to prepare for), or someone
/// else was faster. Blaming another client for a time that simply passed would puzzle people.
pub(crate) fn gone_text(engine: &Engine, turn: &Turn, start: Option<DateTime<Utc>>) -> String {
    let notice = Duration::minutes(i64::from(engine.biz.booking.min_notice_minutes));
    match start {
        Some(start) if start < turn.now + notice => engine.t("slot-passed"),
        _ => engine.t("slot-gone"),
    }
}

/// The client already has a visit at that time: name it, and show other times of the day.
pub(crate) fn own_clash(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    other: &Booking,
) -> anyhow::Result<()> {
    let service = engine.biz.service(&other.service).context("service left the business file")?;
    let when = dates::moment_label(&engine.texts, other.start, engine.biz.business.timezone);
    let text =
        engine.tf("own-clash", &[("when", when.into()), ("service", service.name.clone().into())]);
    back_to_times(engine, turn, dialog, text)
}

fn back_to_times(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    text: String,
) -> anyhow::Result<()> {
    turn.reply(Screen::text(text));
    let tz = engine.biz.business.timezone;
    dialog.step = match dialog.draft.start {
        Some(start) => Step::Time { day: start.with_timezone(&tz).date_naive() },
        None => Step::Day,
    };
    dialog.draft.start = None;
    ask(engine, turn, dialog)
}
