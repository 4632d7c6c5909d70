//! Demo knowledge notes: what a centre writes down after a season of work — recruiting,
//! coordinators' questions, MaS, the Dag van de Vrijwilliger — one for every 50 volunteers,
//! at least a dozen. Deterministic for a seed; every one passes [`Note::problems`].

use crate::domain::contact::BasicFunction;
use crate::domain::note::Note;

/// (title, tags, basic function, text)
const NOTES: [(&str, &str, BasicFunction, &str); 12] = [
    (
        "Jongeren werven via sportclubs",
        "jongeren, werving",
        BasicFunction::Verbreiden,
        "Via de voetbal- en hockeyclubs bereikten we meer jongeren dan via school.\nEen korte klus als eerste stap werkt beter dan een vaste taak.",
    ),
    (
        "Wat coördinatoren vragen over de VOG",
        "VOG, organisaties",
        BasicFunction::Versterken,
        "Veel vragen over wie de aanvraag betaalt. Verwijs naar de regeling gratis VOG.\nLet op: de VOG is drie jaar geldig in ons beleid.",
    ),
    (
        "MaS: scholen willen vroeg plannen",
        "MaS, scholen",
        BasicFunction::Verbinden,
        "Scholen plannen de maatschappelijke stage al in september.\nZorg dat de vacatures voor de zomer klaarstaan.",
    ),
    (
        "Dag van de Vrijwilliger: lessen",
        "waardering, evenement",
        BasicFunction::Verbreiden,
        "Een ontbijt op 7 december trok meer mensen dan een avondprogramma.\nNodig de wethouder tijdig uit.",
    ),
    (
        "Signaal: eenzaamheid onder ouderen",
        "signaal, ouderen, eenzaamheid",
        BasicFunction::Vertalen,
        "Meerdere organisaties melden dat ouderen na een ziekenhuisopname alleen thuis zitten.\nBespreken met de gemeente (Wmo).",
    ),
    (
        "Intake: wat werkt aan de balie",
        "intake, werkwijze",
        BasicFunction::Verbinden,
        "Vraag eerst naar wat iemand graag doet, daarna pas naar beschikbaarheid.\nMensen met een afstand tot werk hebben tijd nodig.",
    ),
    (
        "Participatieladder: meten zonder te oordelen",
        "participatieladder, trajecten",
        BasicFunction::Versterken,
        "Bespreek de trede samen met de deelnemer.\nEen stap terug is geen mislukking.",
    ),
    (
        "NLdoet: klussen vroeg aanmelden",
        "NLdoet, evenement",
        BasicFunction::Verbreiden,
        "Organisaties die hun klus voor februari aanmelden, krijgen vaker genoeg vrijwilligers.",
    ),
    (
        "Verzekering voor vrijwilligers",
        "verzekering, organisaties",
        BasicFunction::Versterken,
        "De gemeentelijke vrijwilligersverzekering dekt ook eenmalige klussen.\nNiet voor organisaties met een eigen polis.",
    ),
    (
        "Jaarverslag: cijfers per basisfunctie",
        "jaarverslag, rapportage",
        BasicFunction::Verankeren,
        "Tel contacten en activiteiten per basisfunctie mee, niet alleen plaatsingen.",
    ),
    (
        "Taalmaatjes: vraag groter dan aanbod",
        "taal, vacatures",
        BasicFunction::Vertalen,
        "Wachtlijst bij de bibliotheek. Werven onder gepensioneerde leerkrachten.",
    ),
    (
        "Overdracht bij ziekte van een consulent",
        "trajecten, werkwijze",
        BasicFunction::Verankeren,
        "Leg afspraken vast in het traject, niet in eigen notities.\nDe volgende consulent moet verder kunnen.",
    ),
];

/// How many notes a demo of `volunteers` people gets.
pub fn count_for(volunteers: usize) -> usize {
    (volunteers / 50).max(NOTES.len())
}

/// `n` demo notes: the twelve above, then the same again as later notes on the subject
/// ("… (2)"), starting at a place that `seed` chooses.
pub fn notes(n: usize, seed: u64) -> Vec<Note> {
    let start = (seed % NOTES.len() as u64) as usize;
    (0..n)
        .map(|i| {
            let (title, tags, basic_function, body) = NOTES[(start + i) % NOTES.len()];
            let title = if i < NOTES.len() {
                title.to_string()
            } else {
                format!("{title} ({})", i / NOTES.len() + 1)
            };
            Note {
                title,
                body: body.to_string(),
                tags: crate::domain::note::split_tags(tags),
                basic_function,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_notes_are_valid_distinct_and_the_same_for_a_seed() {
        let a = notes(40, 7);
        assert_eq!(a, notes(40, 7));
        assert!(a.iter().all(|n| n.problems().is_empty()));
        let mut titles: Vec<&str> = a.iter().map(|n| n.title.as_str()).collect();
        titles.sort();
        titles.dedup();
        assert_eq!(titles.len(), 40);
    }
}
