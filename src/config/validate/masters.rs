//! Checks for masters: ids, the services they do, their own terms and their dated exceptions.

use std::collections::HashMap;

use super::Report;
use super::hours::check_day;
use super::hours::check_week;
use crate::config::business::{Business, Master};

pub(super) fn check_masters(biz: &Business, report: &mut Report) {
    if biz.masters.is_empty() {
        report.add("masters", "none listed; add at least one [[masters]] block");
    }

    let mut seen = HashMap::new();
    for (i, master) in biz.masters.iter().enumerate() {
        let field = format!("masters[{i}]");
        if let Some(first) = seen.insert(&*master.id.0, i) {
            report.add(
                format!("{field}.id"),
                format!(
                    "\"{}\" is already used by masters[{first}]; give each master their own id",
                    master.id
                ),
            );
        }
        check_services(biz, master, &field, report);
        check_overrides(biz, master, &field, report);
        check_week(&master.week, &format!("{field}.week"), report);
        check_exceptions(master, &field, report);
    }
    check_every_service_is_done(biz, report);
}

/// A service no master does would never appear in the menu: the owner should know why.
fn check_every_service_is_done(biz: &Business, report: &mut Report) {
    for (i, service) in biz.services.iter().enumerate() {
        if !biz.masters.iter().any(|m| m.services.contains(&service.id)) {
            report.add(
                format!("services[{i}]"),
                format!(
                    "no master does \"{}\", so clients would never see it; add it to a \
                     master's services or remove the service",
                    service.id
                ),
            );
        }
    }
}

fn check_services(biz: &Business, master: &Master, field: &str, report: &mut Report) {
    if master.services.is_empty() {
        report.add(
            format!("{field}.services"),
            "is empty; list the ids of the services this master does",
        );
    }
    for (k, id) in master.services.iter().enumerate() {
        if biz.service(id).is_none() {
            report.add(
                format!("{field}.services[{k}]"),
                format!("unknown service \"{id}\"; add it to [[services]] or remove it here"),
            );
        }
    }
}

fn check_overrides(biz: &Business, master: &Master, field: &str, report: &mut Report) {
    for (k, own) in master.overrides.iter().enumerate() {
        let field = format!("{field}.overrides[{k}]");
        if biz.service(&own.service).is_none() {
            report.add(
                format!("{field}.service"),
                format!(
                    "unknown service \"{}\"; add it to [[services]] or remove this override",
                    own.service
                ),
            );
        } else if !master.services.contains(&own.service) {
            report.add(
                format!("{field}.service"),
                format!(
                    "\"{}\" is not among this master's services; add it to their services \
                     or remove this override",
                    own.service
                ),
            );
        }
        if own.duration_minutes == Some(0) {
            report.add(
                format!("{field}.duration_minutes"),
                "is 0; write the master's own duration in minutes, or remove the line",
            );
        }
    }
}

fn check_exceptions(master: &Master, field: &str, report: &mut Report) {
    let mut seen = HashMap::new();
    for (k, exception) in master.exceptions.iter().enumerate() {
        let field = format!("{field}.exceptions[{k}]");
        if let Some(first) = seen.insert(exception.date, k) {
            report.add(
                format!("{field}.date"),
                format!(
                    "{} is already listed in exceptions[{first}]; keep one entry per date",
                    exception.date
                ),
            );
        }
        if let Some(hours) = &exception.hours {
            check_day(hours, &format!("{field}.hours"), report);
        }
    }
}
