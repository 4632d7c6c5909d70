//! The activities' rows: what 4 Verbreiden › Activiteiten shows of each, newest first, and
//! their search text (name, organisations, notes).

use super::rows::{RowKind, Rows};
use super::search::{Role, SearchText};
use super::{ReadModel, SharedModel};
use crate::domain::activity::{Activity, ActivityKind};
use crate::domain::contact::BasicFunction;
use crate::store::Stored;
use std::sync::Arc;
use time::Date;

/// The activities as the read model keeps them (registered in `readmodel/mod.rs`).
#[derive(Debug)]
pub struct Activities;

impl RowKind for Activities {
    type Record = Activity;
    type Row = ActivityRow;
    type Stats = ();

    fn row(id: u64, revision: u64, data: Activity) -> ActivityRow {
        ActivityRow::from_parts(id, revision, data)
    }
    fn id(row: &ActivityRow) -> u64 {
        row.id
    }
    fn revision(row: &ActivityRow) -> u64 {
        row.revision
    }
    fn sort_key(row: &ActivityRow) -> &Arc<str> {
        &row.sort_key
    }
    fn haystack(row: &ActivityRow) -> &str {
        &row.haystack
    }
}

impl ReadModel {
    /// Every activity, newest first.
    pub fn activities(&self) -> &Rows<Activities> {
        self.rows::<Activities>()
    }
}

impl SharedModel {
    /// Puts an activity this session just saved (see [`SharedModel::put_saved`]).
    pub fn put_activity(&self, s: &Stored<Activity>) {
        self.put_saved::<Activities>(s.clone());
    }
}

/// One activity as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRow {
    pub id: u64,
    pub revision: u64,
    pub date: Date,
    pub title: String,
    pub kind: ActivityKind,
    pub basic_function: BasicFunction,
    pub organisations: usize,
    pub participants: u32,
    pub held: bool,
    /// Who was thanked and why, for a thank-you logged from Waardering.
    pub thanks: Option<crate::domain::activity::Thanks>,
    /// Newest first: the date counted down.
    pub sort_key: Arc<str>,
    /// Folded name, organisations and notes.
    pub haystack: String,
}

impl ActivityRow {
    /// The row of record `id` at `revision`.
    pub fn from_parts(id: u64, revision: u64, a: Activity) -> ActivityRow {
        let sort_key: Arc<str> = format!("{:08}", 9_999_999 - a.date.to_julian_day()).into();
        let haystack = SearchText::new()
            .words(Role::Main, &a.title)
            .words(Role::Second, &a.organisations.join(" "))
            .words(Role::Second, &a.notes)
            .build();
        ActivityRow {
            id,
            revision,
            date: a.date,
            title: a.title,
            kind: a.kind,
            basic_function: a.basic_function,
            organisations: a.organisations.len(),
            participants: a.participants,
            held: a.held,
            thanks: a.thanks,
            sort_key,
            haystack,
        }
    }
}
