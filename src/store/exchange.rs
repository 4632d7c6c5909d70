//! Export to and import from JSON Lines, and the store check.
//!
//! Export writes one record per line, every kind in [`KINDS`] order:
//! `{"kind":"volunteer","format":2,"id":1,"revision":1,"created":{…},"updated":{…},"data":{…}}`.
//! Import reads the same as a stream, checks every line and writes the records in durable
//! batches behind a pending-import mark ([`super::undo`]): one bad line, a full disk or a
//! kill imports nothing. Editable records are restored under their own
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
    /// The file's audit trail goes only into a store whose trail is empty (so its hash chain
    /// arrives intact); said once, at its first line.
    AuditIntoTrail,
    /// The file's audit entry `id` breaks its hash chain (changed, missing or moved).
    AuditChain {
        id: u64,
    },
    /// A text of the record holds a number that passes the BSN's eleven-test, at `field`
    /// (`notes`, `meetings[2].summary`): koppel never stores one.
    Bsn {
        field: String,
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

/// Records written per transaction by an import. Each batch is durable and noted (see
/// [`super::undo`]), so the import lands whole or is taken out whole.
pub const IMPORT_BATCH: usize = 5_000;

/// Reads JSON Lines and writes every record, or nothing at all. `audit`, if given, is
/// appended to the audit trail in the transaction that completes the import.
pub fn import(
    store: &Store,
    input: &mut dyn BufRead,
    rules: &Rules,
    stamp: &Stamp,
    dry_run: bool,
    audit: Option<crate::domain::audit::AuditEvent>,
) -> Result<ImportSummary, ImportError> {
    import_with_progress(store, input, rules, stamp, dry_run, audit, &mut |_| {})
}

/// [`import`], calling `progress` with the number of records written after every durable
/// batch (the crash test kills the process between them).
///
/// The file is read once, as a stream: each line is checked as it comes (its shape, the
/// rules, twice in the file, already in the store) and, while no line was wrong, written in
/// batches of [`IMPORT_BATCH`] records behind the store's pending-import mark. Links to
/// records further down the file are checked at the end. When any line is wrong, reading goes
/// on to report the first [`MAX_LINE_ERRORS`] problems and what was written is taken out
/// again; when all is well, one last transaction with the audit event completes the import.
pub fn import_with_progress(
    store: &Store,
    input: &mut dyn BufRead,
    rules: &Rules,
    stamp: &Stamp,
    dry_run: bool,
    audit: Option<crate::domain::audit::AuditEvent>,
    progress: &mut dyn FnMut(u64),
) -> Result<ImportSummary, ImportError> {
    // Batches are written on a thread of their own while the next lines are read and
    // checked: reading and checking a line costs about as much as writing it, so a large
    // import takes the longer of the two instead of their sum. Up to three batches wait
    // (some 5 MB each), so neither side waits for the other's slower moments.
    std::thread::scope(|scope| {
        let (queue, results) = if dry_run {
            (None, None)
        } else {
            let (queue, batches) = std::sync::mpsc::sync_channel::<Batch>(3);
            let (done, results) = std::sync::mpsc::channel::<Answer>();
            scope.spawn(move || write_batches(store, stamp, batches, done));
            (Some(queue), Some(results))
        };
        let mut writer = Writer {
            store,
            write: !dry_run,
            batch: Vec::with_capacity(IMPORT_BATCH),
            written: 0,
            counters: None,
            progress,
            queue,
            results,
            in_flight: 0,
        };
        if writer.write {
            store.clear_import_notes()?;
        }
        let result = read_and_write(store, input, rules, &mut writer);
        let result = result.and_then(|counts| {
            if writer.write {
                writer.flush()?;
                writer.finish()?;
                if writer.counters.is_some() {
                    store.transact(stamp, |tx| {
                        if let Some(event) = &audit {
                            tx.append_audit(event.clone())?;
                        }
                        tx.finish_import()
                    })?;
                    store.clear_import_notes()?;
                }
            }
            Ok(ImportSummary { counts, dry_run })
        });
        // Whatever happened, no batch is being written from here on.
        let _ = writer.finish();
        if result.is_err() && writer.counters.is_some() {
            // Take out what was written; should that fail too (a full disk), the pending mark
            // stays and the next open takes it out.
            let _ = store.undo_unfinished_import();
        }
        result
    })
}

/// A batch for the writing thread: its records and the counters before the import.
type Batch = (Vec<Staged>, Vec<u8>);

/// What the writing thread answers: the records of each batch it wrote, in order, then once
/// that the last batch is durable (or why not).
enum Answer {
    Batch(Result<u64, ImportError>),
    Durable(Result<(), ImportError>),
}

/// The writing thread: writes each batch behind its undo note (see
/// [`super::import_write`]) and answers with the number of records written, in order; stops
/// at the first failure. When no more batches come, makes the last one durable and says so.
fn write_batches(
    store: &Store,
    stamp: &Stamp,
    batches: std::sync::mpsc::Receiver<Batch>,
    done: std::sync::mpsc::Sender<Answer>,
) {
    let mut writes = super::import_write::ImportWrites::new(store, stamp);
    for (batch, counters) in batches {
        let result = writes.batch(&batch, &counters).map_err(ImportError::from);
        let failed = result.is_err();
        if done.send(Answer::Batch(result)).is_err() || failed {
            return;
        }
    }
    let _ = done.send(Answer::Durable(writes.finish().map_err(ImportError::from)));
}

/// Writes staged records in durable batches behind the pending-import mark.
struct Writer<'a> {
    store: &'a Store,
    write: bool,
    batch: Vec<Staged>,
    written: u64,
    /// The counters before the import, once its first batch is written.
    counters: Option<Vec<u8>>,
    progress: &'a mut dyn FnMut(u64),
    /// To the writing thread (none for a dry run, and once finished).
    queue: Option<std::sync::mpsc::SyncSender<Batch>>,
    /// Its answers, one per batch and one at the end.
    results: Option<std::sync::mpsc::Receiver<Answer>>,
    /// Batches handed over and not yet answered.
    in_flight: usize,
}

impl Writer<'_> {
    fn push(&mut self, s: Staged) -> Result<(), ImportError> {
        if !self.write {
            return Ok(());
        }
        self.batch.push(s);
        if self.batch.len() >= IMPORT_BATCH {
            self.flush()?;
        }
        Ok(())
    }

    /// Stops writing (a wrong line was found): nothing more is written.
    fn stop(&mut self) {
        self.write = false;
        self.batch.clear();
    }

    /// Hands the batch to the writing thread (at most three wait while one is written), and
    /// takes in the answers that have come.
    fn flush(&mut self) -> Result<(), ImportError> {
        if !self.write || self.batch.is_empty() {
            return Ok(());
        }
        let counters = match &self.counters {
            Some(c) => c.clone(),
            None => self.store.import_counters()?,
        };
        // Set before the write: a write that fails half-way is taken out too.
        self.counters = Some(counters.clone());
        let batch = std::mem::take(&mut self.batch);
        self.batch.reserve(IMPORT_BATCH);
        let sent = self
            .queue
            .as_ref()
            .is_some_and(|queue| queue.send((batch, counters)).is_ok());
        if sent {
            self.in_flight += 1;
        }
        self.answers(false)?;
        if !sent {
            // The thread stopped: it said why in its last answer, taken in just now.
            return Err(StoreError::Io("the import's writer stopped".into()).into());
        }
        Ok(())
    }

    /// Takes in the writing thread's answers to the batches handed over; `all` waits for
    /// every one.
    fn answers(&mut self, all: bool) -> Result<(), ImportError> {
        let Some(results) = &self.results else {
            return Ok(());
        };
        while self.in_flight > 0 {
            let answer = if all {
                results.recv().ok()
            } else {
                results.try_recv().ok()
            };
            let answer = match answer {
                Some(Answer::Batch(answer)) => answer,
                // The thread ended without answering every batch.
                Some(Answer::Durable(_)) | None if all => {
                    self.in_flight = 0;
                    return Err(StoreError::Io("the import's writer stopped".into()).into());
                }
                _ => break,
            };
            self.in_flight -= 1;
            match answer {
                Ok(n) => {
                    self.written += n;
                    (self.progress)(self.written);
                }
                Err(e) => {
                    self.write = false;
                    self.in_flight = 0;
                    return Err(e);
                }
            }
        }
        Ok(())
    }

    /// Ends the writing thread: waits until every batch handed over is written and the last
    /// one is durable. A second call does nothing.
    fn finish(&mut self) -> Result<(), ImportError> {
        self.queue = None;
        let result = self.answers(true);
        let Some(results) = self.results.take() else {
            return result;
        };
        result?;
        match results.recv() {
            Ok(Answer::Durable(end)) => end,
            // The thread stopped at a failed batch, whose answer was taken in above.
            _ => Ok(()),
        }
    }
}

/// Reads every line, checks it and hands it to `writer`; returns the records per kind, or
/// every problem found.
fn read_and_write(
    store: &Store,
    input: &mut dyn BufRead,
    rules: &Rules,
    writer: &mut Writer<'_>,
) -> Result<Vec<(Kind, u64)>, ImportError> {
    let mut errors: Vec<LineError> = Vec::new();
    let mut parse_errors = 0;
    // Records that are already in the store: reported per line; all of them counted, so a
    // file imported twice is said once.
    let mut existing = 0;
    let mut kept = 0;
    let mut seen: BTreeSet<(Kind, u64)> = BTreeSet::new();
    // Links to records not (yet) in the file nor in the store: checked at the end.
    let mut links_later: Vec<(usize, Kind, u64)> = Vec::new();
    let mut counts: Vec<(Kind, u64)> = KINDS.iter().map(|k| (k.kind(), 0)).collect();
    // The file's audit trail: into an empty trail only, as an unbroken chain.
    let trail_empty = store.last_id(Kind::Audit)? == 0;
    let mut trail_refused = false;
    let mut chain = ChainFollow::default();
    let mut lines = Lines::new(input);
    // Every kind's id counter before the import: a record with a higher id was never in the
    // store, so it needs no look-up (the write itself still refuses to overwrite a record).
    let counters = Kind::ALL
        .iter()
        .map(|&kind| store.last_id(kind))
        .collect::<Result<Vec<u64>, _>>()?;
    // Reading stops at the first MAX_LINE_ERRORS problems (a file that is not an export
    // would otherwise be read to its end, and `/dev/urandom` has none) and at a line longer
    // than MAX_LINE_BYTES (whose end may never come).
    while parse_errors < MAX_LINE_ERRORS {
        let (line_no, staged) = match lines.next_line(rules) {
            None => break,
            Some((line, Ok(s))) => (line, s),
            Some((line, Err((problem, last)))) => {
                errors.push(LineError { line, problem });
                parse_errors += 1;
                writer.stop();
                if last {
                    break;
                }
                continue;
            }
        };
        if !seen.insert((staged.kind, staged.id)) {
            errors.push(LineError {
                line: line_no,
                problem: LineProblem::Twice {
                    kind: staged.kind,
                    id: staged.id,
                },
            });
            parse_errors += 1;
            writer.stop();
            continue;
        }
        if let Some(link) = &staged.link {
            if !trail_empty {
                if !trail_refused {
                    trail_refused = true;
                    writer.stop();
                    errors.push(LineError {
                        line: line_no,
                        problem: LineProblem::AuditIntoTrail,
                    });
                }
            } else if !chain.follows(staged.id, link) {
                errors.push(LineError {
                    line: line_no,
                    problem: LineProblem::AuditChain { id: staged.id },
                });
                parse_errors += 1;
                writer.stop();
                continue;
            }
        }
        if !staged.appends {
            kept += 1;
            if staged.id <= counters[staged.kind.position()] && exists(store, &staged)? {
                existing += 1;
                writer.stop();
                if errors.len() < MAX_LINE_ERRORS {
                    errors.push(LineError {
                        line: line_no,
                        problem: LineProblem::Exists {
                            kind: staged.kind,
                            id: staged.id,
                        },
                    });
                }
                continue;
            }
        }
        for &(to, id) in &staged.links {
            if !seen.contains(&(to, id)) && !record_exists(store, to, id)? {
                links_later.push((line_no, to, id));
            }
        }
        if let Some(c) = counts.iter_mut().find(|(k, _)| *k == staged.kind) {
            c.1 += 1;
        }
        if errors.is_empty() {
            writer.push(staged)?;
        }
    }
    if parse_errors == 0 && existing > 0 && existing == kept {
        return Err(ImportError::AllExist { count: existing });
    }
    for (line, to, id) in links_later {
        if errors.len() >= MAX_LINE_ERRORS {
            break;
        }
        if !seen.contains(&(to, id)) && !record_exists(store, to, id)? {
            errors.push(LineError {
                line,
                problem: LineProblem::LinkMissing { to, id },
            });
        }
    }
    if !errors.is_empty() {
        writer.stop();
        errors.sort_by_key(|e| e.line);
        return Err(ImportError::Lines(errors));
    }
    Ok(counts)
}

/// The audit entries of an import file, in file order: each must be the next id and name
/// the hash of the one before. Entries of exports from before the chain (unchained) are
/// chained as they are appended.
#[derive(Default)]
struct ChainFollow {
    last_id: u64,
    last_hash: Option<String>,
}

impl ChainFollow {
    fn follows(&mut self, id: u64, link: &super::kinds::ImportedLink) -> bool {
        let expected = match (self.last_id, &self.last_hash) {
            (0, _) => Some(crate::domain::audit::GENESIS.to_string()),
            (_, h) => h.clone(),
        };
        let ok = !link.chained
            || (link.intact && id == self.last_id + 1 && expected.is_none_or(|p| p == link.prev));
        self.last_id = id;
        self.last_hash = link.chained.then(|| link.hash.clone());
        ok
    }
}

fn exists(store: &Store, s: &Staged) -> Result<bool, StoreError> {
    record_exists(store, s.kind, s.id)
}

fn record_exists(store: &Store, kind: Kind, id: u64) -> Result<bool, StoreError> {
    Ok(store.raw_trees(kind).0.contains_key(id.to_be_bytes())?)
}

/// The lines of an import file, read one at a time with a limit on each.
struct Lines<'a> {
    input: &'a mut dyn BufRead,
    buf: Vec<u8>,
    line_no: usize,
}

impl<'a> Lines<'a> {
    fn new(input: &'a mut dyn BufRead) -> Self {
        Lines {
            input,
            buf: Vec::new(),
            line_no: 0,
        }
    }

    /// The next record line (empty lines are skipped) with its number, staged or with its
    /// problem (and whether reading must stop there); `None` at the end.
    #[allow(clippy::type_complexity)]
    fn next_line(&mut self, rules: &Rules) -> Option<(usize, Result<Staged, (LineProblem, bool)>)> {
        loop {
            self.buf.clear();
            let limit = MAX_LINE_BYTES as u64 + 1;
            match std::io::Read::take(&mut *self.input, limit).read_until(b'\n', &mut self.buf) {
                Ok(0) => return None,
                Ok(_) => {}
                Err(e) => {
                    return Some((
                        self.line_no + 1,
                        Err((LineProblem::Unreadable(e.to_string()), true)),
                    ));
                }
            }
            self.line_no += 1;
            let line_no = self.line_no;
            if self.buf.len() > MAX_LINE_BYTES {
                return Some((line_no, Err((LineProblem::TooLong, true))));
            }
            let text = match std::str::from_utf8(&self.buf) {
                // A byte-order mark (as some Windows editors write one) is not part of the line.
                Ok(t) if line_no == 1 => t.trim_start_matches('\u{feff}').trim(),
                Ok(t) => t.trim(),
                Err(_) => return Some((line_no, Err((LineProblem::NotUtf8, false)))),
            };
            if text.is_empty() {
                continue;
            }
            return Some((line_no, parse_line(text, rules).map_err(|p| (p, false))));
        }
    }
}

fn parse_line(text: &str, rules: &Rules) -> Result<Staged, LineProblem> {
    // One pass for a line as koppel writes it: the bookkeeping read straight into its types,
    // the data handed on as text and read once, into the record. Anything else (a line that
    // does not parse so, or whose record is refused) is read again the slow way below, so its
    // problem is told exactly as before.
    if let Ok(line) = serde_json::from_str::<FastLine<'_>>(text)
        && let Some(ops) = by_name(line.kind)
        && let Ok(staged) = ops.stage_raw(
            super::record::Meta {
                id: line.id,
                revision: line.revision,
                created: line.created,
                updated: line.updated,
            },
            line.format,
            line.data.get(),
            rules,
        )
    {
        return Ok(staged);
    }
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| LineProblem::NotJson(e.to_string()))?;
    let kind = value
        .get("kind")
        .and_then(|k| k.as_str())
        .ok_or(LineProblem::NoKind)?
        .to_string();
    let ops = by_name(&kind).ok_or_else(|| LineProblem::UnknownKind(kind.clone()))?;
    let line: ExportLine = serde_json::from_value(value).map_err(|e| LineProblem::Malformed {
        kind,
        detail: e.to_string(),
    })?;
    ops.stage(line, rules)
}

/// An export line as koppel writes it, read in one pass (see [`parse_line`]).
#[derive(serde::Deserialize)]
struct FastLine<'a> {
    kind: &'a str,
    format: u16,
    id: u64,
    revision: u64,
    created: Stamp,
    updated: Stamp,
    #[serde(borrow)]
    data: &'a serde_json::value::RawValue,
}

/// Verifies the whole store: every record decodes, every index agrees and the reference
/// index holds exactly the references the records make.
pub fn check(store: &Store) -> Result<CheckReport, StoreError> {
    let mut report = CheckReport::default();
    let mut refs = RefCheck::default();
    for ops in KINDS {
        ops.check(store, &mut report, &mut refs)?;
    }
    // As for the indexes: each reference entry read is struck off the expected ones.
    let mut extra = Vec::new();
    for item in store.ref_tree().iter() {
        let (key, _) = item?;
        if !refs.expected.remove(key.as_ref()) {
            extra.push(key.to_vec());
        }
    }
    for key in &refs.expected {
        if let Some((person, kind, id)) = parse_ref_key(key) {
            report
                .problems
                .push(CheckProblem::RefMissing { kind, id, person });
        }
    }
    for key in &extra {
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
