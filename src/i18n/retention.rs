//! Retention periods and reasons in words (`koppel privacy review`, 5 Verankeren › Beheer).

use super::{Lang, t, tf};
use crate::domain::format_date;
use crate::domain::retention::{Periods, Reason};
use crate::service::Kind;

/// "2 jaar", "1 year".
pub fn years(lang: Lang, years: u8) -> String {
    if years == 1 {
        t(lang, "retention.years_one").to_string()
    } else {
        tf(
            lang,
            "retention.years_many",
            &[("count", years.to_string())],
        )
    }
}

/// Why a record is past its period: "inactief sinds 01-05-2023 (intake), termijn 2 jaar".
pub fn reason(lang: Lang, r: Reason) -> String {
    let (key, mut params) = match r {
        Reason::Inactive { since, last, .. } => (
            "retention.reason_inactive",
            vec![
                ("date", format_date(since)),
                (
                    "last",
                    t(lang, &format!("retention.last_{}", last.key())).to_string(),
                ),
            ],
        ),
        Reason::Closed { on, .. } => ("retention.reason_closed", vec![("date", format_date(on))]),
        Reason::Dated { on, .. } => ("retention.reason_dated", vec![("date", format_date(on))]),
    };
    params.push(("years", years(lang, r.years())));
    tf(lang, key, &params)
}

/// The reason without the period, for a screen that says the periods above its list:
/// "inactief sinds 01-05-2023 (intake)".
pub fn reason_short(lang: Lang, r: Reason) -> String {
    match r {
        Reason::Inactive { since, last, .. } => tf(
            lang,
            "retention.short_inactive",
            &[
                ("date", format_date(since)),
                (
                    "last",
                    t(lang, &format!("retention.last_{}", last.key())).to_string(),
                ),
            ],
        ),
        Reason::Closed { on, .. } => {
            tf(lang, "retention.short_closed", &[("date", format_date(on))])
        }
        Reason::Dated { on, .. } => tf(lang, "retention.short_dated", &[("date", format_date(on))]),
    }
}

/// The kind of a listed record: "persoon", "traject", "contact".
pub fn kind(lang: Lang, kind: Kind) -> String {
    let key = match kind {
        Kind::Volunteer => "retention.kind_person",
        Kind::Trajectory => "retention.kind_trajectory",
        _ => "retention.kind_contact",
    };
    t(lang, key).to_string()
}

/// The periods as parameters of a sentence (`people`, `trajectories`, `contacts`).
pub fn period_params(lang: Lang, p: Periods) -> Vec<(&'static str, String)> {
    vec![
        ("people", years(lang, p.people_years)),
        ("trajectories", years(lang, p.trajectories_years)),
        ("contacts", years(lang, p.contacts_years)),
    ]
}
