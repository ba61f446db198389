//! Restoring a backup (see `backup` for the format) into an empty data dir.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use super::backup::{FORMAT, FORMAT_VERSION, Header, Record, unhex};
use super::error::{Result, StoreError};
use super::schema::{self, INDEX_TREES, TREES};
use super::{Store, open_db};

/// What a restore read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub dir: PathBuf,
    pub records: usize,
}

impl Store {
    /// Fills the empty (or missing) `dir` from the backup `from`, then opens it once to bring
    /// its schema up to date. Refuses a non-empty dir, so a restore never mixes two stores.
    pub fn restore(dir: &Path, from: &Path) -> Result<RestoreReport> {
        ensure_empty(dir)?;
        let file = File::open(from)
            .map_err(|source| StoreError::BackupRead { path: from.to_path_buf(), source })?;
        let mut lines = BufReader::new(file).lines().enumerate();
        let mut reader = Reader { path: from, lines: &mut lines };
        reader.header()?;

        let db = open_db(dir)?;
        let mut records = 0;
        while let Some((line, record)) = reader.record()? {
            let (tree, key, value) = decode_record(from, line, record)?;
            let tree = db.open_tree(tree).map_err(StoreError::db("opening a tree to restore"))?;
            tree.insert(key, value).map_err(StoreError::db("restoring a record"))?;
            records += 1;
        }
        db.flush().map_err(StoreError::db("flushing a restore"))?;
        drop(db);

        Store::open(dir)?.flush()?;
        tracing::info!(records, "backup restored");
        Ok(RestoreReport { dir: dir.to_path_buf(), records })
    }
}

fn ensure_empty(dir: &Path) -> Result<()> {
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
            .map_err(|err| format_error(self.path, line, err.to_string()))?;
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
