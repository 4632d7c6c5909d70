//! Errors of the lower layers as sentences a front-desk worker understands.

use super::{Lang, t, tf};
use crate::service::ServiceError;
use crate::store::StoreError;

/// A store error as one sentence.
pub fn store_error(lang: Lang, e: &StoreError) -> String {
    match e {
        StoreError::InUse { path } => tf(
            lang,
            "error.in_use",
            &[("path", path.display().to_string())],
        ),
        StoreError::Conflict { by, at, .. } => tf(
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
        StoreError::NotFound { .. } => t(lang, "error.not_found").to_string(),
        StoreError::AlreadyExists { kind, id } => tf(
            lang,
            "error.already_exists",
            &[("kind", kind.to_string()), ("id", id.to_string())],
        ),
        StoreError::Damaged { kind, id, reason } => tf(
            lang,
            "error.damaged",
            &[
                ("kind", kind.to_string()),
                ("id", id.to_string()),
                ("reason", reason.clone()),
            ],
        ),
        StoreError::Io(reason) => tf(lang, "error.io", &[("reason", reason.clone())]),
    }
}

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
        ServiceError::Store(e) => store_error(lang, e),
    }
}
