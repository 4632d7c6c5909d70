//! The activity kind: its indexes.

use super::Of;
use crate::domain::FieldError;
use crate::domain::activity::Activity;
use crate::domain::draft::Keyed;
use crate::domain::volunteer::Rules;
use crate::store::record::{Editable, IndexDef, Kind, Record, date_value};

/// The type-erased operations of activities.
pub(super) static OPS: Of<Activity> = Of::editable();

/// The activity indexes.
pub mod index {
    use crate::store::record::IndexDef;

    /// The date, as `YYYY-MM-DD`: the activities of a period.
    pub const DATE: IndexDef = IndexDef::new("date");
    /// The kind (`campaign`, `event`, …).
    pub const KIND: IndexDef = IndexDef::new("kind");
}

impl Record for Activity {
    /// Few enough to load whole: no separate summaries are kept (`SUMMARY_VERSION` 0), and
    /// the list is built from the record itself.
    type Summary = Activity;

    fn summary(&self) -> Activity {
        self.clone()
    }

    const KIND: Kind = Kind::Activity;
    /// 1: today's layout.
    const FORMAT_VERSION: u16 = 1;
    const INDEXES: &'static [&'static IndexDef] = &[&index::DATE, &index::KIND];

    fn index_entries(&self) -> Vec<(&'static IndexDef, String)> {
        vec![
            (&index::DATE, date_value(self.date)),
            (&index::KIND, self.kind.key().to_string()),
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

impl Editable for Activity {}
