//! The vacancies' rows: what the vacancy list shows of each (and what matching reads), its
//! sort key and its search text.

use super::rows::{RowKind, Rows};
use super::search::{Role, SearchText};
use super::{ReadModel, SharedModel};
use crate::domain::name::fold;
use crate::domain::vacancy::{Suitability, Vacancy, VacancyStatus};
use crate::domain::volunteer::{Availability, Interest};
use crate::store::Stored;
use std::sync::Arc;
use time::Date;

/// The vacancies as the read model keeps them (registered in `readmodel/mod.rs`).
#[derive(Debug)]
pub struct Vacancies;

impl RowKind for Vacancies {
    type Record = Vacancy;
    type Row = VacancyRow;
    type Stats = ();

    fn row(id: u64, revision: u64, data: Vacancy) -> VacancyRow {
        VacancyRow::from_parts(id, revision, data)
    }
    fn id(row: &VacancyRow) -> u64 {
        row.id
    }
    fn revision(row: &VacancyRow) -> u64 {
        row.revision
    }
    fn sort_key(row: &VacancyRow) -> &Arc<str> {
        &row.sort_key
    }
    fn haystack(row: &VacancyRow) -> &str {
        &row.haystack
    }
}

impl ReadModel {
    /// Every vacancy, sorted by title, then organisation (case and accents folded), then id.
    pub fn vacancies(&self) -> &Rows<Vacancies> {
        self.rows::<Vacancies>()
    }
}

impl SharedModel {
    /// Puts a vacancy this session just saved (see [`SharedModel::put_saved`]).
    pub fn put_vacancy(&self, s: &Stored<Vacancy>) {
        self.put_saved::<Vacancies>(s.clone());
    }
}

/// One vacancy as lists and matching see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VacancyRow {
    pub id: u64,
    pub revision: u64,
    pub title: String,
    pub organisation: u64,
    pub organisation_name: String,
    pub sort_key: Arc<str>,
    /// Folded title, organisation, municipality and sector.
    pub haystack: String,
    pub sector: Interest,
    pub municipality: String,
    pub dayparts: Availability,
    pub hours_per_week: u8,
    pub vog_required: bool,
    pub min_age: u8,
    pub suitable: Vec<Suitability>,
    pub status: VacancyStatus,
    pub start_date: Date,
}

impl VacancyRow {
    /// The row of a stored vacancy, taking its strings rather than copying them.
    /// The row of a stored vacancy.
    pub fn from_owned(s: Stored<Vacancy>) -> VacancyRow {
        VacancyRow::from_parts(s.meta.id, s.meta.revision, s.data)
    }

    /// The row of record `id` at `revision`.
    pub fn from_parts(id: u64, revision: u64, data: Vacancy) -> VacancyRow {
        let v = data;
        let title = fold(&v.title);
        let org = fold(&v.organisation_name);
        let sort_key: Arc<str> = format!("{title}\u{1}{org}").into();
        let haystack = SearchText::new()
            .words(Role::Main, &v.title)
            .words(Role::Second, &v.organisation_name)
            .words(Role::Minor, &v.municipality)
            .words(Role::Minor, v.sector.key())
            .build();
        VacancyRow {
            id,
            revision,
            title: v.title,
            organisation: v.organisation,
            organisation_name: v.organisation_name,
            sort_key,
            haystack,
            sector: v.sector,
            municipality: v.municipality,
            dayparts: v.dayparts,
            hours_per_week: v.hours_per_week,
            vog_required: v.vog_required,
            min_age: v.min_age,
            suitable: v.suitable,
            status: v.status,
            start_date: v.start_date,
        }
    }
}
