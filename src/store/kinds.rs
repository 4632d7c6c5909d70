//! The record kinds the store holds: their indexes, their older layouts, and the type-erased
//! operations (export, import, check) that work across all kinds.
//!
//! Adding a kind: implement [`Record`] for its domain type here, add it to [`KINDS`]. The
//! envelope, indexes, revisions, change feed, export, import and check then work for it.

use super::exchange::LineProblem;
use super::record::{Meta, Record, Stored};
use super::{Store, StoreError, Tx, TxError, index_keys_of};
use crate::codec::{self, CodecError};
use crate::domain::audit::AuditEvent;
use crate::domain::volunteer::{Rules, Volunteer};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::marker::PhantomData;

/// Operations on one kind without knowing its type.
pub trait KindOps: Sync {
    fn kind(&self) -> &'static str;
    fn format_version(&self) -> u16;
    /// Calls `out` with every record as an export line, in id order; returns how many.
    fn export(
        &self,
        store: &Store,
        out: &mut dyn FnMut(&ExportLine) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError>;
    /// Turns an export line into a write, or says what is wrong with it.
    fn stage(&self, line: ExportLine, rules: &Rules) -> Result<Staged, LineProblem>;
    /// Verifies every record decodes and the indexes agree with the records.
    fn check(&self, store: &Store, report: &mut CheckReport) -> Result<(), StoreError>;
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
    pub kind: &'static str,
    pub id: u64,
    write: Box<StagedWrite>,
}

/// The write a staged record performs; may run more than once (transaction retries).
type StagedWrite = dyn Fn(&mut Tx<'_>) -> Result<(), TxError> + Send + Sync;

impl Staged {
    /// Writes the record in `tx`, refusing to overwrite an existing one.
    pub fn write(&self, tx: &mut Tx<'_>) -> Result<(), TxError> {
        (self.write)(tx)
    }
}

/// What `check` found.
#[derive(Debug, Default, Clone)]
pub struct CheckReport {
    /// (kind, records seen).
    pub counts: Vec<(&'static str, u64)>,
    /// What is wrong, one entry per problem.
    pub problems: Vec<CheckProblem>,
}

/// One thing `check` found wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CheckProblem {
    MalformedKey {
        kind: &'static str,
    },
    IdMismatch {
        kind: &'static str,
        id: u64,
        says: u64,
    },
    Damaged {
        kind: &'static str,
        id: u64,
        reason: String,
    },
    IndexMissing {
        kind: &'static str,
        entry: IndexEntry,
    },
    IndexExtra {
        kind: &'static str,
        entry: IndexEntry,
    },
    Counter {
        kind: &'static str,
        last: u64,
        highest: u64,
    },
}

/// An index entry as people read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    pub index: String,
    pub value: String,
    pub id: u64,
}

impl CheckProblem {
    /// The problem as a sentence in `lang`.
    pub fn text(&self, lang: crate::i18n::Lang) -> String {
        use crate::i18n::tf;
        let entry = |e: &IndexEntry| {
            vec![
                ("index", e.index.clone()),
                ("value", e.value.clone()),
                ("id", e.id.to_string()),
            ]
        };
        match self {
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
        }
    }
}

/// The type-erased operations of a [`Record`] type.
pub struct Of<T>(PhantomData<fn() -> T>);

impl<T: Record> KindOps for Of<T> {
    fn kind(&self) -> &'static str {
        T::KIND
    }

    fn format_version(&self) -> u16 {
        T::FORMAT_VERSION
    }

    fn export(
        &self,
        store: &Store,
        out: &mut dyn FnMut(&ExportLine) -> Result<(), StoreError>,
    ) -> Result<u64, StoreError> {
        let mut n = 0;
        for item in store.scan::<T>() {
            let stored = item?;
            let data = serde_json::to_value(&stored.data).map_err(|e| StoreError::Damaged {
                kind: T::KIND,
                id: stored.meta.id,
                reason: e.to_string(),
            })?;
            out(&ExportLine {
                kind: T::KIND.to_string(),
                format: T::FORMAT_VERSION,
                meta: stored.meta,
                data,
            })?;
            n += 1;
        }
        Ok(n)
    }

    fn stage(&self, line: ExportLine, rules: &Rules) -> Result<Staged, LineProblem> {
        if line.meta.id == 0 || line.meta.id > super::MAX_ID {
            return Err(LineProblem::IdRange);
        }
        if line.meta.revision == 0 {
            return Err(LineProblem::Revision);
        }
        let malformed = |detail: String| LineProblem::Malformed {
            kind: T::KIND.to_string(),
            detail,
        };
        let data: T = if line.format == T::FORMAT_VERSION {
            serde_json::from_value(line.data).map_err(|e| malformed(e.to_string()))?
        } else if line.format < T::FORMAT_VERSION {
            T::upgrade_json(line.format, line.data).map_err(malformed)?
        } else {
            return Err(LineProblem::NewerFormat {
                format: line.format,
                newest: T::FORMAT_VERSION,
            });
        };
        // Store what the rules make of it (postcode, phone and e-mail in their standard form),
        // so the indexes, duplicate checks and filters treat it like any other record.
        let data = data.normalised(rules).map_err(LineProblem::Fields)?;
        let stored = Stored {
            meta: line.meta,
            data,
        };
        Ok(Staged {
            kind: T::KIND,
            id: stored.meta.id,
            write: Box::new(move |tx| tx.restore(&stored)),
        })
    }

    fn check(&self, store: &Store, report: &mut CheckReport) -> Result<(), StoreError> {
        let (rec, idx) = store.raw_trees(T::KIND);
        let mut expected = BTreeSet::new();
        let mut damaged = BTreeSet::new();
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
                    expected.extend(index_keys_of(&stored.data, id));
                }
                Err(e) => {
                    damaged.insert(id);
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
        let mut actual = BTreeSet::new();
        for item in idx.iter() {
            let (key, _) = item?;
            actual.insert(key.to_vec());
        }
        for missing in expected.difference(&actual) {
            report.problems.push(CheckProblem::IndexMissing {
                kind: T::KIND,
                entry: describe_index_key(missing),
            });
        }
        // The index entries of a damaged record cannot be judged; its damage is reported.
        let of_damaged = |key: &Vec<u8>| {
            super::id_from_key(&key[key.len().saturating_sub(8)..])
                .is_some_and(|id| damaged.contains(&id))
        };
        for extra in actual.difference(&expected).filter(|k| !of_damaged(k)) {
            report.problems.push(CheckProblem::IndexExtra {
                kind: T::KIND,
                entry: describe_index_key(extra),
            });
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

static VOLUNTEER: Of<Volunteer> = Of(PhantomData);
static AUDIT: Of<AuditEvent> = Of(PhantomData);

/// Every kind the store holds, in export order.
pub static KINDS: &[&dyn KindOps] = &[&VOLUNTEER, &AUDIT];

/// The operations of a kind by name.
pub fn by_name(kind: &str) -> Option<&'static dyn KindOps> {
    KINDS.iter().copied().find(|k| k.kind() == kind)
}

/// Names of the volunteer indexes.
pub mod volunteer_index {
    pub const NAME: &str = "name";
    pub const NAME_BIRTH: &str = "name_birth";
    pub const EMAIL: &str = "email";
    pub const PHONE: &str = "phone";
    pub const MUNICIPALITY: &str = "municipality";
    pub const STATUS: &str = "status";
    pub const INTAKE_DATE: &str = "intake_date";
}

impl Record for Volunteer {
    const KIND: &'static str = "volunteer";
    /// 1: first layout (no kwetsbaar flag, no "found via", consent without scope).
    /// 2: today's layout.
    const FORMAT_VERSION: u16 = 2;
    const INDEXES: &'static [&'static str] = &[
        volunteer_index::NAME,
        volunteer_index::NAME_BIRTH,
        volunteer_index::EMAIL,
        volunteer_index::PHONE,
        volunteer_index::MUNICIPALITY,
        volunteer_index::STATUS,
        volunteer_index::INTAKE_DATE,
    ];

    fn index_entries(&self) -> Vec<(&'static str, String)> {
        use volunteer_index::*;
        let mut entries = vec![
            (NAME, self.name.normalised()),
            (NAME_BIRTH, self.name_birth_key()),
            (MUNICIPALITY, self.municipality.to_lowercase()),
            (STATUS, self.status.key().to_string()),
            (INTAKE_DATE, self.intake_date.to_string()),
        ];
        if !self.email.is_empty() {
            entries.push((EMAIL, self.email.clone()));
        }
        if !self.phone.is_empty() {
            entries.push((PHONE, self.phone.clone()));
        }
        entries
    }

    fn upgrade(version: u16, payload: &[u8]) -> Result<Self, CodecError> {
        match version {
            1 => Ok(codec::decode::<v1::VolunteerV1>(payload)?.into()),
            v => Err(CodecError(format!(
                "format version {v} of volunteer is unknown to this koppel"
            ))),
        }
    }

    fn upgrade_json(version: u16, data: serde_json::Value) -> Result<Self, String> {
        match version {
            1 => serde_json::from_value::<v1::VolunteerV1>(data)
                .map(Into::into)
                .map_err(|e| format!("data: {e}")),
            v => Err(format!(
                "format version {v} of volunteer is unknown to this koppel"
            )),
        }
    }

    fn normalised(self, rules: &Rules) -> Result<Self, Vec<crate::domain::FieldError>> {
        crate::domain::VolunteerDraft::from_volunteer(&self).validate(rules)
    }
}

/// Layout 1 of the volunteer record, kept to read old stores and exports.
pub mod v1 {
    use crate::domain::PersonName;
    use crate::domain::volunteer::{
        Availability, Consent, ConsentScope, FoundVia, Interest, Status, Vog, Volunteer,
    };
    use serde::{Deserialize, Serialize};
    use time::Date;

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct VolunteerV1 {
        pub name: PersonName,
        pub birth_date: Date,
        pub address: String,
        pub postcode: String,
        pub municipality: String,
        pub phone: String,
        pub email: String,
        pub interests: Vec<Interest>,
        pub skills: String,
        pub availability: Availability,
        pub hours_per_week: u8,
        pub motivation: String,
        pub vog: Vog,
        /// Date consent was given; layout 1 had no scope (it meant "matching").
        pub consent_given_on: Date,
        pub status: Status,
        pub intake_date: Date,
        pub notes: String,
    }

    impl From<VolunteerV1> for Volunteer {
        fn from(v: VolunteerV1) -> Self {
            Volunteer {
                name: v.name,
                birth_date: v.birth_date,
                address: v.address,
                postcode: v.postcode,
                municipality: v.municipality,
                phone: v.phone,
                email: v.email,
                interests: v.interests,
                skills: v.skills,
                availability: v.availability,
                hours_per_week: v.hours_per_week,
                motivation: v.motivation,
                found_via: FoundVia::Other,
                vog: v.vog,
                consent: Consent {
                    given_on: v.consent_given_on,
                    scope: ConsentScope::Matching,
                },
                status: v.status,
                intake_date: v.intake_date,
                vulnerable: false,
                notes: v.notes,
            }
        }
    }
}

impl Record for AuditEvent {
    const KIND: &'static str = "audit";
    const FORMAT_VERSION: u16 = 1;
    const INDEXES: &'static [&'static str] = &["subject", "actor"];

    fn index_entries(&self) -> Vec<(&'static str, String)> {
        let mut entries = vec![("actor", self.actor.clone())];
        if !self.subject.is_empty() {
            entries.push(("subject", self.subject.clone()));
        }
        entries
    }
}
