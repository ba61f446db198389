//! A generated business for benchmarks and the load run: the sample salon's services, questions
//! and staff, with `masters` masters who each do every service, every day 09:00–21:00 with a
//! lunch hour. It is written as TOML and read by okno's own loader, so it passes the same checks.

use std::path::Path;

use okno::config::business::Business;

const SALON: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/data/salon.toml");

/// The business file text: the sample salon with its masters replaced and the slot grid set.
pub fn business_toml(masters: usize, slot_step_minutes: i64) -> String {
    let text = std::fs::read_to_string(SALON).expect("the sample salon is readable");
    let mut file: toml::Table = toml::from_str(&text).expect("the sample salon is TOML");
    let services = service_ids(&file);

    let booking = file["booking"].as_table_mut().expect("[booking] is a table");
    booking.insert("slot_step_minutes".into(), toml::Value::Integer(slot_step_minutes));
    let list = (0..masters).map(|i| toml::Value::Table(master(i, &services))).collect();
    file.insert("masters".into(), toml::Value::Array(list));
    toml::to_string(&file).expect("a table serialises")
}

/// The same business, parsed and validated.
pub fn business(masters: usize, slot_step_minutes: i64) -> Business {
    let text = business_toml(masters, slot_step_minutes);
    okno::config::load::parse_business(Path::new("generated.toml"), &text)
        .expect("the generated business passes validation")
}

fn service_ids(file: &toml::Table) -> Vec<toml::Value> {
    let services = file["services"].as_array().expect("[[services]] is a list");
    services.iter().map(|s| s["id"].clone()).collect()
}

fn master(i: usize, services: &[toml::Value]) -> toml::Table {
    let day: toml::Table = toml::from_str(
        r#"open = "09:00"
close = "21:00"
breaks = [{ from = "13:00", to = "14:00" }]"#,
    )
    .expect("day hours are TOML");
    let mut week = toml::Table::new();
    for name in ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] {
        week.insert(name.into(), toml::Value::Table(day.clone()));
    }

    let mut m = toml::Table::new();
    m.insert("id".into(), toml::Value::String(format!("m{i}")));
    m.insert("name".into(), toml::Value::String(format!("Мастер {}", i + 1)));
    m.insert("services".into(), toml::Value::Array(services.to_vec()));
    m.insert("week".into(), toml::Value::Table(week));
    m
}
