//! Demo vacancies: zero to four per demo organisation, in its sectors and municipality, mostly
//! open, some filled or closed. Deterministic for a seed; every one passes
//! [`Vacancy::problems`].

use super::{chance, pick};
use crate::domain::organisation::{Organisation, OrganisationKind};
use crate::domain::vacancy::{Suitability, Vacancy, VacancyStatus};
use crate::domain::volunteer::{Availability, Daypart, Interest};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Date, Duration};

fn titles(sector: Interest) -> &'static [&'static str] {
    match sector {
        Interest::Care => &[
            "Maatje voor bewoners",
            "Gastvrouw of gastheer koffieochtend",
            "Wandelbegeleider",
            "Vrijwilliger activiteitenbegeleiding",
        ],
        Interest::Sport => &[
            "Trainer jeugdteam",
            "Scheidsrechter",
            "Kantinemedewerker",
            "Materiaalbeheerder",
        ],
        Interest::Culture => &["Suppoost", "Medewerker kaartverkoop", "Decorbouwer"],
        Interest::Nature => &[
            "Vrijwilliger natuurwerkdag",
            "Gids natuurwandeling",
            "Tuinman moestuin",
        ],
        Interest::Education => &[
            "Voorleesvrijwilliger",
            "Huiswerkbegeleider",
            "Overblijfkracht",
        ],
        Interest::LanguageBuddy => &["Taalmaatje", "Begeleider taalcafé"],
        Interest::Transport => &["Chauffeur boodschappenbus", "Rolstoelduwer"],
        Interest::Administration => &["Penningmeester", "Secretaris", "Ledenadministrateur"],
    }
}

fn description(sector: Interest) -> &'static str {
    match sector {
        Interest::Care => "Je bent er voor de bewoners: een praatje, een wandeling, een spelletje.",
        Interest::Sport => "Je helpt de club draaien, op het veld of erachter.",
        Interest::Culture => "Je ontvangt bezoekers en helpt achter de schermen.",
        Interest::Nature => "Je werkt buiten, samen met andere vrijwilligers.",
        Interest::Education => "Je helpt kinderen met lezen, leren en spelen.",
        Interest::LanguageBuddy => {
            "Je oefent Nederlands met een nieuwkomer, in een vast uur per week."
        }
        Interest::Transport => "Je rijdt of begeleidt mensen die slecht ter been zijn.",
        Interest::Administration => "Je houdt de administratie van de organisatie bij.",
    }
}

/// The vacancies of `orgs` (each with its id), as of `today`.
pub fn vacancies(orgs: &[(u64, Organisation)], seed: u64, today: Date) -> Vec<Vacancy> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x7661_6361_6e63_7921);
    let mut out = Vec::new();
    for (id, org) in orgs {
        let n = rng.random_range(0..=4);
        let mut used: Vec<&str> = Vec::new();
        for _ in 0..n {
            let sector = if org.sectors.is_empty() {
                *pick(&mut rng, &Interest::ALL)
            } else {
                *pick(&mut rng, &org.sectors)
            };
            // One vacancy of a title per organisation.
            let title = *pick(&mut rng, titles(sector));
            if used.contains(&title) {
                continue;
            }
            used.push(title);
            let mut dayparts = Availability::default();
            for _ in 0..rng.random_range(1..=4) {
                let day = rng.random_range(0..7);
                dayparts.set(day, *pick(&mut rng, &Daypart::ALL), true);
            }
            let vulnerable_people = matches!(sector, Interest::Care | Interest::Education)
                || matches!(
                    org.kind,
                    OrganisationKind::CareHome | OrganisationKind::School
                );
            let vog_required = vulnerable_people && chance(&mut rng, 0.85);
            let mut suitable = Vec::new();
            for s in [
                Suitability::Mas,
                Suitability::SocialActivation,
                Suitability::YoungPeople,
                Suitability::Seniors,
            ] {
                if chance(&mut rng, 0.3) {
                    suitable.push(s);
                }
            }
            let min_age = if vog_required {
                18
            } else if suitable.contains(&Suitability::Mas) {
                14
            } else if chance(&mut rng, 0.3) {
                16
            } else {
                0
            };
            if min_age >= 18 {
                suitable.retain(|s| *s != Suitability::Mas);
            }
            let status = match rng.random_range(0..10) {
                0..7 => VacancyStatus::Open,
                7..9 => VacancyStatus::Filled,
                _ => VacancyStatus::Closed,
            };
            let start_date = today - Duration::days(rng.random_range(0..365));
            let end_date = (status == VacancyStatus::Closed)
                .then(|| start_date + Duration::days(rng.random_range(30..200)));
            out.push(Vacancy {
                organisation: *id,
                organisation_name: org.name.clone(),
                title: title.to_string(),
                description: description(sector).to_string(),
                sector,
                municipality: org.municipality.clone(),
                dayparts,
                hours_per_week: rng.random_range(2..=8),
                vog_required,
                min_age,
                suitable,
                status,
                start_date,
                end_date,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::volunteer::Rules;
    use time::macros::date;

    #[test]
    fn demo_vacancies_pass_the_rules_and_belong_to_their_organisation() {
        let region = crate::config::Config::default().municipalities;
        let rules = Rules {
            municipalities: region.clone(),
            today: date!(2026 - 11 - 27),
        };
        let orgs: Vec<(u64, Organisation)> = super::super::organisations(100, 3, &region)
            .into_iter()
            .enumerate()
            .map(|(i, o)| (i as u64 + 1, o))
            .collect();
        let vs = vacancies(&orgs, 3, rules.today);
        assert!(vs.len() > 100, "{}", vs.len());
        for v in &vs {
            assert_eq!(v.problems(&rules), vec![], "{v:?}");
            let org = &orgs[v.organisation as usize - 1].1;
            assert_eq!(v.organisation_name, org.name);
            assert_eq!(v.municipality, org.municipality);
        }
        assert!(vs.iter().any(|v| v.status == VacancyStatus::Filled));
        assert!(vs.iter().filter(|v| v.is_open()).count() > vs.len() / 2);
        assert_eq!(vs, vacancies(&orgs, 3, rules.today));
    }
}
