//! The volunteers' rows: what the volunteer list shows of each person, its sort key and its
//! search text, and the counts the overview reads ([`VolunteerStats`]).

use super::rows::{RowKind, Rows};
use super::search::{Role, SearchText};
use super::stats::VolunteerStats;
use super::{ReadModel, SharedModel};
use crate::domain::volunteer::{
    Availability, FoundVia, Status, TargetGroup, Vog, Volunteer, VolunteerSummary,
};
use crate::store::Stored;
use std::sync::Arc;
use time::Date;

/// The volunteers as the read model keeps them (registered in `readmodel/mod.rs`).
#[derive(Debug)]
pub struct Volunteers;

impl RowKind for Volunteers {
    type Record = Volunteer;
    type Row = VolunteerRow;
    type Stats = VolunteerStats;

    fn row(id: u64, revision: u64, summary: VolunteerSummary) -> VolunteerRow {
        VolunteerRow::from_summary(id, revision, summary)
    }
    fn id(row: &VolunteerRow) -> u64 {
        row.id
    }
    fn revision(row: &VolunteerRow) -> u64 {
        row.revision
    }
    fn sort_key(row: &VolunteerRow) -> &Arc<str> {
        &row.sort_key
    }
    fn haystack(row: &VolunteerRow) -> &str {
        &row.haystack
    }
}

impl ReadModel {
    /// Every volunteer, sorted by family name, given name, prefix (then id).
    pub fn volunteers(&self) -> &Rows<Volunteers> {
        self.rows::<Volunteers>()
    }
}

impl SharedModel {
    /// Puts a volunteer this session just saved (see [`SharedModel::put_saved`]).
    pub fn put_volunteer(&self, s: &Stored<Volunteer>) {
        self.put_saved::<Volunteers>(s.clone());
    }
}

/// One volunteer as lists show them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolunteerRow {
    pub id: u64,
    pub revision: u64,
    /// "Berg, Anouk van den".
    pub filed: String,
    /// Sort key: family name, given name, prefix; case and accents folded. Shared with the
    /// model's id index, so indexing a row copies no text.
    pub sort_key: Arc<str>,
    /// What search matches against (see [`super::search`]): the name's parts, postcode,
    /// e-mail, phone and birth date.
    pub haystack: String,
    pub municipality: String,
    pub status: Status,
    /// Bits of [`TargetGroup`] (1 jongere, 2 senior, 4 kwetsbaar).
    pub groups: u8,
    pub intake_date: Date,
    pub birth_date: Date,
    pub postcode: String,
    /// Bits of the person's interests (bit `i` is `Interest::ALL[i]`), for matching.
    pub interests: u8,
    pub availability: Availability,
    pub vog: Vog,
    pub hours_per_week: u8,
    /// How the person found the centre.
    pub found_via: FoundVia,
    /// The data was anonymised: counted, never listed, searched or matched.
    pub anonymised: bool,
}

impl VolunteerRow {
    /// The row of a stored volunteer.
    pub fn from_stored(s: &Stored<Volunteer>) -> VolunteerRow {
        VolunteerRow::from_summary(s.meta.id, s.meta.revision, VolunteerSummary::of(&s.data))
    }

    /// The row of a volunteer from its summary, taking its strings rather than copying them.
    pub fn from_summary(id: u64, revision: u64, mut v: VolunteerSummary) -> VolunteerRow {
        let municipality = std::mem::take(&mut v.municipality);
        let postcode = std::mem::take(&mut v.postcode);
        VolunteerRow::build(id, revision, &v, municipality, postcode)
    }

    fn build(
        id: u64,
        revision: u64,
        v: &VolunteerSummary,
        municipality: String,
        postcode: String,
    ) -> VolunteerRow {
        let groups = target_group_bits(v);
        let filed = v.name.filed();
        let sort_key = v.name.sort_key().into();
        let haystack = search_text(v, &postcode);
        VolunteerRow {
            id,
            revision,
            haystack,
            filed,
            sort_key,
            municipality,
            status: v.status,
            groups,
            intake_date: v.intake_date,
            birth_date: v.birth_date,
            postcode,
            interests: crate::domain::matching::Interests::of(&v.interests).0,
            availability: v.availability,
            vog: v.vog,
            hours_per_week: v.hours_per_week,
            found_via: v.found_via,
            anonymised: v.anonymised,
        }
    }

    pub fn has_group(&self, g: TargetGroup) -> bool {
        self.groups & group_bit(g) != 0
    }
}

/// What search matches a volunteer by: the name in its parts (family name first), the
/// postcode and e-mail address as keys, the phone number and the birth date (`ddmmjjjj`) as
/// digits.
/// An anonymised person has none: search never finds them.
fn search_text(v: &VolunteerSummary, postcode: &str) -> String {
    if v.anonymised {
        return String::new();
    }
    let b = v.birth_date;
    SearchText::new()
        .words(Role::Main, &v.name.family)
        .words(Role::Second, &v.name.given)
        .words(Role::Minor, &v.name.prefix)
        .key(postcode)
        .key(&v.email)
        .digits(&v.phone)
        .digits(&format!(
            "{:02}{:02}{:04}",
            b.day(),
            u8::from(b.month()),
            b.year()
        ))
        .build()
}

fn target_group_bits(v: &VolunteerSummary) -> u8 {
    v.target_groups()
        .into_iter()
        .fold(0, |bits, g| bits | group_bit(g))
}

fn group_bit(g: TargetGroup) -> u8 {
    match g {
        TargetGroup::Jongere => 1,
        TargetGroup::Senior => 2,
        TargetGroup::Kwetsbaar => 4,
    }
}

/// A row for tests: a person filed as `filed`, new, in Dordrecht.
#[cfg(test)]
pub(crate) fn test_row(id: u64, filed: &str) -> VolunteerRow {
    use crate::domain::name::fold;
    use time::macros::date;
    VolunteerRow {
        id,
        revision: 1,
        filed: filed.into(),
        sort_key: fold(filed).into(),
        haystack: {
            let (family, given) = filed.split_once(", ").unwrap_or((filed, ""));
            SearchText::new()
                .words(Role::Main, family)
                .words(Role::Second, given)
                .build()
        },
        municipality: "Dordrecht".into(),
        status: Status::New,
        groups: 0,
        intake_date: date!(2026 - 01 - 01),
        birth_date: date!(1990 - 01 - 01),
        postcode: "3311 AB".into(),
        interests: 0,
        availability: Availability::default(),
        vog: Vog::NotNeeded,
        hours_per_week: 0,
        found_via: FoundVia::Other,
        anonymised: false,
    }
}
