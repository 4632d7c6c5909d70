//! The staff accounts' rows: login, display name, role and whether active, so screens can show
//! a colleague's name for a login (a record's "saved by", a trajectory's consultant) and offer
//! the active consultants.

use super::rows::{RowKind, Rows};
use super::search::{Role as SearchRole, SearchText};
use super::{ReadModel, SharedModel};
use crate::domain::staff::{Role, StaffAccount};
use crate::store::Stored;
use std::sync::Arc;

/// The staff accounts as the read model keeps them (registered in `readmodel/mod.rs`).
#[derive(Debug)]
pub struct Staff;

impl RowKind for Staff {
    type Record = StaffAccount;
    type Row = StaffRow;
    type Stats = ();

    fn row(id: u64, revision: u64, data: StaffAccount) -> StaffRow {
        StaffRow::from_parts(id, revision, data)
    }
    fn id(row: &StaffRow) -> u64 {
        row.id
    }
    fn revision(row: &StaffRow) -> u64 {
        row.revision
    }
    fn sort_key(row: &StaffRow) -> &Arc<str> {
        &row.sort_key
    }
    fn haystack(row: &StaffRow) -> &str {
        &row.haystack
    }
}

impl ReadModel {
    /// Every staff account, by display name.
    pub fn staff(&self) -> &Rows<Staff> {
        self.rows::<Staff>()
    }

    /// The account with login name `login`.
    pub fn staff_member(&self, login: &str) -> Option<&StaffRow> {
        self.staff().all().iter().find(|r| r.login == login)
    }

    /// The name to show for login `login`: the account's display name, else the login
    /// itself (an account unknown here, such as one of an imported history).
    pub fn display_name<'a>(&'a self, login: &'a str) -> &'a str {
        self.staff_member(login)
            .map_or(login, |r| r.display_name.as_str())
    }

    /// The active consultants, by display name.
    pub fn active_consultants(&self) -> impl Iterator<Item = &StaffRow> {
        self.staff()
            .all()
            .iter()
            .filter(|r| r.active && r.role == Role::Consultant)
    }
}

impl SharedModel {
    /// Puts an account this session just saved (see [`SharedModel::put_saved`]).
    pub fn put_staff(&self, s: &Stored<StaffAccount>) {
        self.put_saved::<Staff>(s.clone());
    }
}

/// One staff account as lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffRow {
    pub id: u64,
    pub revision: u64,
    pub login: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub keys: usize,
    /// The folded display name, then the login.
    pub sort_key: Arc<str>,
    /// Folded display name and login.
    pub haystack: String,
}

impl StaffRow {
    /// The row of record `id` at `revision`.
    pub fn from_parts(id: u64, revision: u64, a: StaffAccount) -> StaffRow {
        let sort_key: Arc<str> =
            format!("{}\u{1}{}", a.display_name.to_lowercase(), a.login).into();
        let haystack = SearchText::new()
            .words(SearchRole::Main, &a.display_name)
            .words(SearchRole::Second, &a.login)
            .build();
        StaffRow {
            id,
            revision,
            keys: a.keys.len(),
            login: a.login,
            display_name: a.display_name,
            role: a.role,
            active: a.active,
            sort_key,
            haystack,
        }
    }
}
