//! What must hold after a crash run, read from the store and from what the fake Bot API saw:
//! told bookings exist, no slot is taken twice, every booking reached the staff chat.

use std::collections::HashMap;
use std::path::Path;

use chrono::{DateTime, Duration, Utc};
use okno::config::business::Business;
use okno::domain::booking::{Booking, collides};
use okno::domain::ids::{BookingId, ChatKey};
use okno::store::{EventKind, Store};
use okno::texts::Texts;
use okno::texts::dates::moment_label;

use super::client::BOOKED;
use crate::support::bot_api::SentMessage;

const NEW_BOOKING: &str = "Новая запись";

/// The figures of a run; a failed check is reported by the `assert_*` functions.
#[derive(Debug, Default)]
pub struct Tally {
    /// Active bookings in the store.
    pub bookings: usize,
    /// «Готово, вы записаны!» messages the clients received.
    pub told: usize,
    /// Bookings whose «Готово» never reached the client (a death between the flush and the send).
    pub untold: usize,
    /// «Новая запись» messages in the staff chat.
    pub notices: usize,
    /// Notices beyond the first for one booking (a death between a send and its mark).
    pub duplicates: usize,
    /// Bookings whose notice was not sent yet but waits in the store's outbox: the next start
    /// sends it, so it is late, not lost.
    pub queued_notices: usize,
    /// Bookings without any notice, sent or queued, described by service, master and time.
    pub lost_notices: Vec<String>,
}

/// How a booking reads in the client's and the staff's messages.
struct Labels<'a> {
    biz: &'a Business,
    texts: &'a Texts,
}

impl Labels<'_> {
    /// «Женская стрижка, мастер Анна Соколова» and «чт, 3 декабря, 11:00».
    fn of(&self, booking: &Booking) -> (String, String) {
        let service = self.biz.service(&booking.service).map_or("?", |s| s.name.as_str());
        let master = self.biz.master(&booking.master).map_or("?", |m| m.name.as_str());
        let when = moment_label(self.texts, booking.start, self.biz.business.timezone);
        (format!("{service}, мастер {master}"), when)
    }
}

/// Opens the stopped bot's store and checks it against what was sent; panics on a broken rule.
pub fn check_run(
    dir: &Path,
    biz: &Business,
    texts: &Texts,
    chats: &[i64],
    sent: &[SentMessage],
) -> Tally {
    let store = Store::open(dir).expect("the data dir opens after the run");
    let labels = Labels { biz, texts };
    let active = store.active_bookings_from(DateTime::<Utc>::MIN_UTC).expect("bookings read");

    let mut tally = Tally { bookings: active.len(), ..Tally::default() };
    for &chat in chats {
        tally.told += assert_told_bookings_exist(&store, &labels, chat, sent);
    }
    tally.untold = tally.bookings.saturating_sub(tally.told);
    assert_no_slot_taken_twice(&active, Duration::minutes(i64::from(biz.booking.buffer_minutes)));
    let queued = queued_bookings(&store);
    count_notices(&mut tally, &labels, &active, sent, biz.staff.chat_id.0, &queued);
    tally
}

/// Each «Готово» in `chat` matches an active booking of that client, one to one.
fn assert_told_bookings_exist(
    store: &Store,
    labels: &Labels,
    chat: i64,
    sent: &[SentMessage],
) -> usize {
    let told: Vec<(String, String)> = sent
        .iter()
        .filter(|m| m.chat_id == chat && m.text.starts_with(BOOKED))
        .map(|m| {
            let lines: Vec<&str> = m.text.lines().collect();
            (lines[1].to_owned(), lines[2].to_owned())
        })
        .collect();
    if told.is_empty() {
        return 0;
    }
    let client = store.client_for_chat(ChatKey(chat)).expect("clients read");
    let client =
        client.unwrap_or_else(|| panic!("chat {chat} was told of a booking, has no client"));
    let mut held: Vec<_> = store
        .client_bookings(client)
        .expect("bookings read")
        .iter()
        .filter(|b| b.is_active())
        .map(|b| labels.of(b))
        .collect();
    for booking in &told {
        let Some(found) = held.iter().position(|h| h == booking) else {
            panic!("chat {chat} was told of {booking:?}; the store holds only {held:?}");
        };
        held.swap_remove(found);
    }
    told.len()
}

fn assert_no_slot_taken_twice(active: &[Booking], buffer: Duration) {
    for (i, a) in active.iter().enumerate() {
        for b in active[i + 1..].iter().filter(|b| b.master == a.master) {
            assert!(
                !collides(b.start, b.end, a, buffer),
                "bookings {} and {} of master {:?} overlap: {}..{} and {}..{}",
                a.id.0,
                b.id.0,
                a.master,
                a.start,
                a.end,
                b.start,
                b.end
            );
        }
    }
}

/// Matches staff notices to bookings by service, master, time and price.
fn count_notices(
    tally: &mut Tally,
    labels: &Labels,
    active: &[Booking],
    sent: &[SentMessage],
    staff: i64,
    queued: &[BookingId],
) {
    let mut notices: HashMap<(String, String), usize> = HashMap::new();
    let staff_notices = sent.iter().filter(|m| m.chat_id == staff && m.method == "sendMessage");
    for notice in staff_notices.filter(|m| m.text.starts_with(NEW_BOOKING)) {
        let lines: Vec<&str> = notice.text.lines().collect();
        let key = (lines[1].to_owned(), lines[2].to_owned());
        *notices.entry(key).or_default() += 1;
        tally.notices += 1;
    }
    for booking in active {
        let (what, when) = labels.of(booking);
        let key = (what, format!("{when}, {}", booking.price));
        match notices.get(&key).copied().unwrap_or(0) {
            0 if queued.contains(&booking.id) => tally.queued_notices += 1,
            0 => tally.lost_notices.push(format!("{} at {}", key.0, key.1)),
            n => tally.duplicates += n - 1,
        }
    }
}

/// The bookings whose «new booking» notice still waits in the durable outbox.
fn queued_bookings(store: &Store) -> Vec<BookingId> {
    let pending = store.pending_notices(usize::MAX).expect("the staff outbox reads");
    pending
        .into_iter()
        .filter_map(|p| match p.event.kind {
            EventKind::BookingCreated { booking } => Some(booking),
            _ => None,
        })
        .collect()
}
