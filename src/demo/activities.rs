//! Demo activities: a year of a centre's work to spread and value volunteering — the Dag van
//! de Vrijwilliger on 7 December, NLdoet in March, trainings for coordinators, advice sessions,
//! campaigns — from a year ago to two months ahead; past ones held, with their participants.
//! Deterministic for a seed; every one passes [`Activity::problems`].

use super::pick;
use crate::domain::activity::{Activity, ActivityKind};
use crate::domain::contact::BasicFunction;
use crate::domain::organisation::Organisation;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Date, Duration, Month};

/// (name, kind, basic function, participants from, to)
const PLAIN: [(&str, ActivityKind, BasicFunction, u32, u32); 6] = [
    (
        "Training vrijwilligerscoördinatoren",
        ActivityKind::Training,
        BasicFunction::Versterken,
        8,
        20,
    ),
    (
        "Adviesgesprek vrijwilligersbeleid",
        ActivityKind::Advice,
        BasicFunction::Versterken,
        2,
        5,
    ),
    (
        "Wervingscampagne op de markt",
        ActivityKind::Campaign,
        BasicFunction::Verbreiden,
        30,
        200,
    ),
    (
        "Informatieavond vrijwilligerswerk",
        ActivityKind::Event,
        BasicFunction::Verbreiden,
        15,
        60,
    ),
    (
        "Workshop omgaan met vrijwilligers",
        ActivityKind::Training,
        BasicFunction::Versterken,
        6,
        18,
    ),
    (
        "Vrijwilligersprijs uitgereikt",
        ActivityKind::Appreciation,
        BasicFunction::Verbreiden,
        40,
        150,
    ),
];

/// How many activities a demo of `volunteers` people gets, besides the yearly days.
pub fn count_for(volunteers: usize) -> usize {
    (volunteers / 100).clamp(12, 2_000)
}

/// The demo's activities up to two months after `today`, with organisations from `orgs`.
pub fn activities(n: usize, seed: u64, today: Date, orgs: &[(u64, Organisation)]) -> Vec<Activity> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x6163_7476);
    let mut out = Vec::new();
    let involved = |rng: &mut ChaCha8Rng| -> Vec<String> {
        if orgs.is_empty() {
            return Vec::new();
        }
        let mut names: Vec<String> = (0..rng.random_range(0..4))
            .map(|_| pick(rng, orgs).1.name.clone())
            .collect();
        names.sort();
        names.dedup();
        names
    };
    // The yearly days of this year and the last.
    for year in [today.year() - 1, today.year()] {
        for (name, month, day, kind) in [
            (
                "Dag van de Vrijwilliger",
                Month::December,
                7,
                ActivityKind::Appreciation,
            ),
            ("NLdoet", Month::March, 14, ActivityKind::Event),
        ] {
            let Ok(date) = Date::from_calendar_date(year, month, day) else {
                continue;
            };
            let held = date <= today;
            out.push(Activity {
                date,
                title: format!("{name} {year}"),
                kind,
                basic_function: BasicFunction::Verbreiden,
                organisations: involved(&mut rng),
                participants: if held { rng.random_range(60..400) } else { 0 },
                held,
                notes: String::new(),
                thanks: None,
            });
        }
    }
    for _ in 0..n {
        let date = today - Duration::days(rng.random_range(-60..365));
        let (name, kind, basic_function, low, high) = *pick(&mut rng, &PLAIN);
        let held = date <= today;
        out.push(Activity {
            date,
            title: name.to_string(),
            kind,
            basic_function,
            organisations: involved(&mut rng),
            participants: if held {
                rng.random_range(low..=high)
            } else {
                0
            },
            held,
            notes: String::new(),
            thanks: None,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::volunteer::Rules;
    use time::macros::date;

    #[test]
    fn demo_activities_are_valid_the_yearly_days_are_there_and_none_to_come_is_held() {
        let today = date!(2026 - 11 - 27);
        let a = activities(40, 5, today, &[]);
        assert_eq!(a, activities(40, 5, today, &[]));
        let rules = Rules {
            municipalities: vec!["Dordrecht".into()],
            today,
        };
        assert!(a.iter().all(|x| x.problems(&rules).is_empty()));
        assert!(
            a.iter()
                .any(|x| x.title == "Dag van de Vrijwilliger 2026" && !x.held)
        );
        assert!(a.iter().any(|x| x.title == "NLdoet 2026" && x.held));
        assert!(a.iter().all(|x| !x.held || x.date <= today));
    }
}
