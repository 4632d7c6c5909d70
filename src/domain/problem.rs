//! Typed validation problems: what is wrong with which field. Turned into sentences by i18n.

use super::Field;
use serde::{Deserialize, Serialize};

/// What is wrong. Each variant has a catalog key `problem.<snake_case>`; the parameters are
/// filled into the sentence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// A required field is empty.
    Required,
    /// Longer than the allowed number of characters.
    TooLong { max: usize },
    /// Not a date in the form dd-mm-jjjj.
    DateFormat,
    /// A date that does not exist, such as 31-02-2026.
    DateInvalid,
    /// A date after today where only the past makes sense.
    DateInFuture,
    /// A date before 1900 or otherwise implausible.
    DateTooOld,
    /// A birth date that makes the person younger than the minimum age.
    TooYoung { min: u8 },
    /// A postcode not of the form 1234 AB.
    Postcode,
    /// A municipality that is not in the configured list.
    UnknownMunicipality,
    /// A phone number that is not a Dutch or international number.
    Phone,
    /// An e-mail address that cannot be right.
    Email,
    /// A number outside the allowed range.
    Range { min: u32, max: u32 },
    /// Not a whole number.
    Number,
    /// Consent is required before anything is stored.
    ConsentMissing,
    /// Neither a phone number nor an e-mail address: the centre could not reach the person.
    ContactRequired,
    /// A VOG date given for a status that has no such date, or missing for one that needs it.
    VogDate,
    /// A VOG received before it was requested.
    VogOrder,
    /// A status change that the pipeline does not allow.
    Transition { from: String, to: String },
    /// Contains a control character (such as a tab or a line break where none is allowed).
    ControlCharacter,
    /// A value that is not one of the known choices.
    UnknownChoice { value: String },
    /// A website that cannot be right.
    Website,
    /// A contact person's line without a name.
    ContactPersonName { line: usize },
    /// A contact person's line with a phone number that cannot be right.
    ContactPersonPhone { line: usize },
    /// A contact person's line with an e-mail address that cannot be right.
    ContactPersonEmail { line: usize },
    /// A contact person's line with more than four parts.
    ContactPersonParts { line: usize },
    /// No organisation koppel knows has this name.
    UnknownOrganisation,
    /// An end date before the start date.
    EndBeforeStart,
    /// A follow-up date before the contact it follows.
    FollowUpBeforeContact,
    /// The vacancy needs a VOG, the person has no valid one and no reason to override.
    VogMissing,
    /// The vacancy is filled or closed: nobody can be proposed for it.
    VacancyNotOpen,
    /// A login name with characters other than lowercase letters, digits and . _ -.
    LoginName,
    /// Not an OpenSSH public key line koppel can use.
    SshKey,
    /// Another account already has this login name.
    LoginTaken,
    /// No account has this login name.
    UnknownAccount { login: String },
    /// The change would leave no active administrator.
    LastAdmin,
    /// The account has no key of that fingerprint or comment.
    UnknownKey,
    /// Another account logs in with this key already.
    KeyInUse { login: String },
    /// Nothing more can be logged on a closed trajectory.
    TrajectoryClosed,
    /// A date before the trajectory started.
    BeforeStart,
    /// No open goal of the trajectory has this text.
    UnknownGoal,
    /// Closing needs an outcome (and happens only through closing).
    CloseWithOutcome,
    /// Reassigning to the consultant who has it already.
    SameConsultant,
    /// Hours are logged only on a maatschappelijke stage.
    NotMas,
    /// More than 24 hours on one day, with what was logged already.
    HoursOverDay { already: String },
    /// Not a number of hours above 0 and at most 24.
    Hours,
    /// A next meeting before the meeting itself.
    NextBeforeMeeting,
    /// A date more than two years ahead.
    DateTooFar,
    /// No consultant koppel knows has this name.
    UnknownConsultant,
    /// The consultant's account is no longer active.
    InactiveConsultant,
    /// Going back a phase needs a reason.
    ReasonGoingBack,
    /// A phase change that is not one step forward or back (phase keys).
    PhaseJump { from: String, to: String },
    /// Marked as held while its date is still to come.
    HeldInFuture,
    /// The municipality already has targets for that year: edit those.
    TargetsExist,
}

impl Problem {
    /// Catalog key of the sentence for this problem.
    pub fn key(&self) -> &'static str {
        match self {
            Problem::Required => "problem.required",
            Problem::TooLong { .. } => "problem.too_long",
            Problem::DateFormat => "problem.date_format",
            Problem::DateInvalid => "problem.date_invalid",
            Problem::DateInFuture => "problem.date_in_future",
            Problem::DateTooOld => "problem.date_too_old",
            Problem::TooYoung { .. } => "problem.too_young",
            Problem::Postcode => "problem.postcode",
            Problem::UnknownMunicipality => "problem.unknown_municipality",
            Problem::Phone => "problem.phone",
            Problem::Email => "problem.email",
            Problem::Range { .. } => "problem.range",
            Problem::Number => "problem.number",
            Problem::ConsentMissing => "problem.consent_missing",
            Problem::ContactRequired => "problem.contact_required",
            Problem::VogDate => "problem.vog_date",
            Problem::VogOrder => "problem.vog_order",
            Problem::Transition { .. } => "problem.transition",
            Problem::ControlCharacter => "problem.control_character",
            Problem::UnknownChoice { .. } => "problem.unknown_choice",
            Problem::Website => "problem.website",
            Problem::ContactPersonName { .. } => "problem.contact_person_name",
            Problem::ContactPersonPhone { .. } => "problem.contact_person_phone",
            Problem::ContactPersonEmail { .. } => "problem.contact_person_email",
            Problem::ContactPersonParts { .. } => "problem.contact_person_parts",
            Problem::UnknownOrganisation => "problem.unknown_organisation",
            Problem::EndBeforeStart => "problem.end_before_start",
            Problem::FollowUpBeforeContact => "problem.follow_up_before_contact",
            Problem::VogMissing => "problem.vog_missing",
            Problem::VacancyNotOpen => "problem.vacancy_not_open",
            Problem::LoginName => "problem.login_name",
            Problem::SshKey => "problem.ssh_key",
            Problem::LoginTaken => "problem.login_taken",
            Problem::UnknownAccount { .. } => "problem.unknown_account",
            Problem::LastAdmin => "problem.last_admin",
            Problem::UnknownKey => "problem.unknown_key",
            Problem::KeyInUse { .. } => "problem.key_in_use",
            Problem::TrajectoryClosed => "problem.trajectory_closed",
            Problem::BeforeStart => "problem.before_start",
            Problem::UnknownGoal => "problem.unknown_goal",
            Problem::CloseWithOutcome => "problem.close_with_outcome",
            Problem::SameConsultant => "problem.same_consultant",
            Problem::NotMas => "problem.not_mas",
            Problem::HoursOverDay { .. } => "problem.hours_over_day",
            Problem::Hours => "problem.hours",
            Problem::NextBeforeMeeting => "problem.next_before_meeting",
            Problem::DateTooFar => "problem.date_too_far",
            Problem::UnknownConsultant => "problem.unknown_consultant",
            Problem::InactiveConsultant => "problem.inactive_consultant",
            Problem::ReasonGoingBack => "problem.reason_going_back",
            Problem::PhaseJump { .. } => "problem.phase_jump",
            Problem::HeldInFuture => "problem.held_in_future",
            Problem::TargetsExist => "problem.targets_exist",
        }
    }

    /// Named parameters for the sentence.
    pub fn params(&self) -> Vec<(&'static str, String)> {
        match self {
            Problem::TooLong { max } => vec![("max", max.to_string())],
            Problem::TooYoung { min } => vec![("min", min.to_string())],
            Problem::Range { min, max } => vec![("min", min.to_string()), ("max", max.to_string())],
            Problem::Transition { from, to } | Problem::PhaseJump { from, to } => {
                vec![("from", from.clone()), ("to", to.clone())]
            }
            Problem::UnknownChoice { value } => vec![("value", value.clone())],
            Problem::HoursOverDay { already } => vec![("already", already.clone())],
            Problem::ContactPersonName { line }
            | Problem::ContactPersonPhone { line }
            | Problem::ContactPersonEmail { line }
            | Problem::ContactPersonParts { line } => vec![("line", line.to_string())],
            Problem::UnknownAccount { login } | Problem::KeyInUse { login } => {
                vec![("login", login.clone())]
            }
            _ => Vec::new(),
        }
    }
}

/// One problem with one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: Field,
    pub problem: Problem,
}

impl FieldError {
    pub fn new(field: Field, problem: Problem) -> Self {
        FieldError { field, problem }
    }
}
