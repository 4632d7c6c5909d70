//! The staff account kind: its indexes. The login name and each key's fingerprint are unique
//! indexes, so no two accounts share a name or a key, whatever writes them.

use super::Of;
use crate::domain::FieldError;
use crate::domain::staff::StaffAccount;
use crate::domain::volunteer::Rules;
use crate::store::record::{Editable, IndexDef, Kind, Record};

/// The type-erased operations of staff accounts.
pub(super) static OPS: Of<StaffAccount> = Of::editable();

/// The staff account indexes.
pub mod index {
    use crate::store::record::IndexDef;

    /// The login name (unique).
    pub const LOGIN: IndexDef = IndexDef::unique("login");
    /// The fingerprint (`SHA256:…`) of each of the account's keys (unique): who logs in
    /// with a key.
    pub const KEY: IndexDef = IndexDef::unique("key");
    /// `intake`, `consultant`, `coordinator`, `admin`, for active accounts only.
    pub const ACTIVE_ROLE: IndexDef = IndexDef::new("active_role");
}

impl Record for StaffAccount {
    /// Few enough to load whole: no separate summaries are kept (`SUMMARY_VERSION` 0), and
    /// the list is built from the record itself.
    type Summary = StaffAccount;

    fn summary(&self) -> StaffAccount {
        self.clone()
    }

    const KIND: Kind = Kind::Staff;
    /// 1: today's layout.
    const FORMAT_VERSION: u16 = 1;
    const INDEXES: &'static [&'static IndexDef] =
        &[&index::LOGIN, &index::KEY, &index::ACTIVE_ROLE];

    fn index_entries(&self) -> Vec<(&'static IndexDef, String)> {
        let mut out = vec![(&index::LOGIN, self.login.clone())];
        out.extend(
            self.keys
                .iter()
                .map(|k| (&index::KEY, k.fingerprint.clone())),
        );
        if self.active {
            out.push((&index::ACTIVE_ROLE, self.role.key().to_string()));
        }
        out
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

impl Editable for StaffAccount {}

#[cfg(test)]
mod tests {
    use super::index;
    use crate::domain::staff::{Role, SAMPLE_KEY, StaffAccount};
    use crate::store::{Stamp, Store, StoreError};
    use time::macros::datetime;

    fn stamp() -> Stamp {
        Stamp {
            by: "test".into(),
            at: datetime!(2026-11-29 10:00 UTC),
        }
    }

    #[test]
    fn a_login_name_and_a_key_belong_to_one_account() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let anna = StaffAccount::new("anna", "Anna", Role::Consultant, &[SAMPLE_KEY]).unwrap();
        let id = store.insert(anna.clone(), &stamp()).unwrap().meta.id;
        assert_eq!(
            store.find::<StaffAccount>(&index::LOGIN, "anna").unwrap(),
            [id]
        );
        let fp = anna.keys[0].fingerprint.clone();
        assert_eq!(store.find::<StaffAccount>(&index::KEY, &fp).unwrap(), [id]);

        // A second "anna" is refused by the store itself, and so is anna's key on another.
        let again = StaffAccount::new("anna", "Other", Role::Intake, &[]).unwrap();
        assert!(matches!(
            store.insert(again, &stamp()),
            Err(StoreError::Taken { index: "login", holder, .. }) if holder == id
        ));
        let bert = StaffAccount::new("bert", "", Role::Intake, &[SAMPLE_KEY]).unwrap();
        assert!(matches!(
            store.insert(bert.clone(), &stamp()),
            Err(StoreError::Taken { index: "key", .. })
        ));

        // Once anna's key is removed, bert may have it; once anna is gone, her name is free.
        let anna_without = StaffAccount {
            keys: Vec::new(),
            active: false,
            ..anna
        };
        store.update(id, 1, anna_without, &stamp()).unwrap();
        assert!(
            store
                .find::<StaffAccount>(&index::ACTIVE_ROLE, "consultant")
                .unwrap()
                .is_empty()
        );
        let bert_id = store.insert(bert, &stamp()).unwrap().meta.id;
        assert_eq!(
            store.find::<StaffAccount>(&index::KEY, &fp).unwrap(),
            [bert_id]
        );
        store.delete::<StaffAccount>(id, 2, &stamp()).unwrap();
        let new_anna = StaffAccount::new("anna", "", Role::Admin, &[]).unwrap();
        assert!(store.insert(new_anna, &stamp()).is_ok());
    }
}
