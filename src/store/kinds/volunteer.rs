//! The volunteer kind: its indexes and its older layouts.

use super::Of;
use crate::codec::{self, CodecError};
use crate::domain::volunteer::{Rules, Volunteer, VolunteerSummary};
use crate::store::record::{Editable, IndexDef, Kind, Record, date_value};

/// The type-erased operations of volunteers.
pub(super) static OPS: Of<Volunteer> = Of::editable();

/// The volunteer indexes.
pub mod index {
    use crate::store::record::IndexDef;

    /// Normalised full name.
    pub const NAME: IndexDef = IndexDef::new("name");
    /// Name and date of birth: the duplicate check.
    pub const NAME_BIRTH: IndexDef = IndexDef::new("name_birth");
    pub const EMAIL: IndexDef = IndexDef::new("email");
    pub const PHONE: IndexDef = IndexDef::new("phone");
    /// Municipality in lower case.
    pub const MUNICIPALITY: IndexDef = IndexDef::new("municipality");
    pub const STATUS: IndexDef = IndexDef::new("status");
    /// Intake date as `YYYY-MM-DD`: byte order is date order, for range scans.
    pub const INTAKE_DATE: IndexDef = IndexDef::new("intake_date");
}

impl Record for Volunteer {
    const KIND: Kind = Kind::Volunteer;
    /// 1: first layout (no kwetsbaar flag, no "found via", consent without scope).
    /// 2: without the anonymisation marker.
    /// 3: today's layout.
    const FORMAT_VERSION: u16 = 3;
    const INDEXES: &'static [&'static IndexDef] = &[
        &index::NAME,
        &index::NAME_BIRTH,
        &index::EMAIL,
        &index::PHONE,
        &index::MUNICIPALITY,
        &index::STATUS,
        &index::INTAKE_DATE,
    ];

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
        let mut entries = vec![
            (&NAME, self.name.normalised()),
            (&NAME_BIRTH, self.name_birth_key()),
            (&MUNICIPALITY, self.municipality.to_lowercase()),
            (&STATUS, self.status.key().to_string()),
            (&INTAKE_DATE, date_value(self.intake_date)),
        ];
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
