//! The organisations' rows: what the organisation list shows of each, its sort key and its
//! search text.

use super::rows::{RowKind, Rows};
use super::search::{Role, SearchText};
use super::{ReadModel, SharedModel};
use crate::domain::draft::Keyed;
use crate::domain::name::fold;
use crate::domain::organisation::{Organisation, OrganisationKind};
use crate::store::Stored;
use std::sync::Arc;

/// The organisations as the read model keeps them (registered in `readmodel/mod.rs`).
#[derive(Debug)]
pub struct Organisations;

impl RowKind for Organisations {
    type Record = Organisation;
    type Row = OrganisationRow;
    type Stats = ();

    fn row(id: u64, revision: u64, data: Organisation) -> OrganisationRow {
        OrganisationRow::from_parts(id, revision, data)
    }
    fn id(row: &OrganisationRow) -> u64 {
        row.id
    }
    fn revision(row: &OrganisationRow) -> u64 {
        row.revision
    }
    fn sort_key(row: &OrganisationRow) -> &Arc<str> {
        &row.sort_key
    }
    fn haystack(row: &OrganisationRow) -> &str {
        &row.haystack
    }
}

impl ReadModel {
    /// Every organisation, sorted by name (case and accents folded), then id.
    pub fn organisations(&self) -> &Rows<Organisations> {
        self.rows::<Organisations>()
    }
}

impl SharedModel {
    /// Puts an organisation this session just saved (see [`SharedModel::put_saved`]).
    pub fn put_organisation(&self, s: &Stored<Organisation>) {
        self.put_saved::<Organisations>(s.clone());
    }
}

/// One organisation as lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrganisationRow {
    pub id: u64,
    pub revision: u64,
    pub name: String,
    /// The folded name: the list order.
    pub sort_key: Arc<str>,
    /// What search matches against: folded name, municipality, contact persons, e-mail.
    pub haystack: String,
    pub kind: OrganisationKind,
    pub municipality: String,
    /// The first contact person's name (empty when none).
    pub contact: String,
    pub free_vog: bool,
}

impl OrganisationRow {
    /// The row of a stored organisation, taking its strings rather than copying them.
    /// The row of a stored organisation.
    pub fn from_owned(s: Stored<Organisation>) -> OrganisationRow {
        OrganisationRow::from_parts(s.meta.id, s.meta.revision, s.data)
    }

    /// The row of record `id` at `revision`.
    pub fn from_parts(id: u64, revision: u64, data: Organisation) -> OrganisationRow {
        let o = data;
        let sort_key: Arc<str> = fold(&o.name).into();
        let mut text = SearchText::new()
            .words(Role::Main, &o.name)
            .words(Role::Minor, &o.municipality)
            .words(Role::Minor, o.kind.key())
            .key(&o.email)
            .digits(&o.phone);
        for p in &o.contact_persons {
            text = text.words(Role::Second, &p.name);
        }
        let haystack = text.build();
        let contact = o
            .contact_persons
            .first()
            .map(|p| p.name.clone())
            .unwrap_or_default();
        OrganisationRow {
            id,
            revision,
            name: o.name,
            sort_key,
            haystack,
            kind: o.kind,
            municipality: o.municipality,
            contact,
            free_vog: o.free_vog,
        }
    }
}
