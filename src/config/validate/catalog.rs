//! Checks for the lists the rest of the file refers to: services and qualifying questions.

use std::collections::HashMap;

use super::Report;
use crate::config::business::{Question, Service};

pub(super) fn check_services(services: &[Service], report: &mut Report) {
    if services.is_empty() {
        report.add("services", "none listed; add at least one [[services]] block");
    }

    let mut seen = HashMap::new();
    for (i, service) in services.iter().enumerate() {
        let field = format!("services[{i}]");
        if let Some(first) = seen.insert(service.id.0.as_str(), i) {
            report.add(
                format!("{field}.id"),
                format!(
                    "\"{}\" is already used by services[{first}]; give each service its own id",
                    service.id
                ),
            );
        }
        if service.duration_minutes == 0 {
            report.add(
                format!("{field}.duration_minutes"),
                "is 0; write how long the service takes in minutes",
            );
        }
        if service.seats == Some(0) {
            report.add(
                format!("{field}.seats"),
                "is 0; write how many people one class takes, or remove the line",
            );
        }
    }
}

pub(super) fn check_questions(questions: &[Question], report: &mut Report) {
    let mut seen = HashMap::new();
    for (i, question) in questions.iter().enumerate() {
        let field = format!("questions[{i}]");
        if let Some(first) = seen.insert(question.id.as_str(), i) {
            report.add(
                format!("{field}.id"),
                format!(
                    "\"{}\" is already used by questions[{first}]; give each question its own id",
                    question.id
                ),
            );
        }
        if question.text.trim().is_empty() {
            report.add(format!("{field}.text"), "is empty; write the question clients will see");
        }
        if question.label.as_ref().is_some_and(|l| l.trim().is_empty()) {
            report.add(
                format!("{field}.label"),
                "is empty; write a few words for the staff notice or remove the line",
            );
        }
        if question.options.is_empty() && !question.free_answer {
            report.add(
                field,
                "cannot be answered: no options and free_answer is false; \
                 add options = [\"...\"] or set free_answer = true",
            );
        }
    }
}
