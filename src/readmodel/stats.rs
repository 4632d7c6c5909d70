//! Aggregates over the volunteers: counts by status, municipality and target group, and
//! intakes per ISO week.
//!
//! [`VolunteerStats`] lives in the shared [`super::ReadModel`]: it is computed once at load
//! and kept current from each change (a put subtracts the old row's contribution and adds the
//! new one; a delete subtracts), so no session ever recounts 100,000 rows after a save.
//!
//! Time is state: the model keeps intakes for every ISO week, never "the last 26 weeks".
//! [`OverviewStats::compute`] picks the window relative to a `today` its caller passes, so the
//! figures do not depend on when they were counted, and nothing here reads the clock.

use super::rows::Aggregate;
use super::{ReadModel, VolunteerRow};
use crate::domain::dates::iso_week;
use crate::domain::volunteer::{Status, TargetGroup};
use std::collections::BTreeMap;
use time::{Date, Duration};

/// Weeks in the overview's intake chart.
pub const WEEKS: usize = 26;

/// Counts over every volunteer row, kept current incrementally by the read model.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VolunteerStats {
    total: u64,
    /// Of them, anonymised: counted in every figure, never listed.
    anonymised: u64,
    /// Indexed like [`Status::ALL`].
    by_status: [u64; Status::ALL.len()],
    /// Indexed like [`TargetGroup::ALL`].
    by_group: [u64; TargetGroup::ALL.len()],
    /// Only municipalities with at least one volunteer. A handful of names: a tree compares a
    /// few of them per row, cheaper than hashing the name.
    by_municipality: BTreeMap<String, u64>,
    /// Intakes per (ISO year, ISO week); only weeks with at least one intake.
    per_week: BTreeMap<(i32, u8), u64>,
}

impl VolunteerStats {
    /// Counts `rows` from scratch.
    pub fn from_rows<'a>(rows: impl IntoIterator<Item = &'a VolunteerRow>) -> VolunteerStats {
        let mut s = VolunteerStats::default();
        for r in rows {
            s.count_in(r);
        }
        s
    }

    /// Counts `row` in.
    fn count_in(&mut self, row: &VolunteerRow) {
        self.total += 1;
        self.anonymised += u64::from(row.anonymised);
        if let Some(i) = status_index(row.status) {
            self.by_status[i] += 1;
        }
        for (i, g) in TargetGroup::ALL.iter().enumerate() {
            if row.has_group(*g) {
                self.by_group[i] += 1;
            }
        }
        match self.by_municipality.get_mut(row.municipality.as_str()) {
            Some(n) => *n += 1,
            None => {
                self.by_municipality.insert(row.municipality.clone(), 1);
            }
        }
        *self.per_week.entry(iso_week(row.intake_date)).or_default() += 1;
    }

    /// Counts `row` out again; it must have been counted in (with these very values).
    fn count_out(&mut self, row: &VolunteerRow) {
        self.total = self.total.saturating_sub(1);
        self.anonymised = self.anonymised.saturating_sub(u64::from(row.anonymised));
        if let Some(i) = status_index(row.status) {
            self.by_status[i] = self.by_status[i].saturating_sub(1);
        }
        for (i, g) in TargetGroup::ALL.iter().enumerate() {
            if row.has_group(*g) {
                self.by_group[i] = self.by_group[i].saturating_sub(1);
            }
        }
        if let Some(n) = self.by_municipality.get_mut(row.municipality.as_str()) {
            *n -= 1;
            if *n == 0 {
                self.by_municipality.remove(row.municipality.as_str());
            }
        }
        let week = iso_week(row.intake_date);
        if let Some(n) = self.per_week.get_mut(&week) {
            *n -= 1;
            if *n == 0 {
                self.per_week.remove(&week);
            }
        }
    }

    /// Adds the counts of `other` (of rows disjoint from this one's).
    fn merge_with(&mut self, other: VolunteerStats) {
        self.total += other.total;
        self.anonymised += other.anonymised;
        for (a, b) in self.by_status.iter_mut().zip(other.by_status) {
            *a += b;
        }
        for (a, b) in self.by_group.iter_mut().zip(other.by_group) {
            *a += b;
        }
        for (m, n) in other.by_municipality {
            *self.by_municipality.entry(m).or_default() += n;
        }
        for (w, n) in other.per_week {
            *self.per_week.entry(w).or_default() += n;
        }
    }

    /// Number of volunteers.
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Of them, anonymised (counted in every figure, never in a list).
    pub fn anonymised(&self) -> u64 {
        self.anonymised
    }

    /// Volunteers with status `s`.
    pub fn status(&self, s: Status) -> u64 {
        status_index(s).map_or(0, |i| self.by_status[i])
    }

    /// Volunteers in target group `g`.
    pub fn group(&self, g: TargetGroup) -> u64 {
        TargetGroup::ALL
            .iter()
            .position(|x| *x == g)
            .map_or(0, |i| self.by_group[i])
    }

    /// Volunteers per municipality, by name (only municipalities that have any).
    pub fn municipalities(&self) -> impl Iterator<Item = (&str, u64)> + '_ {
        self.by_municipality.iter().map(|(m, n)| (m.as_str(), *n))
    }

    /// Intakes in ISO week `week` of ISO year `year`.
    pub fn intakes_in_week(&self, year: i32, week: u8) -> u64 {
        self.per_week.get(&(year, week)).copied().unwrap_or(0)
    }
}

impl Aggregate<VolunteerRow> for VolunteerStats {
    fn add(&mut self, row: &VolunteerRow) {
        self.count_in(row);
    }
    fn subtract(&mut self, row: &VolunteerRow) {
        self.count_out(row);
    }
    fn merge(&mut self, other: VolunteerStats) {
        self.merge_with(other);
    }
}

fn status_index(s: Status) -> Option<usize> {
    Status::ALL.iter().position(|x| *x == s)
}

/// The figures of the overview screen, for one model version and one day.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OverviewStats {
    /// Model version these were computed from.
    pub version: Option<u64>,
    pub total: usize,
    pub by_status: Vec<(Status, usize)>,
    /// Sorted by count, largest first (then by name).
    pub by_municipality: Vec<(String, usize)>,
    pub by_group: Vec<(TargetGroup, usize)>,
    /// (ISO year, week, intakes), oldest first, ending with the week of `today`.
    pub per_week: Vec<(i32, u8, u64)>,
    /// Placements started in the same weeks.
    pub placements_per_week: Vec<u64>,
    /// Trajectories started in the same weeks.
    pub trajectories_per_week: Vec<u64>,
    /// This year up to today against the targets (1 Vertalen › Doelen), per measure.
    pub targets: Vec<super::CentreLine>,
    /// Trajectories not closed, and those of them whose next meeting is overdue today.
    pub trajectories_open: u64,
    pub trajectories_overdue: u64,
}

impl OverviewStats {
    /// The overview of `model` as seen on `today`: the people's figures from the model's kept
    /// aggregates; the trends of placements and trajectories and the year against its targets
    /// from one pass over those rows (the screen asks once per model version).
    pub fn compute(model: &ReadModel, today: Date) -> OverviewStats {
        let first = first_monday(today);
        let week_of = |d: Date| -> Option<usize> {
            let days = (d - first).whole_days();
            (days >= 0 && days < WEEKS as i64 * 7).then_some((days / 7) as usize)
        };
        let mut placements_per_week = vec![0; WEEKS];
        for p in model.placements().iter() {
            if let Some(w) = p.placed_on.and_then(week_of) {
                placements_per_week[w] += 1;
            }
        }
        let mut trajectories_per_week = vec![0; WEEKS];
        for t in model.trajectories().iter() {
            if let Some(w) = week_of(t.started) {
                trajectories_per_week[w] += 1;
            }
        }
        let (trajectories_open, trajectories_overdue) = model.caseloads().open_and_overdue(today);
        OverviewStats {
            version: Some(model.version()),
            trajectories_open,
            trajectories_overdue,
            placements_per_week,
            trajectories_per_week,
            targets: model.centre_progress(today.year(), today),
            ..OverviewStats::from_stats(model.volunteers().stats(), today)
        }
    }

    /// The overview of `stats` as seen on `today` (without a model version).
    pub fn from_stats(stats: &VolunteerStats, today: Date) -> OverviewStats {
        let count = |n: u64| usize::try_from(n).unwrap_or(usize::MAX);
        let mut by_municipality: Vec<(String, usize)> = stats
            .municipalities()
            .map(|(m, n)| (m.to_string(), count(n)))
            .collect();
        by_municipality.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        let first_monday = first_monday(today);
        let per_week = (0..WEEKS)
            .map(|i| {
                let (y, w) = iso_week(first_monday + Duration::weeks(i as i64));
                (y, w, stats.intakes_in_week(y, w))
            })
            .collect();
        OverviewStats {
            version: None,
            total: count(stats.total()),
            by_status: Status::ALL
                .iter()
                .map(|s| (*s, count(stats.status(*s))))
                .collect(),
            by_municipality,
            by_group: TargetGroup::ALL
                .iter()
                .map(|g| (*g, count(stats.group(*g))))
                .collect(),
            per_week,
            placements_per_week: vec![0; WEEKS],
            trajectories_per_week: vec![0; WEEKS],
            targets: Vec::new(),
            trajectories_open: 0,
            trajectories_overdue: 0,
        }
    }
}

/// Monday of the first of the [`WEEKS`] weeks that end with the week of `today`.
fn first_monday(today: Date) -> Date {
    let this_monday = today - Duration::days(i64::from(today.weekday().number_days_from_monday()));
    this_monday - Duration::weeks(WEEKS as i64 - 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::volunteer::Volunteer;
    use crate::readmodel::Volunteers;
    use crate::readmodel::volunteers::test_row;
    use crate::store::Record;
    use proptest::prelude::*;
    use time::macros::date;

    fn row(id: u64, status: Status, muni: &str, intake: Date, groups: u8) -> VolunteerRow {
        VolunteerRow {
            status,
            municipality: muni.into(),
            intake_date: intake,
            groups,
            ..test_row(id, &format!("N{id:05}"))
        }
    }

    #[test]
    fn counts_and_weeks() {
        let mut m = ReadModel::default();
        let today = date!(2026 - 11 - 27); // Friday of week 48
        m.replace_all::<Volunteers>(vec![
            row(1, Status::New, "Dordrecht", date!(2026 - 11 - 23), 1),
            row(2, Status::Placed, "Dordrecht", date!(2026 - 11 - 22), 2 | 4),
            row(3, Status::New, "Gorinchem", date!(2024 - 01 - 01), 0),
        ]);
        let s = OverviewStats::compute(&m, today);
        assert_eq!(s.version, Some(m.version()));
        assert_eq!(s.total, 3);
        assert_eq!(s.by_status[0], (Status::New, 2));
        assert_eq!(s.by_municipality[0], ("Dordrecht".to_string(), 2));
        assert_eq!(
            s.by_group,
            vec![
                (TargetGroup::Jongere, 1),
                (TargetGroup::Senior, 1),
                (TargetGroup::Kwetsbaar, 1)
            ]
        );
        assert_eq!(s.per_week.len(), WEEKS);
        assert_eq!(*s.per_week.last().unwrap(), (2026, 48, 1));
        assert_eq!(s.per_week[WEEKS - 2], (2026, 47, 1));
        assert_eq!(s.per_week.iter().map(|w| w.2).sum::<u64>(), 2);
        // The window follows the day it is drawn on; the counts stay.
        let later = OverviewStats::compute(&m, date!(2026 - 12 - 04));
        assert_eq!(later.per_week[WEEKS - 2], (2026, 48, 1));
        assert_eq!(*later.per_week.last().unwrap(), (2026, 49, 0));
    }

    #[test]
    fn a_save_moves_a_person_between_counts() {
        let mut m = ReadModel::default();
        m.replace_all::<Volunteers>(vec![
            row(1, Status::New, "Dordrecht", date!(2026 - 11 - 23), 1),
            row(2, Status::New, "Gorinchem", date!(2026 - 11 - 23), 0),
        ]);
        // Person 2 moves to Dordrecht and is placed; the old revision is ignored.
        m.put::<Volunteers>(VolunteerRow {
            revision: 2,
            ..row(2, Status::Placed, "Dordrecht", date!(2026 - 11 - 16), 2)
        });
        m.put::<Volunteers>(row(
            2,
            Status::Inactive,
            "Sliedrecht",
            date!(2020 - 01 - 01),
            0,
        ));
        let s = m.volunteers().stats();
        assert_eq!(s.status(Status::New), 1);
        assert_eq!(s.status(Status::Placed), 1);
        assert_eq!(s.municipalities().collect::<Vec<_>>(), [("Dordrecht", 2)]);
        assert_eq!(s.group(TargetGroup::Senior), 1);
        assert_eq!(s.intakes_in_week(2026, 48), 1);
        assert_eq!(s.intakes_in_week(2026, 47), 1);
        m.remove(Volunteer::KIND, 1);
        m.remove(Volunteer::KIND, 1);
        assert_eq!(m.volunteers().stats().total(), 1);
        assert_eq!(m.volunteers().stats().status(Status::New), 0);
        assert_eq!(m.volunteers().stats().intakes_in_week(2026, 48), 0);
        assert_eq!(
            *m.volunteers().stats(),
            VolunteerStats::from_rows(m.volunteers().all())
        );
    }

    /// One step of a session of saves.
    #[derive(Debug, Clone)]
    enum Step {
        Put {
            id: u64,
            revision: u64,
            status: usize,
            muni: usize,
            day: i64,
            groups: u8,
        },
        Delete {
            id: u64,
        },
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            3 => (1u64..20, 1u64..6, 0usize..5, 0usize..4, 0i64..400, 0u8..16).prop_map(
                |(id, revision, status, muni, day, groups)| Step::Put {
                    id,
                    revision,
                    status,
                    muni,
                    day,
                    groups
                }
            ),
            1 => (1u64..20).prop_map(|id| Step::Delete { id }),
        ]
    }

    proptest! {
        /// Whatever was loaded and saved, the kept counts are what a recount gives.
        #[test]
        fn kept_counts_equal_a_recount(
            loaded in proptest::collection::vec(step(), 0..20),
            steps in proptest::collection::vec(step(), 0..60),
        ) {
            const MUNIS: [&str; 4] = ["Dordrecht", "Gorinchem", "Sliedrecht", "Molenlanden"];
            let to_row = |s: &Step| match *s {
                // Bit 8 of `groups`: the person is anonymised.
                Step::Put { id, revision, status, muni, day, groups } => Some(VolunteerRow {
                    revision,
                    anonymised: groups & 8 != 0,
                    ..row(
                        id,
                        Status::ALL[status],
                        MUNIS[muni],
                        date!(2025 - 12 - 01) + Duration::days(day),
                        groups & 7,
                    )
                }),
                Step::Delete { .. } => None,
            };
            let mut initial: Vec<VolunteerRow> = Vec::new();
            for r in loaded.iter().filter_map(to_row) {
                if !initial.iter().any(|x| x.id == r.id) {
                    initial.push(r);
                }
            }
            let mut m = ReadModel::default();
            m.replace_all::<Volunteers>(initial);
            prop_assert_eq!(m.volunteers().stats(), &VolunteerStats::from_rows(m.volunteers().all()));
            for s in &steps {
                match (s, to_row(s)) {
                    (_, Some(r)) => m.put::<Volunteers>(r),
                    (Step::Delete { id }, None) => m.remove(Volunteer::KIND, *id),
                    _ => {}
                }
                prop_assert_eq!(m.volunteers().stats(), &VolunteerStats::from_rows(m.volunteers().all()));
            }
            let today = date!(2026 - 11 - 27);
            let counted = OverviewStats::from_stats(&VolunteerStats::from_rows(m.volunteers().all()), today);
            // The people's figures (the model holds no targets here, so none are compared).
            prop_assert_eq!(OverviewStats { version: None, targets: Vec::new(), ..OverviewStats::compute(&m, today) }, counted);
        }
    }
}
