//! The organisation kind: its indexes.

use super::Of;
use crate::domain::FieldError;
use crate::domain::organisation::{Organisation, OrganisationDraft};
use crate::domain::volunteer::Rules;
use crate::store::record::{Editable, IndexDef, Kind, Record};

/// The type-erased operations of organisations.
pub(super) static OPS: Of<Organisation> = Of::editable();

/// The organisation indexes.
pub mod index {
    use crate::store::record::IndexDef;

    /// The name, folded (case and accents): finds an organisation by name.
    pub const NAME: IndexDef = IndexDef::new("name");
    /// Municipality in lower case.
    pub const MUNICIPALITY: IndexDef = IndexDef::new("municipality");
    /// The kind's key (`care_home` …).
    pub const KIND: IndexDef = IndexDef::new("kind");
}

impl Record for Organisation {
    /// Few enough to load whole: no separate summaries are kept (`SUMMARY_VERSION` 0), and
    /// the list is built from the record itself.
    type Summary = Organisation;

    fn summary(&self) -> Organisation {
        self.clone()
    }

    const KIND: Kind = Kind::Organisation;
    /// 1: today's layout.
    const FORMAT_VERSION: u16 = 1;
    const INDEXES: &'static [&'static IndexDef] =
        &[&index::NAME, &index::MUNICIPALITY, &index::KIND];

    fn index_entries(&self) -> Vec<(&'static IndexDef, String)> {
        use crate::domain::draft::Keyed;
        vec![
            (&index::NAME, self.folded_name()),
            (&index::MUNICIPALITY, self.municipality.to_lowercase()),
            (&index::KIND, self.kind.key().to_string()),
        ]
    }

    fn normalised(self, rules: &Rules) -> Result<Self, Vec<FieldError>> {
        OrganisationDraft::from_organisation(&self).validate(rules)
    }
}

impl Editable for Organisation {}

#[cfg(test)]
mod tests {
    use super::index;
    use crate::domain::organisation::{Organisation, sample_organisation};
    use crate::domain::volunteer::Rules;
    use crate::store::{Stamp, Store};
    use time::macros::{date, datetime};

    fn linde() -> Organisation {
        let rules = Rules {
            municipalities: vec!["Dordrecht".into(), "Gorinchem".into()],
            today: date!(2026 - 11 - 27),
        };
        sample_organisation().validate(&rules).unwrap()
    }

    #[test]
    fn indexes_follow_insert_update_and_delete() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let stamp = Stamp {
            by: "test".into(),
            at: datetime!(2026-11-27 10:00 UTC),
        };
        let find = |def, value: &str| store.find::<Organisation>(def, value).unwrap();
        let saved = store.insert(linde(), &stamp).unwrap();
        let id = saved.meta.id;
        assert_eq!(find(&index::NAME, "stichting de linde"), [id]);
        assert_eq!(find(&index::MUNICIPALITY, "dordrecht"), [id]);
        assert_eq!(find(&index::KIND, "care_home"), [id]);
        let mut moved = linde();
        moved.name = "Zorgcentrum Émile".into();
        moved.municipality = "Gorinchem".into();
        store.update(id, 1, moved, &stamp).unwrap();
        assert!(find(&index::NAME, "stichting de linde").is_empty());
        assert_eq!(find(&index::NAME, "zorgcentrum emile"), [id]);
        assert!(find(&index::MUNICIPALITY, "dordrecht").is_empty());
        assert_eq!(find(&index::MUNICIPALITY, "gorinchem"), [id]);
        store.delete::<Organisation>(id, 2, &stamp).unwrap();
        assert!(find(&index::NAME, "zorgcentrum emile").is_empty());
        assert!(find(&index::KIND, "care_home").is_empty());
    }
}
