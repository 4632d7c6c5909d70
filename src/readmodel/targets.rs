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

/// What a year brought so far, per municipality (as spelled in the records) and for the
/// whole centre, in the order of [`Measure::ALL`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct YearProgress {
    pub year: i32,
    /// A handful of municipalities: looked up by name in a short list.
    pub by_municipality: Vec<(String, [u32; 5])>,
    pub total: [u32; 5],
}

/// Position of `m` in [`Measure::ALL`].
fn slot(m: Measure) -> usize {
    Measure::ALL.iter().position(|x| *x == m).unwrap_or(0)
}

impl YearProgress {
    /// What `municipality` (in any case) has reached of measure `m`.
    pub fn of(&self, municipality: &str, m: Measure) -> u32 {
        let wanted = municipality.trim().to_lowercase();
        self.by_municipality
            .iter()
            .filter(|(name, _)| name.to_lowercase() == wanted)
            .map(|(_, c)| c[slot(m)])
            .sum()
    }

    /// What the centre has reached of measure `m`.
    pub fn total(&self, m: Measure) -> u32 {
        self.total[slot(m)]
    }

    /// The index of `municipality` in the list, added when new.
    fn place(&mut self, municipality: &str) -> usize {
        match self
            .by_municipality
            .iter()
            .position(|(name, _)| name == municipality)
        {
            Some(i) => i,
            None => {
                self.by_municipality
                    .push((municipality.to_string(), [0; 5]));
                self.by_municipality.len() - 1
            }
        }
    }

    fn add(&mut self, place: usize, m: Measure) {
        let i = slot(m);
        self.total[i] += 1;
        if let Some((_, c)) = self.by_municipality.get_mut(place) {
            c[i] += 1;
        }
    }
}

/// Record id → the index of its municipality in a [`YearProgress`], for the people and the
/// organisations that other records point at. Ids are small and dense (the store counts them
/// up): a plain vector, with a map for any id far beyond the number of records.
struct Homes {
    dense: Vec<u32>,
    sparse: std::collections::HashMap<u64, u32>,
}

impl Homes {
    const NONE: u32 = u32::MAX;

    fn new(records: usize) -> Homes {
        Homes {
            dense: vec![Self::NONE; records.saturating_mul(2).saturating_add(1024)],
            sparse: std::collections::HashMap::new(),
        }
    }

    fn set(&mut self, id: u64, place: usize) {
        let place = u32::try_from(place).unwrap_or(Self::NONE);
        match usize::try_from(id).ok().and_then(|i| self.dense.get_mut(i)) {
            Some(slot) => *slot = place,
            None => {
                self.sparse.insert(id, place);
            }
        }
    }

    fn of(&self, id: u64) -> Option<usize> {
        let p = match usize::try_from(id).ok().and_then(|i| self.dense.get(i)) {
            Some(p) => *p,
            None => *self.sparse.get(&id)?,
        };
        (p != Self::NONE).then_some(p as usize)
    }
}

/// One measure for the whole centre in a year: what was reached, and the sum of the targets
/// of the municipalities that set one (with what those municipalities reached).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CentreLine {
    pub measure: Measure,
    /// Reached by the municipalities that set a target for it (by all when none did).
    pub done: u32,
    pub goal: Option<u32>,
}

impl ReadModel {
    /// The whole centre's `year` up to `today` against the sum of its targets, per measure.
    pub fn centre_progress(&self, year: i32, today: Date) -> Vec<CentreLine> {
        let progress = self.year_progress(year, today);
        let rows: Vec<&TargetRow> = self.targets().iter().filter(|r| r.year == year).collect();
        Measure::ALL
            .iter()
            .map(|m| {
                let with_goal: Vec<(&TargetRow, u32)> = rows
                    .iter()
                    .filter_map(|r| r.goal(*m).map(|g| (*r, g)))
                    .collect();
                if with_goal.is_empty() {
                    return CentreLine {
                        measure: *m,
                        done: progress.total(*m),
                        goal: None,
                    };
                }
                CentreLine {
                    measure: *m,
                    done: with_goal
                        .iter()
                        .map(|(r, _)| progress.of(&r.municipality, *m))
                        .sum(),
                    goal: Some(with_goal.iter().map(|(_, g)| *g).sum()),
                }
            })
            .collect()
    }

    /// Counts what `year` brought up to and including `today` (all of it for a past year):
    /// one pass over the people, placements, trajectories and contacts. A placement counts
    /// for its person's municipality, a contact for its organisation's.
    pub fn year_progress(&self, year: i32, today: Date) -> YearProgress {
        let counts = |d: Date| d.year() == year && d <= today;
        let mut p = YearProgress {
            year,
            ..YearProgress::default()
        };
        let volunteers = self.volunteers().all();
        let mut homes = Homes::new(volunteers.len());
        // Names repeat row after row: remember the last one's place.
        let mut last: Option<(&str, usize)> = None;
        for v in volunteers {
            let place = match last {
                Some((name, place)) if name == v.municipality => place,
                _ => p.place(&v.municipality),
            };
            last = Some((v.municipality.as_str(), place));
            homes.set(v.id, place);
            if counts(v.intake_date) {
                p.add(place, Measure::Intakes);
            }
        }
        for pl in self.placements().iter() {
            if pl.placed_on.is_some_and(counts)
                && let Some(place) = homes.of(pl.volunteer)
            {
                p.add(place, Measure::Placements);
            }
        }
        for t in self.trajectories().iter() {
            if counts(t.started) {
                let place = p.place(&t.municipality);
                p.add(place, Measure::Trajectories);
                if t.kind == TrajectoryKind::Mas {
                    p.add(place, Measure::MasPupils);
                }
            }
        }
        let organisations = self.organisations().all();
        let mut seats = Homes::new(organisations.len());
        for o in organisations {
            let place = p.place(&o.municipality);
            seats.set(o.id, place);
        }
        for c in self.contacts().iter() {
            if counts(c.date)
                && let Some(place) = seats.of(c.organisation)
            {
                p.add(place, Measure::Contacts);
            }
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::Homes;

    #[test]
    fn homes_find_dense_and_far_ids_and_nothing_for_unknown_ones() {
        let mut h = Homes::new(3);
        h.set(2, 4);
        h.set(u64::MAX - 1, 1);
        assert_eq!(h.of(2), Some(4));
        assert_eq!(h.of(u64::MAX - 1), Some(1));
        assert_eq!(h.of(3), None);
        assert_eq!(h.of(u64::MAX), None);
    }
}
