use super::load::Source;
use super::*;

const PLURALS: &str = include_str!("../../tests/fixtures/plurals_ru/ru_plural_cases.tsv");

/// Prints the CLDR category Fluent selects, so the fixture can be compared word for word.
const CATEGORY_FTL: &str = "category = { $n ->
    [one] one
    [few] few
    [many] many
   *[other] other
}
";

fn texts_from(ftl: &str) -> Texts {
    let source = Source { name: "test.ftl".into(), text: ftl.into() };
    Texts::from_sources(vec![source]).expect("test texts load")
}

fn builtin() -> Texts {
    Texts::builtin().expect("built-in texts load")
}

#[test]
fn texts_can_be_shared_between_threads() {
    fn shared<T: Send + Sync>() {}
    shared::<Texts>();
}

#[test]
fn fluent_picks_the_cldr_category_for_every_integer_in_the_fixture() {
    let texts = texts_from(CATEGORY_FTL);
    let mut checked = 0;
    for (i, line) in PLURALS.lines().enumerate().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let (number, want) = (cols[0], cols[1]);
        let Ok(n) = number.parse::<i64>() else { continue };
        assert_eq!(texts.fmt("category", &[("n", Arg::Int(n))]), want, "line {}: {number}", i + 1);
        checked += 1;
    }
    assert!(checked >= 50, "only {checked} integer rows found; is the fixture intact?");
}

/// A fraction prints without trailing zeros, so 1.0 is shown (and declined) as «1»; the rows
/// with a real fractional part must all be "other".
#[test]
fn fluent_picks_the_cldr_category_for_fractions_in_the_fixture() {
    let texts = texts_from(CATEGORY_FTL);
    let fractions = PLURALS.lines().skip(1).filter_map(|line| {
        let cols: Vec<&str> = line.split('\t').collect();
        let x: f64 = cols[0].parse().ok()?;
        (x.fract() != 0.0).then_some((cols[0], x, cols[1]))
    });
    for (number, x, want) in fractions {
        assert_eq!(texts.fmt("category", &[("n", Arg::Decimal(x))]), want, "fraction {number}");
    }
}

#[test]
fn reminders_are_counted_in_the_right_russian_form() {
    let cases = [
        (Arg::Int(1), "1 напоминание"),
        (Arg::Int(2), "2 напоминания"),
        (Arg::Int(5), "5 напоминаний"),
        (Arg::Int(11), "11 напоминаний"),
        (Arg::Int(21), "21 напоминание"),
        (Arg::Int(22), "22 напоминания"),
        (Arg::Decimal(1.5), "1,5 напоминания"),
    ];
    for (count, want) in cases {
        let got = builtin().fmt("reminders-count", &[("count", count.clone())]);
        assert_eq!(got, want, "count {count:?}");
    }
}

#[test]
fn the_cap_says_cancel_it_for_one_booking_and_one_of_them_for_more() {
    let cases = [
        (1, "1 активная запись", "Отмените её"),
        (3, "3 активные записи", "Отмените одну из них"),
        (21, "21 активная запись", "Отмените одну из них"),
    ];
    for (count, held, cancel) in cases {
        let want =
            format!("У вас уже {held} — больше сразу нельзя. {cancel} или дождитесь визита.");
        assert_eq!(builtin().fmt("too-many-bookings", &[("count", Arg::Int(count))]), want);
    }
}

#[test]
fn placeholders_are_filled_without_invisible_isolation_marks() {
    let got = builtin().fmt("greeting", &[("business", "Ель".into())]);
    assert_eq!(got, "Здравствуйте! Это Ель. Запишу вас за минуту.");
}

#[test]
fn a_missing_key_or_argument_shows_the_key_instead_of_a_blank() {
    let texts = builtin();
    assert_eq!(texts.get("no-such-text"), "no-such-text");
    assert_eq!(texts.get("greeting"), "greeting");
}

#[test]
fn the_check_accepts_texts_that_use_only_what_they_are_given() {
    let required: &[(&str, &[&str])] =
        &[("greeting", &["business"]), ("reminders-count", &["count"]), ("error-generic", &[])];
    builtin().check(required).expect("built-in texts pass");
}

#[test]
fn the_check_names_a_misspelt_placeholder_in_an_override() {
    let dir = tempfile::tempdir().unwrap();
    let client = include_str!("../../dialogs/ru/client.ftl")
        .replace("Это { $business }. Запишу", "Это { $busines }. Запишу");
    std::fs::write(dir.path().join("client.ftl"), client).unwrap();

    let texts = Texts::load(Some(dir.path())).expect("override loads");
    let err = texts.check(&[("greeting", &["business"])]).unwrap_err().to_string();

    assert!(err.contains("client.ftl") && err.contains("greeting"), "{err}");
    assert!(err.contains("$busines") && err.contains("{ $business }"), "{err}");
}

#[test]
fn the_check_finds_variables_inside_selects_and_referenced_messages() {
    let texts = texts_from(
        "inner = { $secret }\n\
         outer = { $n ->\n    [one] { inner }\n   *[other] { $n } { NUMBER($extra) }\n}\n",
    );
    let err = texts.check(&[("outer", &["n", "secret"])]).unwrap_err().to_string();
    assert!(err.contains("$extra"), "{err}");
    let err = texts.check(&[("outer", &["n", "extra"])]).unwrap_err().to_string();
    assert!(err.contains("$secret"), "{err}");
    texts.check(&[("outer", &["n", "extra", "secret"])]).expect("all variables given");
}

#[test]
fn the_check_reports_a_missing_text_and_a_broken_reference() {
    let texts = texts_from("broken = Итого: { missing-message }\n");
    let missing = texts.check(&[("absent", &[])]).unwrap_err();
    assert!(matches!(missing, TextsError::Missing { .. }), "{missing}");
    let broken = texts.check(&[("broken", &[])]).unwrap_err();
    assert!(matches!(broken, TextsError::Broken { .. }), "{broken}");
}

#[test]
fn an_override_with_an_unknown_file_name_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("comon.ftl"), "greeting = Привет\n").unwrap();
    let err = Texts::load(Some(dir.path())).err().expect("refused").to_string();
    assert!(err.contains("comon.ftl") && err.contains("common.ftl"), "{err}");
}

#[test]
fn an_override_replaces_the_builtin_file_of_the_same_name() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("client.ftl"), "greeting = Привет, { $business }!\n").unwrap();
    let texts = Texts::load(Some(dir.path())).expect("override loads");
    assert_eq!(texts.fmt("greeting", &[("business", "Ель".into())]), "Привет, Ель!");
    assert_eq!(texts.get("error-generic"), "error-generic", "the whole file is replaced");
}

#[test]
fn a_syntax_error_names_the_file_and_line() {
    let source =
        Source { name: "dialogs/ru/common.ftl".into(), text: "ok = да\nbad = {\n".into() };
    let err = Texts::from_sources(vec![source]).err().expect("refused").to_string();
    assert!(err.contains("dialogs/ru/common.ftl, line 2"), "{err}");
}

#[test]
fn a_key_defined_in_two_files_is_refused() {
    let a = Source { name: "a.ftl".into(), text: "hello = да\n".into() };
    let b = Source { name: "b.ftl".into(), text: "hello = нет\n".into() };
    let err = Texts::from_sources(vec![a, b]).err().expect("refused").to_string();
    assert!(err.contains("b.ftl") && err.contains("a.ftl") && err.contains("hello"), "{err}");
}
