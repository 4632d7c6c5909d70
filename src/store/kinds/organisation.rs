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
