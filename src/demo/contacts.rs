//! Demo contacts: one to five per demo organisation over the last half year, with the
//! person the centre spoke to, and some follow-ups — done, due, overdue or still to come —
//! so the follow-ups view has something to show. Deterministic for a seed; every one passes
//! [`Contact::problems`].

use super::{chance, pick};
use crate::domain::contact::{BasicFunction, Channel, Contact};
use crate::domain::organisation::Organisation;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Date, Duration};

const SUBJECTS: [(&str, BasicFunction); 12] = [
    ("Kennismakingsgesprek", BasicFunction::Versterken),
    ("Vraag over vrijwilligersbeleid", BasicFunction::Versterken),
    ("Nieuwe vacature besproken", BasicFunction::Verbinden),
    ("Kandidaat voorgesteld", BasicFunction::Verbinden),
    ("Aanvraag gratis VOG", BasicFunction::Versterken),
    (
        "Uitnodiging Dag van de Vrijwilliger",
        BasicFunction::Verbreiden,
    ),
    ("NLdoet-klus aangemeld", BasicFunction::Verbreiden),
    (
        "Training vrijwilligerscoördinatoren",
        BasicFunction::Versterken,
    ),
    ("Evaluatie van een plaatsing", BasicFunction::Verbinden),
    ("Vrijwilligersverzekering", BasicFunction::Versterken),
    ("Signaal: tekort aan chauffeurs", BasicFunction::Vertalen),
    ("Bijdrage aan jaarverslag", BasicFunction::Verankeren),
];

const CHANNELS: [Channel; 4] = [
    Channel::Phone,
    Channel::Email,
    Channel::Visit,
    Channel::Meeting,
];

/// The contacts with `orgs` (each with its id), as of `today`.
pub fn contacts(orgs: &[(u64, Organisation)], seed: u64, today: Date) -> Vec<Contact> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x636f_6e74_6163_7473);
    let mut out = Vec::new();
    for (id, org) in orgs {
        for _ in 0..rng.random_range(1..=5) {
            let (subject, basic_function) = *pick(&mut rng, &SUBJECTS);
            let date = today - Duration::days(rng.random_range(0..180));
            let follow_up = chance(&mut rng, 0.6).then(|| {
                // From two weeks before today to two weeks after, never before the contact.
                let d = today + Duration::days(rng.random_range(-14..14));
                d.max(date)
            });
            let done = follow_up.is_some_and(|f| f < today) && chance(&mut rng, 0.4);
            let contact_person = if org.contact_persons.is_empty() || chance(&mut rng, 0.1) {
                String::new()
            } else {
                pick(&mut rng, &org.contact_persons).name.clone()
            };
            out.push(Contact {
                organisation: *id,
                organisation_name: org.name.clone(),
                date,
                channel: *pick(&mut rng, &CHANNELS),
                contact_person,
                subject: subject.to_string(),
                basic_function,
                notes: String::new(),
                follow_up,
                done,
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
    fn demo_contacts_pass_the_rules_and_some_are_due() {
        let region = crate::config::Config::default().municipalities;
        let rules = Rules {
            municipalities: region.clone(),
            today: date!(2026 - 11 - 27),
        };
        let orgs: Vec<(u64, Organisation)> = super::super::organisations(40, 5, &region)
            .into_iter()
            .enumerate()
            .map(|(i, o)| (i as u64 + 1, o))
            .collect();
        let cs = contacts(&orgs, 5, rules.today);
        assert!(cs.len() >= 40);
        for c in &cs {
            assert_eq!(c.problems(&rules), vec![], "{c:?}");
        }
        let due = cs.iter().filter(|c| c.is_due(rules.today)).count();
        assert!(due > 0 && due < cs.len() / 2, "{due} of {}", cs.len());
        assert!(cs.iter().any(|c| c.done));
        assert_eq!(cs, contacts(&orgs, 5, rules.today));
    }
}
