//! Demo organisations: associations, foundations, care homes, schools, churches, sports clubs
//! and the municipalities themselves, in the configured municipalities, each with one to three
//! contact persons. Deterministic for a seed, like the volunteers; every one passes
//! [`Organisation::problems`].

use super::{
    Background, chance, draw_address, draw_landline, draw_mobile, draw_name, pick, place_of,
};
use crate::domain::name::fold;
use crate::domain::organisation::{ContactPerson, Organisation, OrganisationKind};
use crate::domain::volunteer::Interest;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeSet;

/// Name patterns per kind; `{p}` is the place.
const NAMES: [(OrganisationKind, &[&str]); 8] = [
    (
        OrganisationKind::Association,
        &[
            "Vereniging Dorpshuis De Brug {p}",
            "Buurtvereniging Oud-{p}",
            "Oranjevereniging {p}",
            "De Zonnebloem afdeling {p}",
            "Historische Vereniging {p}",
            "Muziekvereniging Excelsior {p}",
            "Volkstuinvereniging De Hooiberg {p}",
            "Toneelvereniging Kunst na Arbeid {p}",
        ],
    ),
    (
        OrganisationKind::Foundation,
        &[
            "Stichting Present {p}",
            "Voedselbank {p}",
            "Vluchtelingenwerk {p}",
            "Stichting Taalhuis {p}",
            "Humanitas {p}",
            "Stichting Natuur- en Vogelwacht {p}",
            "Stichting Thuiszorg Samen {p}",
            "Stichting Maatjesproject {p}",
        ],
    ),
    (
        OrganisationKind::CareHome,
        &[
            "Zorgcentrum De Linde {p}",
            "Woonzorgcentrum Het Parkhuis {p}",
            "Verpleeghuis Crabbehof {p}",
            "Zorgcentrum Het Spectrum {p}",
            "Woonzorgcentrum De Merwelanden {p}",
        ],
    ),
    (
        OrganisationKind::School,
        &[
            "CBS De Regenboog {p}",
            "OBS Het Kompas {p}",
            "Da Vinci College {p}",
            "Insula College {p}",
            "Openbare basisschool De Springplank {p}",
        ],
    ),
    (
        OrganisationKind::Church,
        &[
            "Protestantse Gemeente {p}",
            "Parochie H. Maria {p}",
            "Moskee Al Fath {p}",
            "Evangelische Gemeente De Bron {p}",
        ],
    ),
    (
        OrganisationKind::SportsClub,
        &[
            "Voetbalvereniging {p}",
            "Tennisvereniging {p}",
            "Zwemvereniging De Dolfijn {p}",
            "Korfbalvereniging {p}",
            "Atletiekvereniging {p}",
        ],
    ),
    (OrganisationKind::Municipality, &["Gemeente {p}"]),
    (
        OrganisationKind::Other,
        &[
            "Bibliotheek {p}",
            "Kringloopwinkel {p}",
            "Repair Café {p}",
            "Speeltuin De Wielewaal {p}",
            "Kinderboerderij {p}",
        ],
    ),
];

/// How often each kind is drawn.
const WEIGHTS: [u32; 8] = [22, 24, 14, 10, 8, 12, 3, 7];

const ROLES: [&str; 8] = [
    "coördinator vrijwilligers",
    "voorzitter",
    "secretaris",
    "teamleider",
    "vrijwilligersbegeleider",
    "directeur",
    "penningmeester",
    "",
];

fn sectors(rng: &mut ChaCha8Rng, kind: OrganisationKind) -> Vec<Interest> {
    let mut out = match kind {
        OrganisationKind::CareHome => vec![Interest::Care],
        OrganisationKind::School => vec![Interest::Education],
        OrganisationKind::Church => vec![Interest::Care],
        OrganisationKind::SportsClub => vec![Interest::Sport],
        OrganisationKind::Municipality => vec![Interest::Administration],
        _ => vec![*pick(rng, &Interest::ALL)],
    };
    if chance(rng, 0.35) {
        out.push(*pick(rng, &Interest::ALL));
    }
    out.sort();
    out.dedup();
    out
}

/// A lower-case mail and web name: letters and digits of the name, at most 24.
fn slug(name: &str) -> String {
    fold(name)
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(24)
        .collect()
}

/// `n` demo organisations in `municipalities` (empty when there are none).
pub fn organisations(n: usize, seed: u64, municipalities: &[String]) -> Vec<Organisation> {
    if municipalities.is_empty() {
        return Vec::new();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6f72_6761_6e69_7361);
    let mut names = BTreeSet::new();
    let mut out = Vec::with_capacity(n);
    let total: u32 = WEIGHTS.iter().sum();
    while out.len() < n {
        let municipality = pick(&mut rng, municipalities).clone();
        let place = place_of(&municipality);
        let mut r = rng.random_range(0..total);
        let mut k = 0;
        while r >= WEIGHTS[k] {
            r -= WEIGHTS[k];
            k += 1;
        }
        let (kind, patterns) = NAMES[k];
        let mut name = pick(&mut rng, patterns).replace("{p}", &municipality);
        if names.contains(&name) {
            if kind == OrganisationKind::Municipality {
                continue;
            }
            name = format!("{name} {}", names.len() + 1);
        }
        names.insert(name.clone());
        let domain = format!("{}.nl", slug(&name));
        let people = rng.random_range(1..=3);
        let contact_persons = (0..people)
            .map(|_| {
                let woman = chance(&mut rng, 0.6);
                let born = rng.random_range(1955..2000);
                let person = draw_name(&mut rng, Background::Dutch, woman, born);
                let email = format!(
                    "{}.{}@{domain}",
                    slug(&person.given),
                    slug(&format!("{}{}", person.prefix, person.family))
                );
                ContactPerson {
                    name: person.full(),
                    role: pick(&mut rng, &ROLES).to_string(),
                    phone: if chance(&mut rng, 0.7) {
                        draw_mobile(&mut rng)
                    } else {
                        String::new()
                    },
                    email,
                }
            })
            .collect();
        let free_vog = match kind {
            OrganisationKind::CareHome | OrganisationKind::School => chance(&mut rng, 0.9),
            OrganisationKind::Municipality => false,
            _ => chance(&mut rng, 0.45),
        };
        out.push(Organisation {
            sectors: sectors(&mut rng, kind),
            address: format!("{}, {municipality}", draw_address(&mut rng, place)),
            phone: draw_landline(&mut rng, place),
            email: format!("info@{domain}"),
            website: format!("www.{domain}"),
            name,
            kind,
            municipality,
            contact_persons,
            free_vog,
            notes: String::new(),
        });
    }
    out
}

/// How many organisations go with `volunteers` demo volunteers: one for every 25, at least 5
/// (none without volunteers), at most 400.
pub fn count_for(volunteers: usize) -> usize {
    if volunteers == 0 {
        0
    } else {
        (volunteers / 25).clamp(5, 400)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::volunteer::Rules;
    use time::macros::date;

    #[test]
    fn demo_organisations_pass_the_rules_and_are_the_same_for_a_seed() {
        let region = crate::config::Config::default().municipalities;
        let rules = Rules {
            municipalities: region.clone(),
            today: date!(2026 - 11 - 27),
        };
        let orgs = organisations(300, 7, &region);
        assert_eq!(orgs.len(), 300);
        for o in &orgs {
            assert_eq!(o.problems(&rules), vec![], "{o:?}");
            assert!(!o.contact_persons.is_empty());
        }
        assert_eq!(orgs, organisations(300, 7, &region));
        let names: BTreeSet<&str> = orgs.iter().map(|o| o.name.as_str()).collect();
        assert_eq!(names.len(), orgs.len(), "names are unique");
        let kinds: BTreeSet<OrganisationKind> = orgs.iter().map(|o| o.kind).collect();
        assert!(kinds.len() >= 7);
    }
}
