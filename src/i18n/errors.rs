//! Errors of the service as sentences a front-desk worker understands. The front ends see
//! only [`ServiceError`]; the store's own errors never reach them.

use super::{Lang, field_error_text, t, tf};
use crate::service::{CheckProblem, IndexEntry, LineProblem, ServiceError};

/// A service error as one or more sentences (one per field problem).
pub fn service_error(lang: Lang, e: &ServiceError) -> String {
    match e {
        ServiceError::Forbidden { role, what } => tf(
            lang,
            "error.forbidden",
            &[
                ("role", t(lang, &format!("role.{}", role.key())).to_string()),
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
        ServiceError::MigrationBackup { path, reason } => tf(
            lang,
            "error.migration_backup",
            &[
                ("path", path.display().to_string()),
                ("reason", reason.clone()),
            ],
        ),
        ServiceError::TooNew { path, found, known } => tf(
            lang,
            "error.too_new",
            &[
                ("path", path.display().to_string()),
                ("found", found.to_string()),
                ("known", known.to_string()),
            ],
        ),
        ServiceError::LostData {
            path,
            kind,
            expected,
            found,
        } => tf(
            lang,
            "error.lost_data",
            &[
                ("path", path.display().to_string()),
                (
                    "kind",
                    t(lang, &format!("kind.{}.many", kind.as_str())).to_string(),
                ),
                ("expected", expected.to_string()),
                ("found", found.to_string()),
            ],
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
        ServiceError::ReasonNeeded { consultant, .. } => tf(
            lang,
            "error.reason_needed",
            &[("consultant", consultant.clone())],
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
        ServiceError::DiskFull { path, free, needed } => tf(
            lang,
            "error.disk_full",
            &[
                ("path", path.display().to_string()),
                ("free", super::size_text(lang, *free)),
                ("needed", super::size_text(lang, *needed)),
            ],
        ),
        ServiceError::Stopped { .. } => t(lang, "error.stopped").to_string(),
        ServiceError::Closed => t(lang, "error.closed").to_string(),
        ServiceError::CsvRows(problems) => {
            let key = if problems.len() == 1 {
                "csv.failed_one"
            } else {
                "csv.failed"
            };
            let mut text = tf(lang, key, &[("count", problems.len().to_string())]);
            for p in problems {
                text.push('\n');
                text.push_str(&csv_problem_text(lang, p));
            }
            text
        }
        ServiceError::ImportLines(lines) => import_failed(lang, lines.len()),
        ServiceError::AlreadyThanked { .. } => t(lang, "error.already_thanked").to_string(),
        ServiceError::NoPerson { id } => tf(lang, "error.no_person", &[("id", id.to_string())]),
        ServiceError::Anonymised { .. } => t(lang, "error.anonymised").to_string(),
        ServiceError::CompactVerify { reason } => {
            tf(lang, "error.compact_verify", &[("reason", reason.clone())])
        }
        ServiceError::NoAtomicSwap { reason } => {
            tf(lang, "error.no_atomic_swap", &[("reason", reason.clone())])
        }
        ServiceError::Taken { kind, value, .. } => tf(
            lang,
            "error.taken",
            &[
                (
                    "kind",
                    t(lang, &format!("kind.{}.one", kind.as_str())).to_string(),
                ),
                ("value", value.clone()),
            ],
        ),
        ServiceError::AlreadyImported { count } => tf(
            lang,
            "cli.import_all_exist",
            &[("count", count.to_string())],
        ),
    }
}

/// One problem of a CSV file as a sentence: "line 8, column Gemeente: …".
pub fn csv_problem_text(lang: Lang, p: &crate::service::csv_import::CsvProblem) -> String {
    use crate::service::csv_import::CsvIssue;
    let what = match &p.issue {
        CsvIssue::NotUtf8 => t(lang, "csv.not_utf8").to_string(),
        CsvIssue::TooLarge => tf(
            lang,
            "csv.too_large",
            &[(
                "mb",
                (crate::service::csv_import::MAX_CSV_BYTES / 1024 / 1024).to_string(),
            )],
        ),
        CsvIssue::Unreadable(reason) => tf(lang, "csv.unreadable", &[("reason", reason.clone())]),
        CsvIssue::MissingColumn(f) => tf(
            lang,
            "csv.missing_column",
            &[("column", super::field_label(lang, *f).to_string())],
        ),
        CsvIssue::Bsn => t(lang, "csv.bsn").to_string(),
        CsvIssue::BsnValue => t(lang, "csv.bsn_value").to_string(),
        CsvIssue::Malformed(detail) => tf(lang, "csv.malformed", &[("detail", detail.clone())]),
        CsvIssue::UnknownChoice(value) => {
            tf(lang, "csv.unknown_choice", &[("value", value.clone())])
        }
        CsvIssue::Field(e) => super::problem_text(lang, &e.problem),
    };
    match (&p.column, p.line) {
        (_, 0) => what,
        (Some(c), line) => tf(
            lang,
            "csv.at_column",
            &[
                ("line", line.to_string()),
                ("column", c.clone()),
                ("message", what),
            ],
        ),
        (None, line) => match &p.issue {
            // A field whose column is not in the file: name the field itself.
            CsvIssue::Field(e) => tf(
                lang,
                "csv.at_field",
                &[
                    ("line", line.to_string()),
                    ("field", super::field_label(lang, e.field).to_string()),
                    ("message", what),
                ],
            ),
            _ => tf(
                lang,
                "csv.at_line",
                &[("line", line.to_string()), ("message", what)],
            ),
        },
    }
}

/// What `koppel check` found wrong, as a sentence in `lang`.
pub fn check_problem_text(lang: Lang, p: &CheckProblem) -> String {
    let entry = |e: &IndexEntry| {
        vec![
            ("index", e.index.clone()),
            ("value", e.value.clone()),
            ("id", e.id.to_string()),
        ]
    };
    match p {
        CheckProblem::MalformedKey { kind } => {
            tf(lang, "check.malformed_key", &[("kind", kind.to_string())])
        }
        CheckProblem::IdMismatch { kind, id, says } => tf(
            lang,
            "check.id_mismatch",
            &[
                ("kind", kind.to_string()),
                ("id", id.to_string()),
                ("says", says.to_string()),
            ],
        ),
        CheckProblem::Damaged { kind, id, reason } => tf(
            lang,
            "check.damaged",
            &[
                ("kind", kind.to_string()),
                ("id", id.to_string()),
                ("reason", reason.clone()),
            ],
        ),
        CheckProblem::IndexMissing { kind, entry: e } => {
            let mut p = entry(e);
            p.push(("kind", kind.to_string()));
            tf(lang, "check.index_missing", &p)
        }
        CheckProblem::IndexExtra { kind, entry: e } => {
            let mut p = entry(e);
            p.push(("kind", kind.to_string()));
            tf(lang, "check.index_extra", &p)
        }
        CheckProblem::Counter {
            kind,
            last,
            highest,
        } => tf(
            lang,
            "check.counter",
            &[
                ("kind", kind.to_string()),
                ("last", last.to_string()),
                ("highest", highest.to_string()),
            ],
        ),
        CheckProblem::RefMissing { kind, id, person } => tf(
            lang,
            "check.ref_missing",
            &[
                ("kind", kind.to_string()),
                ("id", id.to_string()),
                ("person", person.to_string()),
            ],
        ),
        CheckProblem::RefExtra { kind, id, person } => tf(
            lang,
            "check.ref_extra",
            &[
                ("kind", kind.to_string()),
                ("id", id.to_string()),
                ("person", person.to_string()),
            ],
        ),
        CheckProblem::MalformedRef => t(lang, "check.malformed_ref").to_string(),
        CheckProblem::SummaryStale { kind, id } => tf(
            lang,
            "check.summary_stale",
            &[("kind", kind.to_string()), ("id", id.to_string())],
        ),
        CheckProblem::LinkMissing {
            kind,
            id,
            to,
            to_id,
        } => tf(
            lang,
            "check.link_missing",
            &[
                ("kind", kind.to_string()),
                ("id", id.to_string()),
                ("to", to.to_string()),
                ("to_id", to_id.to_string()),
            ],
        ),
        CheckProblem::AuditChain(p) => chain_problem_text(lang, p),
    }
}

/// What is wrong with the audit trail's hash chain, naming the entry, as a sentence.
pub fn chain_problem_text(lang: Lang, p: &crate::service::ChainProblem) -> String {
    use crate::service::ChainProblem as P;
    let one = |key: &str, id: u64| tf(lang, key, &[("id", id.to_string())]);
    match *p {
        P::Changed { id } => one("audit_chain.changed", id),
        P::Unlinked { id } => one("audit_chain.unlinked", id),
        P::Unreadable { id } => one("audit_chain.unreadable", id),
        P::Unchained { id } => one("audit_chain.unchained", id),
        P::Removed { from, to } if from == to => one("audit_chain.removed_one", from),
        P::Removed { from, to } => tf(
            lang,
            "audit_chain.removed",
            &[("from", from.to_string()), ("to", to.to_string())],
        ),
        P::Reordered { id, after } => tf(
            lang,
            "audit_chain.reordered",
            &[("id", id.to_string()), ("after", after.to_string())],
        ),
    }
}

/// What is wrong with one import line, as a sentence in `lang`.
pub fn line_problem_text(lang: Lang, p: &LineProblem) -> String {
    match p {
        LineProblem::Unreadable(e) => tf(lang, "import.unreadable", &[("reason", e.clone())]),
        LineProblem::TooLong => tf(
            lang,
            "import.too_long",
            &[(
                "limit",
                (crate::service::MAX_IMPORT_LINE_BYTES >> 20).to_string(),
            )],
        ),
        LineProblem::NotUtf8 => t(lang, "import.not_utf8").to_string(),
        LineProblem::NotJson(e) => tf(lang, "import.not_json", &[("detail", e.clone())]),
        LineProblem::NoKind => t(lang, "import.no_kind").to_string(),
        LineProblem::UnknownKind(k) => tf(lang, "import.unknown_kind", &[("kind", k.clone())]),
        LineProblem::Malformed { kind, detail } => tf(
            lang,
            "import.malformed",
            &[("kind", kind.clone()), ("detail", detail.clone())],
        ),
        LineProblem::IdRange => tf(
            lang,
            "import.id_range",
            &[("max", crate::service::MAX_ID.to_string())],
        ),
        LineProblem::Revision => t(lang, "import.revision").to_string(),
        LineProblem::NewerFormat { format, newest } => tf(
            lang,
            "import.newer_format",
            &[
                ("format", format.to_string()),
                ("newest", newest.to_string()),
            ],
        ),
        LineProblem::OlderFormat { format } => tf(
            lang,
            "import.older_format",
            &[("format", format.to_string())],
        ),
        LineProblem::Fields(errors) => errors
            .iter()
            .map(|e| field_error_text(lang, e))
            .collect::<Vec<_>>()
            .join(" "),
        LineProblem::Twice { kind, id } => tf(
            lang,
            "import.twice",
            &[("kind", kind.to_string()), ("id", id.to_string())],
        ),
        LineProblem::AuditIntoTrail => t(lang, "import.audit_into_trail").to_string(),
        LineProblem::AuditChain { id } => tf(lang, "import.audit_chain", &[("id", id.to_string())]),
        LineProblem::Bsn { field } => tf(lang, "import.bsn", &[("field", field.clone())]),
        LineProblem::LinkMissing { to, id } => tf(
            lang,
            "import.link_missing",
            &[("to", to.to_string()), ("id", id.to_string())],
        ),
        LineProblem::Exists { kind, id } => tf(
            lang,
            "import.exists",
            &[("kind", kind.to_string()), ("id", id.to_string())],
        ),
    }
}

/// "Nothing was imported: 1 line is wrong." / "… 3 lines are wrong." (from the first ones read;
/// the file may hold more).
pub fn import_failed(lang: Lang, count: usize) -> String {
    let key = if count == 1 {
        "cli.import_failed_one"
    } else {
        "cli.import_failed"
    };
    tf(lang, key, &[("count", count.to_string())])
}
