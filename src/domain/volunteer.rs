//! The volunteer and their intake: fields, validation, status pipeline, target groups and
//! duplicate detection. The intake's fields are listed once, in the draft's table
//! (`VOLUNTEER_FIELDS`, see [`super::draft`]); merge, limits and the form read it. A status
//! change is a draft of its own ([`StatusChange`]).

use super::dates::{age_on, format_date, parse_date};
use super::draft::{self, Draft, DraftField, Keyed, Shown, TextKind, Value};
use super::email::parse_email;
use super::name::{PersonName, collapse_spaces, fold};
use super::phone::{format_phone, parse_phone};
use super::postcode::parse_postcode;
use super::{Field, FieldError, Problem};
use serde::{Deserialize, Serialize};
use time::Date;

/// Age up to which a person counts as jongere (young person) at the intake date.
pub const YOUTH_MAX_AGE: i32 = 27;
/// Age from which a person counts as senior at the intake date.
pub const SENIOR_MIN_AGE: i32 = 55;
/// Youngest age at which someone can register (pupils doing a maatschappelijke stage).
pub const MIN_AGE: u8 = 12;
/// Most hours per week a volunteer can sign up for.
pub const MAX_HOURS: u32 = 60;

/// Sectors a volunteer can be interested in (and an organisation or vacancy works in).
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Interest {
    #[default]
    Care,
    Sport,
    Culture,
    Nature,
    Education,
    LanguageBuddy,
    Transport,
    Administration,
}

impl Keyed for Interest {
    const ALL: &'static [Self] = &Interest::ALL;

    fn key(self) -> &'static str {
        Interest::key(self)
    }
}

impl Interest {
    pub const ALL: [Interest; 8] = [
        Interest::Care,
        Interest::Sport,
        Interest::Culture,
        Interest::Nature,
        Interest::Education,
        Interest::LanguageBuddy,
        Interest::Transport,
        Interest::Administration,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Interest::Care => "care",
            Interest::Sport => "sport",
            Interest::Culture => "culture",
            Interest::Nature => "nature",
            Interest::Education => "education",
            Interest::LanguageBuddy => "language_buddy",
            Interest::Transport => "transport",
            Interest::Administration => "administration",
        }
    }
}

/// How the person found the centre.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FoundVia {
    Website,
    FriendsFamily,
    SocialMedia,
    Newspaper,
    Municipality,
    School,
    Event,
    Organisation,
    #[default]
    Other,
}

impl Keyed for FoundVia {
    const ALL: &'static [Self] = &FoundVia::ALL;

    fn key(self) -> &'static str {
        FoundVia::key(self)
    }
}

impl FoundVia {
    pub const ALL: [FoundVia; 9] = [
        FoundVia::Website,
        FoundVia::FriendsFamily,
        FoundVia::SocialMedia,
        FoundVia::Newspaper,
        FoundVia::Municipality,
        FoundVia::School,
        FoundVia::Event,
        FoundVia::Organisation,
        FoundVia::Other,
    ];

    pub fn key(self) -> &'static str {
        match self {
            FoundVia::Website => "website",
            FoundVia::FriendsFamily => "friends_family",
            FoundVia::SocialMedia => "social_media",
            FoundVia::Newspaper => "newspaper",
            FoundVia::Municipality => "municipality",
            FoundVia::School => "school",
            FoundVia::Event => "event",
            FoundVia::Organisation => "organisation",
            FoundVia::Other => "other",
        }
    }
}

/// Part of a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Daypart {
    Morning,
    Afternoon,
    Evening,
}

impl Daypart {
    pub const ALL: [Daypart; 3] = [Daypart::Morning, Daypart::Afternoon, Daypart::Evening];

    pub fn key(self) -> &'static str {
        match self {
            Daypart::Morning => "morning",
            Daypart::Afternoon => "afternoon",
            Daypart::Evening => "evening",
        }
    }
}

/// Availability: 7 days (Monday first) × 3 dayparts, as a bit set.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Availability(pub u32);

impl Availability {
    /// All 21 slots.
    pub const FULL: u32 = (1 << 21) - 1;

    fn bit(day: usize, part: Daypart) -> u32 {
        debug_assert!(day < 7);
        1 << (day * 3 + part as usize)
    }

    /// Whether the person is available on `day` (0 = Monday) in `part`.
    pub fn get(self, day: usize, part: Daypart) -> bool {
        day < 7 && self.0 & Self::bit(day, part) != 0
    }

    pub fn set(&mut self, day: usize, part: Daypart, on: bool) {
        if day >= 7 {
            return;
        }
        if on {
            self.0 |= Self::bit(day, part);
        } else {
            self.0 &= !Self::bit(day, part);
        }
    }

    pub fn toggle(&mut self, day: usize, part: Daypart) {
        let on = self.get(day, part);
        self.set(day, part, !on);
    }

    /// Number of slots ticked.
    pub fn count(self) -> u32 {
        (self.0 & Self::FULL).count_ones()
    }
}

/// Where the person's VOG (Verklaring Omtrent het Gedrag) stands.
///
/// Externally tagged in serde (`"not_needed"`, `{"requested": {"requested": "2026-10-01"}}`):
/// bincode cannot decode internally tagged enums.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Vog {
    #[default]
    NotNeeded,
    Needed,
    Requested {
        requested: Date,
    },
    Received {
        requested: Option<Date>,
        received: Date,
    },
}

/// The state of a VOG without its dates, as chosen in a form.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VogState {
    #[default]
    NotNeeded,
    Needed,
    Requested,
    Received,
}

impl Keyed for VogState {
    const ALL: &'static [Self] = &VogState::ALL;

    fn key(self) -> &'static str {
        VogState::key(self)
    }
}

impl VogState {
    pub const ALL: [VogState; 4] = [
        VogState::NotNeeded,
        VogState::Needed,
        VogState::Requested,
        VogState::Received,
    ];

    pub fn key(self) -> &'static str {
        match self {
            VogState::NotNeeded => "not_needed",
            VogState::Needed => "needed",
            VogState::Requested => "requested",
            VogState::Received => "received",
        }
    }
}

impl Vog {
    pub fn state(self) -> VogState {
        match self {
            Vog::NotNeeded => VogState::NotNeeded,
            Vog::Needed => VogState::Needed,
            Vog::Requested { .. } => VogState::Requested,
            Vog::Received { .. } => VogState::Received,
        }
    }
}

/// What the person consented to (AVG).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsentScope {
    /// Store the data and use it to find volunteer work.
    #[default]
    Matching,
    /// As above, and share contact details with organisations for a match.
    MatchingAndSharing,
}

impl Keyed for ConsentScope {
    const ALL: &'static [Self] = &ConsentScope::ALL;

    fn key(self) -> &'static str {
        ConsentScope::key(self)
    }
}

impl ConsentScope {
    pub const ALL: [ConsentScope; 2] = [ConsentScope::Matching, ConsentScope::MatchingAndSharing];

    pub fn key(self) -> &'static str {
        match self {
            ConsentScope::Matching => "matching",
            ConsentScope::MatchingAndSharing => "matching_and_sharing",
        }
    }
}

/// Recorded consent to store the person's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Consent {
    pub given_on: Date,
    pub scope: ConsentScope,
}

/// Where a volunteer is in the pipeline.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    New,
    IntakeHeld,
    BeingMatched,
    Placed,
    Inactive,
}

impl Keyed for Status {
    const ALL: &'static [Self] = &Status::ALL;

    fn key(self) -> &'static str {
        Status::key(self)
    }
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::New,
        Status::IntakeHeld,
        Status::BeingMatched,
        Status::Placed,
        Status::Inactive,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Status::New => "new",
            Status::IntakeHeld => "intake_held",
            Status::BeingMatched => "being_matched",
            Status::Placed => "placed",
            Status::Inactive => "inactive",
        }
    }

    pub fn from_key(key: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|s| s.key() == key)
    }

    /// The statuses this one may change to (staying the same is always allowed).
    pub fn next(self) -> &'static [Status] {
        match self {
            Status::New => &[Status::IntakeHeld, Status::Inactive],
            Status::IntakeHeld => &[Status::BeingMatched, Status::Inactive],
            Status::BeingMatched => &[Status::Placed, Status::IntakeHeld, Status::Inactive],
            Status::Placed => &[Status::BeingMatched, Status::Inactive],
            Status::Inactive => &[Status::New],
        }
    }

    pub fn can_become(self, to: Status) -> bool {
        self == to || self.next().contains(&to)
    }
}

/// Target groups of volunteer policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TargetGroup {
    /// Young person: 27 or younger at the intake date.
    Jongere,
    /// 55 or older at the intake date.
    Senior,
    /// Flagged as vulnerable by staff (not derived from age).
    Kwetsbaar,
}

impl TargetGroup {
    pub const ALL: [TargetGroup; 3] = [
        TargetGroup::Jongere,
        TargetGroup::Senior,
        TargetGroup::Kwetsbaar,
    ];

    pub fn key(self) -> &'static str {
        match self {
            TargetGroup::Jongere => "jongere",
            TargetGroup::Senior => "senior",
            TargetGroup::Kwetsbaar => "kwetsbaar",
        }
    }
}

/// A registered volunteer with their intake. Always valid: built through
/// [`VolunteerDraft::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Volunteer {
    pub name: PersonName,
    pub birth_date: Date,
    /// Street and house number.
    pub address: String,
    /// `1234 AB`.
    pub postcode: String,
    /// One of the configured municipalities.
    pub municipality: String,
    /// Digits only (`0787708500`), or `+` and digits for a foreign number; empty when unknown.
    pub phone: String,
    /// Lower-case; empty when unknown.
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
    /// Kwetsbaar: set by staff.
    pub vulnerable: bool,
    pub notes: String,
    /// The day the person's data was anonymised (the right to erasure, a retention period
    /// run out): the record keeps only what the reports count (`domain::privacy`), lists,
    /// search and matching leave it out, counts still count it. `None` for everyone else.
    #[serde(default)]
    pub anonymised: Option<Date>,
}

/// What lists show of a volunteer, and search finds them by: kept by the store beside each
/// record so the list loads without decoding whole records. The field names are the
/// record's own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VolunteerSummary {
    pub name: PersonName,
    pub birth_date: Date,
    pub postcode: String,
    pub municipality: String,
    pub phone: String,
    pub email: String,
    pub status: Status,
    pub intake_date: Date,
    pub vulnerable: bool,
    /// What matching reads: interests, availability, VOG and hours.
    pub interests: Vec<Interest>,
    pub availability: Availability,
    pub vog: Vog,
    pub hours_per_week: u8,
    /// How the person found the centre (the report counts intakes by it).
    pub found_via: FoundVia,
    /// The data was anonymised: counted, never listed, searched or matched.
    pub anonymised: bool,
}

impl VolunteerSummary {
    pub fn of(v: &Volunteer) -> VolunteerSummary {
        VolunteerSummary {
            interests: v.interests.clone(),
            availability: v.availability,
            vog: v.vog,
            hours_per_week: v.hours_per_week,
            name: v.name.clone(),
            birth_date: v.birth_date,
            postcode: v.postcode.clone(),
            municipality: v.municipality.clone(),
            phone: v.phone.clone(),
            email: v.email.clone(),
            status: v.status,
            intake_date: v.intake_date,
            vulnerable: v.vulnerable,
            found_via: v.found_via,
            anonymised: v.anonymised.is_some(),
        }
    }

    /// Target groups at the intake date, plus kwetsbaar when flagged.
    pub fn target_groups(&self) -> Vec<TargetGroup> {
        target_groups(self.birth_date, self.intake_date, self.vulnerable)
    }
}

impl Volunteer {
    /// Target groups at the intake date, plus kwetsbaar when flagged.
    pub fn target_groups(&self) -> Vec<TargetGroup> {
        target_groups(self.birth_date, self.intake_date, self.vulnerable)
    }

    /// Phone number as staff write it.
    pub fn phone_display(&self) -> String {
        format_phone(&self.phone)
    }

    /// Key shared by people with the same name and birth date.
    pub fn name_birth_key(&self) -> String {
        name_birth_key(&self.name, self.birth_date)
    }

    /// Why `self` and `other` are likely the same person (empty when they are not).
    pub fn duplicate_reasons(&self, other: &Volunteer) -> Vec<DuplicateReason> {
        let mut reasons = Vec::new();
        if self.name_birth_key() == other.name_birth_key() {
            reasons.push(DuplicateReason::NameAndBirthDate);
        }
        if !self.email.is_empty() && self.email == other.email {
            reasons.push(DuplicateReason::Email);
        }
        if !self.phone.is_empty() && self.phone == other.phone {
            reasons.push(DuplicateReason::Phone);
        }
        reasons
    }

    /// Re-checks a stored or imported volunteer against the rules.
    pub fn problems(&self, rules: &Rules) -> Vec<FieldError> {
        match VolunteerDraft::from_volunteer(self).validate(rules) {
            Ok(_) => Vec::new(),
            Err(errors) => errors,
        }
    }
}

/// Target groups of someone born on `birth`, at `on`.
pub fn target_groups(birth: Date, on: Date, vulnerable: bool) -> Vec<TargetGroup> {
    let age = age_on(birth, on);
    let mut groups = Vec::new();
    if age <= YOUTH_MAX_AGE {
        groups.push(TargetGroup::Jongere);
    }
    if age >= SENIOR_MIN_AGE {
        groups.push(TargetGroup::Senior);
    }
    if vulnerable {
        groups.push(TargetGroup::Kwetsbaar);
    }
    groups
}

/// `"anouk van den berg|2001-04-05"`.
pub fn name_birth_key(name: &PersonName, birth: Date) -> String {
    format!("{}|{}", name.normalised(), birth)
}

/// Why two registrations are likely the same person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DuplicateReason {
    NameAndBirthDate,
    Email,
    Phone,
}

impl DuplicateReason {
    pub fn key(self) -> &'static str {
        match self {
            DuplicateReason::NameAndBirthDate => "name_and_birth_date",
            DuplicateReason::Email => "email",
            DuplicateReason::Phone => "phone",
        }
    }
}

/// What validation needs to know about the world.
#[derive(Debug, Clone)]
pub struct Rules {
    /// The configured municipalities, in display spelling.
    pub municipalities: Vec<String>,
    /// Today's date (injected, so tests are stable).
    pub today: Date,
}

impl Rules {
    /// The configured spelling of a municipality typed in any case, if it is known.
    pub fn municipality(&self, typed: &str) -> Option<&str> {
        let want = fold(typed);
        self.municipalities
            .iter()
            .find(|m| fold(m) == want)
            .map(String::as_str)
    }
}

/// An intake as typed into a form or a CSV line: raw text plus the choices. Turned into a
/// [`Volunteer`] by [`VolunteerDraft::validate`], which reports every problem at once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct VolunteerDraft {
    pub given_name: String,
    pub prefix: String,
    pub family_name: String,
    pub birth_date: String,
    pub address: String,
    pub postcode: String,
    pub municipality: String,
    pub phone: String,
    pub email: String,
    pub interests: Vec<Interest>,
    pub skills: String,
    pub availability: Availability,
    pub hours_per_week: String,
    pub motivation: String,
    pub found_via: FoundVia,
    pub vog: VogState,
    pub vog_requested: String,
    pub vog_received: String,
    pub consent: bool,
    pub consent_date: String,
    pub consent_scope: ConsentScope,
    pub intake_date: String,
    pub status: Status,
    pub vulnerable: bool,
    pub notes: String,
}

/// Three-way merge after a conflict over [`VolunteerDraft::fields`]: see [`draft::rebase`].
pub fn rebase(
    base: &VolunteerDraft,
    mine: &VolunteerDraft,
    theirs: &VolunteerDraft,
) -> (VolunteerDraft, Vec<Field>) {
    draft::rebase(base, mine, theirs)
}

/// Most characters of a text field of the volunteer draft (from its table; 0 for fields that
/// hold no text).
pub fn max_len(field: Field) -> usize {
    VolunteerDraft::field(field).map_or(0, |f| f.max_len)
}

/// A text field of the volunteer draft.
macro_rules! text_field {
    ($field:ident, $name:ident, $kind:ident, required: $required:expr, max: $max:expr) => {
        text_field!($field, $name, $kind, required: $required, max: $max, Shown::Always)
    };
    ($field:ident, $name:ident, $kind:ident, required: $required:expr, max: $max:expr, $shown:expr) => {
        DraftField {
            field: Field::$field,
            value: Value::Text {
                kind: TextKind::$kind,
                get: |d| &d.$name,
                get_mut: |d| &mut d.$name,
            },
            required: $required,
            max_len: $max,
            shown: $shown,
        }
    };
}

/// A choice of the volunteer draft among every value of a [`Keyed`] type.
macro_rules! choice_field {
    ($field:ident, $name:ident, $ty:ty, $catalog:literal) => {
        DraftField {
            field: Field::$field,
            value: Value::Choice {
                get: |d| d.$name.key(),
                set: |d, k| draft::set_key(&mut d.$name, k),
                options: |_| <$ty as Keyed>::keys(),
                catalog: $catalog,
            },
            required: true,
            max_len: 0,
            shown: Shown::Always,
        }
    };
}

/// A yes/no field of the volunteer draft.
macro_rules! flag_field {
    ($field:ident, $name:ident) => {
        DraftField {
            field: Field::$field,
            value: Value::Flag {
                get: |d| d.$name,
                set: |d, v| d.$name = v,
            },
            required: false,
            max_len: 0,
            shown: Shown::Always,
        }
    };
}

/// Most characters of a date or a short code typed into a text field.
const SHORT: usize = 40;

/// The fields of the intake, in form order: the one list every field-by-field operation
/// (merge, limits, error order, the form) goes over.
const VOLUNTEER_FIELDS: &[DraftField<VolunteerDraft>] = &[
    text_field!(GivenName, given_name, Line, required: true, max: 100),
    text_field!(Prefix, prefix, Line, required: false, max: 20),
    text_field!(FamilyName, family_name, Line, required: true, max: 100),
    text_field!(BirthDate, birth_date, Date, required: true, max: SHORT),
    text_field!(Address, address, Line, required: true, max: 200),
    text_field!(Postcode, postcode, Line, required: true, max: SHORT),
    text_field!(Municipality, municipality, Line, required: true, max: SHORT),
    text_field!(Phone, phone, Line, required: false, max: SHORT),
    text_field!(Email, email, Line, required: false, max: 254),
    DraftField {
        field: Field::Interests,
        value: Value::Choices {
            get: |d| d.interests.iter().map(|i| i.key()).collect(),
            set: |d, keys| d.interests = draft::from_keys(keys),
            options: <Interest as Keyed>::keys,
            catalog: "interest",
        },
        required: false,
        max_len: 0,
        shown: Shown::Always,
    },
    text_field!(Skills, skills, Multi, required: false, max: 500),
    DraftField {
        field: Field::Availability,
        value: Value::Week {
            get: |d| d.availability,
            set: |d, a| d.availability = a,
        },
        required: false,
        max_len: 0,
        shown: Shown::Always,
    },
    text_field!(HoursPerWeek, hours_per_week, Line, required: false, max: SHORT),
    text_field!(Motivation, motivation, Multi, required: false, max: 2000),
    choice_field!(FoundVia, found_via, FoundVia, "found_via"),
    choice_field!(Vog, vog, VogState, "vog"),
    text_field!(VogRequested, vog_requested, Date, required: false, max: SHORT,
    Shown::When {
        by: Field::Vog,
        when: |d| matches!(d.vog, VogState::Requested | VogState::Received),
    }),
    text_field!(VogReceived, vog_received, Date, required: false, max: SHORT,
    Shown::When {
        by: Field::Vog,
        when: |d| d.vog == VogState::Received,
    }),
    flag_field!(Consent, consent),
    text_field!(ConsentDate, consent_date, Date, required: true, max: SHORT),
    choice_field!(ConsentScope, consent_scope, ConsentScope, "consent_scope"),
    text_field!(IntakeDate, intake_date, Date, required: true, max: SHORT),
    DraftField {
        field: Field::Status,
        value: Value::Choice {
            get: |d| d.status.key(),
            set: |d, k| draft::set_key(&mut d.status, k),
            // The stored status and those it may become.
            options: |original| {
                Status::ALL
                    .into_iter()
                    .filter(|s| original.status.can_become(*s))
                    .map(Status::key)
                    .collect()
            },
            catalog: "status",
        },
        required: true,
        max_len: 0,
        shown: Shown::Editing,
    },
    flag_field!(Vulnerable, vulnerable),
    text_field!(Notes, notes, Multi, required: false, max: 10_000),
];

impl Draft for VolunteerDraft {
    fn fields() -> &'static [DraftField<Self>] {
        VOLUNTEER_FIELDS
    }
}

/// A status change as a tiny draft: the status a volunteer has and the one chosen for them.
/// Its one field offers only what [`Status::next`] allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusChange {
    pub from: Status,
    pub to: Status,
}

impl StatusChange {
    /// A change away from `from`, starting at the first status it may become.
    pub fn new(from: Status) -> Self {
        StatusChange {
            from,
            to: from.next().first().copied().unwrap_or(from),
        }
    }

    /// The new status, or why it is not allowed.
    pub fn validate(&self) -> Result<Status, Vec<FieldError>> {
        if self.to != self.from && self.from.can_become(self.to) {
            Ok(self.to)
        } else {
            Err(vec![FieldError::new(
                Field::Status,
                Problem::Transition {
                    from: self.from.key().to_string(),
                    to: self.to.key().to_string(),
                },
            )])
        }
    }
}

impl Draft for StatusChange {
    fn fields() -> &'static [DraftField<Self>] {
        const FIELDS: &[DraftField<StatusChange>] = &[DraftField {
            field: Field::Status,
            value: Value::Choice {
                get: |d| d.to.key(),
                set: |d, k| draft::set_key(&mut d.to, k),
                options: |d| d.from.next().iter().map(|s| s.key()).collect(),
                catalog: "status",
            },
            required: true,
            max_len: 0,
            shown: Shown::Always,
        }];
        FIELDS
    }
}

impl VolunteerDraft {
    /// A blank intake for today: consent date and intake date filled in.
    pub fn new(today: Date) -> Self {
        VolunteerDraft {
            consent_date: format_date(today),
            intake_date: format_date(today),
            ..VolunteerDraft::default()
        }
    }

    /// The draft that edits an existing volunteer.
    pub fn from_volunteer(v: &Volunteer) -> Self {
        let (vog_requested, vog_received) = match v.vog {
            Vog::Requested { requested } => (format_date(requested), String::new()),
            Vog::Received {
                requested,
                received,
            } => (
                requested.map(format_date).unwrap_or_default(),
                format_date(received),
            ),
            _ => (String::new(), String::new()),
        };
        VolunteerDraft {
            given_name: v.name.given.clone(),
            prefix: v.name.prefix.clone(),
            family_name: v.name.family.clone(),
            birth_date: format_date(v.birth_date),
            address: v.address.clone(),
            postcode: v.postcode.clone(),
            municipality: v.municipality.clone(),
            phone: v.phone_display(),
            email: v.email.clone(),
            interests: v.interests.clone(),
            skills: v.skills.clone(),
            availability: v.availability,
            // No hours filled in reads back as an empty field, as it was typed.
            hours_per_week: if v.hours_per_week == 0 {
                String::new()
            } else {
                v.hours_per_week.to_string()
            },
            motivation: v.motivation.clone(),
            found_via: v.found_via,
            vog: v.vog.state(),
            vog_requested,
            vog_received,
            consent: true,
            consent_date: format_date(v.consent.given_on),
            consent_scope: v.consent.scope,
            intake_date: format_date(v.intake_date),
            status: v.status,
            vulnerable: v.vulnerable,
            notes: v.notes.clone(),
        }
    }

    /// Checks every field and returns the volunteer, or every problem at once.
    pub fn validate(&self, rules: &Rules) -> Result<Volunteer, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field: Field, problem: Problem| errors.push(FieldError::new(field, problem));

        let given = text(&self.given_name, Field::GivenName, &mut err);
        let prefix = text(&self.prefix, Field::Prefix, &mut err);
        let family = text(&self.family_name, Field::FamilyName, &mut err);
        let address = text(&self.address, Field::Address, &mut err);
        let skills = multiline(&self.skills, Field::Skills, &mut err);
        let motivation = multiline(&self.motivation, Field::Motivation, &mut err);
        let notes = multiline(&self.notes, Field::Notes, &mut err);

        let intake_date = match parse_date(&self.intake_date) {
            Ok(d) if d > rules.today => {
                err(Field::IntakeDate, Problem::DateInFuture);
                None
            }
            Ok(d) if d.year() < 2000 => {
                err(Field::IntakeDate, Problem::DateTooOld);
                None
            }
            Ok(d) => Some(d),
            Err(p) => {
                err(Field::IntakeDate, p);
                None
            }
        };
        let on = intake_date.unwrap_or(rules.today);
        let birth_date = match parse_date(&self.birth_date) {
            Ok(d) if d > rules.today => {
                err(Field::BirthDate, Problem::DateInFuture);
                None
            }
            Ok(d) if d.year() < 1900 => {
                err(Field::BirthDate, Problem::DateTooOld);
                None
            }
            Ok(d) if age_on(d, on) < i32::from(MIN_AGE) => {
                err(Field::BirthDate, Problem::TooYoung { min: MIN_AGE });
                None
            }
            Ok(d) => Some(d),
            Err(p) => {
                err(Field::BirthDate, p);
                None
            }
        };
        let postcode = parse_postcode(&self.postcode)
            .map_err(|p| err(Field::Postcode, p))
            .ok();
        let municipality = if self.municipality.trim().is_empty() {
            err(Field::Municipality, Problem::Required);
            None
        } else {
            match rules.municipality(&self.municipality) {
                Some(m) => Some(m.to_string()),
                None => {
                    err(Field::Municipality, Problem::UnknownMunicipality);
                    None
                }
            }
        };
        let phone = if self.phone.trim().is_empty() {
            Some(String::new())
        } else {
            parse_phone(&self.phone)
                .map_err(|p| err(Field::Phone, p))
                .ok()
        };
        let email = if self.email.trim().is_empty() {
            Some(String::new())
        } else {
            parse_email(&self.email)
                .map_err(|p| err(Field::Email, p))
                .ok()
        };
        if self.phone.trim().is_empty() && self.email.trim().is_empty() {
            err(Field::Phone, Problem::ContactRequired);
        }
        let hours = {
            let h = self.hours_per_week.trim();
            if h.is_empty() {
                Some(0)
            } else {
                match h.parse::<u32>() {
                    Ok(n) if n <= MAX_HOURS => Some(n as u8),
                    Ok(_) => {
                        err(
                            Field::HoursPerWeek,
                            Problem::Range {
                                min: 0,
                                max: MAX_HOURS,
                            },
                        );
                        None
                    }
                    Err(_) => {
                        err(Field::HoursPerWeek, Problem::Number);
                        None
                    }
                }
            }
        };
        let requested = opt_date(
            &self.vog_requested,
            Field::VogRequested,
            rules.today,
            &mut err,
        );
        let received = opt_date(
            &self.vog_received,
            Field::VogReceived,
            rules.today,
            &mut err,
        );
        let consent_on = if self.consent {
            opt_date(
                &self.consent_date,
                Field::ConsentDate,
                rules.today,
                &mut err,
            )
        } else {
            Ok(None)
        };
        let vog = match (self.vog, requested, received) {
            (VogState::NotNeeded, _, _) => Some(Vog::NotNeeded),
            (VogState::Needed, _, _) => Some(Vog::Needed),
            (VogState::Requested, Ok(Some(requested)), _) => Some(Vog::Requested { requested }),
            (VogState::Requested, Ok(None), _) => {
                err(Field::VogRequested, Problem::VogDate);
                None
            }
            (VogState::Received, Ok(requested), Ok(Some(received))) => {
                if requested.is_some_and(|r| received < r) {
                    err(Field::VogReceived, Problem::VogOrder);
                    None
                } else {
                    Some(Vog::Received {
                        requested,
                        received,
                    })
                }
            }
            (VogState::Received, _, Ok(None)) => {
                err(Field::VogReceived, Problem::VogDate);
                None
            }
            _ => None,
        };
        let consent = if !self.consent {
            err(Field::Consent, Problem::ConsentMissing);
            None
        } else {
            match consent_on {
                Ok(Some(given_on)) => Some(Consent {
                    given_on,
                    scope: self.consent_scope,
                }),
                Ok(None) => {
                    err(Field::ConsentDate, Problem::Required);
                    None
                }
                Err(()) => None,
            }
        };
        let mut interests = self.interests.clone();
        interests.sort();
        interests.dedup();

        if !errors.is_empty() {
            errors.sort_by_key(|e| VolunteerDraft::position(e.field));
            return Err(errors);
        }
        // Every Option below is Some: each None pushed an error above.
        match (
            given,
            prefix,
            family,
            address,
            skills,
            motivation,
            notes,
            intake_date,
            birth_date,
            postcode,
            municipality,
            phone,
            email,
            hours,
            vog,
            consent,
        ) {
            (
                Some(given),
                Some(prefix),
                Some(family),
                Some(address),
                Some(skills),
                Some(motivation),
                Some(notes),
                Some(intake_date),
                Some(birth_date),
                Some(postcode),
                Some(municipality),
                Some(phone),
                Some(email),
                Some(hours_per_week),
                Some(vog),
                Some(consent),
            ) => Ok(Volunteer {
                name: PersonName::new(&given, &prefix, &family),
                birth_date,
                address,
                postcode,
                municipality,
                phone,
                email,
                interests,
                skills,
                availability: Availability(self.availability.0 & Availability::FULL),
                hours_per_week,
                motivation,
                found_via: self.found_via,
                vog,
                consent,
                status: self.status,
                intake_date,
                vulnerable: self.vulnerable,
                notes,
                anonymised: None,
            }),
            _ => Err(vec![FieldError::new(Field::GivenName, Problem::Required)]),
        }
    }
}

/// An optional date that cannot lie in the future. `Err(())` when a problem was reported.
fn opt_date(
    raw: &str,
    field: Field,
    today: Date,
    err: &mut impl FnMut(Field, Problem),
) -> Result<Option<Date>, ()> {
    if raw.trim().is_empty() {
        return Ok(None);
    }
    match parse_date(raw) {
        Ok(d) if d > today => {
            err(field, Problem::DateInFuture);
            Err(())
        }
        Ok(d) => Ok(Some(d)),
        Err(p) => {
            err(field, p);
            Err(())
        }
    }
}

/// A one-line text field: trimmed, spaces collapsed, no control characters, length-limited.
/// Whether it is required comes from the draft's table.
fn text(raw: &str, field: Field, err: &mut impl FnMut(Field, Problem)) -> Option<String> {
    let value = collapse_spaces(raw);
    let required = VolunteerDraft::field(field).is_some_and(|f| f.required);
    if required && value.is_empty() {
        err(field, Problem::Required);
        return None;
    }
    if raw.chars().any(|c| c.is_control() && c != '\t') {
        err(field, Problem::ControlCharacter);
        return None;
    }
    if value.chars().count() > max_len(field) {
        err(
            field,
            Problem::TooLong {
                max: max_len(field),
            },
        );
        return None;
    }
    Some(value)
}

/// A free-text field: may hold line breaks, trimmed, length-limited.
fn multiline(raw: &str, field: Field, err: &mut impl FnMut(Field, Problem)) -> Option<String> {
    let value = raw.trim().to_string();
    if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        err(field, Problem::ControlCharacter);
        return None;
    }
    if value.chars().count() > max_len(field) {
        err(
            field,
            Problem::TooLong {
                max: max_len(field),
            },
        );
        return None;
    }
    Some(value)
}

/// The Zuid-Holland Zuid municipalities: the default list when no configuration names others.
pub const ZUID_HOLLAND_ZUID: [&str; 10] = [
    "Alblasserdam",
    "Dordrecht",
    "Gorinchem",
    "Hardinxveld-Giessendam",
    "Hendrik-Ido-Ambacht",
    "Hoeksche Waard",
    "Molenlanden",
    "Papendrecht",
    "Sliedrecht",
    "Zwijndrecht",
];

/// A complete, valid intake for tests across the crate (Anouk van den Berg, Dordrecht,
/// intake on 27-11-2026).
#[cfg(test)]
pub(crate) fn sample_intake() -> VolunteerDraft {
    VolunteerDraft {
        given_name: "Anouk".into(),
        prefix: "van den".into(),
        family_name: "Berg".into(),
        birth_date: "05-04-1999".into(),
        address: "Voorstraat 12".into(),
        postcode: "3311 AB".into(),
        municipality: "Dordrecht".into(),
        phone: "078 - 770 85 00".into(),
        email: "anouk@example.nl".into(),
        interests: vec![Interest::Care],
        hours_per_week: "4".into(),
        consent: true,
        consent_date: "27-11-2026".into(),
        intake_date: "27-11-2026".into(),
        ..VolunteerDraft::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn rules() -> Rules {
        Rules {
            municipalities: ZUID_HOLLAND_ZUID.iter().map(|s| s.to_string()).collect(),
            today: date!(2026 - 11 - 27),
        }
    }

    fn good() -> VolunteerDraft {
        // As typed at the desk: spellings the rules must normalise.
        VolunteerDraft {
            postcode: "3311ab".into(),
            municipality: "dordrecht".into(),
            email: "Anouk@Example.nl".into(),
            interests: vec![Interest::Sport, Interest::Care, Interest::Sport],
            ..sample_intake()
        }
    }

    fn problems(d: &VolunteerDraft) -> Vec<(Field, Problem)> {
        match d.validate(&rules()) {
            Ok(_) => vec![],
            Err(e) => e.into_iter().map(|e| (e.field, e.problem)).collect(),
        }
    }

    #[test]
    fn a_good_intake_validates_and_normalises() {
        let v = good().validate(&rules()).unwrap();
        assert_eq!(v.postcode, "3311 AB");
        assert_eq!(v.municipality, "Dordrecht");
        assert_eq!(v.phone, "0787708500");
        assert_eq!(v.email, "anouk@example.nl");
        assert_eq!(v.interests, vec![Interest::Care, Interest::Sport]);
        assert_eq!(v.name.filed(), "Berg, Anouk van den");
        assert_eq!(v.target_groups(), vec![TargetGroup::Jongere]);
    }

    #[test]
    fn every_problem_is_reported_at_once() {
        let d = VolunteerDraft {
            given_name: " ".into(),
            postcode: "33 AB".into(),
            birth_date: "31-02-1990".into(),
            municipality: "Amsterdam".into(),
            email: "nope".into(),
            phone: "12".into(),
            consent: false,
            hours_per_week: "99".into(),
            ..good()
        };
        let p = problems(&d);
        assert!(p.contains(&(Field::GivenName, Problem::Required)));
        assert!(p.contains(&(Field::Postcode, Problem::Postcode)));
        assert!(p.contains(&(Field::BirthDate, Problem::DateInvalid)));
        assert!(p.contains(&(Field::Municipality, Problem::UnknownMunicipality)));
        assert!(p.contains(&(Field::Email, Problem::Email)));
        assert!(p.contains(&(Field::Phone, Problem::Phone)));
        assert!(p.contains(&(Field::Consent, Problem::ConsentMissing)));
        assert!(p.contains(&(Field::HoursPerWeek, Problem::Range { min: 0, max: 60 })));
        // In form order.
        assert_eq!(p[0].0, Field::GivenName);
    }

    #[test]
    fn consent_is_required() {
        let d = VolunteerDraft {
            consent: false,
            ..good()
        };
        assert_eq!(
            problems(&d),
            vec![(Field::Consent, Problem::ConsentMissing)]
        );
    }

    #[test]
    fn a_way_to_reach_the_person_is_required() {
        let d = VolunteerDraft {
            phone: String::new(),
            email: String::new(),
            ..good()
        };
        assert_eq!(problems(&d), vec![(Field::Phone, Problem::ContactRequired)]);
        let only_mail = VolunteerDraft {
            phone: String::new(),
            ..good()
        };
        assert!(problems(&only_mail).is_empty());
    }

    #[test]
    fn dates_must_be_plausible() {
        let d = VolunteerDraft {
            birth_date: "01-01-2020".into(),
            intake_date: "28-11-2026".into(),
            ..good()
        };
        let p = problems(&d);
        assert!(p.contains(&(Field::IntakeDate, Problem::DateInFuture)));
        assert!(p.contains(&(Field::BirthDate, Problem::TooYoung { min: MIN_AGE })));
        let old = VolunteerDraft {
            birth_date: "01-01-1850".into(),
            ..good()
        };
        assert_eq!(
            problems(&old),
            vec![(Field::BirthDate, Problem::DateTooOld)]
        );
    }

    #[test]
    fn vog_dates_follow_the_state() {
        let requested = VolunteerDraft {
            vog: VogState::Requested,
            ..good()
        };
        assert_eq!(
            problems(&requested),
            vec![(Field::VogRequested, Problem::VogDate)]
        );
        let received = VolunteerDraft {
            vog: VogState::Received,
            vog_received: "01-10-2026".into(),
            ..good()
        };
        let v = received.validate(&rules()).unwrap();
        assert_eq!(
            v.vog,
            Vog::Received {
                requested: None,
                received: date!(2026 - 10 - 01)
            }
        );
    }

    #[test]
    fn text_fields_refuse_control_characters_and_overlong_input() {
        let d = VolunteerDraft {
            family_name: "Berg\u{7}".into(),
            address: "x".repeat(201),
            ..good()
        };
        let p = problems(&d);
        assert!(p.contains(&(Field::FamilyName, Problem::ControlCharacter)));
        assert!(p.contains(&(Field::Address, Problem::TooLong { max: 200 })));
    }

    #[test]
    fn status_pipeline() {
        assert!(Status::New.can_become(Status::IntakeHeld));
        assert!(Status::IntakeHeld.can_become(Status::BeingMatched));
        assert!(Status::BeingMatched.can_become(Status::Placed));
        assert!(Status::Placed.can_become(Status::Inactive));
        assert!(Status::Inactive.can_become(Status::New));
        assert!(!Status::New.can_become(Status::Placed));
        assert!(!Status::Inactive.can_become(Status::Placed));
        assert!(Status::Placed.can_become(Status::Placed));
    }

    #[test]
    fn target_groups_at_the_intake_date() {
        let on = date!(2026 - 11 - 27);
        assert_eq!(
            target_groups(date!(1998 - 11 - 28), on, false),
            vec![TargetGroup::Jongere]
        );
        assert_eq!(target_groups(date!(1998 - 11 - 27), on, false), vec![]);
        assert_eq!(
            target_groups(date!(1971 - 11 - 27), on, true),
            vec![TargetGroup::Senior, TargetGroup::Kwetsbaar]
        );
        assert_eq!(target_groups(date!(1971 - 11 - 28), on, false), vec![]);
    }

    #[test]
    fn duplicates_by_name_and_birth_date_email_or_phone() {
        let a = good().validate(&rules()).unwrap();
        let b = VolunteerDraft {
            given_name: "ANOUK".into(),
            email: "other@example.nl".into(),
            phone: "0612345678".into(),
            ..good()
        }
        .validate(&rules())
        .unwrap();
        assert_eq!(
            a.duplicate_reasons(&b),
            vec![DuplicateReason::NameAndBirthDate]
        );
        let c = VolunteerDraft {
            given_name: "Bram".into(),
            phone: "+31 78 770 8500".into(),
            email: "x@y.nl".into(),
            ..good()
        }
        .validate(&rules())
        .unwrap();
        assert_eq!(a.duplicate_reasons(&c), vec![DuplicateReason::Phone]);
    }

    #[test]
    fn a_volunteer_round_trips_through_its_draft() {
        let v = good().validate(&rules()).unwrap();
        let again = VolunteerDraft::from_volunteer(&v)
            .validate(&rules())
            .unwrap();
        assert_eq!(v, again);
        assert!(v.problems(&rules()).is_empty());
    }

    #[test]
    fn availability_grid() {
        let mut a = Availability::default();
        a.toggle(0, Daypart::Morning);
        a.toggle(6, Daypart::Evening);
        assert!(a.get(0, Daypart::Morning));
        assert!(a.get(6, Daypart::Evening));
        assert!(!a.get(6, Daypart::Morning));
        assert_eq!(a.count(), 2);
        a.toggle(0, Daypart::Morning);
        assert_eq!(a.count(), 1);
    }

    #[test]
    fn rebase_keeps_both_sides_changes() {
        let base = good();
        let mine = VolunteerDraft {
            skills: "koken".into(),
            address: "Wijnstraat 1".into(),
            ..good()
        };
        let theirs = VolunteerDraft {
            notes: "Belt maandag".into(),
            address: "Voorstraat 99".into(),
            ..good()
        };
        let (merged, both) = rebase(&base, &mine, &theirs);
        assert_eq!(merged.skills, "koken");
        assert_eq!(merged.notes, "Belt maandag");
        assert_eq!(merged.address, "Wijnstraat 1");
        assert_eq!(both, vec![Field::Address]);
    }

    #[test]
    fn a_vog_cannot_arrive_before_it_was_asked_for() {
        let d = VolunteerDraft {
            vog: VogState::Received,
            vog_requested: "10-10-2026".into(),
            vog_received: "01-10-2026".into(),
            ..good()
        };
        assert_eq!(problems(&d), vec![(Field::VogReceived, Problem::VogOrder)]);
    }

    #[test]
    fn a_duplicate_intake_carries_its_new_details_not_its_defaults() {
        let existing = sample_intake();
        let mut new = sample_intake();
        new.address = "Nieuwstraat 9".into();
        new.phone = "06 9876 5432".into();
        new.email = String::new();
        new.notes = "Belde opnieuw".into();
        new.intake_date = "28-11-2026".into();
        new.vulnerable = !existing.vulnerable;
        let (carried, taken) = crate::domain::draft::carry(&existing, &new, &[Field::IntakeDate]);
        assert_eq!(taken, [Field::Address, Field::Phone, Field::Notes]);
        assert_eq!(carried.address, "Nieuwstraat 9");
        assert_eq!(carried.phone, "06 9876 5432");
        // Left empty in the new intake: the stored value stays.
        assert_eq!(carried.email, existing.email);
        // Bookkeeping and yes/no values stay as stored.
        assert_eq!(carried.intake_date, existing.intake_date);
        assert_eq!(carried.vulnerable, existing.vulnerable);
    }
}
