//! The running bot's scheduled backup: the CLI cannot open a store the bot holds, so the bot
//! writes dumps itself on the business file's cron line, keeping the newest few.

use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::Context;
use chrono::Utc;
use cron::Schedule;

use crate::config::business::Business;
use crate::store::Store;

/// Sleeps until each cron moment (in the business's zone) and writes a dump.
pub async fn run_backups(store: Store, biz: &Business, data_dir: PathBuf) -> anyhow::Result<()> {
    let schedule = Schedule::from_str(&biz.backup.cron).context("backup.cron")?;
    let tz = biz.business.timezone;
    let keep = biz.backup.keep;

    for next in schedule.upcoming(tz) {
        let wait = (next.with_timezone(&Utc) - Utc::now()).to_std().unwrap_or_default();
        tokio::time::sleep(wait).await;

        let dir = data_dir.join("backups");
        let store = store.clone();
        let written = tokio::task::spawn_blocking(move || write_backup(&store, &dir, keep)).await?;
        match written {
            Ok(path) => tracing::info!(file = %path.display(), "backup written"),
            Err(err) => tracing::error!(cause = format!("{err:#}"), "backup failed"),
        }
    }
    Ok(())
}

/// Writes `okno-<UTC time>.jsonl` into `dir` and removes the oldest beyond `keep`.
pub fn write_backup(store: &Store, dir: &Path, keep: usize) -> anyhow::Result<PathBuf> {
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let path = dir.join(format!("okno-{}.jsonl", Utc::now().format("%Y%m%dT%H%M%SZ")));
    store.backup_to(&path)?;

    let mut dumps: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.file_name().is_some_and(|n| n.to_string_lossy().starts_with("okno-")))
        .collect();
    dumps.sort();
    let excess = dumps.len().saturating_sub(keep.max(1));
    for old in &dumps[..excess] {
        std::fs::remove_file(old).with_context(|| format!("removing {}", old.display()))?;
    }
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backups_rotate_keeping_the_newest() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("store")).unwrap();
        let backups = dir.path().join("backups");
        for old in ["okno-20260101T000000Z.jsonl", "okno-20260102T000000Z.jsonl"] {
            std::fs::create_dir_all(&backups).unwrap();
            std::fs::write(backups.join(old), "old").unwrap();
        }

        let written = write_backup(&store, &backups, 2).unwrap();

        let mut left: Vec<_> = std::fs::read_dir(&backups)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        left.sort();
        assert_eq!(left.len(), 2);
        assert_eq!(left[0], "okno-20260102T000000Z.jsonl", "the oldest is removed");
        assert!(written.exists());
        let header = std::fs::read_to_string(&written).unwrap();
        assert!(header.starts_with("{\"format\":\"okno-store\""));
    }
}
