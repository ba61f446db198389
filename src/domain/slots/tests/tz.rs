//! The slot tests give the same answers whatever the server's `TZ` is: they are re-run in
//! child processes of this test binary with other zones.

use std::process::Command;

/// Set in the children so they do not start children of their own.
const CHILD: &str = "OKNO_SLOTS_TZ_CHILD";

#[test]
fn slot_tests_pass_whatever_the_server_time_zone() {
    if std::env::var_os(CHILD).is_some() {
        return;
    }
    let exe = std::env::current_exe().expect("the test binary knows its path");

    for zone in ["UTC", "Europe/Berlin", "America/New_York"] {
        let output = Command::new(&exe)
            .args(["domain::slots::", "--skip", "slot_tests_pass_whatever_the_server_time_zone"])
            .env("TZ", zone)
            .env(CHILD, "1")
            .output()
            .expect("the test binary runs as a child");

        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "case: TZ={zone}: slot tests failed:\n{stdout}");
        let passed = passed_count(&stdout);
        assert!(passed >= 10, "case: TZ={zone}: only {passed} slot tests ran:\n{stdout}");
    }
}

/// N from libtest's `test result: ok. N passed; ...` line.
fn passed_count(stdout: &str) -> usize {
    stdout
        .lines()
        .find_map(|line| line.strip_prefix("test result: ok. "))
        .and_then(|rest| rest.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}
