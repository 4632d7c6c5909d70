//! The record kinds the store holds, one module per kind (its [`Record`] impl, indexes and
//! older layouts), and the type-erased operations (export, import, check) that work across
//! all kinds.
//!
//! Adding a kind: add a variant to [`Kind`] (below), write its module here (implement [`Record`], and
//! [`Editable`](super::Editable) unless it is append-only), add its ops to [`KINDS`]. The
//! envelope, indexes, reference index, revisions, change feed, export, import and check then
//! work for it.

pub mod activity;
pub mod audit;
pub mod contact;
pub mod note;
pub mod organisation;
pub mod placement;
pub mod signal;
pub mod staff;
pub mod target;
pub mod trajectory;
pub mod vacancy;
pub mod volunteer;

pub use activity::index as activity_index;
pub use contact::index as contact_index;
pub use organisation::index as organisation_index;
pub use staff::index as staff_index;
pub use target::index as target_index;
pub use vacancy::id_value;
pub use vacancy::index as vacancy_index;
pub use volunteer::index as volunteer_index;
pub use volunteer::v1;

use super::exchange::LineProblem;
use super::record::{Editable, Meta, Record, Stored};
use super::{Store, StoreError, Tx, TxError, index_keys_of, ref_key, summary};
use crate::domain::volunteer::Rules;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::marker::PhantomData;

/// A kind of record. Tree names, export lines, errors and the change feed use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Kind {
    Volunteer,
    Audit,
    Organisation,
    Vacancy,
    Contact,
    Placement,
    Staff,
    Trajectory,
    Note,
    Signal,
    Activity,
    Target,
}

impl Kind {
    /// Every kind, in export order (the order of [`KINDS`]).
    pub const ALL: [Kind; 12] = [
        Kind::Volunteer,
        Kind::Audit,
        Kind::Organisation,
        Kind::Vacancy,
        Kind::Contact,
        Kind::Placement,
        Kind::Staff,
        Kind::Trajectory,
        Kind::Note,
        Kind::Signal,
        Kind::Activity,
        Kind::Target,
    ];

    /// The stable name: tree names (`rec/volunteer`), export lines and catalog keys use it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Volunteer => "volunteer",
            Kind::Audit => "audit",
            Kind::Organisation => "organisation",
            Kind::Vacancy => "vacancy",
            Kind::Contact => "contact",
            Kind::Placement => "placement",
            Kind::Staff => "staff",
            Kind::Trajectory => "trajectory",
            Kind::Note => "note",
            Kind::Signal => "signal",
            Kind::Activity => "activity",
            Kind::Target => "target",
        }
    }

    /// The kind with this stable name.
    pub fn parse(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The stable one-byte code of the kind in the reference tree. Never reuse a code.
    pub fn code(self) -> u8 {
        match self {
            Kind::Volunteer => 1,
            Kind::Audit => 2,
            Kind::Organisation => 3,
            Kind::Vacancy => 4,
            Kind::Contact => 5,
            Kind::Placement => 6,
            Kind::Staff => 7,
            Kind::Trajectory => 8,
            Kind::Note => 9,
            Kind::Signal => 10,
            Kind::Activity => 11,
            Kind::Target => 12,
        }
    }

    /// The kind with this reference-tree code.
    pub fn from_code(code: u8) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Position in [`Kind::ALL`].
    pub(crate) fn position(self) -> usize {
        self as usize
    }
}

impl std::fmt::Display for Kind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Operations on one kind without knowing its type.
pub trait KindOps: Sync {
    fn kind(&self) -> Kind;
    fn format_version(&self) -> u16;
    /// Rebuilds the kind's list summaries at open unless today's are there.
    fn ensure_summaries(&self, store: &Store) -> Result<(), StoreError>;
    /// Calls `out` with every record as an export line, in id order; returns how many.
    /// With `skipped`, a record that cannot be read is listed there and left out instead of
    /// ending the export.
    fn export(
        &self,
        store: &Store,
        out: &mut dyn FnMut(&ExportLine) -> Result<(), StoreError>,
        skipped: Option<&mut Vec<Skipped>>,
    ) -> Result<u64, StoreError>;
    /// Turns an export line into a write, or says what is wrong with it.
    fn stage(&self, line: ExportLine, rules: &Rules) -> Result<Staged, LineProblem>;
    /// [`KindOps::stage`] for a line read in one pass: its bookkeeping, format and the JSON
    /// text of its data.
    fn stage_raw(
        &self,
        meta: Meta,
        format: u16,
        data: &str,
        rules: &Rules,
    ) -> Result<Staged, LineProblem>;
    /// Removes record `id` with its entries (taking out an unfinished import); whether it
    /// was there, whole (see [`Tx::forget`]).
    fn forget(&self, tx: &mut Tx<'_>, id: u64) -> Result<bool, TxError>;
    /// Anonymises record `id` in `tx` (`domain::privacy::Personal`); whether it changed.
    fn anonymise(&self, tx: &mut Tx<'_>, id: u64, on: time::Date) -> Result<bool, TxError>;
    /// Takes an erased person's mentions out of record `id`'s free text; whether it changed.
    fn scrub(
        &self,
        tx: &mut Tx<'_>,
        id: u64,
        mentions: &crate::domain::privacy::Mentions,
    ) -> Result<bool, TxError>;
    /// Verifies every record decodes and the indexes agree with the records; adds the
    /// reference entries the records call for to `refs`.
    fn check(
        &self,
        store: &Store,
        report: &mut CheckReport,
        refs: &mut RefCheck,
    ) -> Result<(), StoreError>;
}

/// Where in an import line's `data` a text holds a number that passes the BSN's eleven-test,
/// as a path (`notes`, `meetings[2].summary`). The path is built only for a find: every line
/// of an import passes here.
fn bsn_field(value: &serde_json::Value) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::String(s) => crate::domain::bsn::find_bsn(s).map(|_| String::new()),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| bsn_field(v).map(|rest| format!("[{i}]{}", dotted(&rest)))),
        Value::Object(map) => map
            .iter()
            .find_map(|(k, v)| bsn_field(v).map(|rest| format!("{k}{}", dotted(&rest)))),
        _ => None,
    }
}

/// The rest of a path after a key or an index: `.summary`, `[2]`, or nothing.
fn dotted(rest: &str) -> String {
    if rest.is_empty() || rest.starts_with('[') {
        rest.to_string()
    } else {
        format!(".{rest}")
    }
}

/// A record an export left out because it cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    pub kind: Kind,
    pub id: u64,
    pub reason: String,
}

/// One record as a line of the JSON Lines export.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ExportLine {
    pub kind: String,
    /// Format version of `data`.
    pub format: u16,
    #[serde(flatten)]
    pub meta: Meta,
    pub data: serde_json::Value,
}

/// A record parsed from an import line, ready to be written.
pub struct Staged {
    pub kind: Kind,
    pub id: u64,
    /// Appended under a new id (an append-only kind) rather than restored under `id`; such a
    /// line never collides with a record already in the store.
    pub appends: bool,
    /// The records it points at (see [`Record::links`]).
    pub links: Vec<(Kind, u64)>,
    /// An audit entry's link in the hash chain, as the file has it (see [`ImportedLink`]).
    pub link: Option<ImportedLink>,
    pub(in crate::store) body: StagedBody,
}

/// How a staged record is written.
pub(in crate::store) enum StagedBody {
    /// Restored under its own id: written by the import's batch writer
    /// ([`super::import_write`]).
    Prepared(super::import_write::Prepared),
    /// Handed to its kind's appender inside a transaction (the audit trail).
    Write(Box<StagedWrite>),
}

/// The hash-chain link of an imported audit entry: import checks that the file's entries
/// form an unbroken chain before it writes them.
#[derive(Debug, Clone)]
pub struct ImportedLink {
    pub prev: String,
    pub hash: String,
    /// The entry was chained (an export from a koppel with the chain).
    pub chained: bool,
    /// Its content matches its hashes.
    pub intact: bool,
}

/// The write an appended record performs; may run more than once (transaction retries).
pub(in crate::store) type StagedWrite = dyn Fn(&mut Tx<'_>) -> Result<(), TxError> + Send + Sync;

/// What `check` found.
#[derive(Debug, Default, Clone)]
pub struct CheckReport {
    /// (kind, records seen).
    pub counts: Vec<(Kind, u64)>,
    /// What is wrong, one entry per problem.
    pub problems: Vec<CheckProblem>,
}

/// One thing `check` found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckProblem {
    MalformedKey {
        kind: Kind,
    },
    IdMismatch {
        kind: Kind,
        id: u64,
        says: u64,
    },
    Damaged {
        kind: Kind,
        id: u64,
        reason: String,
    },
    IndexMissing {
        kind: Kind,
        entry: IndexEntry,
    },
    IndexExtra {
        kind: Kind,
        entry: IndexEntry,
    },
    Counter {
        kind: Kind,
        last: u64,
        highest: u64,
    },
    /// The reference index lacks an entry saying record `id` is about `person`.
    RefMissing {
        kind: Kind,
        id: u64,
        person: u64,
    },
    /// The reference index says record `id` is about `person`, but the record does not.
    RefExtra {
        kind: Kind,
        id: u64,
        person: u64,
    },
    /// A reference entry whose key cannot be read.
    MalformedRef,
    /// The list summary of record `id` is missing, left over or disagrees with the record.
    /// The kind's summaries are rebuilt the next time the store opens.
    SummaryStale {
        kind: Kind,
        id: u64,
    },
    /// Record `id` points at `to` `to_id` (its organisation), which does not exist.
    LinkMissing {
        kind: Kind,
        id: u64,
        to: Kind,
        to_id: u64,
    },
    /// The audit trail's hash chain is broken here (`koppel audit verify`).
    AuditChain(crate::domain::audit::ChainProblem),
}

/// What `check` gathers across kinds to verify the reference index.
#[derive(Debug, Default)]
pub struct RefCheck {
    /// The reference keys the records call for.
    pub expected: BTreeSet<Vec<u8>>,
    /// Records that could not be read: their reference entries cannot be judged.
    pub damaged: BTreeSet<(Kind, u64)>,
    /// (record, the record it points at) for every link the records make.
    pub links: Vec<((Kind, u64), (Kind, u64))>,
}

/// An index entry as people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    pub index: String,
    pub value: String,
    pub id: u64,
}

/// How an import line of an append-only kind is written.
type WriteFn<T> = fn(&mut Tx<'_>, &Stored<T>) -> Result<(), TxError>;

/// The type-erased operations of a [`Record`] type.
pub struct Of<T> {
    /// The appender of an append-only kind; `None` for an editable kind, whose records an
    /// import restores under their own ids.
    write: Option<WriteFn<T>>,
    appends: bool,
    _kind: PhantomData<fn() -> T>,
}

impl<T: Record> Of<T> {
    /// An editable kind: import restores its records under their own ids.
    pub const fn editable() -> Of<T>
    where
        T: Editable,
    {
        Of {
            write: None,
            appends: false,
            _kind: PhantomData,
        }
    }

    /// An append-only kind: import hands its records to `append`, the kind's one appender.
    pub const fn appended(append: WriteFn<T>) -> Of<T> {
        Of {
            write: Some(append),
            appends: true,
            _kind: PhantomData,
        }
    }
}

impl<T: Record> KindOps for Of<T> {
    fn kind(&self) -> Kind {
        T::KIND
    }

    fn format_version(&self) -> u16 {
        T::FORMAT_VERSION
    }

    fn ensure_summaries(&self, store: &Store) -> Result<(), StoreError> {
        store.ensure_summaries::<T>()
    }

    fn export(
        &self,
        store: &Store,
        out: &mut dyn FnMut(&ExportLine) -> Result<(), StoreError>,
        mut skipped: Option<&mut Vec<Skipped>>,
    ) -> Result<u64, StoreError> {
        let mut n = 0;
        for item in store.scan::<T>() {
            let stored = match (item, skipped.as_deref_mut()) {
                (Ok(stored), _) => stored,
                (Err(StoreError::Damaged { kind, id, reason }), Some(list)) => {
                    list.push(Skipped { kind, id, reason });
                    continue;
                }
                (Err(e), _) => return Err(e),
            };
            let data = serde_json::to_value(&stored.data).map_err(|e| StoreError::Damaged {
                kind: T::KIND,
                id: stored.meta.id,
                reason: e.to_string(),
            })?;
            out(&ExportLine {
                kind: T::KIND.as_str().to_string(),
                format: T::FORMAT_VERSION,
                meta: stored.meta,
                data,
            })?;
            n += 1;
        }
        Ok(n)
    }

    fn stage(&self, line: ExportLine, rules: &Rules) -> Result<Staged, LineProblem> {
        self.stage_data(line.meta, line.format, DataIn::Value(line.data), rules)
    }

    fn stage_raw(
        &self,
        meta: Meta,
        format: u16,
        data: &str,
        rules: &Rules,
    ) -> Result<Staged, LineProblem> {
        self.stage_data(meta, format, DataIn::Raw(data), rules)
    }

    fn forget(&self, tx: &mut Tx<'_>, id: u64) -> Result<bool, TxError> {
        tx.forget::<T>(id)
    }

    fn anonymise(&self, tx: &mut Tx<'_>, id: u64, on: time::Date) -> Result<bool, TxError> {
        tx.anonymise::<T>(id, on)
    }

    fn scrub(
        &self,
        tx: &mut Tx<'_>,
        id: u64,
        mentions: &crate::domain::privacy::Mentions,
    ) -> Result<bool, TxError> {
        tx.scrub::<T>(id, mentions)
    }

    fn check(
        &self,
        store: &Store,
        report: &mut CheckReport,
        refs: &mut RefCheck,
    ) -> Result<(), StoreError> {
        let (rec, idx) = store.raw_trees(T::KIND);
        // The index entries the records call for, as (fingerprint, record id): a few
        // hundred thousand whole keys were the largest part of the memory a check took.
        let mut expected: Vec<(Fingerprint, u64)> = Vec::new();
        let mut damaged = BTreeSet::new();
        let mut summaries = std::collections::BTreeMap::new();
        let mut count = 0u64;
        let mut max_id = 0u64;
        for item in rec.iter() {
            let (key, bytes) = item?;
            count += 1;
            let Some(id) = super::id_from_key(&key) else {
                report
                    .problems
                    .push(CheckProblem::MalformedKey { kind: T::KIND });
                continue;
            };
            max_id = max_id.max(id);
            match super::decode_record::<T>(id, &bytes) {
                Ok(stored) => {
                    if stored.meta.id != id {
                        report.problems.push(CheckProblem::IdMismatch {
                            kind: T::KIND,
                            id,
                            says: stored.meta.id,
                        });
                    }
                    expected.extend(
                        index_keys_of(&stored.data, id)
                            .iter()
                            .map(|key| (fingerprint(key), id)),
                    );
                    if summary::kept::<T>() {
                        let bytes = summary::encode(&stored.data, id)?;
                        summaries.insert(id, (stored.meta.revision, fingerprint(&bytes)));
                    }
                    refs.links.extend(
                        stored
                            .data
                            .links()
                            .into_iter()
                            .map(|to| ((T::KIND, id), to)),
                    );
                    refs.expected.extend(
                        stored
                            .data
                            .about()
                            .into_iter()
                            .map(|person| ref_key(person, T::KIND, id)),
                    );
                }
                Err(e) => {
                    damaged.insert(id);
                    refs.damaged.insert((T::KIND, id));
                    let reason = match e {
                        StoreError::Damaged { reason, .. } => reason,
                        other => other.to_string(),
                    };
                    report.problems.push(CheckProblem::Damaged {
                        kind: T::KIND,
                        id,
                        reason,
                    });
                }
            }
        }
        // The index entries of a damaged record cannot be judged; its damage is reported.
        let of_damaged = |key: &[u8]| {
            super::id_from_key(&key[key.len().saturating_sub(8)..])
                .is_some_and(|id| damaged.contains(&id))
        };
        // Each entry in the index is struck off the expected ones as it is read.
        expected.sort_unstable();
        let mut found = vec![false; expected.len()];
        let mut extra = Vec::new();
        for item in idx.iter() {
            let (key, _) = item?;
            let print = fingerprint(&key);
            let at = expected.partition_point(|e| e.0 < print);
            match expected.get(at) {
                Some(e) if e.0 == print && !found[at] => found[at] = true,
                _ if of_damaged(&key) => {}
                _ => extra.push(key.to_vec()),
            }
        }
        // What is missing is named from the record again: only fingerprints were kept.
        for (&(print, id), _) in expected.iter().zip(&found).filter(|(_, f)| !**f) {
            let keys = store
                .get::<T>(id)?
                .map(|stored| index_keys_of(&stored.data, id))
                .unwrap_or_default();
            for missing in keys.iter().filter(|key| fingerprint(key) == print) {
                report.problems.push(CheckProblem::IndexMissing {
                    kind: T::KIND,
                    entry: describe_index_key(missing),
                });
            }
        }
        for key in &extra {
            report.problems.push(CheckProblem::IndexExtra {
                kind: T::KIND,
                entry: describe_index_key(key),
            });
        }
        if summary::kept::<T>() {
            let before = report.problems.len();
            check_summaries(store, T::KIND, summaries, &damaged, report)?;
            if report.problems.len() > before {
                store.invalidate_summaries(T::KIND)?;
            }
        }
        let last = store.last_id(T::KIND)?;
        if last < max_id {
            report.problems.push(CheckProblem::Counter {
                kind: T::KIND,
                last,
                highest: max_id,
            });
        }
        report.counts.push((T::KIND, count));
        Ok(())
    }
}

/// Compares the summary chunks of `kind` with the summaries its records call for.
fn check_summaries(
    store: &Store,
    kind: Kind,
    mut expected: std::collections::BTreeMap<u64, (u64, Fingerprint)>,
    damaged: &BTreeSet<u64>,
    report: &mut CheckReport,
) -> Result<(), StoreError> {
    let mut stale = BTreeSet::new();
    for item in store.summary_chunks(kind) {
        let (key, bytes) = item?;
        let Ok(entries) = summary::decode_chunk(kind, &key, &bytes) else {
            let chunk = super::id_from_key(&key).unwrap_or(0);
            stale.insert(chunk.saturating_mul(summary::CHUNK));
            continue;
        };
        for (id, revision, bytes) in entries {
            match expected.remove(&id) {
                Some(want) if want == (revision, fingerprint(&bytes)) => {}
                _ if damaged.contains(&id) => {}
                _ => {
                    stale.insert(id);
                }
            }
        }
    }
    stale.extend(expected.into_keys());
    report.problems.extend(
        stale
            .into_iter()
            .map(|id| CheckProblem::SummaryStale { kind, id }),
    );
    Ok(())
}

/// 128 bits that tell one index key or summary from another: what `check` keeps of the
/// entries it expects, instead of the entries. Two SipHash sums with different leading bytes;
/// `check` looks for faults (crashes, bugs, damaged disks), and two different entries of one
/// store sharing a fingerprint is far less likely than any of those.
type Fingerprint = (u64, u64);

fn fingerprint(bytes: &[u8]) -> Fingerprint {
    use std::hash::{DefaultHasher, Hasher};
    let sum = |lead: u8| {
        let mut h = DefaultHasher::new();
        h.write_u8(lead);
        h.write(bytes);
        h.finish()
    };
    (sum(0), sum(1))
}

fn describe_index_key(key: &[u8]) -> IndexEntry {
    let (text, id) = key.split_at(key.len().saturating_sub(8));
    let id = super::id_from_key(id).unwrap_or(0);
    let text = String::from_utf8_lossy(text);
    let mut parts = text.trim_end_matches('\0').splitn(2, '\0');
    IndexEntry {
        index: parts.next().unwrap_or_default().to_string(),
        value: parts.next().unwrap_or_default().to_string(),
        id,
    }
}

/// Every kind the store holds, in export order (the order of [`Kind::ALL`]).
pub static KINDS: &[&dyn KindOps] = &[
    &volunteer::OPS,
    &audit::OPS,
    &organisation::OPS,
    &vacancy::OPS,
    &contact::OPS,
    &placement::OPS,
    &staff::OPS,
    &trajectory::OPS,
    &note::OPS,
    &signal::OPS,
    &activity::OPS,
    &target::OPS,
];

/// The operations of a kind by its stable name.
pub fn by_name(kind: &str) -> Option<&'static dyn KindOps> {
    KINDS.iter().copied().find(|k| k.kind().as_str() == kind)
}

/// An import line's data: already parsed, or its JSON text.
enum DataIn<'a> {
    Value(serde_json::Value),
    Raw(&'a str),
}

impl<T: Record> Of<T> {
    /// Checks an import line's bookkeeping and data and turns it into a write.
    fn stage_data(
        &self,
        meta: Meta,
        format: u16,
        data: DataIn<'_>,
        rules: &Rules,
    ) -> Result<Staged, LineProblem> {
        if meta.id == 0 || meta.id > super::MAX_ID {
            return Err(LineProblem::IdRange);
        }
        if meta.revision == 0 {
            return Err(LineProblem::Revision);
        }
        let malformed = |detail: String| LineProblem::Malformed {
            kind: T::KIND.as_str().to_string(),
            detail,
        };
        // No citizen service number comes in, in any text a person typed (said after what
        // is wrong with the line's shape). The audit trail is taken as it was written (its
        // chain must stay intact), and staff accounts hold keys. A line's text is scanned in
        // one pass; only a line with a candidate is parsed to name the field (a number that
        // is no text, such as an id, is then let go).
        let bsn = match &data {
            _ if matches!(T::KIND, Kind::Audit | Kind::Staff) => None,
            DataIn::Value(v) => bsn_field(v),
            DataIn::Raw(text) if crate::domain::bsn::find_bsn(text).is_some() => {
                serde_json::from_str::<serde_json::Value>(text)
                    .ok()
                    .and_then(|v| bsn_field(&v))
            }
            DataIn::Raw(_) => None,
        };
        let data: T = if format == T::FORMAT_VERSION {
            match data {
                DataIn::Value(v) => serde_json::from_value(v),
                DataIn::Raw(text) => serde_json::from_str(text),
            }
            .map_err(|e| malformed(e.to_string()))?
        } else if format < T::FORMAT_VERSION {
            let value = match data {
                DataIn::Value(v) => v,
                DataIn::Raw(text) => {
                    serde_json::from_str(text).map_err(|e| malformed(e.to_string()))?
                }
            };
            T::upgrade_json(format, value).map_err(malformed)?
        } else {
            return Err(LineProblem::NewerFormat {
                format,
                newest: T::FORMAT_VERSION,
            });
        };
        if let Some(field) = bsn {
            return Err(LineProblem::Bsn { field });
        }
        // Store what the rules make of it (postcode, phone and e-mail in their standard form),
        // so the indexes, duplicate checks and filters treat it like any other record.
        let data = data.normalised(rules).map_err(LineProblem::Fields)?;
        let links = data.links();
        // The audit trail's entries bring their link in the chain (the only kind with one).
        let link = (&data as &dyn std::any::Any)
            .downcast_ref::<crate::domain::audit::AuditEvent>()
            .map(|e| {
                let c = &e.chain;
                ImportedLink {
                    prev: c.prev.clone(),
                    hash: c.hash.clone(),
                    chained: e.is_chained(),
                    intact: e.is_chained()
                        && (c.redacted || crate::domain::audit::payload_hash(e) == c.payload)
                        && crate::domain::audit::entry_hash(meta.id, e, &c.prev, &c.payload)
                            == c.hash,
                }
            });
        let stored = Stored { meta, data };
        let id = stored.meta.id;
        let body = match self.write {
            Some(write) => StagedBody::Write(Box::new(move |tx| write(tx, &stored))),
            None => StagedBody::Prepared(
                super::import_write::Prepared::of(&stored).map_err(|e| malformed(e.to_string()))?,
            ),
        };
        Ok(Staged {
            kind: T::KIND,
            id,
            appends: self.appends,
            links,
            link,
            body,
        })
    }
}

#[cfg(test)]
mod bsn_tests {
    #[test]
    fn the_path_of_a_bsn_in_an_import_line() {
        let v = serde_json::json!({
            "name": {"given": "Anouk"},
            "meetings": [{"summary": "ok"}, {"summary": "bsn 111 222 333"}],
        });
        assert_eq!(super::bsn_field(&v).as_deref(), Some("meetings[1].summary"));
        let v = serde_json::json!({"notes": "111222333", "tags": ["a", "123456782"]});
        assert!(matches!(
            super::bsn_field(&v).as_deref(),
            Some("notes" | "tags[1]")
        ));
        assert_eq!(
            super::bsn_field(&serde_json::json!({"notes": "123456789"})),
            None
        );
    }
}
