//! The target kind: its indexes. One record per municipality and year; the claim index
//! (`2026/dordrecht`) is how the service keeps it so.

use super::Of;
use crate::domain::FieldError;
use crate::domain::target::Target;
use crate::domain::volunteer::Rules;
use crate::store::record::{Editable, IndexDef, Kind, Record};

/// The type-erased operations of targets.
pub(super) static OPS: Of<Target> = Of::editable();

/// The target indexes.
pub mod index {
    use crate::store::record::IndexDef;

    /// Year and folded municipality (`2026/dordrecht`): at most one record each.
    pub const CLAIM: IndexDef = IndexDef::unique("claim");
    /// The year (`2026`): a year's targets.
    pub const YEAR: IndexDef = IndexDef::new("year");
}

impl Record for Target {
    /// A handful a year: no separate summaries (`SUMMARY_VERSION` 0), the list is built from
    /// the record itself.
    type Summary = Target;

    fn summary(&self) -> Target {
        self.clone()
    }

    const KIND: Kind = Kind::Target;
    /// 1: today's layout.
    const FORMAT_VERSION: u16 = 1;
    const INDEXES: &'static [&'static IndexDef] = &[&index::CLAIM, &index::YEAR];

    fn index_entries(&self) -> Vec<(&'static IndexDef, String)> {
        vec![
            (&index::CLAIM, self.claim()),
            (&index::YEAR, self.year.to_string()),
        ]
    }

    fn normalised(self, rules: &Rules) -> Result<Self, Vec<FieldError>> {
        let problems = self.problems(rules);
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }
}

impl Editable for Target {}

#[cfg(test)]
mod tests {
    use super::index;
    use crate::domain::target::{Target, sample_target};
    use crate::domain::volunteer::Rules;
    use crate::store::{Stamp, Store};
    use time::macros::{date, datetime};

    #[test]
    fn targets_are_found_by_year_and_by_their_municipality_and_year() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let stamp = Stamp {
            by: "test".into(),
            at: datetime!(2026-11-27 10:00 UTC),
        };
        let rules = Rules {
            municipalities: vec!["Dordrecht".into()],
            today: date!(2026 - 11 - 27),
        };
        let t = sample_target().validate(&rules).unwrap();
        let id = store.insert(t.clone(), &stamp).unwrap().meta.id;
        assert_eq!(
            store
                .find::<Target>(&index::CLAIM, "2026/dordrecht")
                .unwrap(),
            [id]
        );
        assert_eq!(store.find::<Target>(&index::YEAR, "2026").unwrap(), [id]);
        let next_year = Target { year: 2027, ..t };
        store.update(id, 1, next_year, &stamp).unwrap();
        assert!(
            store
                .find::<Target>(&index::CLAIM, "2026/dordrecht")
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.find::<Target>(&index::YEAR, "2027").unwrap(), [id]);
    }
}
