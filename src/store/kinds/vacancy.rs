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
    /// Few enough to load whole: no separate summaries are kept (`SUMMARY_VERSION` 0), and
    /// the list is built from the record itself.
    type Summary = Vacancy;

    fn summary(&self) -> Vacancy {
        self.clone()
    }

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

    fn links(&self) -> Vec<(Kind, u64)> {
        vec![(Kind::Organisation, self.organisation)]
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
    fn import_and_check_want_the_organisation_a_vacancy_belongs_to() {
        use crate::domain::organisation::{Organisation, sample_organisation};
        use crate::store::exchange::{ImportError, LineProblem, check, export, import};
        use crate::store::kinds::{CheckProblem, Kind};
        let rules = sample_rules().rules;
        let stamp = Stamp {
            by: "test".into(),
            at: datetime!(2026-11-27 10:00 UTC),
        };
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("a")).unwrap();
        let org = sample_organisation().validate(&rules).unwrap();
        let org_id = store.insert(org, &stamp).unwrap().meta.id;
        let v = Vacancy {
            organisation: org_id,
            ..sample_vacancy().validate(&sample_rules()).unwrap()
        };
        store.insert(v, &stamp).unwrap();
        let mut out = Vec::new();
        export(&store, &mut out).unwrap();
        let text = String::from_utf8(out).unwrap();
        // The whole export imports into an empty store.
        let fresh = Store::open(&dir.path().join("b")).unwrap();
        import(&fresh, &mut text.as_bytes(), &rules, &stamp, false, None).unwrap();
        assert!(check(&fresh).unwrap().problems.is_empty());
        // Without its organisation, the vacancy's line is refused and nothing is written.
        let without: String = text
            .lines()
            .filter(|l| !l.contains("\"kind\":\"organisation\""))
            .map(|l| format!("{l}\n"))
            .collect();
        let empty = Store::open(&dir.path().join("c")).unwrap();
        let Err(ImportError::Lines(lines)) =
            import(&empty, &mut without.as_bytes(), &rules, &stamp, false, None)
        else {
            panic!("imported a vacancy without its organisation")
        };
        assert_eq!(
            lines[0].problem,
            LineProblem::LinkMissing {
                to: Kind::Organisation,
                id: org_id
            }
        );
        assert_eq!(empty.count::<Vacancy>(), 0);
        // An organisation gone from under its vacancy is reported by check.
        store.delete::<Organisation>(org_id, 1, &stamp).unwrap();
        let report = check(&store).unwrap();
        assert!(
            report.problems.iter().any(|p| matches!(
                p,
                CheckProblem::LinkMissing {
                    kind: Kind::Vacancy,
                    to: Kind::Organisation,
                    ..
                }
            )),
            "{:?}",
            report.problems
        );
    }

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
