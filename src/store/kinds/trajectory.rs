//! The trajectory kind: its list summary and the person it is about. It keeps no indexes:
//! caseloads, phases and overdue meetings come from the read model.

use super::Of;
use crate::domain::FieldError;
use crate::domain::trajectory::{Trajectory, TrajectorySummary};
use crate::domain::volunteer::Rules;
use crate::store::record::{Editable, IndexDef, Kind, Record};
use crate::store::{Store, StoreError};

/// The store version from which trajectories keep no index entries.
pub const INDEXES_DROPPED: u32 = 5;

/// Removes the entries of the trajectory indexes older stores kept (consultant, phase, kind
/// and next meeting) and nothing reads: 70,000 of an import's writes at 20,000 trajectories.
/// Runs once, and raises the store version last.
pub(crate) fn drop_indexes(store: &Store) -> Result<(), StoreError> {
    if store.version()? >= INDEXES_DROPPED {
        return Ok(());
    }
    let (_, idx) = store.raw_trees(Kind::Trajectory);
    idx.clear()?;
    store.set_version(INDEXES_DROPPED)
}

/// The type-erased operations of trajectories.
pub(super) static OPS: Of<Trajectory> = Of::editable();

impl Record for Trajectory {
    /// A trajectory carries its whole history; lists need a few fields of it.
    type Summary = TrajectorySummary;
    /// 1: the first summary; 2: with its dated history for the periodic summary.
    const SUMMARY_VERSION: u16 = 2;

    fn summary(&self) -> TrajectorySummary {
        TrajectorySummary::of(self)
    }

    const KIND: Kind = Kind::Trajectory;
    /// 1: today's layout.
    const FORMAT_VERSION: u16 = 1;
    const INDEXES: &'static [&'static IndexDef] = &[];

    fn index_entries(&self) -> Vec<(&'static IndexDef, String)> {
        Vec::new()
    }

    /// A trajectory is about its person: it is found with everything else about them.
    fn about(&self) -> Vec<u64> {
        vec![self.person]
    }

    fn links(&self) -> Vec<(Kind, u64)> {
        vec![(Kind::Volunteer, self.person)]
    }

    fn normalised(self, _rules: &Rules) -> Result<Self, Vec<FieldError>> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }
}

impl Editable for Trajectory {}

#[cfg(test)]
mod tests {
    use crate::domain::trajectory::{Trajectory, sample_rules, sample_start};
    use crate::store::{Stamp, Store};
    use time::macros::{date, datetime};

    #[test]
    fn a_trajectory_is_found_with_everything_about_its_person() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let stamp = Stamp {
            by: "test".into(),
            at: datetime!(2026-11-27 10:00 UTC),
        };
        let rules = sample_rules();
        let t = Trajectory::start(
            sample_start().validate(&rules).unwrap(),
            date!(2026 - 09 - 01),
            "anouk",
            &rules.settings,
        );
        let id = store.insert(t, &stamp).unwrap().meta.id;
        assert_eq!(
            store.about_person(1).unwrap(),
            [(crate::store::Kind::Trajectory, id)]
        );
        store.delete::<Trajectory>(id, 1, &stamp).unwrap();
        assert!(store.about_person(1).unwrap().is_empty());
    }
}
