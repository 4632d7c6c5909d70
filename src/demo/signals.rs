//! Demo signals: needs noticed in the field over the last eight months — loneliness, transport,
//! language, debts, informal carers — from organisations, residents, staff and the
//! municipality; older ones more often discussed or acted on. Deterministic for a seed; every
//! one passes [`Signal::problems`].

use super::pick;
use crate::domain::contact::BasicFunction;
use crate::domain::signal::{Signal, SignalStatus, Source};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Date, Duration};

/// (theme, what was noticed, what was done about it)
const THEMES: [(&str, &str, &str); 8] = [
    (
        "Eenzaamheid",
        "Ouderen zitten na een ziekenhuisopname alleen thuis.",
        "Maatjesproject met de thuiszorg afgesproken.",
    ),
    (
        "Vervoer",
        "Te weinig chauffeurs voor de vrijwillige ouderenvervoersdienst.",
        "Wervingsactie onder gepensioneerden gestart.",
    ),
    (
        "Taal",
        "Wachtlijst voor taalmaatjes bij de bibliotheek.",
        "Vacature voor taalmaatjes breder uitgezet.",
    ),
    (
        "Schulden",
        "Vraag naar vrijwillige thuisadministratie groeit.",
        "Training thuisadministratie georganiseerd met het sociaal team.",
    ),
    (
        "Mantelzorg",
        "Mantelzorgers vragen om respijt in het weekend.",
        "Besproken met de Wmo-consulent; pilot weekendoppas.",
    ),
    (
        "Jongeren",
        "Sportclubs zoeken jonge trainers.",
        "MaS-vacatures bij drie clubs geplaatst.",
    ),
    (
        "Digitale vaardigheden",
        "Ouderen lopen vast met de DigiD-aanvraag.",
        "Digi-spreekuur met vrijwilligers in het wijkcentrum.",
    ),
    (
        "Armoede",
        "Voedselbank meldt meer gezinnen met jonge kinderen.",
        "Signaal doorgegeven aan de gemeente.",
    ),
];

const SOURCES: [Source; 4] = [
    Source::Organisation,
    Source::Resident,
    Source::Staff,
    Source::Municipality,
];

/// How many signals a demo of `volunteers` people gets.
pub fn count_for(volunteers: usize) -> usize {
    (volunteers / 40).clamp(20, 5_000)
}

/// `n` demo signals up to `today` in `municipalities` (not empty).
pub fn signals(n: usize, seed: u64, today: Date, municipalities: &[String]) -> Vec<Signal> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x7369_676e);
    (0..n)
        .map(|_| {
            let days = rng.random_range(0..240);
            let date = today - Duration::days(days);
            let (theme, description, done) = *pick(&mut rng, &THEMES);
            // The older, the more likely something came of it.
            let roll = rng.random_range(0..240);
            let status = if roll < days / 2 {
                SignalStatus::ActedOn
            } else if roll < days {
                SignalStatus::Discussed
            } else {
                SignalStatus::New
            };
            Signal {
                date,
                theme: theme.to_string(),
                municipality: pick(&mut rng, municipalities).clone(),
                source: *pick(&mut rng, &SOURCES),
                description: description.to_string(),
                basic_function: BasicFunction::Vertalen,
                status,
                action_taken: if status == SignalStatus::ActedOn {
                    done.to_string()
                } else {
                    String::new()
                },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::volunteer::Rules;
    use time::macros::date;

    #[test]
    fn demo_signals_are_valid_and_the_same_for_a_seed() {
        let region = vec!["Dordrecht".to_string(), "Gorinchem".to_string()];
        let today = date!(2026 - 11 - 27);
        let a = signals(200, 3, today, &region);
        assert_eq!(a, signals(200, 3, today, &region));
        let rules = Rules {
            municipalities: region,
            today,
        };
        assert!(a.iter().all(|s| s.problems(&rules).is_empty()));
        assert!(a.iter().any(|s| s.status == SignalStatus::New));
        assert!(a.iter().any(|s| s.status == SignalStatus::ActedOn));
    }
}
