//! The fixture files under `tests/fixtures/`, loaded by name.

use std::path::{Path, PathBuf};

use serde_json::Value;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every `tests/fixtures/telegram_updates/*.json`, as (file name, update), in file-name order.
///
/// The files keep their upstream `update_id`s, which are not in file order: to push them all,
/// remove `update_id` and let `FakeBotApi::push_update` number them.
pub fn fixture_updates() -> Vec<(String, Value)> {
    let dir = fixtures_dir().join("telegram_updates");
    let entries = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("can't list {}: {error}", dir.display()));
    let mut paths: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a readable directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();

    paths.iter().map(|path| (file_name(path), read_json(path))).collect()
}

fn file_name(path: &Path) -> String {
    path.file_name().expect("a file has a name").to_string_lossy().into_owned()
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|error| panic!("can't read {}: {error}", path.display()));
    serde_json::from_str(&text)
        .unwrap_or_else(|error| panic!("{} is not JSON: {error}", path.display()))
}
