//! Helpers shared by the store's tests: a store in a temp dir, a fixed clock, sample bookings.

use chrono::{DateTime, Duration, TimeZone, Utc};
use tempfile::TempDir;

use super::Store;
use crate::domain::booking::{Actor, NewBooking};
use crate::domain::ids::{ClientId, MasterId, ServiceId};
use crate::domain::money::Money;

pub(crate) fn open_temp() -> (TempDir, Store) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let store = Store::open(dir.path()).expect("a fresh store opens");
    (dir, store)
}

/// A moment on one fixed test day, 2030-03-11 (a Monday), in UTC.
pub(crate) fn at(hour: u32, minute: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2030, 3, 11, hour, minute, 0).single().expect("a valid test time")
}

/// An hour-long haircut for `client` with `master`, starting at `start`.
pub(crate) fn haircut(client: ClientId, master: &str, start: DateTime<Utc>) -> NewBooking {
    NewBooking {
        client,
        service: ServiceId("haircut".into()),
        master: MasterId(master.into()),
        start,
        end: start + Duration::hours(1),
        price: Money::from_rubles(1500),
        created_by: Actor::Client,
        created_at: start - Duration::days(1),
        source: Some("instagram".into()),
        answers: vec![("wishes".into(), "short".into())],
    }
}

/// Every key and value of every tree, for checking that erased bytes are gone.
pub(crate) fn raw_bytes(store: &Store) -> Vec<u8> {
    let mut all = Vec::new();
    for (_, tree) in store.trees().named() {
        for entry in tree.iter() {
            let (key, value) = entry.expect("a readable entry");
            all.extend_from_slice(&key);
            all.extend_from_slice(&value);
        }
    }
    all
}

pub(crate) fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|window| window == needle.as_bytes())
}
