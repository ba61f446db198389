use std::path::Path;

use super::*;

/// The smallest file that passes every check; broken variants are made from it.
const VALID: &str = r#"
[business]
name = "Тест"
kind = "salon"
timezone = "Asia/Krasnoyarsk"
address = "г. Красноярск, ул. Ленина, 1"
phone = "+7 391 200-00-00"
privacy_url = "https://example.ru/privacy"
consent_version = "1"

[booking]
slot_step_minutes = 30
buffer_minutes = 10
min_notice_minutes = 60
horizon_days = 14
late_cancel_hours = 3
max_active_per_client = 3
lead_idle_days = 7

[staff]
chat_id = -100123
owners = [1]

[[questions]]
id = "first_visit"
text = "Вы у нас впервые?"
options = ["Да", "Нет"]

[[services]]
id = "haircut"
name = "Стрижка"
duration_minutes = 60
price_rub = 1500

[[masters]]
id = "anna"
name = "Анна"
services = ["haircut"]

[masters.week]
mon = { open = "10:00", close = "19:00", breaks = [{ from = "14:00", to = "15:00" }] }
"#;

fn problems_of(text: &str) -> String {
    match parse_business(Path::new("data/salon.toml"), text) {
        Ok(_) => panic!("the broken file was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_sample_businesses_load_without_errors() {
    for file in ["data/salon.toml", "data/dental.toml", "data/fitness.toml"] {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        if let Err(e) = load_business(&path) {
            panic!("{file} should load, got:\n{e}");
        }
    }
}

#[test]
fn the_minimal_file_is_valid() {
    let biz = parse_business(Path::new("t.toml"), VALID).expect("valid file");
    assert_eq!(biz.masters.len(), 1);
}

#[test]
fn an_unknown_service_and_a_break_outside_hours_are_reported_together() {
    let text = VALID
        .replace(r#"services = ["haircut"]"#, r#"services = ["haircut", "nails"]"#)
        .replace(r#"from = "14:00", to = "15:00""#, r#"from = "09:00", to = "10:30""#);

    assert_eq!(
        problems_of(&text),
        "data/salon.toml: masters[0].services[1]: unknown service \"nails\"; \
         add it to [[services]] or remove it here\n\
         data/salon.toml: masters[0].week.mon.breaks[0]: 09:00–10:30 lies outside working \
         hours 10:00–19:00; move it inside or remove it"
    );
}

#[test]
fn overlapping_breaks_and_reversed_hours_name_the_day() {
    let text = VALID.replace(
        r#"mon = { open = "10:00", close = "19:00", breaks = [{ from = "14:00", to = "15:00" }] }"#,
        r#"mon = { open = "10:00", close = "19:00", breaks = [
    { from = "14:00", to = "15:00" }, { from = "14:30", to = "16:00" },
] }
tue = { open = "19:00", close = "10:00" }"#,
    );

    assert_eq!(
        problems_of(&text),
        "data/salon.toml: masters[0].week.mon.breaks[1]: 14:30–16:00 overlaps breaks[0]; \
         merge them into one break\n\
         data/salon.toml: masters[0].week.tue: opens at 19:00 but closes at 10:00; the opening \
         time must come first (a shift past midnight is not supported)"
    );
}

#[test]
fn times_with_seconds_are_refused_with_the_minutes_to_write() {
    let text = VALID.replace(
        r#"open = "10:00", close = "19:00", breaks = [{ from = "14:00", to = "15:00" }]"#,
        r#"open = "10:00:30", close = "19:00", breaks = [{ from = "14:00", to = "15:00:10" }]"#,
    );

    assert_eq!(
        problems_of(&text),
        "data/salon.toml: masters[0].week.mon.open: is 10:00:30; write whole minutes, like \
         \"10:00\"\n\
         data/salon.toml: masters[0].week.mon.breaks[0].to: is 15:00:10; write whole minutes, \
         like \"15:00\""
    );
}

#[test]
fn every_kind_of_problem_names_its_field() {
    let text = VALID
        .replace(r#"name = "Тест""#, r#"name = "  ""#)
        .replace("https://example.ru/privacy", "example.ru/privacy")
        .replace("slot_step_minutes = 30", "slot_step_minutes = 3")
        .replace("horizon_days = 14", "horizon_days = 0")
        .replace("chat_id = -100123", "chat_id = 0")
        .replace("owners = [1]", "owners = []")
        .replace(r#"options = ["Да", "Нет"]"#, r#"label = " ""#)
        .replace(r#"consent_version = "1""#, r#"consent_version = """#)
        + r#"
[[services]]
id = "haircut"
name = "Ещё стрижка"
duration_minutes = 0
price_rub = 1

[[masters]]
id = "anna"
name = "Анна 2"
services = ["haircut"]
overrides = [{ service = "color", price_rub = 1 }]
exceptions = [{ date = "2026-12-31" }, { date = "2026-12-31" }]
week = {}

[backup]
cron = "0 4 * * *"
keep = 7
"#;

    let message = problems_of(&text);
    let fields: Vec<&str> = message
        .lines()
        .map(|line| line.split(": ").nth(1).unwrap_or_else(|| panic!("no field in: {message}")))
        .collect();
    assert_eq!(
        fields,
        [
            "business.name",
            "business.consent_version",
            "business.privacy_url",
            "booking.slot_step_minutes",
            "booking.horizon_days",
            "staff.owners",
            "staff.chat_id",
            "questions[0].label",
            "questions[0]",
            "services[1].id",
            "services[1].duration_minutes",
            "masters[1].id",
            "masters[1].overrides[0].service",
            "masters[1].exceptions[1].date",
            "backup.cron",
        ]
    );
    assert!(message.contains("6 or 7 fields with seconds first"), "cron fix: {message}");
}

#[test]
fn an_override_for_a_service_the_master_does_not_do_is_rejected() {
    let text = VALID.replace(
        r#"services = ["haircut"]"#,
        r#"services = []
overrides = [{ service = "haircut", duration_minutes = 0 }]"#,
    );

    assert_eq!(
        problems_of(&text),
        "data/salon.toml: masters[0].services: is empty; list the ids of the services this \
         master does\n\
         data/salon.toml: masters[0].overrides[0].service: \"haircut\" is not among this \
         master's services; add it to their services or remove this override\n\
         data/salon.toml: masters[0].overrides[0].duration_minutes: is 0; write the master's \
         own duration in minutes, or remove the line\n\
         data/salon.toml: services[0]: no master does \"haircut\", so clients would never see \
         it; add it to a master's services or remove the service"
    );
}

#[test]
fn a_phone_without_a_number_and_an_empty_specialist_are_refused() {
    let text =
        VALID.replace(r#"phone = "+7 391 200-00-00""#, "phone = \"звоните\"\nspecialist = \" \"");

    assert_eq!(
        problems_of(&text),
        "data/salon.toml: business.phone: \"звоните\" is not a number to dial; write the number \
         clients should call, e.g. +7 391 205-41-17\n\
         data/salon.toml: business.specialist: is empty; write what clients call the people \
         they book with (мастер, врач, тренер), or remove the line for «мастер»"
    );
}

#[test]
fn a_toml_syntax_error_keeps_the_line_and_the_file() {
    let text = VALID.replace("horizon_days = 14", "horizon_days = ");

    let message = problems_of(&text);

    assert!(message.starts_with("data/salon.toml: not a valid business file: "), "{message}");
    assert!(message.contains("line 15, column 16"), "toml's position is kept: {message}");
    let fix = "\nFix: correct the line shown; okno's sample data/salon.toml is a working example \
               with a comment on each field";
    assert!(message.ends_with(fix), "{message}");
}

#[test]
fn a_misspelt_time_zone_and_a_negative_number_get_a_fix() {
    let zone = problems_of(&VALID.replace("Asia/Krasnoyarsk", "Asia/Krasnoyarks"));
    let negative = problems_of(&VALID.replace("buffer_minutes = 10", "buffer_minutes = -10"));

    assert!(zone.contains("'Asia/Krasnoyarks'"), "{zone}");
    let zone_fix = "Fix: write the time zone as in the IANA list, e.g. \"Asia/Krasnoyarsk\" or \
                    \"Europe/Moscow\"";
    assert!(zone.ends_with(zone_fix), "{zone}");
    assert!(
        negative.ends_with("Fix: write a whole number, 0 or more, without quotes"),
        "{negative}"
    );
}

#[test]
fn a_missing_file_says_which_path_was_tried() {
    let err = load_business(Path::new("/nonexistent/okno.toml")).expect_err("no such file");

    let message = err.to_string();

    assert!(message.starts_with("/nonexistent/okno.toml: cannot read the business file"));
    assert!(message.ends_with("check the path and that the bot may read it"), "{message}");
}
