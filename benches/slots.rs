//! Micro benchmarks: slot search over 14 days × 10 masters (goal ≤ 1 ms), one dialog step
//! through the engine, and taking a slot in the store (flushed to disk, as in production).
//! Run: `cargo bench --bench slots`. Figures go to BENCHMARKS.md.

#[path = "support/business.rs"]
mod business;

use std::hint::black_box;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use okno::clock::ManualClock;
use okno::config::business::Business;
use okno::dialog::{Engine, Incoming, Input, Outbox};
use okno::domain::booking::{Actor, Booking, BookingStatus, NewBooking};
use okno::domain::calendar::Calendar;
use okno::domain::ids::{BookingId, ChatKey, ClientId, MasterId, ServiceId, UserKey};
use okno::domain::money::Money;
use okno::domain::slots::find_free_slots;
use okno::store::Store;

/// Monday 7 December 2026, 00:00 in Krasnoyarsk.
fn monday() -> DateTime<Utc> {
    "2026-12-06T17:00:00Z".parse().expect("a valid moment")
}

/// One booking per master per day at 10:00 and 16:00: a salon a third full.
fn some_bookings(biz: &Business, now: DateTime<Utc>) -> Vec<Booking> {
    let mut busy = Vec::new();
    for (i, master) in biz.masters.iter().enumerate() {
        for day in 0..14 {
            for hour in [3, 9] {
                let start = now + Duration::days(day) + Duration::hours(hour + 7);
                busy.push(booking(busy.len() as u64, &master.id, start, i as u64));
            }
        }
    }
    busy
}

fn booking(id: u64, master: &MasterId, start: DateTime<Utc>, client: u64) -> Booking {
    Booking {
        id: BookingId(id),
        client: ClientId(client),
        service: ServiceId("haircut_women".into()),
        master: master.clone(),
        start,
        end: start + Duration::minutes(60),
        price: Money::from_rubles(1800),
        status: BookingStatus::Booked,
        created_by: Actor::Client,
        created_at: start - Duration::days(1),
        source: None,
        answers: Vec::new(),
        cancelled: None,
    }
}

fn slot_search(c: &mut Criterion) {
    let biz = business::business(10, 15);
    let service = ServiceId("haircut_women".into());
    let now = monday();
    let busy = Calendar::of(&some_bookings(&biz, now));
    let nothing = Calendar::default();
    let empty = find_free_slots(&biz, &service, None, &nothing, now).len();
    let held = busy.len();
    println!("slot search: {empty} free slots in an empty salon, {held} bookings in the busy one");

    let mut group = c.benchmark_group("find_free_slots 14 days x 10 masters");
    group.bench_function("empty salon", |b| {
        b.iter(|| find_free_slots(black_box(&biz), &service, None, &nothing, now))
    });
    group.bench_function("280 bookings", |b| {
        b.iter(|| find_free_slots(black_box(&biz), &service, None, black_box(&busy), now))
    });
    group.finish();
}

/// An engine with a clock the bench moves: past the per-chat rate limit (30 inputs a minute)
/// the engine would ignore inputs, so every 30 inputs the clock moves on by a minute.
struct Rig {
    engine: Engine,
    clock: Arc<ManualClock>,
    inputs: u32,
}

impl Rig {
    fn new(dir: &std::path::Path, biz: Business) -> Self {
        let texts = okno::app::load_texts(None).expect("built-in texts pass the check");
        let store = Store::open(dir).expect("the store opens");
        let clock = Arc::new(ManualClock::new(monday()));
        let engine = Engine::new(Arc::new(biz), Arc::new(texts), store, clock.clone());
        Rig { engine, clock, inputs: 0 }
    }

    fn send(&mut self, input: Input) -> Outbox {
        self.inputs += 1;
        if self.inputs.is_multiple_of(30) {
            self.clock.set(self.engine.now() + Duration::seconds(61));
        }
        let chat = ChatKey(700_001);
        self.engine.handle(Incoming { chat, user: Some(UserKey(700_001)), input })
    }
}

/// The data of the first button whose label starts with `label` in the last replies.
fn button(out: &Outbox, label: &str) -> Input {
    let buttons = out.replies.iter().flat_map(|s| s.buttons.iter().flatten());
    let found = buttons.clone().find(|b| b.label.starts_with(label));
    let labels: Vec<_> = buttons.map(|b| b.label.clone()).collect();
    Input::Button(found.unwrap_or_else(|| panic!("no {label:?} in {labels:?}")).data.clone())
}

/// A dialog step that can repeat: from the day list to the times of a day and back.
fn dialog_step(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let mut rig = Rig::new(dir.path(), business::business(10, 30));
    let mut out = rig.send(Input::from_text("/start"));
    for label in ["Да, впервые", "Пожеланий нет", "Женская стрижка", "Мастер 1 "]
    {
        out = rig.send(button(&out, label));
    }

    c.bench_function("engine: pick a day, then go back to the days (2 steps)", |b| {
        b.iter(|| {
            let times = rig.send(button(&out, ""));
            out = rig.send(button(&times, "←"));
        })
    });
    c.bench_function("engine: /start", |b| b.iter(|| rig.send(Input::from_text("/start"))));
}

/// Each take is a new free slot, so every iteration writes a booking and flushes it, as the
/// transport does before it tells the client.
fn take_slot(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = Store::open(dir.path()).expect("the store opens");
    let masters: Vec<_> = (0..10).map(|i| MasterId(format!("m{i}").into())).collect();
    let mut n: i64 = 0;

    c.bench_function("store: take_slot (flushed)", |b| {
        b.iter(|| {
            n += 1;
            let start = monday() + Duration::hours(n);
            let new = NewBooking {
                client: ClientId(n as u64),
                service: ServiceId("haircut_women".into()),
                master: masters[n as usize % masters.len()].clone(),
                start,
                end: start + Duration::minutes(60),
                price: Money::from_rubles(1800),
                created_by: Actor::Client,
                created_at: monday(),
                source: None,
                answers: Vec::new(),
            };
            let taken = store.take_slot(new, Duration::minutes(10)).expect("the store works");
            store.flush().expect("the store flushes");
            taken
        })
    });
}

criterion_group!(benches, slot_search, dialog_step, take_slot);
criterion_main!(benches);
