//! A portable dump of the whole store as JSON lines, readable without sled.
//!
//! Line 1 is a header: `{"format":"okno-store","version":1,"schema_version":1}`.
//! Every other line is one entry: `{"tree":"bookings","key":"<hex>","value":<JSON or null>}`.
//! Keys are hex because they are binary (see `schema`); values are the stored JSON itself,
//! `null` for the empty values of index trees. The file is written beside its target and
//! renamed into place, so a crash never leaves half a backup under the real name.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Store;
use super::error::{Result, StoreError};
use super::schema;

pub(crate) const FORMAT: &str = "okno-store";
pub(crate) const FORMAT_VERSION: u32 = 1;

/// What a backup wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupReport {
    pub path: PathBuf,
    pub records: usize,
    pub bytes: u64,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Header {
    pub format: String,
    pub version: u32,
    pub schema_version: u32,
}

#[derive(Debug, Serialize, Deserialize)]
pub(crate) struct Record {
    pub tree: String,
    pub key: String,
    pub value: serde_json::Value,
}

impl Store {
    /// Writes the whole store to `path`. Booking writes wait meanwhile, so bookings and their
    /// indexes are dumped consistently; other writes may land on either side of the dump.
    pub fn backup_to(&self, path: &Path) -> Result<BackupReport> {
        let tmp = temp_path(path);
        let failed = |source| StoreError::BackupWrite { path: path.to_path_buf(), source };

        let guard = self.lock_bookings();
        let records = self.write_dump(&tmp)?;
        drop(guard);

        std::fs::rename(&tmp, path).map_err(failed)?;
        let bytes = std::fs::metadata(path).map_err(failed)?.len();
        tracing::info!(records, bytes, "backup written");
        Ok(BackupReport { path: path.to_path_buf(), records, bytes })
    }

    /// Writes header and records to `tmp`, synced to disk; returns the record count.
    fn write_dump(&self, tmp: &Path) -> Result<usize> {
        let failed = |source| StoreError::BackupWrite { path: tmp.to_path_buf(), source };
        let file = File::create(tmp).map_err(failed)?;
        let mut out = BufWriter::new(file);

        let header = Header {
            format: FORMAT.into(),
            version: FORMAT_VERSION,
            schema_version: schema::CURRENT_VERSION,
        };
        write_line(&mut out, &header).map_err(failed)?;

        // `meta` last: its id counter is written before any record with a new id, so dumped
        // after them it is above every id in the backup, even while the bot keeps writing.
        let [meta, rest @ ..] = self.trees().named();
        let mut records = 0;
        for (name, tree) in rest.into_iter().chain([meta]) {
            for entry in tree.iter() {
                let (key, value) = entry.map_err(StoreError::db("reading for a backup"))?;
                let record = Record { tree: name.into(), key: hex(&key), value: json(&value)? };
                write_line(&mut out, &record).map_err(failed)?;
                records += 1;
            }
        }

        let file = out.into_inner().map_err(|e| failed(e.into_error()))?;
        file.sync_all().map_err(failed)?;
        Ok(records)
    }
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

fn write_line<T: Serialize>(out: &mut impl Write, value: &T) -> std::io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

/// A stored value as JSON: every value in the store is JSON or empty.
fn json(value: &[u8]) -> Result<serde_json::Value> {
    if value.is_empty() {
        return Ok(serde_json::Value::Null);
    }
    serde_json::from_slice(value).map_err(StoreError::corrupt("value"))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_id_counter_comes_after_every_other_tree_in_a_backup() {
        let (dir, store) = super::super::testing::open_temp();
        store.save_dialog(crate::domain::ids::ChatKey(1), &1).unwrap();
        store.next_id().unwrap();
        let path = dir.path().join("dump.jsonl");

        store.backup_to(&path).unwrap();

        let text = std::fs::read_to_string(&path).unwrap();
        let records: Vec<Record> =
            text.lines().skip(1).map(|line| serde_json::from_str(line).unwrap()).collect();
        let counter = records.iter().position(|r| r.key == hex(b"next_id")).unwrap();
        assert!(records.len() > 2, "the dialog and the meta records");
        assert!(records[counter..].iter().all(|r| r.tree == "meta"), "{records:?}");
    }

    #[test]
    fn hex_round_trips_and_rejects_junk() {
        let bytes = [0, 1, 0x7f, 0x80, 0xff];
        assert_eq!(unhex(&hex(&bytes)), Some(bytes.to_vec()));
        assert_eq!(unhex("abc"), None, "odd length");
        assert_eq!(unhex("zz"), None, "not hex");
    }
}
