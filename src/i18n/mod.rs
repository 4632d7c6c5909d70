//! User-facing text in Dutch and English, from the catalogs in `catalog/nl/` and `catalog/en/`
//! embedded in the binary. Keys are dotted (`field.postcode`); parameters are written `{name}`.
//!
//! A missing key shows as the key itself (and a test fails when the catalogs' keys differ or
//! when code uses a key that no catalog has).

use crate::domain::{Field, Problem};
pub mod errors;
pub mod retention;

use std::collections::HashMap;
use std::sync::OnceLock;

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    Nl,
    #[default]
    En,
}

impl Lang {
    /// `nl`/`en` (also `nl_NL.UTF-8` and the like).
    pub fn parse(s: &str) -> Option<Lang> {
        let s = s.trim().to_ascii_lowercase();
        if s == "nl"
            || s.starts_with("nl_")
            || s.starts_with("nl-")
            || s == "dutch"
            || s == "nederlands"
        {
            Some(Lang::Nl)
        } else if s == "en" || s.starts_with("en_") || s.starts_with("en-") || s == "english" {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// From the environment's `LC_ALL`, `LC_MESSAGES` or `LANG`: `nl_*` is Dutch, anything
    /// else English.
    pub fn from_env() -> Lang {
        for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
            if let Ok(v) = std::env::var(var)
                && !v.is_empty()
            {
                return if v.to_ascii_lowercase().starts_with("nl") {
                    Lang::Nl
                } else {
                    Lang::En
                };
            }
        }
        Lang::En
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}

/// The catalog files, one pair per part of the program, so that parts can grow their strings
/// without touching each other's files. Keys are prefixed by their TOML tables.
const NL: &[(&str, &str)] = &[
    ("nl/core.toml", include_str!("catalog/nl/core.toml")),
    ("nl/actions.toml", include_str!("catalog/nl/actions.toml")),
    ("nl/form.toml", include_str!("catalog/nl/form.toml")),
    ("nl/ui.toml", include_str!("catalog/nl/ui.toml")),
    ("nl/staff.toml", include_str!("catalog/nl/staff.toml")),
    ("nl/report.toml", include_str!("catalog/nl/report.toml")),
    (
        "nl/trajectory.toml",
        include_str!("catalog/nl/trajectory.toml"),
    ),
    ("nl/target.toml", include_str!("catalog/nl/target.toml")),
    ("nl/thanks.toml", include_str!("catalog/nl/thanks.toml")),
    ("nl/access.toml", include_str!("catalog/nl/access.toml")),
    (
        "nl/privacy_access.toml",
        include_str!("catalog/nl/privacy_access.toml"),
    ),
    (
        "nl/retention.toml",
        include_str!("catalog/nl/retention.toml"),
    ),
    ("nl/erase.toml", include_str!("catalog/nl/erase.toml")),
    ("nl/reserve.toml", include_str!("catalog/nl/reserve.toml")),
];
const EN: &[(&str, &str)] = &[
    ("en/core.toml", include_str!("catalog/en/core.toml")),
    ("en/actions.toml", include_str!("catalog/en/actions.toml")),
    ("en/form.toml", include_str!("catalog/en/form.toml")),
    ("en/ui.toml", include_str!("catalog/en/ui.toml")),
    ("en/staff.toml", include_str!("catalog/en/staff.toml")),
    ("en/report.toml", include_str!("catalog/en/report.toml")),
    (
        "en/trajectory.toml",
        include_str!("catalog/en/trajectory.toml"),
    ),
    ("en/target.toml", include_str!("catalog/en/target.toml")),
    ("en/thanks.toml", include_str!("catalog/en/thanks.toml")),
    ("en/access.toml", include_str!("catalog/en/access.toml")),
    (
        "en/privacy_access.toml",
        include_str!("catalog/en/privacy_access.toml"),
    ),
    (
        "en/retention.toml",
        include_str!("catalog/en/retention.toml"),
    ),
    ("en/erase.toml", include_str!("catalog/en/erase.toml")),
    ("en/reserve.toml", include_str!("catalog/en/reserve.toml")),
];

type Catalog = HashMap<String, String>;

fn parse_catalog(files: &[(&str, &str)]) -> Catalog {
    let mut out = HashMap::new();
    for (_, src) in files {
        // The catalogs are part of the binary and a test checks that they parse; an
        // unparsable file can only come from a broken build, and then shows keys instead.
        let table: toml::Table = src.parse().unwrap_or_default();
        flatten("", &table, &mut out);
    }
    out
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut Catalog) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::Table(t) => flatten(&key, t, out),
            toml::Value::String(s) => {
                out.insert(key, s.clone());
            }
            other => {
                out.insert(key, other.to_string());
            }
        }
    }
}

fn catalog(lang: Lang) -> &'static Catalog {
    static NL_CAT: OnceLock<Catalog> = OnceLock::new();
    static EN_CAT: OnceLock<Catalog> = OnceLock::new();
    match lang {
        Lang::Nl => NL_CAT.get_or_init(|| parse_catalog(NL)),
        Lang::En => EN_CAT.get_or_init(|| parse_catalog(EN)),
    }
}

/// The text of `key`, or the key itself when no catalog has it.
pub fn t(lang: Lang, key: &str) -> &str {
    catalog(lang).get(key).map(String::as_str).unwrap_or(key)
}

/// The text of `key` with `{name}` parameters filled in.
pub fn tf(lang: Lang, key: &str, params: &[(&str, String)]) -> String {
    let mut s = t(lang, key).to_string();
    for (name, value) in params {
        s = s.replace(&format!("{{{name}}}"), value);
    }
    s
}

/// A whole number with the language's thousands separator: `12.345` in Dutch, `12,345` in
/// English.
pub fn fmt_count(lang: Lang, n: u64) -> String {
    let digits = n.to_string();
    let sep = if lang == Lang::Nl { '.' } else { ',' };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

/// An amount of disk space for people: `67 MB`, `3.5 MB` (`3,5 MB` in Dutch), in megabytes
/// of a million bytes.
pub fn size_text(lang: Lang, bytes: u64) -> String {
    let mb = bytes as f64 / 1_000_000.0;
    let text = if mb >= 10.0 {
        format!("{mb:.0}")
    } else {
        format!("{mb:.1}")
    };
    let text = match lang {
        Lang::Nl => text.replace('.', ","),
        Lang::En => text,
    };
    format!("{text} MB")
}

/// A duration for people, in seconds with one decimal: `1.3 s` (`1,3 s` in Dutch).
pub fn seconds_text(lang: Lang, d: std::time::Duration) -> String {
    let text = format!("{:.1}", d.as_secs_f64());
    let text = match lang {
        Lang::Nl => text.replace('.', ","),
        Lang::En => text,
    };
    format!("{text} s")
}

/// Label of a form field.
pub fn field_label(lang: Lang, field: Field) -> &'static str {
    let key = format!("field.{}", field.key());
    match catalog(lang).get(&key) {
        Some(s) => s.as_str(),
        None => field.key(),
    }
}

/// The sentence for a validation problem.
pub fn problem_text(lang: Lang, problem: &Problem) -> String {
    match problem {
        // The phases by their names, not their keys.
        Problem::PhaseJump { from, to } => tf(
            lang,
            problem.key(),
            &[
                ("from", t(lang, &format!("phase.{from}")).to_string()),
                ("to", t(lang, &format!("phase.{to}")).to_string()),
            ],
        ),
        _ => tf(lang, problem.key(), &problem.params()),
    }
}

/// `"Postcode: write it as 1234 AB."`
pub fn field_error_text(lang: Lang, e: &crate::domain::FieldError) -> String {
    format!(
        "{}: {}",
        field_label(lang, e.field),
        problem_text(lang, &e.problem)
    )
}

/// Every key of a catalog (for tests).
pub fn keys(lang: Lang) -> Vec<&'static str> {
    let mut keys: Vec<&str> = catalog(lang).keys().map(String::as_str).collect();
    keys.sort_unstable();
    keys
}

/// The raw catalog sources, for tests that must see parse errors.
pub fn sources() -> Vec<(&'static str, &'static str)> {
    NL.iter().chain(EN.iter()).copied().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogs_parse() {
        for (name, src) in sources() {
            src.parse::<toml::Table>()
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    #[test]
    fn catalogs_have_the_same_keys() {
        let nl = keys(Lang::Nl);
        let en = keys(Lang::En);
        let only_nl: Vec<_> = nl.iter().filter(|k| !en.contains(k)).collect();
        let only_en: Vec<_> = en.iter().filter(|k| !nl.contains(k)).collect();
        assert!(
            only_nl.is_empty() && only_en.is_empty(),
            "only in nl: {only_nl:?}; only in en: {only_en:?}"
        );
        assert!(nl.len() > 50);
    }

    #[test]
    fn every_field_and_problem_has_text_in_both_languages() {
        let problems = [
            Problem::Required,
            Problem::TooLong { max: 1 },
            Problem::DateFormat,
            Problem::DateInvalid,
            Problem::DateInFuture,
            Problem::DateTooOld,
            Problem::TooYoung { min: 1 },
            Problem::Postcode,
            Problem::UnknownMunicipality,
            Problem::Phone,
            Problem::Email,
            Problem::Range { min: 0, max: 1 },
            Problem::Number,
            Problem::ConsentMissing,
            Problem::ContactRequired,
            Problem::VogDate,
            Problem::VogOrder,
            Problem::Transition {
                from: "a".into(),
                to: "b".into(),
            },
            Problem::ControlCharacter,
            Problem::UnknownChoice { value: "x".into() },
            Problem::Website,
            Problem::ContactPersonName { line: 2 },
            Problem::ContactPersonPhone { line: 2 },
            Problem::ContactPersonEmail { line: 2 },
            Problem::ContactPersonParts { line: 2 },
            Problem::UnknownOrganisation,
            Problem::EndBeforeStart,
            Problem::FollowUpBeforeContact,
            Problem::VogMissing,
            Problem::VacancyNotOpen,
            Problem::LoginName,
            Problem::SshKey,
            Problem::LoginTaken,
            Problem::UnknownAccount { login: "x".into() },
            Problem::LastAdmin,
            Problem::UnknownKey,
            Problem::KeyInUse { login: "x".into() },
            Problem::TrajectoryClosed,
            Problem::BeforeStart,
            Problem::UnknownGoal,
            Problem::CloseWithOutcome,
            Problem::SameConsultant,
            Problem::NotMas,
            Problem::HoursOverDay {
                already: "2".into(),
            },
            Problem::Hours,
            Problem::NextBeforeMeeting,
            Problem::DateTooFar,
            Problem::UnknownConsultant,
            Problem::InactiveConsultant,
            Problem::ReasonGoingBack,
            Problem::PhaseJump {
                from: "plan".into(),
                to: "intake".into(),
            },
            Problem::HeldInFuture,
            Problem::TargetsExist,
        ];
        for lang in [Lang::Nl, Lang::En] {
            for &f in Field::ALL {
                assert_ne!(field_label(lang, f), f.key(), "{lang:?} field {f:?}");
            }
            for p in &problems {
                let text = problem_text(lang, p);
                assert_ne!(text, p.key(), "{lang:?} {p:?}");
                assert!(!text.contains('{'), "unfilled parameter in {text}");
            }
        }
    }

    /// Words staff trip over stay out: no "(s)"/"(en)" plurals, no "de centrale" on its own
    /// (a telephone exchange), no "promoten", one name for the audit log, and no Dutch
    /// target-group words in English.
    #[test]
    fn catalogs_speak_naturally() {
        for lang in [Lang::Nl, Lang::En] {
            for (key, text) in catalog(lang) {
                let lower = text.to_lowercase();
                for bad in ["(s)", "(en)", "veld(en)", "probleem/problemen", "promoten"] {
                    assert!(!lower.contains(bad), "{lang:?} {key}: {text}");
                }
                assert!(
                    !lower.contains("de centrale") && !lower.contains("deze centrale"),
                    "{key}: {text}"
                );
                for other in ["auditlog", "auditspoor", "audit trail"] {
                    assert!(!lower.contains(other), "{lang:?} {key}: {text}");
                }
            }
        }
        for key in [
            "target_group.jongere",
            "target_group.senior",
            "target_group.kwetsbaar",
            "field.vulnerable",
        ] {
            let en = t(Lang::En, key).to_lowercase();
            for dutch in ["jongere", "kwetsbaar", "senioren"] {
                assert!(!en.contains(dutch), "{key}: {en}");
            }
        }
        assert_eq!(t(Lang::Nl, "status.being_matched"), "In bemiddeling");
        assert_eq!(t(Lang::Nl, "field.found_via"), "Aangemeld via");
    }

    #[test]
    fn language_from_names() {
        assert_eq!(Lang::parse("nl_NL.UTF-8"), Some(Lang::Nl));
        assert_eq!(Lang::parse("en"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
