//! Stopping the real binary the way systemd does: SIGTERM ends polling, the store is flushed
//! and okno exits with code 0, whether it is idle or clients are mid-dialog.

use std::time::Duration;

use crate::support::bot_api::{FakeBotApi, user_text};
use crate::support::crash::child::{Launch, OknoProcess};

/// Long enough for a debug build on a loaded CI machine; a clean stop takes milliseconds.
const PATIENCE: Duration = Duration::from_secs(10);

async fn started(api: &FakeBotApi, dir: &std::path::Path) -> OknoProcess {
    let launch = Launch {
        api_url: api.url(),
        data_dir: dir.join("data"),
        stderr_log: dir.join("okno-stderr.log"),
    };
    let bot = OknoProcess::spawn(&launch);
    api.wait_for_requests("getUpdates", 1).await;
    bot
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_stops_an_idle_bot_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let api = FakeBotApi::start().await;
    let bot = started(&api, dir.path()).await;

    let status = bot.terminate(PATIENCE);

    let log = std::fs::read_to_string(dir.path().join("okno-stderr.log")).unwrap_or_default();
    assert!(status.is_some_and(|s| s.success()), "exit {status:?} after SIGTERM; log:\n{log}");
    api.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_right_after_a_reply_stops_the_bot_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let api = FakeBotApi::start().await;
    let bot = started(&api, dir.path()).await;
    api.push_update(user_text(501, 501, "/start"));
    api.wait_for_sent(501, 1).await;

    let status = bot.terminate(PATIENCE);

    let log = std::fs::read_to_string(dir.path().join("okno-stderr.log")).unwrap_or_default();
    assert!(status.is_some_and(|s| s.success()), "exit {status:?} after SIGTERM; log:\n{log}");
    api.shutdown().await;
}
