//! Export to and import from JSON Lines, and the store check.
//!
//! Export writes one record per line, every kind in [`KINDS`] order:
//! `{"kind":"volunteer","format":2,"id":1,"revision":1,"created":{…},"updated":{…},"data":{…}}`.
//! Import reads the same, checks every line first and then writes everything in one
//! transaction: one bad line imports nothing. Editable records are restored under their own
//! ids; audit lines are handed to the audit appender, which keeps their content and gives
//! them the next audit ids (the trail stays append-only).

use super::kinds::{
    CheckProblem, CheckReport, ExportLine, KINDS, RefCheck, Skipped, Staged, by_name,
};
use super::{Kind, Stamp, Store, StoreError, parse_ref_key};
use crate::domain::volunteer::Rules;
use std::collections::BTreeSet;
use std::io::{BufRead, Write};

/// Writes every record as JSON Lines; returns the number of records per kind.
pub fn export(store: &Store, out: &mut dyn Write) -> Result<Vec<(Kind, u64)>, StoreError> {
    export_lines(store, out, None)
}

/// What an export wrote (records per kind) and left out (records that cannot be read).
pub type Exported = (Vec<(Kind, u64)>, Vec<Skipped>);

/// Like [`export`], but a record that cannot be read is left out and listed in the answer
/// instead of ending the export: everything readable is saved from a damaged store.
pub fn export_readable(store: &Store, out: &mut dyn Write) -> Result<Exported, StoreError> {
    let mut skipped = Vec::new();
    let counts = export_lines(store, out, Some(&mut skipped))?;
    Ok((counts, skipped))
}

fn export_lines(
    store: &Store,
    out: &mut dyn Write,
    mut skipped: Option<&mut Vec<Skipped>>,
) -> Result<Vec<(Kind, u64)>, StoreError> {
    let mut counts = Vec::new();
    for ops in KINDS {
        let n = ops.export(
            store,
            &mut |line| {
                serde_json::to_writer(&mut *out, line)
                    .map_err(|e| StoreError::Io(e.to_string()))?;
                out.write_all(b"\n")?;
                Ok(())
            },
            skipped.as_deref_mut(),
        )?;
        counts.push((ops.kind(), n));
    }
    out.flush()?;
    Ok(counts)
}

/// What is wrong with one line of an import file. Turned into a sentence in the user's
/// language by [`LineProblem::text`]; technical details (a JSON parser's own words) are kept
/// as they are, after a plain sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineProblem {
    /// The file could not be read at this line.
    Unreadable(String),
    /// The line is longer than any record can be ([`MAX_LINE_BYTES`]); reading stops there.
    TooLong,
    NotUtf8,
    /// Not JSON; the parser's words.
    NotJson(String),
    /// JSON, but not a koppel export line.
    NoKind,
    UnknownKind(String),
    /// A koppel line whose shape is wrong (missing or mistyped field); the parser's words.
    Malformed {
        kind: String,
        detail: String,
    },
    IdRange,
    Revision,
    NewerFormat {
        format: u16,
        newest: u16,
    },
    OlderFormat {
        format: u16,
    },
    /// The record breaks the rules, field by field.
    Fields(Vec<crate::domain::FieldError>),
    Twice {
        kind: Kind,
        id: u64,
    },
    Exists {
        kind: Kind,
        id: u64,
    },
    /// The record points at `to` `id` (a vacancy at its organisation), which is neither in
    /// the file nor in the store.
    LinkMissing {
        to: Kind,
        id: u64,
    },
}

/// One problem with one line of an import file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line number.
    pub line: usize,
    pub problem: LineProblem,
}

/// Why an import wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("{} line(s) are wrong; nothing was imported", .0.len())]
    Lines(Vec<LineError>),
    /// Every record of the file is in the store already (imported before, or an export of
    /// this very store): nothing was imported.
    #[error("all {count} records are already in this store; nothing was imported")]
    AllExist { count: usize },
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What an import did (or, with `dry_run`, would do).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub counts: Vec<(Kind, u64)>,
    pub dry_run: bool,
}

/// Most line errors reported at once; the rest are counted.
pub const MAX_LINE_ERRORS: usize = 50;

/// The longest line an import reads: far above any real record (a volunteer is about 1 KB),
/// far below what would exhaust memory on a file that is not an export (`/dev/zero`).
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// Reads JSON Lines and writes every record in one transaction, or nothing at all. `audit`,
/// if given, is appended to the audit trail in the same transaction.
pub fn import(
    store: &Store,
    input: &mut dyn BufRead,
    rules: &Rules,
    stamp: &Stamp,
    dry_run: bool,
    audit: Option<crate::domain::audit::AuditEvent>,
) -> Result<ImportSummary, ImportError> {
    let (staged, mut errors) = parse_lines(input, rules);
    let parse_errors = errors.len();
    // Records that are already in the store: reported per line, before any write; all of them
    // counted, so a file imported twice is said once.
    let mut existing = 0;
    let mut kept = 0;
    for (line, s) in &staged {
        if s.appends {
            continue;
        }
        kept += 1;
        if exists(store, s)? {
            existing += 1;
            if errors.len() < MAX_LINE_ERRORS {
                errors.push(LineError {
                    line: *line,
                    problem: LineProblem::Exists {
                        kind: s.kind,
                        id: s.id,
                    },
                });
            }
        }
    }
    if parse_errors == 0 && existing > 0 && existing == kept {
        return Err(ImportError::AllExist { count: existing });
    }
    // Links to records neither in the file nor in the store.
    let in_file: BTreeSet<(Kind, u64)> = staged
        .iter()
        .filter(|(_, s)| !s.appends)
        .map(|(_, s)| (s.kind, s.id))
        .collect();
    for (line, s) in &staged {
        for &(to, id) in &s.links {
            if errors.len() >= MAX_LINE_ERRORS {
                break;
            }
            if !in_file.contains(&(to, id)) && !record_exists(store, to, id)? {
                errors.push(LineError {
                    line: *line,
                    problem: LineProblem::LinkMissing { to, id },
                });
            }
        }
    }
    if !errors.is_empty() {
        errors.sort_by_key(|e| e.line);
        return Err(ImportError::Lines(errors));
    }
    let mut counts: Vec<(Kind, u64)> = KINDS.iter().map(|k| (k.kind(), 0)).collect();
    for (_, s) in &staged {
        if let Some(c) = counts.iter_mut().find(|(k, _)| *k == s.kind) {
            c.1 += 1;
        }
    }
    if !dry_run && !staged.is_empty() {
        store.transact(stamp, |tx| {
            for (_, s) in &staged {
                s.write(tx)?;
            }
            if let Some(event) = &audit {
                tx.append_audit(event.clone())?;
            }
            Ok(())
        })?;
    }
    Ok(ImportSummary { counts, dry_run })
}

fn exists(store: &Store, s: &Staged) -> Result<bool, StoreError> {
    record_exists(store, s.kind, s.id)
}

fn record_exists(store: &Store, kind: Kind, id: u64) -> Result<bool, StoreError> {
    Ok(store.raw_trees(kind).0.contains_key(id.to_be_bytes())?)
}

fn parse_lines(input: &mut dyn BufRead, rules: &Rules) -> (Vec<(usize, Staged)>, Vec<LineError>) {
    let mut staged = Vec::new();
    let mut errors = Vec::new();
    let mut seen = BTreeSet::new();
    let mut buf = Vec::new();
    let mut line_no = 0;
    // Reading stops at the first MAX_LINE_ERRORS problems (a file that is not an export
    // would otherwise be read to its end, and `/dev/urandom` has none) and at a line longer
    // than MAX_LINE_BYTES (whose end may never come).
    while errors.len() < MAX_LINE_ERRORS {
        buf.clear();
        let limit = MAX_LINE_BYTES as u64 + 1;
        match std::io::Read::take(&mut *input, limit).read_until(b'\n', &mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                errors.push(LineError {
                    line: line_no + 1,
                    problem: LineProblem::Unreadable(e.to_string()),
                });
                break;
            }
        }
        line_no += 1;
        if buf.len() > MAX_LINE_BYTES {
            errors.push(LineError {
                line: line_no,
                problem: LineProblem::TooLong,
            });
            break;
        }
        let text = match std::str::from_utf8(&buf) {
            // A byte-order mark (as some Windows editors write one) is not part of the line.
            Ok(t) if line_no == 1 => t.trim_start_matches('\u{feff}').trim(),
            Ok(t) => t.trim(),
            Err(_) => {
                errors.push(LineError {
                    line: line_no,
                    problem: LineProblem::NotUtf8,
                });
                continue;
            }
        };
        if text.is_empty() {
            continue;
        }
        match parse_line(text, rules) {
            Ok(s) => {
                if !seen.insert((s.kind, s.id)) {
                    errors.push(LineError {
                        line: line_no,
                        problem: LineProblem::Twice {
                            kind: s.kind,
                            id: s.id,
                        },
                    });
                } else {
                    staged.push((line_no, s));
                }
            }
            Err(problem) => errors.push(LineError {
                line: line_no,
                problem,
            }),
        }
    }
    (staged, errors)
}

fn parse_line(text: &str, rules: &Rules) -> Result<Staged, LineProblem> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| LineProblem::NotJson(e.to_string()))?;
    let kind = value
        .get("kind")
        .and_then(|k| k.as_str())
        .ok_or(LineProblem::NoKind)?;
    let ops = by_name(kind).ok_or_else(|| LineProblem::UnknownKind(kind.to_string()))?;
    let line: ExportLine =
        serde_json::from_value(value.clone()).map_err(|e| LineProblem::Malformed {
            kind: kind.to_string(),
            detail: e.to_string(),
        })?;
    ops.stage(line, rules)
}

/// Verifies the whole store: every record decodes, every index agrees and the reference
/// index holds exactly the references the records make.
pub fn check(store: &Store) -> Result<CheckReport, StoreError> {
    let mut report = CheckReport::default();
    let mut refs = RefCheck::default();
    for ops in KINDS {
        ops.check(store, &mut report, &mut refs)?;
    }
    let mut actual = BTreeSet::new();
    for item in store.ref_tree().iter() {
        let (key, _) = item?;
        actual.insert(key.to_vec());
    }
    for key in refs.expected.difference(&actual) {
        if let Some((person, kind, id)) = parse_ref_key(key) {
            report
                .problems
                .push(CheckProblem::RefMissing { kind, id, person });
        }
    }
    for key in actual.difference(&refs.expected) {
        match parse_ref_key(key) {
            Some((_, kind, id)) if refs.damaged.contains(&(kind, id)) => {}
            Some((person, kind, id)) => {
                report
                    .problems
                    .push(CheckProblem::RefExtra { kind, id, person })
            }
            None => report.problems.push(CheckProblem::MalformedRef),
        }
    }
    for ((kind, id), (to, to_id)) in refs.links {
        if !refs.damaged.contains(&(to, to_id)) && !record_exists(store, to, to_id)? {
            report.problems.push(CheckProblem::LinkMissing {
                kind,
                id,
                to,
                to_id,
            });
        }
    }
    Ok(report)
}
