//! The `okno` binary as an operator and a newcomer meet it: the terminal chat from a pipe, a
//! second process on one data dir, backup and restore, a broken business file.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

const OKNO: &str = env!("CARGO_BIN_EXE_okno");
const NOW: &str = "2026-12-03T09:00:00+07:00";

/// Runs okno in the repository with `args` and `stdin`, without a Telegram token.
fn okno(args: &[&str], stdin: &str) -> Output {
    let mut child = Command::new(OKNO)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("TELOXIDE_TOKEN")
        .env_remove("OKNO_BUSINESS")
        .env_remove("OKNO_DATA_DIR")
        .env("TZ", "Europe/Berlin")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("okno starts");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().expect("okno ends when its input ends")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn data_dir_arg(dir: &Path) -> String {
    dir.to_string_lossy().into_owned()
}

/// Answers in the order the salon asks: first visit, wishes, service, master, day, time,
/// name, consent, phone, «Записаться».
const BOOKING: &str = "1\n1\n1\n1\n2\n3\nИрина\n1\n8 (913) 123-45-67\n1\n";

#[test]
fn a_newcomer_books_in_the_terminal_through_a_pipe() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_dir_arg(dir.path());

    let out = okno(&["--data-dir", &data, "--now", NOW], BOOKING);

    let stdout = text(&out.stdout);
    assert!(out.status.success(), "{}\n{}", stdout, text(&out.stderr));
    assert!(stdout.starts_with("okno: чат в терминале, Салон красоты «Ель»."), "{stdout}");
    assert!(stdout.contains("  1. Да, впервые\n  2. Нет, уже были\n"), "{stdout}");
    let booked = "Готово, вы записаны!\nЖенская стрижка, мастер Анна Соколова\n\
                  пт, 4 декабря, 11:00\nСтоимость: 1\u{a0}800\u{a0}₽\n";
    assert!(stdout.contains(booked), "{stdout}");
    assert!(stdout.contains("[staff] Новая запись\n"), "{stdout}");
    assert!(stdout.contains("[staff] Клиент: Ирина, +7 913 123-45-67\n"), "{stdout}");
}

#[test]
fn the_booking_is_still_there_after_a_restart_and_shows_in_my_bookings() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_dir_arg(dir.path());
    okno(&["--data-dir", &data, "--now", NOW], BOOKING);

    let out = okno(&["--data-dir", &data, "--now", NOW], "/my\n");

    let stdout = text(&out.stdout);
    let mine = "Ваши записи:\n• пт, 4 декабря, 11:00 — Женская стрижка, мастер Анна Соколова, \
                1\u{a0}800\u{a0}₽\n  1. Отменить пт, 4 декабря, 11:00\n";
    assert!(stdout.contains(mine), "{stdout}");
}

#[test]
fn typing_the_labels_on_screen_cancels_a_booking_in_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_dir_arg(dir.path());
    okno(&["--data-dir", &data, "--now", NOW], BOOKING);

    let typed = "/my\nотменить пт, 4 декабря, 11:00\nДа, отменить\n";
    let out = okno(&["--data-dir", &data, "--now", NOW], typed);

    let stdout = text(&out.stdout);
    assert!(stdout.contains("Отменить запись пт, 4 декабря, 11:00 — Женская стрижка"), "{stdout}");
    assert!(stdout.contains("Запись отменена: пт, 4 декабря, 11:00"), "{stdout}");
    assert!(stdout.contains("[staff] Клиент отменил запись"), "{stdout}");
}

#[test]
fn a_long_session_through_a_pipe_is_answered_to_its_last_line() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_dir_arg(dir.path());
    let session = format!("{}{BOOKING}/my\n", "/help\n".repeat(40));

    let out = okno(&["--data-dir", &data, "--now", NOW], &session);

    let stdout = text(&out.stdout);
    assert!(!stdout.contains("очень быстро"), "the terminal is not rate-limited: {stdout}");
    assert!(stdout.contains("Готово, вы записаны!"), "{stdout}");
    let mine = "Ваши записи:\n• пт, 4 декабря, 11:00 — Женская стрижка, мастер Анна Соколова, \
                1\u{a0}800\u{a0}₽\n  1. Отменить пт, 4 декабря, 11:00\n  2. Записаться\n";
    assert!(
        stdout.trim_end().ends_with(mine.trim_end()),
        "the last line, /my, is answered: {stdout}"
    );
}

#[test]
fn after_a_restart_the_terminal_resumes_the_step_in_progress() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_dir_arg(dir.path());
    okno(&["--data-dir", &data, "--now", NOW], "1\n1\n1\n");

    let out = okno(&["--data-dir", &data, "--now", NOW], "");

    let stdout = text(&out.stdout);
    assert!(stdout.contains("Женская стрижка. К кому записать?\n"), "{stdout}");
    assert!(!stdout.contains("Здравствуйте"), "the booking in progress is not dropped: {stdout}");
}

#[test]
fn the_owner_speaks_as_staff_in_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_dir_arg(dir.path());
    okno(&["--data-dir", &data, "--now", NOW], BOOKING);

    let out = okno(&["--data-dir", &data, "--now", NOW, "--as", "staff"], "/today\n");

    assert!(text(&out.stdout).contains("чт, 3 декабря: записей нет\n"), "{}", text(&out.stdout));
}

#[test]
fn a_second_okno_on_the_same_data_dir_exits_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let data = data_dir_arg(dir.path());
    let mut first = Command::new(OKNO)
        .args(["--data-dir", &data, "--now", NOW])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env_remove("TELOXIDE_TOKEN")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    wait_for_lines(&mut first, 4);

    let second = okno(&["--data-dir", &data], "");

    first.kill().unwrap();
    first.wait().unwrap();
    assert_eq!(second.status.code(), Some(3), "a distinct code systemd does not restart on");
    let stderr = text(&second.stderr);
    assert!(stderr.contains("another okno"), "{stderr}");
    assert!(stderr.contains("--data-dir"), "{stderr}");
}

/// Reads the first process's greeting so the test knows it holds the store.
fn wait_for_lines(child: &mut std::process::Child, lines: usize) {
    use std::io::BufRead;
    let stdout = child.stdout.as_mut().unwrap();
    let mut reader = std::io::BufReader::new(stdout);
    for _ in 0..lines {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
    }
}

#[test]
fn backup_and_restore_carry_a_booking_to_a_new_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old");
    let new = dir.path().join("new");
    let dump = dir.path().join("dump.jsonl");
    okno(&["--data-dir", &data_dir_arg(&old), "--now", NOW], BOOKING);

    let backup =
        okno(&["--data-dir", &data_dir_arg(&old), "backup", "--out", &data_dir_arg(&dump)], "");
    assert!(backup.status.success(), "{}", text(&backup.stderr));
    let restore =
        okno(&["--data-dir", &data_dir_arg(&new), "restore", "--from", &data_dir_arg(&dump)], "");
    assert!(restore.status.success(), "{}", text(&restore.stderr));
    let out = okno(&["--data-dir", &data_dir_arg(&new), "--now", NOW], "/my\n");

    assert!(
        text(&out.stdout).contains("• пт, 4 декабря, 11:00 — Женская стрижка"),
        "{}",
        text(&out.stdout)
    );
    let header = std::fs::read_to_string(&dump).unwrap();
    assert!(header.starts_with("{\"format\":\"okno-store\""), "{header:.80}");
}

#[test]
fn a_data_dir_that_is_a_file_and_a_missing_texts_dir_are_each_named_once_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("data");
    std::fs::write(&file, "").unwrap();
    let missing = dir.path().join("texts");

    let as_data = okno(&["--data-dir", &data_dir_arg(&file)], "");
    let as_texts = okno(
        &[
            "--data-dir",
            &data_dir_arg(&dir.path().join("d")),
            "--texts-dir",
            &data_dir_arg(&missing),
        ],
        "",
    );

    let data_err = text(&as_data.stderr);
    let want = format!("{} is a file, not a folder: give --data-dir", file.display());
    assert!(!as_data.status.success() && data_err.contains(&want), "{data_err}");
    let texts_err = text(&as_texts.stderr);
    assert!(!as_texts.status.success(), "{texts_err}");
    assert_eq!(texts_err.matches("No such file or directory").count(), 1, "{texts_err}");
    assert!(texts_err.contains("check that the folder exists and is readable"), "{texts_err}");
}

#[test]
fn a_broken_business_file_is_refused_with_the_file_field_and_fix() {
    let dir = tempfile::tempdir().unwrap();
    let broken = dir.path().join("broken.toml");
    let salon =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("data/salon.toml"))
            .unwrap();
    std::fs::write(
        &broken,
        salon.replace("timezone = \"Asia/Krasnoyarsk\"", "timezone = \"Asia/Krasnoyarks\""),
    )
    .unwrap();

    let out = okno(&["--business", &data_dir_arg(&broken), "check"], "");

    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("broken.toml"), "{stderr}");
    assert!(stderr.contains("timezone"), "{stderr}");
}

#[test]
fn the_sample_businesses_pass_the_check() {
    for file in ["data/salon.toml", "data/dental.toml", "data/fitness.toml"] {
        let out = okno(&["--business", file, "check"], "");
        assert!(out.status.success(), "{file}: {}", text(&out.stderr));
        assert!(text(&out.stdout).contains(": OK ("), "{file}");
    }
}

#[test]
fn a_malformed_api_url_stops_okno_with_the_variable_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(OKNO)
        .args(["--data-dir", &data_dir_arg(dir.path())])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .env("TELOXIDE_TOKEN", "1:TEST")
        .env("TELOXIDE_API_URL", "127.0.0.1:8089")
        .env_remove("TELOXIDE_PROXY")
        .stdin(Stdio::null())
        .output()
        .expect("okno runs");

    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("TELOXIDE_API_URL=\"127.0.0.1:8089\" is not a URL"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
