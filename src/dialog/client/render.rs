//! Draws the screen of the step a client is on, with fresh buttons.

use anyhow::Context;
use chrono::NaiveDate;

use super::bookings;
use crate::dialog::callback::{Action, encode};
use crate::dialog::engine::{Engine, Turn};
use crate::dialog::screen::{Button, Screen, label_key};
use crate::dialog::state::{ClientDialog, Step};
use crate::domain::ids::{MasterId, ServiceId};
use crate::domain::money::Money;

pub(crate) use super::labels::price_label;
use crate::domain::slots;
use crate::texts::dates;

/// Shows the current step again with new buttons; older buttons become stale.
pub(crate) fn ask(
    engine: &Engine,
    turn: &mut Turn,
    dialog: &mut ClientDialog,
) -> anyhow::Result<()> {
    // The time can go while the client gives a name, a consent or a phone: a summary of a
    // taken slot would leave nothing to press, so the client gets fresh times instead.
    if dialog.step == Step::Summary && super::book::current_slot(engine, turn, dialog)?.is_none() {
        return super::book::slot_gone(engine, turn, dialog);
    }

    dialog.next_seq(turn.now);
    let screen = render(engine, turn, dialog)?;
    turn.reply(screen);
    Ok(())
}

fn render(engine: &Engine, turn: &Turn, dialog: &ClientDialog) -> anyhow::Result<Screen> {
    let seq = dialog.seq;
    let screen = match &dialog.step {
        Step::Idle => menu(engine, seq),
        Step::Question { index } => question(engine, seq, *index),
        Step::Service => services(engine, seq),
        Step::Master => masters(engine, dialog, seq)?,
        Step::Day => days(engine, turn, dialog, seq)?,
        Step::Time { day } => times(engine, turn, dialog, *day, seq)?,
        Step::Name => Screen::text(engine.t("ask-name")),
        Step::Consent => consent(engine, seq),
        Step::Phone => Screen {
            text: engine.t("ask-phone"),
            buttons: Vec::new(),
            request_contact: Some(engine.t("share-phone-button")),
        },
        Step::Summary => super::book::summary(engine, turn, dialog)?,
        Step::ForgetConfirm => forget_confirm(engine, seq),
    };
    Ok(screen)
}

/// How much of a label a typed text must give to count as pressing it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Typed {
    /// The whole label, or its start when no other label starts so: «укладка».
    LabelOrStart,
    /// The whole label only, where any other text is an answer in its own right.
    WholeLabel,
}

/// A typed text that names one of the current step's buttons: «укладка» for «Укладка · от
/// 1 500 ₽», «15:00» for the 15:00 button. Only an unambiguous match counts.
pub(crate) fn typed_choice(
    engine: &Engine,
    turn: &Turn,
    dialog: &ClientDialog,
    typed: &str,
    how: Typed,
) -> anyhow::Result<Option<String>> {
    let typed = label_key(typed);
    if typed.is_empty() {
        return Ok(None);
    }
    let screen = render(engine, turn, dialog)?;
    let buttons: Vec<&Button> = screen.buttons.iter().flatten().collect();
    let exact: Vec<_> = buttons.iter().filter(|b| label_key(&b.label) == typed).collect();
    let starts: Vec<_> = match how {
        Typed::LabelOrStart => {
            buttons.iter().filter(|b| label_key(&b.label).starts_with(&typed)).collect()
        }
        Typed::WholeLabel => Vec::new(),
    };
    Ok(match (exact.as_slice(), starts.as_slice()) {
        ([one], _) | ([], [one]) => Some(one.data.clone()),
        _ => None,
    })
}

pub(crate) fn button(engine: &Engine, key: &str, seq: u32, action: Action) -> Button {
    Button { label: engine.t(key), data: encode(seq, action) }
}

pub(crate) fn menu(engine: &Engine, seq: u32) -> Screen {
    Screen {
        text: engine.t("menu"),
        buttons: vec![vec![
            button(engine, "button-book", seq, Action::NewBooking),
            button(engine, "button-my-bookings", seq, Action::MyBookings),
        ]],
        request_contact: None,
    }
}

fn question(engine: &Engine, seq: u32, index: usize) -> Screen {
    let Some(q) = engine.biz.questions.get(index) else {
        return menu(engine, seq);
    };
    let buttons = q
        .options
        .iter()
        .enumerate()
        .map(|(n, label)| {
            vec![Button { label: label.clone(), data: encode(seq, Action::Answer(n)) }]
        })
        .collect();
    // The question's own text says whether a free answer is welcome: the owner words it.
    Screen { text: q.text.clone(), buttons, request_contact: None }
}

fn services(engine: &Engine, seq: u32) -> Screen {
    let buttons = engine
        .labels()
        .service_buttons()
        .map(|(n, label)| {
            vec![Button { label: label.to_owned(), data: encode(seq, Action::Service(n)) }]
        })
        .collect();
    Screen { text: engine.t("choose-service"), buttons, request_contact: None }
}

fn masters(engine: &Engine, dialog: &ClientDialog, seq: u32) -> anyhow::Result<Screen> {
    let service_id = dialog.draft.service.as_ref().context("master step without a service")?;
    let labels = engine.labels().of(service_id);
    let labels = labels.context("the chosen service left the business file")?;

    let mut buttons: Vec<Vec<Button>> = labels
        .specialists
        .iter()
        .map(|(n, label)| {
            vec![Button { label: label.clone(), data: encode(seq, Action::Master(*n)) }]
        })
        .collect();
    if let Some(label) = &labels.anyone {
        buttons.push(vec![Button { label: label.clone(), data: encode(seq, Action::AnyMaster) }]);
    }
    Ok(Screen { text: labels.prompt.clone(), buttons, request_contact: None })
}

/// What a slot search for the draft needs: its service, and its master unless «любой».
fn search_for(dialog: &ClientDialog) -> anyhow::Result<(&ServiceId, Option<&MasterId>)> {
    let service = dialog.draft.service.as_ref().context("slot search without a service")?;
    let master = if dialog.draft.any_master { None } else { dialog.draft.master.as_ref() };
    Ok((service, master))
}

fn days(engine: &Engine, turn: &Turn, dialog: &ClientDialog, seq: u32) -> anyhow::Result<Screen> {
    let (service, master) = search_for(dialog)?;
    let busy = engine.store.calendar();
    let days = slots::free_days(&engine.biz, service, master, &busy, turn.now);
    if days.is_empty() {
        let horizon = i64::from(engine.biz.booking.horizon_days);
        return Ok(Screen {
            text: engine.tf(
                "no-days",
                &[("days", horizon.into()), ("phone", engine.biz.business.phone.clone().into())],
            ),
            buttons: vec![vec![button(engine, "button-other-service", seq, Action::NewBooking)]],
            request_contact: None,
        });
    }

    let buttons = days
        .chunks(2)
        .map(|row| {
            row.iter()
                .map(|day| Button {
                    label: dates::day_label(&engine.texts, *day),
                    data: encode(seq, Action::Day(*day)),
                })
                .collect()
        })
        .collect();
    Ok(Screen { text: engine.t("choose-day"), buttons, request_contact: None })
}

fn times(
    engine: &Engine,
    turn: &Turn,
    dialog: &ClientDialog,
    day: NaiveDate,
    seq: u32,
) -> anyhow::Result<Screen> {
    let tz = engine.biz.business.timezone;
    let (service, master) = search_for(dialog)?;
    let busy = engine.store.calendar();
    let mut on_day = slots::free_slots_on(&engine.biz, service, master, day, &busy, turn.now);
    let mine = bookings::upcoming(engine, turn)?;
    on_day.retain(|slot| bookings::own_clash(&mine, slot.start, slot.end).is_none());
    let mut starts: Vec<_> = on_day.iter().map(|s| s.start).collect();
    starts.dedup();

    let back = vec![button(engine, "button-other-day", seq, Action::Change)];
    let day_label = dates::day_label(&engine.texts, day);
    if starts.is_empty() {
        let text = engine.tf("no-times", &[("day", day_label.into())]);
        return Ok(Screen { text, buttons: vec![back], request_contact: None });
    }

    let mut buttons: Vec<Vec<Button>> = starts
        .chunks(4)
        .map(|row| {
            row.iter()
                .map(|start| Button {
                    label: dates::time_label(start.with_timezone(&tz).time()),
                    data: encode(seq, Action::Time(start.timestamp() / 60)),
                })
                .collect()
        })
        .collect();
    buttons.push(back);

    let prices: Vec<Money> = on_day.iter().map(|s| s.price).collect();
    let price = price_label(engine, &prices).unwrap_or_default();
    let text = engine.tf("choose-time", &[("day", day_label.into()), ("price", price.into())]);
    Ok(Screen { text, buttons, request_contact: None })
}

fn consent(engine: &Engine, seq: u32) -> Screen {
    let about = &engine.biz.business;
    let text = engine.tf(
        "ask-consent",
        &[("business", about.name.clone().into()), ("url", about.privacy_url.clone().into())],
    );
    Screen {
        text,
        buttons: vec![vec![
            button(engine, "button-consent-yes", seq, Action::Consent(true)),
            button(engine, "button-consent-no", seq, Action::Consent(false)),
        ]],
        request_contact: None,
    }
}

fn forget_confirm(engine: &Engine, seq: u32) -> Screen {
    Screen {
        text: engine.t("forget-ask"),
        buttons: vec![vec![
            button(engine, "button-forget-yes", seq, Action::Forget(true)),
            button(engine, "button-forget-no", seq, Action::Forget(false)),
        ]],
        request_contact: None,
    }
}
