//! The trees the store keeps, the schema version in `meta`, and the migrations between versions.
//!
//! | tree              | key                          | value                          |
//! |-------------------|------------------------------|--------------------------------|
//! | `meta`            | `schema_version`, `next_id`  | JSON number                    |
//! | `clients`         | client                       | `ClientRecord` (chat, created) |
//! | `chats`           | chat                         | client                         |
//! | `persons`         | client                       | `Person` (erasable)            |
//! | `consents`        | client                       | `Consent` (erasable)           |
//! | `leads`           | lead                         | `Lead`                         |
//! | `current_leads`   | chat                         | lead                           |
//! | `chat_leads`      | chat + lead                  | empty (index)                  |
//! | `bookings`        | booking                      | `Booking`                      |
//! | `master_slots`    | master + start + booking     | empty (index of ACTIVE ones)   |
//! | `client_bookings` | client + booking             | empty (index)                  |
//! | `events`          | time millis + sequence       | `Event`                        |
//! | `dialogs`         | chat                         | dialog state, JSON             |
//! | `staff_outbox`    | sequence                     | `Event` a staff notice is owed |

use std::path::Path;

use super::error::{Result, StoreError};
use super::keys;

/// The version this build writes. Bump it with a step in `migrate` when a layout changes.
pub(crate) const CURRENT_VERSION: u32 = 1;

const VERSION_KEY: &[u8] = b"schema_version";
const NEXT_ID_KEY: &[u8] = b"next_id";

/// Every tree, in backup order.
pub(crate) const TREES: [&str; 14] = [
    "meta",
    "clients",
    "chats",
    "persons",
    "consents",
    "leads",
    "current_leads",
    "chat_leads",
    "bookings",
    "master_slots",
    "client_bookings",
    "events",
    "dialogs",
    "staff_outbox",
];

/// The trees whose values are empty: the key is all they hold.
pub(crate) const INDEX_TREES: [&str; 3] = ["chat_leads", "master_slots", "client_bookings"];

/// Handles to every tree, opened once.
#[derive(Debug)]
pub(crate) struct Trees {
    pub meta: sled::Tree,
    pub clients: sled::Tree,
    pub chats: sled::Tree,
    pub persons: sled::Tree,
    pub consents: sled::Tree,
    pub leads: sled::Tree,
    pub current_leads: sled::Tree,
    pub chat_leads: sled::Tree,
    pub bookings: sled::Tree,
    pub master_slots: sled::Tree,
    pub client_bookings: sled::Tree,
    pub events: sled::Tree,
    pub dialogs: sled::Tree,
    pub staff_outbox: sled::Tree,
}

impl Trees {
    pub(crate) fn open(db: &sled::Db) -> Result<Trees> {
        let tree = |name: &str| db.open_tree(name).map_err(StoreError::db("opening a tree"));
        Ok(Trees {
            meta: tree(TREES[0])?,
            clients: tree(TREES[1])?,
            chats: tree(TREES[2])?,
            persons: tree(TREES[3])?,
            consents: tree(TREES[4])?,
            leads: tree(TREES[5])?,
            current_leads: tree(TREES[6])?,
            chat_leads: tree(TREES[7])?,
            bookings: tree(TREES[8])?,
            master_slots: tree(TREES[9])?,
            client_bookings: tree(TREES[10])?,
            events: tree(TREES[11])?,
            dialogs: tree(TREES[12])?,
            staff_outbox: tree(TREES[13])?,
        })
    }

    /// Each tree with its name, for backup and for tests that scan raw bytes.
    pub(crate) fn named(&self) -> [(&'static str, &sled::Tree); 14] {
        [
            (TREES[0], &self.meta),
            (TREES[1], &self.clients),
            (TREES[2], &self.chats),
            (TREES[3], &self.persons),
            (TREES[4], &self.consents),
            (TREES[5], &self.leads),
            (TREES[6], &self.current_leads),
            (TREES[7], &self.chat_leads),
            (TREES[8], &self.bookings),
            (TREES[9], &self.master_slots),
            (TREES[10], &self.client_bookings),
            (TREES[11], &self.events),
            (TREES[12], &self.dialogs),
            (TREES[13], &self.staff_outbox),
        ]
    }
}

/// Brings the store to `CURRENT_VERSION`: writes it on a fresh store, refuses a newer one.
pub(crate) fn migrate(dir: &Path, meta: &sled::Tree) -> Result<()> {
    let found = match meta.get(VERSION_KEY).map_err(StoreError::db("reading the schema"))? {
        Some(bytes) => keys::decode::<u32>("schema version", &bytes)?,
        None => 0,
    };
    if found > CURRENT_VERSION {
        return Err(StoreError::NewerSchema {
            dir: dir.to_path_buf(),
            found,
            supported: CURRENT_VERSION,
        });
    }

    if found == 0 {
        let version = keys::encode("schema version", &CURRENT_VERSION)?;
        meta.insert(VERSION_KEY, version).map_err(StoreError::db("writing the schema"))?;
        tracing::info!(version = CURRENT_VERSION, "new store: schema version written");
    }
    // Only version 1 exists. When version 2 comes, a step turning 1 into 2 goes here, ending
    // by writing the new version, so a crash mid-way repeats the step rather than skipping it.
    Ok(())
}

/// Reserves the next `count` ids for clients, leads, bookings and event sequence numbers and
/// returns the first; the counter in `meta` holds the last id reserved. Ids reserved but never
/// used before a restart are skipped, never handed out twice: the counter's write precedes, in
/// sled's log, every record that carries one of its ids.
///
/// Why not `Db::generate_id`: its counter lives outside the trees, so a restored backup would
/// start again from zero and hand out ids that already exist. This counter is in `meta` and
/// travels with the backup.
pub(crate) fn reserve_ids(meta: &sled::Tree, count: u64) -> Result<u64> {
    let mut corrupt = None;
    let new = meta
        .update_and_fetch(NEXT_ID_KEY, |old| {
            let last = match old.map(serde_json::from_slice::<u64>) {
                None => 0,
                Some(Ok(n)) => n,
                Some(Err(e)) => {
                    corrupt = Some(e);
                    return old.map(<[u8]>::to_vec);
                }
            };
            Some((last + count).to_string().into_bytes())
        })
        .map_err(StoreError::db("allocating ids"))?;
    if let Some(err) = corrupt {
        return Err(StoreError::corrupt("id counter")(err));
    }
    let bytes = new.unwrap_or_default();
    let last: u64 = keys::decode("id counter", &bytes)?;
    Ok(last + 1 - count)
}

#[cfg(test)]
mod tests {
    use super::super::testing::open_temp;
    use crate::store::Store;

    #[test]
    fn ids_after_a_reopen_are_above_every_id_handed_out_before() {
        let (dir, store) = open_temp();
        let before: Vec<u64> = (0..3).map(|_| store.next_id().unwrap()).collect();
        drop(store);

        let reopened = Store::open(dir.path()).unwrap();
        let after = reopened.next_id().unwrap();

        assert_eq!(before, [1, 2, 3]);
        assert!(after > 3, "{after} was handed out again or went back");
        assert_eq!(reopened.next_id().unwrap(), after + 1, "one block is handed out in order");
    }
}
