use super::*;

const VECTORS: &str = include_str!("../../../tests/fixtures/phone_ru/phone_ru_vectors.tsv");

/// Rows where the Rust `phonenumber` crate and Python `phonenumbers` disagree, with the reason.
/// Matched by the `input` column.
const KNOWN_DIFFERENCES: &[(&str, &str)] = &[(
    "tel:+73911234567;ext=123",
    // phonenumber 0.3.10 src/parser/rfc3966.rs: the country code after '+' runs until a visual
    // separator ('-', '.', '(' or ')'), so an RFC 3966 URI without one has no national part.
    // "tel:+7(391)123-45.67;ext=123" parses. People do not type tel: URIs into a chat.
    "the crate's RFC 3966 parser needs a separator after the country code",
)];

/// One fixture row, reduced to what our policy needs.
struct Row<'a> {
    line: usize,
    input: &'a str,
    region: Option<country::Id>,
    expected: Option<&'a str>,
}

fn rows() -> impl Iterator<Item = Row<'static>> {
    VECTORS.lines().enumerate().skip(1).map(|(i, line)| {
        let cols: Vec<&str> = line.split('\t').collect();
        assert!(cols.len() >= 11, "line {}: expected at least 11 columns", i + 1);
        Row {
            line: i + 1,
            input: cols[0],
            region: cols[1].parse().ok(),
            expected: expected_by_policy(&cols),
        }
    })
}

/// Accepted iff valid, Russian and a type that reaches a person; then the E.164 column.
fn expected_by_policy(cols: &[&str]) -> Option<&'static str> {
    let accepted_type = matches!(cols[6], "MOBILE" | "FIXED_LINE" | "FIXED_LINE_OR_MOBILE");
    let accepted = cols[4] == "true" && cols[8] == "RU" && accepted_type;
    // Leak is fine in a test: the rows live for the whole run anyway.
    accepted.then(|| &*cols[2].to_string().leak())
}

#[test]
fn every_fixture_row_follows_the_policy() {
    let mut failures = Vec::new();
    let mut passed = 0;
    for row in rows() {
        match check_row(&row) {
            Ok(true) => passed += 1,
            Ok(false) => {}
            Err(failure) => failures.push(failure),
        }
    }
    eprintln!("phone fixture: {passed} rows pass, {} known differences", KNOWN_DIFFERENCES.len());
    assert!(
        failures.is_empty(),
        "{} rows break the policy:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// `Ok(true)` when the row agrees, `Ok(false)` when it is a listed difference that still differs.
fn check_row(row: &Row) -> Result<bool, String> {
    let got = parse_in(row.input, row.region);
    let got_e164 = got.as_ref().ok().map(Phone::as_str);
    let known = KNOWN_DIFFERENCES.iter().find(|(input, _)| *input == row.input);
    let agrees = got_e164 == row.expected;
    match (known, agrees) {
        (None, true) => Ok(true),
        (Some(_), false) => Ok(false),
        (Some((_, why)), true) => Err(format!(
            "line {} {:?} now agrees; drop it from KNOWN_DIFFERENCES ({why})",
            row.line, row.input
        )),
        (None, false) => Err(format!(
            "line {} {:?} (region {:?}): got {got:?}, want {:?}",
            row.line, row.input, row.region, row.expected
        )),
    }
}

#[test]
fn common_ways_of_writing_a_mobile_number_give_one_e164() {
    let inputs = [
        "+7 913 123-45-67",
        "8 (913) 123-45-67",
        "79131234567",
        "913 123 45 67",
        "\u{ff18}\u{ff19}\u{ff11}\u{ff13}\u{ff11}\u{ff12}\u{ff13}\u{ff14}\u{ff15}\u{ff16}\u{ff17}",
        "Телефон: 8-913-123-45-67",
        "+7 913 123 45 67 доб. 12",
        "+7 913 123 45 67 x12",
    ];
    for input in inputs {
        let phone = Phone::parse(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        assert_eq!(phone.as_str(), "+79131234567", "input {input:?}");
    }
}

#[test]
fn numbers_that_do_not_reach_a_person_in_russia_are_refused_with_a_reason() {
    let cases = [
        ("8 800 123-45-67", PhoneError::NotAccepted("TollFree".into())),
        ("+7 800 123-45-67", PhoneError::NotAccepted("TollFree".into())),
        ("8 809 123-45-67", PhoneError::NotAccepted("PremiumRate".into())),
        ("+7 700 123 45 67", PhoneError::NotRussian),
        ("+375 29 123 45 67", PhoneError::NotRussian),
        ("+7 913 123 45 6", PhoneError::Invalid),
        ("позвоните мне", PhoneError::NotANumber),
    ];
    for (input, want) in cases {
        assert_eq!(Phone::parse(input), Err(want), "input {input:?}");
    }
}

#[test]
fn a_telegram_contact_is_read_as_international() {
    assert_eq!(Phone::from_contact("79131234567").unwrap().as_str(), "+79131234567");
    assert_eq!(Phone::from_contact("+79131234567").unwrap().as_str(), "+79131234567");
    assert_eq!(Phone::from_contact("375291234567"), Err(PhoneError::NotRussian));
}

#[test]
fn a_phone_serializes_as_a_plain_string() {
    let phone = Phone::parse("8 913 123 45 67").unwrap();
    assert_eq!(serde_json::to_string(&phone).unwrap(), "\"+79131234567\"");
    assert_eq!(serde_json::from_str::<Phone>("\"+79131234567\"").unwrap(), phone);
    assert_eq!(phone.to_string(), "+79131234567");
}

#[test]
fn landlines_whose_area_code_starts_with_eight_are_accepted() {
    let cases = [
        ("+7 812 123-45-67", "+78121234567"),
        ("8 (812) 123-45-67", "+78121234567"),
        ("88121234567", "+78121234567"),
        ("(812) 123 45 67", "+78121234567"),
        ("8 843 123 45 67 доб. 7", "+78431234567"),
        ("Звоните: +7 (861) 123-45-67", "+78611234567"),
    ];
    for (input, want) in cases {
        let got = Phone::parse(input).map(|p| p.to_string());
        assert_eq!(got.as_deref(), Ok(want), "input {input:?}");
    }
}

#[test]
fn nine_digits_after_plus_seven_are_not_completed_with_a_guessed_eight() {
    assert_eq!(Phone::parse("+7 12 123 45 67"), Err(PhoneError::Invalid));
}
