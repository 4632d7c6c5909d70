//! Errors of the service as sentences a front-desk worker understands. The front ends see
//! only [`ServiceError`]; the store's own errors never reach them.

use super::{Lang, t, tf};
use crate::service::ServiceError;

/// A service error as one or more sentences (one per field problem).
pub fn service_error(lang: Lang, e: &ServiceError) -> String {
    match e {
        ServiceError::Forbidden { role, what } => tf(
            lang,
            "error.forbidden",
            &[
                ("role", role.key().to_string()),
                (
                    "action",
                    t(lang, &format!("permission.{}", what.key())).to_string(),
                ),
            ],
        ),
        ServiceError::Invalid(errors) => errors
            .iter()
            .map(|e| super::field_error_text(lang, e))
            .collect::<Vec<_>>()
            .join(" "),
        ServiceError::Duplicates(dups) => {
            let mut reasons: Vec<String> = dups
                .iter()
                .flat_map(|d| d.reasons.iter())
                .map(|r| t(lang, &format!("duplicate.{}", r.key())).to_string())
                .collect();
            reasons.sort_unstable();
            reasons.dedup();
            tf(lang, "error.duplicate", &[("reasons", reasons.join(", "))])
        }
        ServiceError::InUse { path } => tf(
            lang,
            "error.in_use",
            &[("path", path.display().to_string())],
        ),
        ServiceError::Conflict { by, at, .. } => tf(
            lang,
            "error.conflict",
            &[
                ("by", by.clone()),
                (
                    "at",
                    format!(
                        "{} {:02}:{:02}",
                        crate::domain::format_date(at.date()),
                        at.hour(),
                        at.minute()
                    ),
                ),
            ],
        ),
        ServiceError::NotFound { .. } => t(lang, "error.not_found").to_string(),
        ServiceError::AlreadyExists { kind, id } => tf(
            lang,
            "error.already_exists",
            &[("kind", kind.to_string()), ("id", id.to_string())],
        ),
        ServiceError::Damaged { kind, id, reason } => tf(
            lang,
            "error.damaged",
            &[
                ("kind", kind.to_string()),
                ("id", id.to_string()),
                ("reason", reason.clone()),
            ],
        ),
        ServiceError::Io { reason } => tf(lang, "error.io", &[("reason", reason.clone())]),
        ServiceError::Stopped { .. } => t(lang, "error.stopped").to_string(),
        ServiceError::Closed => t(lang, "error.closed").to_string(),
        ServiceError::ImportLines(lines) => tf(
            lang,
            "cli.import_failed",
            &[("count", lines.len().to_string())],
        ),
    }
}
