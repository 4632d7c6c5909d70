//! The placement kind: its indexes, the person it is about and the vacancy it points at.

use super::Of;
use super::vacancy::id_value;
use crate::domain::draft::Keyed;
use crate::domain::placement::Placement;
use crate::store::record::{Editable, IndexDef, Kind, Record};

/// The type-erased operations of placements.
pub(super) static OPS: Of<Placement> = Of::editable();

/// The placement indexes.
pub mod index {
    use crate::store::record::IndexDef;

    /// The vacancy's id (as `id_value`): a vacancy's placements.
    pub const VACANCY: IndexDef = IndexDef::new("vacancy");
    /// `proposed`, `introduction`, `placed`, `ended`.
    pub const STATUS: IndexDef = IndexDef::new("status");
}

impl Record for Placement {
    /// Few enough to load whole: no separate summaries are kept (`SUMMARY_VERSION` 0), and
    /// the list is built from the record itself.
    type Summary = Placement;

    fn summary(&self) -> Placement {
        self.clone()
    }

    const KIND: Kind = Kind::Placement;
    /// 1: today's layout.
    const FORMAT_VERSION: u16 = 1;
    const INDEXES: &'static [&'static IndexDef] = &[&index::VACANCY, &index::STATUS];

    fn index_entries(&self) -> Vec<(&'static IndexDef, String)> {
        vec![
            (&index::VACANCY, id_value(self.vacancy)),
            (&index::STATUS, self.status.key().to_string()),
        ]
    }

    /// A placement is about its volunteer: it is found with everything else about them.
    fn about(&self) -> Vec<u64> {
        vec![self.volunteer]
    }

    fn links(&self) -> Vec<(Kind, u64)> {
        vec![
            (Kind::Volunteer, self.volunteer),
            (Kind::Vacancy, self.vacancy),
        ]
    }
}

impl Editable for Placement {}
