//! The contact kind: its indexes.

use super::Of;
use super::vacancy::id_value;
use crate::domain::FieldError;
use crate::domain::contact::Contact;
use crate::domain::volunteer::Rules;
use crate::store::record::{Editable, IndexDef, Kind, Record, date_value};

/// The type-erased operations of contacts.
pub(super) static OPS: Of<Contact> = Of::editable();

/// The contact indexes.
pub mod index {
    use crate::store::record::IndexDef;

    /// The organisation's id (as `id_value`): an organisation's contacts.
    pub const ORGANISATION: IndexDef = IndexDef::new("organisation");
    /// The contact's date as `YYYY-MM-DD`.
    pub const DATE: IndexDef = IndexDef::new("date");
    /// The date of a follow-up not yet done, as `YYYY-MM-DD`: a range scan up to today
    /// finds what is due.
    pub const OPEN_FOLLOW_UP: IndexDef = IndexDef::new("open_follow_up");
}

impl Record for Contact {
    /// Few enough to load whole: no separate summaries are kept (`SUMMARY_VERSION` 0), and
    /// the list is built from the record itself.
    type Summary = Contact;

    fn summary(&self) -> Contact {
        self.clone()
    }

    const KIND: Kind = Kind::Contact;
    /// 1: today's layout.
    const FORMAT_VERSION: u16 = 1;
    const INDEXES: &'static [&'static IndexDef] =
        &[&index::ORGANISATION, &index::DATE, &index::OPEN_FOLLOW_UP];

    fn index_entries(&self) -> Vec<(&'static IndexDef, String)> {
        let mut out = vec![
            (&index::ORGANISATION, id_value(self.organisation)),
            (&index::DATE, date_value(self.date)),
        ];
        if let Some(f) = self.follow_up
            && !self.done
        {
            out.push((&index::OPEN_FOLLOW_UP, date_value(f)));
        }
        out
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

impl Editable for Contact {}

#[cfg(test)]
mod tests {
    use super::index;
    use crate::domain::contact::{Contact, sample_contact};
    use crate::domain::vacancy::sample_rules;
    use crate::store::{Stamp, Store};
    use time::macros::datetime;

    #[test]
    fn an_open_follow_up_is_indexed_until_it_is_done() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let stamp = Stamp {
            by: "test".into(),
            at: datetime!(2026-11-27 10:00 UTC),
        };
        let c = sample_contact().validate(&sample_rules()).unwrap();
        let id = store.insert(c.clone(), &stamp).unwrap().meta.id;
        let due = |to: &str| {
            store
                .range::<Contact, &str>(&index::OPEN_FOLLOW_UP, "0000"..=to)
                .unwrap()
        };
        assert_eq!(due("2026-11-27"), [id]);
        assert!(due("2026-11-26").is_empty());
        store
            .update(id, 1, Contact { done: true, ..c }, &stamp)
            .unwrap();
        assert!(due("2026-11-27").is_empty());
        assert_eq!(
            store.find::<Contact>(&index::DATE, "2026-11-20").unwrap(),
            [id]
        );
        store.delete::<Contact>(id, 2, &stamp).unwrap();
        assert!(
            store
                .find::<Contact>(&index::DATE, "2026-11-20")
                .unwrap()
                .is_empty()
        );
    }
}
