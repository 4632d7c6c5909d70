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

/// A kind of record the store can hold. Implemented in [`super::kinds`] for the domain types,
/// so the domain itself stays free of storage concerns.
pub trait Record: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {
    /// Name of the kind: tree names, export lines and errors use it ("volunteer").
    const KIND: &'static str;
    /// Version of the payload layout written today. Bump it when the struct changes and teach
    /// [`Record::upgrade`] to read the previous layouts.
    const FORMAT_VERSION: u16;
    /// Names of the secondary indexes this kind maintains.
    const INDEXES: &'static [&'static str];

    /// The secondary index entries of this record: (index name, value). Values must not contain
    /// a NUL character (the store removes any).
    fn index_entries(&self) -> Vec<(&'static str, String)>;

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
