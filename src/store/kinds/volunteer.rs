//! The volunteer kind: its indexes and its older layouts.

use super::Of;
use crate::codec::{self, CodecError};
use crate::domain::volunteer::{Rules, Volunteer, VolunteerSummary};
use crate::store::record::{Editable, IndexDef, Kind, Record};
use crate::store::{Store, StoreError};

/// The store version from which the volunteer indexes nobody reads are gone.
pub const UNREAD_INDEXES_DROPPED: u32 = 3;

/// Removes the entries of the volunteer indexes older stores kept and nothing reads
/// ([`index::DROPPED`]): 400,000 of an import's 1,050,000 writes at 100,000 volunteers. Runs
/// once, in batches, and raises the store version last: a store closed half-way is finished
/// the next time it opens (removing is the same the second time).
pub(crate) fn drop_unread_indexes(store: &Store) -> Result<(), StoreError> {
    if store.version()? >= UNREAD_INDEXES_DROPPED {
        return Ok(());
    }
    let (_, idx) = store.raw_trees(Kind::Volunteer);
    for name in index::DROPPED {
        let mut prefix = name.as_bytes().to_vec();
        prefix.push(0);
        loop {
            let keys = idx
                .scan_prefix(&prefix)
                .keys()
                .take(10_000)
                .collect::<Result<Vec<_>, _>>()?;
            if keys.is_empty() {
                break;
            }
            let mut batch = sled::Batch::default();
            for key in keys {
                batch.remove(key);
            }
            idx.apply_batch(batch)?;
        }
    }
    store.set_version(UNREAD_INDEXES_DROPPED)
}

/// The type-erased operations of volunteers.
pub(super) static OPS: Of<Volunteer> = Of::editable();

/// The volunteer indexes.
pub mod index {
    use crate::store::record::IndexDef;

    /// Name and date of birth: the duplicate check.
    pub const NAME_BIRTH: IndexDef = IndexDef::new("name_birth");
    /// E-mail and phone: the duplicate check.
    pub const EMAIL: IndexDef = IndexDef::new("email");
    pub const PHONE: IndexDef = IndexDef::new("phone");
    /// Indexes that stores before version 3 kept (name, municipality, status, intake date)
    /// and nothing reads: lists, search and counts come from the read model. Opening such a
    /// store removes their entries once ([`super::drop_unread_indexes`]).
    pub const DROPPED: [&str; 4] = ["name", "municipality", "status", "intake_date"];
}

impl Record for Volunteer {
    const KIND: Kind = Kind::Volunteer;
    /// 1: first layout (no kwetsbaar flag, no "found via", consent without scope).
    /// 2: without the anonymisation marker.
    /// 3: today's layout.
    const FORMAT_VERSION: u16 = 3;
    const INDEXES: &'static [&'static IndexDef] =
        &[&index::NAME_BIRTH, &index::EMAIL, &index::PHONE];

    type Summary = VolunteerSummary;
    /// 1: name, birth and intake date, postcode, municipality, phone, e-mail, status, kwetsbaar.
    /// 2: and what matching reads (interests, availability, VOG, hours per week).
    /// 3: and how the person found the centre (the report counts intakes by it).
    /// 4: and whether the data was anonymised (lists leave the person out).
    const SUMMARY_VERSION: u16 = 4;

    fn summary(&self) -> VolunteerSummary {
        VolunteerSummary::of(self)
    }

    fn index_entries(&self) -> Vec<(&'static IndexDef, String)> {
        use index::*;
        let mut entries = vec![(&NAME_BIRTH, self.name_birth_key())];
        if !self.email.is_empty() {
            entries.push((&EMAIL, self.email.clone()));
        }
        if !self.phone.is_empty() {
            entries.push((&PHONE, self.phone.clone()));
        }
        entries
    }

    fn upgrade(version: u16, payload: &[u8]) -> Result<Self, CodecError> {
        match version {
            1 => Ok(codec::decode::<v1::VolunteerV1>(payload)?.into()),
            2 => Ok(codec::decode::<v2::VolunteerV2>(payload)?.into()),
            v => Err(CodecError(format!(
                "format version {v} of volunteer is unknown to this koppel"
            ))),
        }
    }

    fn upgrade_json(version: u16, data: serde_json::Value) -> Result<Self, String> {
        match version {
            1 => serde_json::from_value::<v1::VolunteerV1>(data)
                .map(Into::into)
                .map_err(|e| format!("data: {e}")),
            // Layout 2 lacks the marker: it reads as not anonymised.
            2 => serde_json::from_value::<Volunteer>(data).map_err(|e| format!("data: {e}")),
            v => Err(format!(
                "format version {v} of volunteer is unknown to this koppel"
            )),
        }
    }

    fn normalised(self, rules: &Rules) -> Result<Self, Vec<crate::domain::FieldError>> {
        use crate::domain::volunteer::Availability;
        use crate::domain::{Field, FieldError, Problem};
        // Slots beyond Sunday evening cannot be shown or chosen: refuse them rather than
        // drop them on the way through the form's table.
        if self.availability.0 & !Availability::FULL != 0 {
            return Err(vec![FieldError::new(
                Field::Availability,
                Problem::Range {
                    min: 0,
                    max: Availability::FULL,
                },
            )]);
        }
        // An anonymised person has no name, address or contact details left: the record is
        // taken as it is when it is exactly what anonymising leaves, with a known
        // municipality (a line cannot pass as anonymised to slip past the rules).
        if self.anonymised.is_some() {
            use crate::domain::privacy::Personal;
            let on = self.anonymised.unwrap_or(self.intake_date);
            let known = rules.municipality(&self.municipality).is_some();
            return match self.anonymised(on) {
                Some(a) if a == self && known => Ok(self),
                _ => Err(vec![FieldError::new(
                    Field::GivenName,
                    Problem::UnknownChoice {
                        value: "anonymised".into(),
                    },
                )]),
            };
        }
        crate::domain::VolunteerDraft::from_volunteer(&self).validate(rules)
    }
}

impl Editable for Volunteer {}

/// Layout 1 of the volunteer record, kept to read old stores and exports.
pub mod v1 {
    use crate::domain::PersonName;
    use crate::domain::volunteer::{
        Availability, Consent, ConsentScope, FoundVia, Interest, Status, Vog, Volunteer,
    };
    use serde::{Deserialize, Serialize};
    use time::Date;

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct VolunteerV1 {
        pub name: PersonName,
        pub birth_date: Date,
        pub address: String,
        pub postcode: String,
        pub municipality: String,
        pub phone: String,
        pub email: String,
        pub interests: Vec<Interest>,
        pub skills: String,
        pub availability: Availability,
        pub hours_per_week: u8,
        pub motivation: String,
        pub vog: Vog,
        /// Date consent was given; layout 1 had no scope (it meant "matching").
        pub consent_given_on: Date,
        pub status: Status,
        pub intake_date: Date,
        pub notes: String,
    }

    impl From<VolunteerV1> for Volunteer {
        fn from(v: VolunteerV1) -> Self {
            Volunteer {
                name: v.name,
                birth_date: v.birth_date,
                address: v.address,
                postcode: v.postcode,
                municipality: v.municipality,
                phone: v.phone,
                email: v.email,
                interests: v.interests,
                skills: v.skills,
                availability: v.availability,
                hours_per_week: v.hours_per_week,
                motivation: v.motivation,
                found_via: FoundVia::Other,
                vog: v.vog,
                consent: Consent {
                    given_on: v.consent_given_on,
                    scope: ConsentScope::Matching,
                },
                status: v.status,
                intake_date: v.intake_date,
                vulnerable: false,
                notes: v.notes,
                anonymised: None,
            }
        }
    }
}

/// Layout 2 of the volunteer record (before the anonymisation marker), kept to read old
/// stores.
pub mod v2 {
    use crate::domain::PersonName;
    use crate::domain::volunteer::{
        Availability, Consent, FoundVia, Interest, Status, Vog, Volunteer,
    };
    use serde::{Deserialize, Serialize};
    use time::Date;

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct VolunteerV2 {
        pub name: PersonName,
        pub birth_date: Date,
        pub address: String,
        pub postcode: String,
        pub municipality: String,
        pub phone: String,
        pub email: String,
        pub interests: Vec<Interest>,
        pub skills: String,
        pub availability: Availability,
        pub hours_per_week: u8,
        pub motivation: String,
        pub found_via: FoundVia,
        pub vog: Vog,
        pub consent: Consent,
        pub status: Status,
        pub intake_date: Date,
        pub vulnerable: bool,
        pub notes: String,
    }

    impl From<VolunteerV2> for Volunteer {
        fn from(v: VolunteerV2) -> Self {
            Volunteer {
                name: v.name,
                birth_date: v.birth_date,
                address: v.address,
                postcode: v.postcode,
                municipality: v.municipality,
                phone: v.phone,
                email: v.email,
                interests: v.interests,
                skills: v.skills,
                availability: v.availability,
                hours_per_week: v.hours_per_week,
                motivation: v.motivation,
                found_via: v.found_via,
                vog: v.vog,
                consent: v.consent,
                status: v.status,
                intake_date: v.intake_date,
                vulnerable: v.vulnerable,
                notes: v.notes,
                anonymised: None,
            }
        }
    }
}
