//! The signals' rows: what 1 Vertalen › Signalen shows of each, newest first, and their
//! search text (theme, municipality, description, what was done).

use super::rows::{RowKind, Rows};
use super::search::{Role, SearchText};
use super::{ReadModel, SharedModel};
use crate::domain::contact::BasicFunction;
use crate::domain::signal::{Signal, SignalStatus, Source};
use crate::store::Stored;
use std::sync::Arc;
use time::Date;

/// The signals as the read model keeps them (registered in `readmodel/mod.rs`).
#[derive(Debug)]
pub struct Signals;

impl RowKind for Signals {
    type Record = Signal;
    type Row = SignalRow;
    type Stats = ();

    fn row(id: u64, revision: u64, data: Signal) -> SignalRow {
        SignalRow::from_parts(id, revision, data)
    }
    fn id(row: &SignalRow) -> u64 {
        row.id
    }
    fn revision(row: &SignalRow) -> u64 {
        row.revision
    }
    fn sort_key(row: &SignalRow) -> &Arc<str> {
        &row.sort_key
    }
    fn haystack(row: &SignalRow) -> &str {
        &row.haystack
    }
}

impl ReadModel {
    /// Every signal, newest first.
    pub fn signals(&self) -> &Rows<Signals> {
        self.rows::<Signals>()
    }
}

impl SharedModel {
    /// Puts a signal this session just saved (see [`SharedModel::put_saved`]).
    pub fn put_signal(&self, s: &Stored<Signal>) {
        self.put_saved::<Signals>(s.clone());
    }
}

/// One signal as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalRow {
    pub id: u64,
    pub revision: u64,
    pub date: Date,
    pub theme: String,
    pub municipality: String,
    pub source: Source,
    pub basic_function: BasicFunction,
    pub status: SignalStatus,
    /// Newest first: the date counted down.
    pub sort_key: Arc<str>,
    /// Folded theme, municipality, description and what was done.
    pub haystack: String,
}

impl SignalRow {
    /// The row of record `id` at `revision`.
    pub fn from_parts(id: u64, revision: u64, s: Signal) -> SignalRow {
        let sort_key: Arc<str> = format!("{:08}", 9_999_999 - s.date.to_julian_day()).into();
        let haystack = SearchText::new()
            .words(Role::Main, &s.theme)
            .words(Role::Second, &s.municipality)
            .words(Role::Second, &s.description)
            .words(Role::Second, &s.action_taken)
            .build();
        SignalRow {
            id,
            revision,
            date: s.date,
            theme: s.theme,
            municipality: s.municipality,
            source: s.source,
            basic_function: s.basic_function,
            status: s.status,
            sort_key,
            haystack,
        }
    }
}
