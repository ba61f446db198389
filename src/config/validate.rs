//! The rules a business file must keep, checked all at once so the operator sees every
//! problem in one go. Field paths count list items from 0, like `masters[0]` for the first.

mod catalog;
mod hours;
mod masters;

use std::fmt;
use std::str::FromStr;

use super::business::{About, BackupPlan, BookingRules, Business, Staff};

/// One broken rule: where it is in the file and what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// A path such as `masters[1].week.mon.breaks[0]`.
    pub field: String,
    /// What is wrong, then `; ` and the fix.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Collects problems while the checks walk the file.
#[derive(Default)]
struct Report(Vec<Problem>);

impl Report {
    fn add(&mut self, field: impl Into<String>, message: impl Into<String>) {
        self.0.push(Problem { field: field.into(), message: message.into() });
    }
}

/// Every problem in the file, in file order; empty when the file is usable.
pub fn validate(biz: &Business) -> Vec<Problem> {
    let mut report = Report::default();
    check_about(&biz.business, &mut report);
    check_booking(&biz.booking, &mut report);
    check_staff(&biz.staff, &mut report);
    catalog::check_questions(&biz.questions, &mut report);
    catalog::check_services(&biz.services, &mut report);
    masters::check_masters(biz, &mut report);
    check_backup(&biz.backup, &mut report);
    report.0
}

/// Fewer digits than any number a client could dial («call us», «—»): shown to clients as the
/// number to call, such a text would leave them nowhere to go.
const MIN_PHONE_DIGITS: usize = 5;

fn check_about(about: &About, report: &mut Report) {
    let required = [
        ("name", &about.name, "write the business name as clients should see it"),
        ("address", &about.address, "write the address clients should come to"),
        ("phone", &about.phone, "write the number clients should call"),
        (
            "consent_version",
            &about.consent_version,
            "write a label for the current privacy policy, e.g. \"2026-01\"",
        ),
    ];
    for (field, value, fix) in required {
        if value.trim().is_empty() {
            report.add(format!("business.{field}"), format!("is empty; {fix}"));
        }
    }

    let digits = about.phone.chars().filter(char::is_ascii_digit).count();
    if !about.phone.trim().is_empty() && digits < MIN_PHONE_DIGITS {
        report.add(
            "business.phone",
            format!(
                "\"{}\" is not a number to dial; write the number clients should call, \
                 e.g. +7 391 205-41-17",
                about.phone
            ),
        );
    }
    if about.specialist.trim().is_empty() {
        report.add(
            "business.specialist",
            "is empty; write what clients call the people they book with (мастер, врач, \
             тренер), or remove the line for «мастер»",
        );
    }

    let url = about.privacy_url.trim();
    if !(url.starts_with("https://") || url.starts_with("http://")) {
        report.add(
            "business.privacy_url",
            format!(
                "\"{url}\" is not a web address; write the full link to the privacy policy, \
                 starting with https:// (or http://)"
            ),
        );
    }
}

fn check_booking(rules: &BookingRules, report: &mut Report) {
    let step = rules.slot_step_minutes;
    if !(5..=240).contains(&step) {
        report.add(
            "booking.slot_step_minutes",
            format!("{step} is out of range; use 5 to 240 minutes, e.g. 15 or 30"),
        );
    }

    let horizon = rules.horizon_days;
    if !(1..=365).contains(&horizon) {
        report.add(
            "booking.horizon_days",
            format!("{horizon} is out of range; use 1 to 365 days, e.g. 14"),
        );
    }

    if rules.max_active_per_client == 0 {
        report.add("booking.max_active_per_client", "is 0, so nobody could book; use 1 or more");
    }
}

fn check_staff(staff: &Staff, report: &mut Report) {
    if staff.owners.is_empty() {
        report.add(
            "staff.owners",
            "is empty; add the owner's Telegram user id, e.g. owners = [123456789]",
        );
    }
    if staff.chat_id.0 == 0 {
        report.add(
            "staff.chat_id",
            "is 0; write the id of the staff chat (a group's id is negative, e.g. -1001234567890)",
        );
    }
}

fn check_backup(backup: &BackupPlan, report: &mut Report) {
    // cron's own error draws a caret under the line, which breaks a one-line message.
    if cron::Schedule::from_str(&backup.cron).is_err() {
        report.add(
            "backup.cron",
            format!(
                "\"{}\" is not a valid schedule; write 6 or 7 fields with seconds first, \
                 e.g. \"0 0 4 * * *\" for 04:00 every day",
                backup.cron
            ),
        );
    }
    if backup.keep == 0 {
        report.add("backup.keep", "is 0, so no backup would be kept; use 1 or more, e.g. 7");
    }
}
