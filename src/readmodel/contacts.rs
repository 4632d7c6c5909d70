//! The contact log's rows: what the contacts list and the follow-ups view show of each, newest
//! first, and their search text.

use super::rows::{RowKind, Rows};
use super::search::{Role, SearchText};
use super::{ReadModel, SharedModel};
use crate::domain::contact::{BasicFunction, Channel, Contact, follow_up_due};
use crate::store::Stored;
use std::sync::Arc;
use time::Date;

/// The contacts as the read model keeps them (registered in `readmodel/mod.rs`).
#[derive(Debug)]
pub struct Contacts;

impl RowKind for Contacts {
    type Record = Contact;
    type Row = ContactRow;
    type Stats = ();

    fn row(id: u64, revision: u64, data: Contact) -> ContactRow {
        ContactRow::from_parts(id, revision, data)
    }
    fn id(row: &ContactRow) -> u64 {
        row.id
    }
    fn revision(row: &ContactRow) -> u64 {
        row.revision
    }
    fn sort_key(row: &ContactRow) -> &Arc<str> {
        &row.sort_key
    }
    fn haystack(row: &ContactRow) -> &str {
        &row.haystack
    }
}

impl ReadModel {
    /// Every contact, newest first (then by id).
    pub fn contacts(&self) -> &Rows<Contacts> {
        self.rows::<Contacts>()
    }
}

impl SharedModel {
    /// Puts a contact this session just saved (see [`SharedModel::put_saved`]).
    pub fn put_contact(&self, s: &Stored<Contact>) {
        self.put_saved::<Contacts>(s.clone());
    }
}

/// One contact as lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactRow {
    pub id: u64,
    pub revision: u64,
    pub organisation: u64,
    pub organisation_name: String,
    pub date: Date,
    pub channel: Channel,
    pub contact_person: String,
    pub subject: String,
    pub basic_function: BasicFunction,
    pub follow_up: Option<Date>,
    pub done: bool,
    /// Newest first: the date counted down.
    pub sort_key: Arc<str>,
    /// Folded subject, organisation and contact person.
    pub haystack: String,
}

impl ContactRow {
    /// The row of a stored contact, taking its strings rather than copying them.
    /// The row of a stored contact.
    pub fn from_owned(s: Stored<Contact>) -> ContactRow {
        ContactRow::from_parts(s.meta.id, s.meta.revision, s.data)
    }

    /// The row of record `id` at `revision`.
    pub fn from_parts(id: u64, revision: u64, data: Contact) -> ContactRow {
        let c = data;
        let sort_key: Arc<str> = format!("{:08}", 9_999_999 - c.date.to_julian_day()).into();
        // The subject is what a contact is filed under; the organisation and the person
        // spoken to find it too.
        let haystack = SearchText::new()
            .words(Role::Main, &c.subject)
            .words(Role::Second, &c.organisation_name)
            .words(Role::Second, &c.contact_person)
            .build();
        ContactRow {
            id,
            revision,
            organisation: c.organisation,
            organisation_name: c.organisation_name,
            date: c.date,
            channel: c.channel,
            contact_person: c.contact_person,
            subject: c.subject,
            basic_function: c.basic_function,
            follow_up: c.follow_up,
            done: c.done,
            sort_key,
            haystack,
        }
    }

    /// Whether its follow-up is open and due on `today` or before.
    pub fn is_due(&self, today: Date) -> bool {
        follow_up_due(self.follow_up, self.done, today)
    }
}
