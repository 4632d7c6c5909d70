//! Domain: plain types and rules of a volunteer centre.
//!
//! Owns validation, status transitions, target groups, names, postcodes, phone numbers,
//! dates and ISO weeks. No I/O, no sled, no ratatui: everything here is pure and most unit
//! tests of the product live here. Messages are not text but typed [`Problem`]s that the
//! `i18n` module turns into Dutch or English sentences.

pub mod access;
pub mod activity;
pub mod audit;
pub mod bsn;
pub mod contact;
pub mod dates;
pub mod draft;
pub mod email;
pub mod matching;
pub mod name;
pub mod note;
pub mod organisation;
pub mod period;
pub mod phone;
pub mod placement;
pub mod postcode;
pub mod privacy;
pub mod problem;
pub mod retention;
pub mod signal;
pub mod staff;
pub mod target;
pub mod trajectory;
pub mod vacancy;
pub mod volunteer;

pub use dates::{format_date, iso_week, parse_date};
pub use draft::Draft;
pub use name::PersonName;
pub use problem::{FieldError, Problem};
use serde::{Deserialize, Serialize};
pub use volunteer::{
    Availability, Consent, ConsentScope, Daypart, FoundVia, Interest, Status, StatusChange,
    TargetGroup, Vog, Volunteer, VolunteerDraft,
};

/// A field of a record that a problem can point at: the ids of every kind's fields, so a form,
/// a validation problem and a catalog label (`field.<name>`) can name them. The snake_case name
/// is the catalog key and the name in import error messages.
///
/// This is one of the registrations of a new record kind: its fields are added here, grouped
/// under the kind, beside its `pub mod` line above.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::VariantArray,
    strum::IntoStaticStr,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum Field {
    // Volunteer (the intake), in form order.
    GivenName,
    Prefix,
    FamilyName,
    BirthDate,
    Address,
    Postcode,
    Municipality,
    Phone,
    Email,
    Interests,
    Skills,
    Availability,
    HoursPerWeek,
    Motivation,
    FoundVia,
    Vog,
    VogRequested,
    VogReceived,
    Consent,
    ConsentDate,
    ConsentScope,
    IntakeDate,
    Status,
    Vulnerable,
    Notes,
    // Organisation, in form order (with Municipality, Address, Phone, Email and Notes above).
    OrganisationName,
    OrganisationKind,
    Sectors,
    Website,
    ContactPersons,
    FreeVog,
    // Vacancy, in form order (with Municipality, HoursPerWeek and Status above).
    Organisation,
    Title,
    Description,
    Sector,
    Dayparts,
    VogRequired,
    MinimumAge,
    Suitable,
    StartDate,
    EndDate,
    // Contact, in form order (with Organisation and Notes above).
    ContactDate,
    Channel,
    ContactPerson,
    Subject,
    BasicFunction,
    FollowUp,
    FollowUpDone,
    // Placement status change, in form order.
    Vacancy,
    PlacementStatus,
    EndReason,
    VogOverride,
    // Staff account.
    Login,
    DisplayName,
    Role,
    SshKey,
    // Trajectory and its short forms, in form order (with Notes above).
    TrajectoryKind,
    Consultant,
    Referrer,
    ClientManager,
    ClientManagerContact,
    StartStep,
    School,
    SchoolContact,
    HoursRequired,
    OnDate,
    NextMeeting,
    Summary,
    AgreedActions,
    LadderStep,
    Goal,
    GoalStatus,
    Phase,
    Reason,
    // Privacy: what withdrawn consent or a request leads to.
    Remedy,
    Outcome,
    EndStep,
    Hours,
    // Knowledge note, in form order (with BasicFunction above).
    NoteTitle,
    Tags,
    NoteText,
    // Signal, in form order (with Municipality, Description and BasicFunction above).
    SignalDate,
    Theme,
    SignalSource,
    SignalStatus,
    ActionTaken,
    // Activity, in form order (with BasicFunction and Notes above).
    ActivityDate,
    ActivityTitle,
    ActivityKind,
    Organisations,
    Participants,
    Held,
    // Targets, in form order (with Municipality above).
    TargetYear,
    TargetIntakes,
    TargetPlacements,
    TargetTrajectories,
    TargetMasPupils,
    TargetContacts,
}

impl Field {
    /// Every field, in declaration order (a kind's fields in its form order).
    pub const ALL: &'static [Field] = <Field as strum::VariantArray>::VARIANTS;

    /// The snake_case key of this field, as used in catalogs and exports.
    pub fn key(self) -> &'static str {
        self.into()
    }
}

#[cfg(test)]
mod tests {
    use super::Field;

    #[test]
    fn field_keys_are_their_serde_names() {
        assert_eq!(Field::ALL.len(), 98);
        for &f in Field::ALL {
            let json = serde_json::to_string(&f).unwrap();
            assert_eq!(json, format!("\"{}\"", f.key()));
        }
        assert_eq!(Field::HoursPerWeek.key(), "hours_per_week");
    }
}
