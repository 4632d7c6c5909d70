//! What every stored record carries, and what a record kind must tell the store.

use crate::codec::CodecError;
use crate::domain::FieldError;
use crate::domain::volunteer::Rules;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// Who did something, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// Account name.
    pub by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// The bookkeeping every record carries, whatever its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Meta {
    pub id: u64,
    /// Starts at 1 and goes up by one with every saved change.
    pub revision: u64,
    pub created: Stamp,
    pub updated: Stamp,
}

/// A record as stored: its bookkeeping and its data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stored<T> {
    pub meta: Meta,
    pub data: T,
}

impl<T> Stored<T> {
    pub fn id(&self) -> u64 {
        self.meta.id
    }
    pub fn revision(&self) -> u64 {
        self.meta.revision
    }
}

pub use super::kinds::Kind;

/// A secondary index of a kind. Its entries are `(value, id)` pairs kept in byte order of the
/// value, so [`super::Store::find`] finds one value and [`super::Store::range`] walks values
/// in order. A value that stands for a date must be written so byte order is date order (ISO
/// `YYYY-MM-DD`, see [`date_value`]).
#[derive(Debug, PartialEq, Eq, Hash)]
pub struct IndexDef {
    /// The stable name, part of every entry's key on disk: never rename an index in use.
    pub name: &'static str,
    /// At most one record of the kind may have each value (a staff account's login name):
    /// a write that would give a second record the same value is refused with
    /// [`super::StoreError::Taken`], inside the transaction.
    pub unique: bool,
}

impl IndexDef {
    pub const fn new(name: &'static str) -> IndexDef {
        IndexDef {
            name,
            unique: false,
        }
    }

    /// An index whose values belong to one record each (see [`IndexDef::unique`]).
    pub const fn unique(name: &'static str) -> IndexDef {
        IndexDef { name, unique: true }
    }
}

impl std::fmt::Display for IndexDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

/// A date as an index value whose byte order is date order: `YYYY-MM-DD`.
pub fn date_value(date: time::Date) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}

/// A kind of record the store can hold. Implemented in [`super::kinds`] for the domain types,
/// so the domain itself stays free of storage concerns.
///
/// Every kind also says what anonymising and erasing do to it
/// ([`Personal`](crate::domain::privacy::Personal)): explicitly, per kind.
pub trait Record:
    Serialize + DeserializeOwned + Clone + Send + Sync + crate::domain::privacy::Personal + 'static
{
    /// The kind.
    const KIND: Kind;
    /// Version of the payload layout written today. Bump it when the struct changes and teach
    /// [`Record::upgrade`] to read the previous layouts.
    const FORMAT_VERSION: u16;
    /// The secondary indexes this kind maintains.
    const INDEXES: &'static [&'static IndexDef];

    /// What lists show of a record, kept beside it in the store's summary tree so a list loads
    /// without decoding whole records (see `store::summary`). `()` for a kind without a list.
    type Summary: Serialize + DeserializeOwned + Send + 'static;
    /// Version of [`Record::Summary`] and [`Record::summary`]; 0 keeps no summaries. Bump it
    /// when either changes: the store rebuilds the kind's summaries when it next opens.
    const SUMMARY_VERSION: u16 = 0;

    /// The summary of this record.
    fn summary(&self) -> Self::Summary;

    /// The secondary index entries of this record: (index, value). Values must not contain a
    /// NUL character (the store removes any).
    fn index_entries(&self) -> Vec<(&'static IndexDef, String)>;

    /// The people (volunteer ids) this record is about. The store keeps a reference entry for
    /// each in the same transaction, so everything about one person is one prefix query. A
    /// person's own record is not listed (it is found by its id).
    fn about(&self) -> Vec<u64> {
        Vec::new()
    }

    /// The records of other kinds this record points at, which must exist: a vacancy's
    /// organisation. Import refuses a line whose links are neither in the file nor in the
    /// store, and `check` reports a link to a record that is gone.
    fn links(&self) -> Vec<(Kind, u64)> {
        Vec::new()
    }

    /// Reads a payload written with an older `version` of the layout.
    fn upgrade(version: u16, payload: &[u8]) -> Result<Self, CodecError> {
        let _ = payload;
        Err(CodecError(format!(
            "format version {version} of {} cannot be read by this version of koppel",
            Self::KIND
        )))
    }

    /// Reads the JSON of an exported record written with an older `version` of the layout.
    fn upgrade_json(version: u16, data: serde_json::Value) -> Result<Self, String> {
        let _ = data;
        Err(format!(
            "format version {version} of {} cannot be read by this version of koppel",
            Self::KIND
        ))
    }

    /// The record as the rules would have saved it, or what is wrong with it. Import runs
    /// every line through this: a backup from elsewhere may break the rules or hold values
    /// in another spelling (`3311ab` for `3311 AB`).
    fn normalised(self, rules: &Rules) -> Result<Self, Vec<FieldError>> {
        let _ = rules;
        Ok(self)
    }
}

/// A kind whose records may be inserted, changed, deleted and restored by the generic write
/// paths. Append-only kinds (the audit trail) do not implement it: they are written only by
/// their own appender, and nothing can change or remove them.
pub trait Editable: Record {}
