//! Choosing what and when: qualifying questions, service, master, day and time.
//! Every choice is checked against the business file and the live schedule, never trusted.

use chrono::{DateTime, NaiveDate};

use super::{book, bookings, person, render::ask};
use crate::dialog::engine::{Engine, Turn};
use crate::dialog::screen::Screen;
use crate::dialog::state::{ClientDialog, Draft, Step};
use crate::domain::typed;

/// Longest free answer kept; a longer one is cut, not refused.
const MAX_ANSWER_CHARS: usize = 300;

/// Starts a booking: the business's questions first, for a client who never booked before.
/// A client already at the cap of active bookings is told so now, not after choosing a time.
pub(crate) fn begin(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
) -> anyhow::Result<()> {
    let history = match engine.store.client_for_chat(turn.chat)? {
        Some(client) => engine.store.client_bookings(client)?,
        None => Vec::new(),
    };
    if bookings::at_cap(engine, turn.now, &history) {
        return bookings::refuse_over_cap(engine, turn, dialog);
    }

    dialog.draft = Draft::default();
    dialog.step = match engine.biz.questions.is_empty() || !history.is_empty() {
        true => Step::Service,
        false => Step::Question { index: 0 },
    };
    ask(engine, turn, dialog)
}

/// Back to the service list, keeping the answers already given.
pub(crate) fn begin_services(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
) -> anyhow::Result<()> {
    dialog.step = Step::Service;
    ask(engine, turn, dialog)
}

pub(crate) fn answer(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    index: usize,
    option: usize,
) -> anyhow::Result<()> {
    let Some(chosen) = engine.biz.questions.get(index).and_then(|q| q.options.get(option)) else {
        return ask(engine, turn, dialog);
    };
    record_answer(engine, turn, dialog, index, chosen.clone())
}

pub(crate) fn free_answer(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    index: usize,
    text: &str,
) -> anyhow::Result<()> {
    let accepts_text = engine.biz.questions.get(index).is_some_and(|q| q.free_answer);
    let answer: String = typed::plain(text).trim().chars().take(MAX_ANSWER_CHARS).collect();
    if !accepts_text || answer.is_empty() {
        turn.reply(Screen::text(engine.t("use-buttons")));
        return ask(engine, turn, dialog);
    }
    record_answer(engine, turn, dialog, index, answer)
}

fn record_answer(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    index: usize,
    answer: String,
) -> anyhow::Result<()> {
    let id = engine.biz.questions[index].id.clone();
    dialog.draft.answers.retain(|(q, _)| q != &id);
    dialog.draft.answers.push((id, answer));

    dialog.step = match index + 1 < engine.biz.questions.len() {
        true => Step::Question { index: index + 1 },
        false => Step::Service,
    };
    ask(engine, turn, dialog)
}

pub(crate) fn service(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    n: usize,
) -> anyhow::Result<()> {
    let Some(service) = engine.biz.services.get(n) else {
        return ask(engine, turn, dialog);
    };
    dialog.draft.service = Some(service.id.clone());
    dialog.draft.master = None;
    dialog.draft.any_master = false;
    dialog.draft.start = None;
    dialog.step = Step::Master;
    ask(engine, turn, dialog)
}

/// `n` is the master's number in the file; `None` means «любой мастер».
pub(crate) fn master(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    n: Option<usize>,
) -> anyhow::Result<()> {
    let service = dialog.draft.service.clone();
    let chosen = n.and_then(|n| engine.biz.masters.get(n));
    if let Some(master) = chosen
        && !service.is_some_and(|s| master.services.contains(&s))
    {
        return ask(engine, turn, dialog);
    }

    dialog.draft.master = chosen.map(|m| m.id.clone());
    dialog.draft.any_master = chosen.is_none();
    dialog.step = Step::Day;
    ask(engine, turn, dialog)
}

pub(crate) fn day(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    day: NaiveDate,
) -> anyhow::Result<()> {
    dialog.step = Step::Time { day };
    ask(engine, turn, dialog)
}

pub(crate) fn back_to_days(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
) -> anyhow::Result<()> {
    dialog.step = Step::Day;
    ask(engine, turn, dialog)
}

/// A time button: re-checked against the live schedule before it is kept.
pub(crate) fn time(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
    unix_minutes: i64,
) -> anyhow::Result<()> {
    let start = DateTime::from_timestamp(unix_minutes * 60, 0);
    let mine = bookings::upcoming(engine, turn)?;
    let slot = match start {
        Some(start) => book::slot_at(engine, turn, dialog, start, &mine),
        None => None,
    };
    let Some(slot) = slot else {
        turn.reply(Screen::text(book::gone_text(engine, turn, start)));
        return ask(engine, turn, dialog);
    };
    if let Some(other) = bookings::own_clash(&mine, slot.start, slot.end) {
        // The refusal goes back to this day's times, which it finds through the draft.
        dialog.draft.start = Some(slot.start);
        return book::own_clash(engine, turn, dialog, other);
    }

    dialog.draft.start = Some(slot.start);
    person::advance(engine, turn, dialog)
}
