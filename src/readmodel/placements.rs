//! The placements' rows: what the placements list shows of each (the newest proposal first),
//! and their search text.

use super::rows::{RowKind, Rows};
use super::search::{Role, SearchText};
use super::{ReadModel, SharedModel};
use crate::domain::placement::{EndReason, Placement, PlacementStatus};
use crate::store::Stored;
use std::sync::Arc;
use time::Date;

/// The placements as the read model keeps them (registered in `readmodel/mod.rs`).
#[derive(Debug)]
pub struct Placements;

impl RowKind for Placements {
    type Record = Placement;
    type Row = PlacementRow;
    type Stats = ();

    fn row(id: u64, revision: u64, data: Placement) -> PlacementRow {
        PlacementRow::from_parts(id, revision, data)
    }
    fn id(row: &PlacementRow) -> u64 {
        row.id
    }
    fn revision(row: &PlacementRow) -> u64 {
        row.revision
    }
    fn sort_key(row: &PlacementRow) -> &Arc<str> {
        &row.sort_key
    }
    fn haystack(row: &PlacementRow) -> &str {
        &row.haystack
    }
}

impl ReadModel {
    /// Every placement, the newest proposal first.
    pub fn placements(&self) -> &Rows<Placements> {
        self.rows::<Placements>()
    }
}

impl SharedModel {
    /// Puts a placement this session just saved (see [`SharedModel::put_saved`]).
    pub fn put_placement(&self, s: &Stored<Placement>) {
        self.put_saved::<Placements>(s.clone());
    }
}

/// One placement as lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacementRow {
    pub id: u64,
    pub revision: u64,
    pub volunteer: u64,
    pub volunteer_name: String,
    pub vacancy: u64,
    pub vacancy_title: String,
    pub organisation_name: String,
    pub status: PlacementStatus,
    pub proposed_on: Date,
    /// When the volunteer started (status placed).
    pub placed_on: Option<Date>,
    pub ended_on: Option<Date>,
    pub end_reason: Option<EndReason>,
    pub sort_key: Arc<str>,
    pub haystack: String,
}

impl PlacementRow {
    /// The row of a stored placement.
    pub fn from_owned(s: Stored<Placement>) -> PlacementRow {
        PlacementRow::from_parts(s.meta.id, s.meta.revision, s.data)
    }

    /// The row of record `id` at `revision`.
    pub fn from_parts(id: u64, revision: u64, data: Placement) -> PlacementRow {
        let p = data;
        let sort_key: Arc<str> = format!("{:08}", 9_999_999 - p.proposed_on.to_julian_day()).into();
        let haystack = SearchText::new()
            .words(Role::Main, &p.volunteer_name.replace(',', " "))
            .words(Role::Second, &p.vacancy_title)
            .words(Role::Second, &p.organisation_name)
            .build();
        PlacementRow {
            id,
            revision,
            volunteer: p.volunteer,
            volunteer_name: p.volunteer_name,
            vacancy: p.vacancy,
            vacancy_title: p.vacancy_title,
            organisation_name: p.organisation_name,
            status: p.status,
            proposed_on: p.proposed_on,
            placed_on: p.placed_on,
            ended_on: p.ended_on,
            end_reason: p.end_reason,
            sort_key,
            haystack,
        }
    }
}
