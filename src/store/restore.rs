//! Restoring a backup (see `backup` for the format) into an empty data dir.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use super::backup::{FORMAT, FORMAT_VERSION, Header, Record, unhex};
use super::error::{Result, StoreError, json_failure};
use super::schema::{self, INDEX_TREES, TREES};
use super::{Store, open_db};

/// What a restore read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub dir: PathBuf,
    pub records: usize,
}

/// One record ready to write: tree, key bytes, value bytes.
type Entry = (&'static str, Vec<u8>, Vec<u8>);

impl Store {
    /// Fills the empty (or missing) `dir` from the backup `from`, then opens it once to bring
    /// its schema up to date. Refuses a non-empty dir, so a restore never mixes two stores.
    ///
    /// The whole file is read and checked before anything is written, so a broken backup
    /// leaves the folder untouched. It is held in memory meanwhile: a small business's store
    /// is megabytes, not gigabytes.
    pub fn restore(dir: &Path, from: &Path) -> Result<RestoreReport> {
        ensure_empty(dir)?;
        let entries = read_backup(from)?;

        let db = open_db(dir)?;
        for (tree, key, value) in &entries {
            let tree = db.open_tree(tree).map_err(StoreError::db("opening a tree to restore"))?;
            tree.insert(key.as_slice(), value.as_slice())
                .map_err(StoreError::db("restoring a record"))?;
        }
        db.flush().map_err(StoreError::db("flushing a restore"))?;
        drop(db);

        Store::open(dir)?.flush()?;
        tracing::info!(records = entries.len(), "backup restored");
        Ok(RestoreReport { dir: dir.to_path_buf(), records: entries.len() })
    }
}

/// Every record of a backup, checked: header, tree names, hex keys.
fn read_backup(from: &Path) -> Result<Vec<Entry>> {
    let file = File::open(from)
        .map_err(|source| StoreError::BackupRead { path: from.to_path_buf(), source })?;
    let mut lines = BufReader::new(file).lines().enumerate();
    let mut reader = Reader { path: from, lines: &mut lines };
    reader.header()?;

    let mut entries = Vec::new();
    while let Some((line, record)) = reader.record()? {
        entries.push(decode_record(from, line, record)?);
    }
    Ok(entries)
}

fn ensure_empty(dir: &Path) -> Result<()> {
    if dir.is_file() {
        return Err(StoreError::NotADir { dir: dir.to_path_buf() });
    }
    let not_empty = match std::fs::read_dir(dir) {
        Ok(mut entries) => entries.next().is_some(),
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => false,
        Err(source) => return Err(StoreError::CreateDir { dir: dir.to_path_buf(), source }),
    };
    if not_empty {
        return Err(StoreError::RestoreNotEmpty { dir: dir.to_path_buf() });
    }
    Ok(())
}

type Lines = std::iter::Enumerate<std::io::Lines<BufReader<File>>>;

/// Reads a backup line by line, numbering lines from 1 for error messages.
struct Reader<'a> {
    path: &'a Path,
    lines: &'a mut Lines,
}

impl Reader<'_> {
    fn header(&mut self) -> Result<()> {
        let Some((line, header)) = self.parsed::<Header>()? else {
            return Err(format_error(self.path, 1, "the file is empty".into()));
        };
        if header.format != FORMAT || header.version != FORMAT_VERSION {
            let reason = format!("format {} version {}", header.format, header.version);
            return Err(format_error(self.path, line, reason));
        }
        if header.schema_version > schema::CURRENT_VERSION {
            let reason = format!("written by a newer okno (schema {})", header.schema_version);
            return Err(format_error(self.path, line, reason));
        }
        Ok(())
    }

    fn record(&mut self) -> Result<Option<(usize, Record)>> {
        self.parsed()
    }

    fn parsed<T: serde::de::DeserializeOwned>(&mut self) -> Result<Option<(usize, T)>> {
        let Some((index, text)) = self.lines.next() else {
            return Ok(None);
        };
        let line = index + 1;
        let text = text
            .map_err(|source| StoreError::BackupRead { path: self.path.to_path_buf(), source })?;
        let value = serde_json::from_str(&text)
            .map_err(|err| format_error(self.path, line, json_failure(&err)))?;
        Ok(Some((line, value)))
    }
}

/// A record as a known tree name, key bytes and value bytes.
fn decode_record(
    path: &Path,
    line: usize,
    record: Record,
) -> Result<(&'static str, Vec<u8>, Vec<u8>)> {
    let Some(tree) = TREES.iter().find(|name| **name == record.tree) else {
        return Err(format_error(path, line, format!("unknown tree {:?}", record.tree)));
    };
    let Some(key) = unhex(&record.key) else {
        return Err(format_error(path, line, "the key is not hex".into()));
    };
    // Index trees hold empty values, written as `null`; elsewhere `null` is a stored JSON null.
    let value = match record.value {
        serde_json::Value::Null if INDEX_TREES.contains(tree) => Vec::new(),
        value => serde_json::to_vec(&value)
            .map_err(|source| StoreError::Encode { what: "restored value", source })?,
    };
    Ok((tree, key, value))
}

fn format_error(path: &Path, line: usize, reason: String) -> StoreError {
    StoreError::BackupFormat { path: path.to_path_buf(), line, reason }
}

#[cfg(test)]
mod tests {
    use chrono::Duration;

    use super::super::testing::{at, contains, haircut, open_temp, raw_bytes};
    use super::super::{Consent, Person};
    use super::*;
    use crate::domain::booking::Actor;
    use crate::domain::ids::ChatKey;

    /// A store with a bit of everything: client, person, consent, lead, dialog, bookings.
    fn busy_store() -> (tempfile::TempDir, Store) {
        let (dir, store) = open_temp();
        let chat = ChatKey(-100);
        let client = store.get_or_create_client(chat, at(8, 0)).unwrap();
        let person = Person {
            name: Some("Пётр Петров".into()),
            phone: Some("+79005554433".into()),
            telegram_user: Some(100),
        };
        store.save_person(client, &person).unwrap();
        store.save_consent(client, &Consent { version: "1".into(), at: at(8, 1) }).unwrap();
        store.open_lead(chat, Some("site".into()), at(8, 0), 3).unwrap();
        store.save_dialog(chat, &serde_json::json!({"step": "ask_time"})).unwrap();
        store.save_dialog(ChatKey(7), &Option::<u8>::None).unwrap();
        let zero = Duration::zero();
        store.take_slot(haircut(client, "anna", at(10, 0)), zero).unwrap().unwrap();
        let gone = store.take_slot(haircut(client, "olga", at(12, 0)), zero).unwrap().unwrap();
        store.cancel_booking(gone.id, Actor::Client, at(9, 0)).unwrap();
        (dir, store)
    }

    type Entries = Vec<(Vec<u8>, serde_json::Value)>;

    /// Every tree's entries, for comparing two stores.
    fn contents(store: &Store) -> Vec<(&'static str, Entries)> {
        let tree_entries = |tree: &sled::Tree| {
            let entries = tree.iter().map(|entry| entry.unwrap());
            // Parsed, because a restore may reorder a value's fields; empty is kept apart.
            let parsed = |v: &[u8]| match v.is_empty() {
                true => serde_json::json!("<empty>"),
                false => serde_json::from_slice(v).unwrap(),
            };
            entries.map(|(k, v)| (k.to_vec(), parsed(&v))).collect()
        };
        store.trees().named().into_iter().map(|(name, tree)| (name, tree_entries(tree))).collect()
    }

    #[test]
    fn a_backup_restores_into_an_equal_store() {
        let (_dir, store) = busy_store();
        let backups = tempfile::tempdir().unwrap();
        let file = backups.path().join("store.jsonl");

        let report = store.backup_to(&file).unwrap();
        let target = backups.path().join("restored");
        let restored_report = Store::restore(&target, &file).unwrap();
        let restored = Store::open(&target).unwrap();

        assert_eq!(report.records, restored_report.records);
        assert_eq!(contents(&restored), contents(&store));
        assert!(!backups.path().join("store.jsonl.tmp").exists(), "the temp file was renamed");
        let old = store.client_for_chat(ChatKey(-100)).unwrap().unwrap();
        let new = restored.get_or_create_client(ChatKey(5), at(9, 0)).unwrap();
        assert!(new > old, "a restored store does not hand out old ids again");
    }

    #[test]
    fn the_backup_starts_with_a_header_and_holds_one_record_per_line() {
        let (_dir, store) = busy_store();
        let file = tempfile::NamedTempFile::new().unwrap();

        let report = store.backup_to(file.path()).unwrap();

        let text = std::fs::read_to_string(file.path()).unwrap();
        let mut lines = text.lines();
        let header: serde_json::Value = serde_json::from_str(lines.next().unwrap()).unwrap();
        assert_eq!(header["format"], "okno-store");
        assert_eq!(header["version"], 1);
        assert_eq!(lines.count(), report.records);
    }

    #[test]
    fn a_backup_after_forgetting_holds_no_name_or_phone() {
        let (_dir, store) = busy_store();
        let client = store.client_for_chat(ChatKey(-100)).unwrap().unwrap();
        store.forget_client(client, at(9, 30)).unwrap();
        let file = tempfile::NamedTempFile::new().unwrap();

        store.backup_to(file.path()).unwrap();

        let bytes = std::fs::read(file.path()).unwrap();
        assert!(!contains(&bytes, "Пётр"), "a name survived in the backup");
        assert!(!contains(&bytes, "+79005554433"), "a phone survived in the backup");
        assert!(!contains(&raw_bytes(&store), "Пётр"));
    }

    #[test]
    fn restore_refuses_a_dir_that_is_not_empty() {
        let (dir, store) = busy_store();
        let file = tempfile::NamedTempFile::new().unwrap();
        store.backup_to(file.path()).unwrap();

        let err = Store::restore(dir.path(), file.path()).unwrap_err();

        assert!(matches!(err, StoreError::RestoreNotEmpty { .. }), "{err:?}");
        assert!(err.to_string().contains("restore into a new or empty folder"), "{err}");
    }

    #[test]
    fn restore_names_the_line_of_a_broken_backup() {
        let file = tempfile::NamedTempFile::new().unwrap();
        let header = r#"{"format":"okno-store","version":1,"schema_version":1}"#;
        std::fs::write(
            file.path(),
            format!("{header}\n{{\"tree\":\"nope\",\"key\":\"00\",\"value\":1}}\n"),
        )
        .unwrap();
        let target = tempfile::tempdir().unwrap();

        let err = Store::restore(&target.path().join("db"), file.path()).unwrap_err();

        assert!(matches!(err, StoreError::BackupFormat { line: 2, .. }), "{err:?}");
        assert!(!target.path().join("db").exists(), "nothing was written");
    }

    #[test]
    fn restore_refuses_a_file_that_is_not_a_backup() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), "{\"format\":\"other\",\"version\":1,\"schema_version\":1}\n")
            .unwrap();
        let target = tempfile::tempdir().unwrap();

        let err = Store::restore(&target.path().join("db"), file.path()).unwrap_err();

        assert!(matches!(err, StoreError::BackupFormat { line: 1, .. }), "{err:?}");
    }
}
