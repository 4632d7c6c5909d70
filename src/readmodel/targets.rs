//! The targets' rows (1 Vertalen › Doelen: newest year first, then by municipality) and the
//! year's progress they are measured against, counted from the other kinds' rows: intakes by
//! the person's municipality, placements started and trajectories started by their person's,
//! contacts by their organisation's.

use super::rows::{RowKind, Rows};
use super::search::{Role, SearchText};
use super::{ReadModel, SharedModel};
use crate::domain::draft::Keyed;
use crate::domain::target::{Measure, Target};
use crate::domain::trajectory::TrajectoryKind;
use crate::store::Stored;
use std::collections::BTreeMap;
use std::sync::Arc;
use time::Date;

/// The targets as the read model keeps them (registered in `readmodel/mod.rs`).
#[derive(Debug)]
pub struct Targets;

impl RowKind for Targets {
    type Record = Target;
    type Row = TargetRow;
    type Stats = ();

    fn row(id: u64, revision: u64, data: Target) -> TargetRow {
        TargetRow::from_parts(id, revision, data)
    }
    fn id(row: &TargetRow) -> u64 {
        row.id
    }
    fn revision(row: &TargetRow) -> u64 {
        row.revision
    }
    fn sort_key(row: &TargetRow) -> &Arc<str> {
        &row.sort_key
    }
    fn haystack(row: &TargetRow) -> &str {
        &row.haystack
    }
}

impl ReadModel {
    /// Every municipality's targets, newest year first.
    pub fn targets(&self) -> &Rows<Targets> {
        self.rows::<Targets>()
    }
}

impl SharedModel {
    /// Puts targets this session just saved (see [`SharedModel::put_saved`]).
    pub fn put_targets(&self, t: &Stored<Target>) {
        self.put_saved::<Targets>(t.clone());
    }
}

/// One municipality's targets for a year as the list shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetRow {
    pub id: u64,
    pub revision: u64,
    pub year: i32,
    pub municipality: String,
    /// In the order of [`Measure::ALL`].
    pub goals: [Option<u32>; 5],
    /// Newest year first, then the folded municipality.
    pub sort_key: Arc<str>,
    pub haystack: String,
}

impl TargetRow {
    pub fn from_parts(id: u64, revision: u64, t: Target) -> TargetRow {
        let mut goals = [None; 5];
        for (slot, m) in goals.iter_mut().zip(Measure::ALL) {
            *slot = t.goal(*m);
        }
        TargetRow {
            id,
            revision,
            sort_key: format!("{:04}/{}", 9999 - t.year, t.municipality.to_lowercase()).into(),
            haystack: SearchText::new()
                .words(Role::Main, &t.municipality)
                .words(Role::Second, &t.year.to_string())
                .build(),
            year: t.year,
            municipality: t.municipality,
            goals,
        }
    }

    /// The target for `m`, if set.
    pub fn goal(&self, m: Measure) -> Option<u32> {
        let i = Measure::ALL.iter().position(|x| *x == m)?;
        self.goals[i]
    }
}

/// What a year brought so far, per municipality (folded to lower case) and for the whole
/// centre, in the order of [`Measure::ALL`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearProgress {
    pub year: i32,
    pub by_municipality: BTreeMap<String, [u32; 5]>,
    pub total: [u32; 5],
}

impl YearProgress {
    /// What `municipality` has reached of measure `m`.
    pub fn of(&self, municipality: &str, m: Measure) -> u32 {
        let i = Measure::ALL.iter().position(|x| *x == m).unwrap_or(0);
        self.by_municipality
            .get(&municipality.trim().to_lowercase())
            .map_or(0, |c| c[i])
    }

    /// What the centre has reached of measure `m`.
    pub fn total(&self, m: Measure) -> u32 {
        let i = Measure::ALL.iter().position(|x| *x == m).unwrap_or(0);
        self.total[i]
    }

    fn add(&mut self, municipality: &str, m: Measure) {
        let i = Measure::ALL.iter().position(|x| *x == m).unwrap_or(0);
        self.total[i] += 1;
        let slot = self
            .by_municipality
            .entry(municipality.trim().to_lowercase())
            .or_default();
        slot[i] += 1;
    }
}

impl ReadModel {
    /// Counts what `year` brought up to and including `today` (all of it for a past year):
    /// one pass over the people, placements, trajectories and contacts.
    pub fn year_progress(&self, year: i32, today: Date) -> YearProgress {
        let counts = |d: Date| d.year() == year && d <= today;
        let mut p = YearProgress {
            year,
            ..YearProgress::default()
        };
        let volunteers = self.volunteers();
        for v in volunteers.all() {
            if counts(v.intake_date) {
                p.add(&v.municipality, Measure::Intakes);
            }
        }
        for pl in self.placements().all() {
            if pl.placed_on.is_some_and(counts)
                && let Some(v) = volunteers.get(pl.volunteer)
            {
                p.add(&v.municipality, Measure::Placements);
            }
        }
        for t in self.trajectories().all() {
            if counts(t.started) {
                p.add(&t.municipality, Measure::Trajectories);
                if t.kind == TrajectoryKind::Mas {
                    p.add(&t.municipality, Measure::MasPupils);
                }
            }
        }
        let organisations = self.organisations();
        for c in self.contacts().all() {
            if counts(c.date)
                && let Some(o) = organisations.get(c.organisation)
            {
                p.add(&o.municipality, Measure::Contacts);
            }
        }
        p
    }
}
