//! The vacancy kind: its indexes.

use super::Of;
use crate::domain::FieldError;
use crate::domain::draft::Keyed;
use crate::domain::vacancy::Vacancy;
use crate::domain::volunteer::Rules;
use crate::store::record::{Editable, IndexDef, Kind, Record, date_value};

/// The type-erased operations of vacancies.
pub(super) static OPS: Of<Vacancy> = Of::editable();

/// The vacancy indexes.
pub mod index {
    use crate::store::record::IndexDef;

    /// The organisation's id, as [`super::id_value`]: an organisation's vacancies.
    pub const ORGANISATION: IndexDef = IndexDef::new("organisation");
    /// `open`, `filled`, `closed`.
    pub const STATUS: IndexDef = IndexDef::new("status");
    /// Municipality in lower case.
    pub const MUNICIPALITY: IndexDef = IndexDef::new("municipality");
    /// The sector's key.
    pub const SECTOR: IndexDef = IndexDef::new("sector");
    /// Start date as `YYYY-MM-DD`.
    pub const START_DATE: IndexDef = IndexDef::new("start_date");
}

/// An id as an index value whose byte order is number order.
pub fn id_value(id: u64) -> String {
    format!("{id:020}")
}

impl Record for Vacancy {
    const KIND: Kind = Kind::Vacancy;
    /// 1: today's layout.
    const FORMAT_VERSION: u16 = 1;
    const INDEXES: &'static [&'static IndexDef] = &[
        &index::ORGANISATION,
        &index::STATUS,
        &index::MUNICIPALITY,
        &index::SECTOR,
        &index::START_DATE,
    ];

    fn index_entries(&self) -> Vec<(&'static IndexDef, String)> {
        vec![
            (&index::ORGANISATION, id_value(self.organisation)),
            (&index::STATUS, self.status.key().to_string()),
            (&index::MUNICIPALITY, self.municipality.to_lowercase()),
            (&index::SECTOR, self.sector.key().to_string()),
            (&index::START_DATE, date_value(self.start_date)),
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

impl Editable for Vacancy {}

#[cfg(test)]
mod tests {
    use super::{id_value, index};
    use crate::domain::vacancy::{Vacancy, VacancyStatus, sample_rules, sample_vacancy};
    use crate::store::{Stamp, Store};
    use time::macros::datetime;

    #[test]
    fn indexes_follow_insert_update_and_delete() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let stamp = Stamp {
            by: "test".into(),
            at: datetime!(2026-11-27 10:00 UTC),
        };
        let find = |def, value: &str| store.find::<Vacancy>(def, value).unwrap();
        let v = sample_vacancy().validate(&sample_rules()).unwrap();
        let id = store.insert(v.clone(), &stamp).unwrap().meta.id;
        assert_eq!(find(&index::ORGANISATION, &id_value(1)), [id]);
        assert_eq!(find(&index::STATUS, "open"), [id]);
        assert_eq!(find(&index::START_DATE, "2026-12-01"), [id]);
        let filled = Vacancy {
            status: VacancyStatus::Filled,
            organisation: 2,
            ..v
        };
        store.update(id, 1, filled, &stamp).unwrap();
        assert!(find(&index::STATUS, "open").is_empty());
        assert_eq!(find(&index::STATUS, "filled"), [id]);
        assert!(find(&index::ORGANISATION, &id_value(1)).is_empty());
        store.delete::<Vacancy>(id, 2, &stamp).unwrap();
        assert!(find(&index::ORGANISATION, &id_value(2)).is_empty());
    }
}
