//! The placement kind: the person it is about and the vacancy it points at. It keeps no
//! indexes: a vacancy's placements and the placements by status come from the read model.

use super::Of;
use crate::domain::placement::Placement;
use crate::store::record::{Editable, IndexDef, Kind, Record};
use crate::store::{Store, StoreError};

/// The store version from which placements keep no index entries.
pub const INDEXES_DROPPED: u32 = 4;

/// Removes the entries of the placement indexes older stores kept (the vacancy and the
/// status) and nothing reads: 120,000 of an import's writes at 60,000 placements. Runs once,
/// and raises the store version last: a store closed half-way is finished the next time it
/// opens.
pub(crate) fn drop_indexes(store: &Store) -> Result<(), StoreError> {
    if store.version()? >= INDEXES_DROPPED {
        return Ok(());
    }
    let (_, idx) = store.raw_trees(Kind::Placement);
    idx.clear()?;
    store.set_version(INDEXES_DROPPED)
}

/// The type-erased operations of placements.
pub(super) static OPS: Of<Placement> = Of::editable();

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
    const INDEXES: &'static [&'static IndexDef] = &[];

    fn index_entries(&self) -> Vec<(&'static IndexDef, String)> {
        Vec::new()
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
