//! Signals (1 Vertalen › Signalen): needs the centre notices in the field — a theme, where,
//! who raised it, what it is about, the basic function it calls on — and what became of it
//! (new, discussed, acted on, and then what was done). Its fields are listed once, in the
//! draft's table.

use super::contact::BasicFunction;
use super::dates::{format_date, parse_date};
use super::draft::{self, Draft, DraftField, Keyed, choice_row, text_row};
use super::volunteer::Rules;
use super::{Field, FieldError, Problem};
use serde::{Deserialize, Serialize};
use time::Date;

/// Who raised the signal.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    #[default]
    Organisation,
    Resident,
    Staff,
    Municipality,
}

impl Keyed for Source {
    const ALL: &'static [Self] = &[
        Source::Organisation,
        Source::Resident,
        Source::Staff,
        Source::Municipality,
    ];

    fn key(self) -> &'static str {
        match self {
            Source::Organisation => "organisation",
            Source::Resident => "resident",
            Source::Staff => "staff",
            Source::Municipality => "municipality",
        }
    }
}

/// What became of a signal.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum SignalStatus {
    #[default]
    New,
    Discussed,
    ActedOn,
}

impl Keyed for SignalStatus {
    const ALL: &'static [Self] = &[
        SignalStatus::New,
        SignalStatus::Discussed,
        SignalStatus::ActedOn,
    ];

    fn key(self) -> &'static str {
        match self {
            SignalStatus::New => "new",
            SignalStatus::Discussed => "discussed",
            SignalStatus::ActedOn => "acted_on",
        }
    }
}

/// One signal. Always valid: built through [`SignalDraft::validate`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signal {
    /// When it was noticed; never in the future.
    pub date: Date,
    /// What it is about in a few words ("eenzaamheid", "vervoer"): counted per theme.
    pub theme: String,
    /// One of the centre's municipalities.
    pub municipality: String,
    pub source: Source,
    pub description: String,
    pub basic_function: BasicFunction,
    pub status: SignalStatus,
    /// What was done; required once the status is "acted on".
    pub action_taken: String,
}

impl Signal {
    /// Re-checks a stored or imported signal.
    pub fn problems(&self, rules: &Rules) -> Vec<FieldError> {
        match SignalDraft::from_signal(self).validate(rules) {
            Ok(_) => Vec::new(),
            Err(errors) => errors,
        }
    }
}

/// A signal as typed into a form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignalDraft {
    pub date: String,
    pub theme: String,
    pub municipality: String,
    pub source: Source,
    pub description: String,
    pub basic_function: BasicFunction,
    pub status: SignalStatus,
    pub action_taken: String,
}

const SHORT: usize = 40;

const SIGNAL_FIELDS: &[DraftField<SignalDraft>] = &[
    text_row!(SignalDate, date, Date, required: true, max: SHORT),
    text_row!(Theme, theme, Line, required: true, max: 60),
    text_row!(Municipality, municipality, Line, required: true, max: SHORT),
    choice_row!(SignalSource, source, Source, "signal_source"),
    text_row!(Description, description, Multi, required: false, max: 10_000),
    choice_row!(
        BasicFunction,
        basic_function,
        BasicFunction,
        "basic_function"
    ),
    choice_row!(SignalStatus, status, SignalStatus, "signal_status"),
    text_row!(ActionTaken, action_taken, Multi, required: false, max: 10_000),
];

impl Draft for SignalDraft {
    fn fields() -> &'static [DraftField<Self>] {
        SIGNAL_FIELDS
    }
}

impl SignalDraft {
    /// A new signal noticed today; the theme's basic function is Vertalen (translating needs
    /// into policy) until said otherwise.
    pub fn new(today: Date) -> Self {
        SignalDraft {
            date: format_date(today),
            basic_function: BasicFunction::Vertalen,
            ..SignalDraft::default()
        }
    }

    /// The draft that edits a stored signal.
    pub fn from_signal(s: &Signal) -> Self {
        SignalDraft {
            date: format_date(s.date),
            theme: s.theme.clone(),
            municipality: s.municipality.clone(),
            source: s.source,
            description: s.description.clone(),
            basic_function: s.basic_function,
            status: s.status,
            action_taken: s.action_taken.clone(),
        }
    }

    /// Checks every field and returns the signal, or every problem at once (in form order).
    pub fn validate(&self, rules: &Rules) -> Result<Signal, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut err = |field: Field, problem: Problem| errors.push(FieldError::new(field, problem));
        let date = match parse_date(&self.date) {
            Ok(d) if d > rules.today => {
                err(Field::SignalDate, Problem::DateInFuture);
                None
            }
            Ok(d) if d.year() < 2000 => {
                err(Field::SignalDate, Problem::DateTooOld);
                None
            }
            Ok(d) => Some(d),
            Err(p) => {
                err(Field::SignalDate, p);
                None
            }
        };
        let theme = draft::line_text::<Self>(&self.theme, Field::Theme, &mut err);
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
        let description =
            draft::multi_text::<Self>(&self.description, Field::Description, &mut err);
        let action_taken =
            draft::multi_text::<Self>(&self.action_taken, Field::ActionTaken, &mut err);
        if self.status == SignalStatus::ActedOn
            && action_taken.as_deref().is_some_and(|a| a.trim().is_empty())
        {
            err(Field::ActionTaken, Problem::Required);
        }
        match (date, theme, municipality, description, action_taken) {
            (
                Some(date),
                Some(theme),
                Some(municipality),
                Some(description),
                Some(action_taken),
            ) if errors.is_empty() => Ok(Signal {
                date,
                theme,
                municipality,
                source: self.source,
                description,
                basic_function: self.basic_function,
                status: self.status,
                action_taken,
            }),
            _ => {
                errors.sort_by_key(|e| Self::position(e.field));
                Err(errors)
            }
        }
    }
}

/// How many signals there are per theme (folded to lower case, shown as first written) in
/// each of the last `months` calendar months up to `today`'s, most signals first.
pub fn per_theme_per_month<'a>(
    signals: impl Iterator<Item = (Date, &'a str)>,
    today: Date,
    months: usize,
) -> Vec<(String, Vec<u32>)> {
    let month_index = |d: Date| d.year() * 12 + i32::from(u8::from(d.month())) - 1;
    let last = month_index(today);
    let first = last - months as i32 + 1;
    let mut out: Vec<(String, String, Vec<u32>)> = Vec::new();
    for (date, theme) in signals {
        let m = month_index(date);
        if m < first || m > last {
            continue;
        }
        let folded = theme.trim().to_lowercase();
        let slot = match out.iter().position(|(f, _, _)| *f == folded) {
            Some(i) => i,
            None => {
                out.push((folded, theme.trim().to_string(), vec![0; months]));
                out.len() - 1
            }
        };
        out[slot].2[(m - first) as usize] += 1;
    }
    out.sort_by(|a, b| {
        let (sa, sb): (u32, u32) = (a.2.iter().sum(), b.2.iter().sum());
        sb.cmp(&sa).then_with(|| a.0.cmp(&b.0))
    });
    out.into_iter()
        .map(|(_, shown, counts)| (shown, counts))
        .collect()
}

/// A signal for tests.
#[cfg(test)]
pub(crate) fn sample_signal() -> SignalDraft {
    SignalDraft {
        date: "20-11-2026".into(),
        theme: "Eenzaamheid".into(),
        municipality: "dordrecht".into(),
        source: Source::Organisation,
        description: "Ouderen na ziekenhuisopname alleen thuis.".into(),
        basic_function: BasicFunction::Vertalen,
        status: SignalStatus::New,
        action_taken: String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn rules() -> Rules {
        Rules {
            municipalities: vec!["Dordrecht".into(), "Gorinchem".into()],
            today: date!(2026 - 11 - 27),
        }
    }

    fn problems(d: &SignalDraft) -> Vec<(Field, Problem)> {
        match d.validate(&rules()) {
            Ok(_) => Vec::new(),
            Err(e) => e.into_iter().map(|e| (e.field, e.problem)).collect(),
        }
    }

    #[test]
    fn a_good_signal_round_trips_with_its_municipality_spelled_as_configured() {
        let s = sample_signal().validate(&rules()).unwrap();
        assert_eq!(s.municipality, "Dordrecht");
        assert_eq!(s.date, date!(2026 - 11 - 20));
        assert_eq!(SignalDraft::from_signal(&s).validate(&rules()).unwrap(), s);
        assert!(s.problems(&rules()).is_empty());
    }

    #[test]
    fn no_theme_a_future_date_an_unknown_municipality_and_acted_on_without_what_are_refused() {
        let d = SignalDraft {
            date: "28-11-2026".into(),
            theme: " ".into(),
            municipality: "Utrecht".into(),
            status: SignalStatus::ActedOn,
            ..sample_signal()
        };
        assert_eq!(
            problems(&d),
            vec![
                (Field::SignalDate, Problem::DateInFuture),
                (Field::Theme, Problem::Required),
                (Field::Municipality, Problem::UnknownMunicipality),
                (Field::ActionTaken, Problem::Required),
            ]
        );
        let d = SignalDraft {
            status: SignalStatus::ActedOn,
            action_taken: "Besproken met de wethouder; maatjesproject gestart.".into(),
            ..sample_signal()
        };
        assert!(problems(&d).is_empty());
    }

    #[test]
    fn themes_are_counted_per_month_in_any_case_most_first() {
        let today = date!(2026 - 11 - 27);
        let signals = [
            (date!(2026 - 11 - 02), "Vervoer"),
            (date!(2026 - 10 - 15), "eenzaamheid"),
            (date!(2026 - 11 - 20), "Eenzaamheid "),
            (date!(2026 - 09 - 01), "Eenzaamheid"),
            // Before the window of three months: left out.
            (date!(2026 - 08 - 31), "Vervoer"),
        ];
        let counts = per_theme_per_month(signals.iter().map(|(d, t)| (*d, *t)), today, 3);
        assert_eq!(
            counts,
            vec![
                ("eenzaamheid".to_string(), vec![1, 1, 1]),
                ("Vervoer".to_string(), vec![0, 0, 1]),
            ]
        );
    }
}
