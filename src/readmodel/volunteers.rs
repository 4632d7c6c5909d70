//! The volunteers' rows: what the volunteer list shows of each person, its sort key and its
//! search text, and the counts the overview reads ([`VolunteerStats`]).

use super::rows::{RowKind, Rows};
use super::stats::VolunteerStats;
use super::{ReadModel, SharedModel};
use crate::domain::name::{PersonName, fold};
use crate::domain::volunteer::{
    Availability, Status, TargetGroup, Vog, Volunteer, VolunteerSummary,
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
    /// What search matches against: folded "berg anouk van den", postcode, e-mail.
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
        let (sort_key, name_text) = name_keys(&v.name);
        let mut haystack =
            String::with_capacity(name_text.len() + postcode.len() + v.email.len() + 2);
        haystack.push_str(&name_text);
        haystack.push(' ');
        haystack.extend(postcode.chars().map(|c| c.to_ascii_lowercase()));
        haystack.push(' ');
        haystack.push_str(&v.email);
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
        }
    }

    pub fn has_group(&self, g: TargetGroup) -> bool {
        self.groups & group_bit(g) != 0
    }
}

/// A name's sort key (as [`PersonName::sort_key`]) and its searchable text (folded "berg anouk
/// van den", as `fold` of the filed name without its comma), from one fold of each part.
fn name_keys(name: &PersonName) -> (Arc<str>, String) {
    let parts = [&name.family, &name.given, &name.prefix];
    if parts.iter().any(|p| p.contains(',')) {
        // Commas count in the sort key but not in the search text: fold each on its own.
        return (name.sort_key().into(), fold(&name.filed().replace(',', "")));
    }
    let [family, given, prefix] = parts.map(|p| fold(p));
    let mut key = String::with_capacity(family.len() + given.len() + prefix.len() + 2);
    let mut text = String::with_capacity(key.capacity());
    for (i, part) in [&family, &given, &prefix].into_iter().enumerate() {
        if i > 0 {
            key.push('\u{1}');
        }
        key.push_str(part);
        // Folding collapses the spaces between parts to one, and drops empty parts.
        if !part.is_empty() {
            if !text.is_empty() {
                text.push(' ');
            }
            text.push_str(part);
        }
    }
    (key.into(), text)
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
    use time::macros::date;
    VolunteerRow {
        id,
        revision: 1,
        filed: filed.into(),
        sort_key: fold(filed).into(),
        haystack: fold(&filed.replace(',', "")),
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_keys_are_the_sort_key_and_the_folded_filed_name() {
        for (given, prefix, family) in [
            ("Anouk", "van den", "Berg"),
            ("Zoë", "", "Özdemir"),
            ("", "", "Jansen"),
            ("Emma", "", ""),
            ("  Jan  Willem ", " de ", " Vries "),
            ("Ann,a", "", "Smit, de"),
            ("", "van", ""),
            ("  ", "", "Bakker"),
        ] {
            let name = PersonName {
                given: given.into(),
                prefix: prefix.into(),
                family: family.into(),
            };
            let (key, text) = name_keys(&name);
            assert_eq!(&*key, name.sort_key(), "{name:?}");
            assert_eq!(text, fold(&name.filed().replace(',', "")), "{name:?}");
        }
    }
}
