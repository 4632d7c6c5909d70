//! The signal kind: its indexes.

use super::Of;
use crate::domain::FieldError;
use crate::domain::draft::Keyed;
use crate::domain::signal::Signal;
use crate::domain::volunteer::Rules;
use crate::store::record::{Editable, IndexDef, Kind, Record, date_value};

/// The type-erased operations of signals.
pub(super) static OPS: Of<Signal> = Of::editable();

/// The signal indexes.
pub mod index {
    use crate::store::record::IndexDef;

    /// The date it was noticed, as `YYYY-MM-DD`: the signals of a period.
    pub const DATE: IndexDef = IndexDef::new("date");
    /// The theme, folded to lower case: the signals about one theme.
    pub const THEME: IndexDef = IndexDef::new("theme");
    /// Its status (`new`, `discussed`, `acted_on`): what still needs discussing.
    pub const STATUS: IndexDef = IndexDef::new("status");
}

impl Record for Signal {
    /// Few enough to load whole: no separate summaries are kept (`SUMMARY_VERSION` 0), and
    /// the list is built from the record itself.
    type Summary = Signal;

    fn summary(&self) -> Signal {
        self.clone()
    }

    const KIND: Kind = Kind::Signal;
    /// 1: today's layout.
    const FORMAT_VERSION: u16 = 1;
    const INDEXES: &'static [&'static IndexDef] = &[&index::DATE, &index::THEME, &index::STATUS];

    fn index_entries(&self) -> Vec<(&'static IndexDef, String)> {
        vec![
            (&index::DATE, date_value(self.date)),
            (&index::THEME, self.theme.trim().to_lowercase()),
            (&index::STATUS, self.status.key().to_string()),
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

impl Editable for Signal {}

#[cfg(test)]
mod tests {
    use super::index;
    use crate::domain::signal::{Signal, SignalStatus, sample_signal};
    use crate::domain::volunteer::Rules;
    use crate::store::{Stamp, Store};
    use time::macros::{date, datetime};

    #[test]
    fn signals_are_found_by_theme_in_any_case_and_by_status() {
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
        let s = sample_signal().validate(&rules).unwrap();
        let id = store.insert(s.clone(), &stamp).unwrap().meta.id;
        assert_eq!(
            store.find::<Signal>(&index::THEME, "eenzaamheid").unwrap(),
            [id]
        );
        assert_eq!(store.find::<Signal>(&index::STATUS, "new").unwrap(), [id]);
        let discussed = Signal {
            status: SignalStatus::Discussed,
            ..s
        };
        store.update(id, 1, discussed, &stamp).unwrap();
        assert!(
            store
                .find::<Signal>(&index::STATUS, "new")
                .unwrap()
                .is_empty()
        );
        assert_eq!(
            store.find::<Signal>(&index::STATUS, "discussed").unwrap(),
            [id]
        );
    }
}
