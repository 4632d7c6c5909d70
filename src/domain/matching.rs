//! Matching: how well a volunteer fits a vacancy, as a score with the reasons — what fits and
//! what does not — per criterion. The same scoring ranks the open vacancies for a person and
//! the people for a vacancy. The weights are configuration ([`Weights`]).

use super::dates::age_on;
use super::volunteer::{Availability, Interest, Vog};
use serde::{Deserialize, Serialize};
use time::Date;

/// How long a received VOG counts as valid, in years.
pub const VOG_VALID_YEARS: i32 = 3;

/// Whether `vog` is valid on `today`: received, and not more than three years ago (on the
/// day three years after, it still counts).
pub fn vog_valid(vog: Vog, today: Date) -> bool {
    match vog {
        Vog::Received { received, .. } if received <= today => {
            let years = age_on(received, today);
            years < VOG_VALID_YEARS
                || (years == VOG_VALID_YEARS
                    && (today.month(), today.day()) == (received.month(), received.day()))
        }
        _ => false,
    }
}

/// How much each criterion counts. Read from the `[matching]` table of the configuration
/// file; every weight has a default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Weights {
    /// The vacancy's sector is among the person's interests.
    pub sector: u32,
    /// The person is available in at least one of the vacancy's dayparts (per shared slot,
    /// up to four).
    pub availability: u32,
    /// The work is in the person's municipality.
    pub municipality: u32,
    /// The vacancy needs a VOG and the person has a valid one.
    pub vog: u32,
    /// The person can give the hours the vacancy asks.
    pub hours: u32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            sector: 40,
            availability: 8,
            municipality: 20,
            vog: 10,
            hours: 10,
        }
    }
}

/// A criterion of the match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Criterion {
    Sector,
    Availability,
    Municipality,
    Vog,
    MinimumAge,
    Hours,
}

impl Criterion {
    pub fn key(self) -> &'static str {
        match self {
            Criterion::Sector => "sector",
            Criterion::Availability => "availability",
            Criterion::Municipality => "municipality",
            Criterion::Vog => "vog",
            Criterion::MinimumAge => "minimum_age",
            Criterion::Hours => "hours",
        }
    }
}

/// How a criterion came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fit {
    /// It fits.
    Yes,
    /// Partly (a VOG requested but not received yet, a few shared dayparts).
    Partly,
    /// It does not fit.
    No,
}

/// What the matching reads of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Person<'a> {
    pub interests: &'a [Interest],
    pub availability: Availability,
    pub municipality: &'a str,
    pub vog: Vog,
    pub birth_date: Date,
    /// 0 when not said.
    pub hours_per_week: u8,
}

/// What the matching reads of a vacancy.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Offer<'a> {
    pub sector: Interest,
    pub dayparts: Availability,
    pub municipality: &'a str,
    pub vog_required: bool,
    pub min_age: u8,
    /// 0 when not said.
    pub hours_per_week: u8,
}

/// The score of a person for a vacancy and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub score: u32,
    /// Every criterion that applies, in [`Criterion`] order.
    pub reasons: Vec<(Criterion, Fit)>,
    /// Something rules the person out (too young): ranked after everyone who is not.
    pub excluded: bool,
}

/// Scores `p` for `o` on `today`.
pub fn score(p: &Person<'_>, o: &Offer<'_>, w: &Weights, today: Date) -> Match {
    let mut score = 0;
    let mut reasons = Vec::with_capacity(6);
    let mut excluded = false;
    if p.interests.contains(&o.sector) {
        score += w.sector;
        reasons.push((Criterion::Sector, Fit::Yes));
    } else {
        reasons.push((Criterion::Sector, Fit::No));
    }
    if o.dayparts.count() > 0 {
        let shared = Availability(p.availability.0 & o.dayparts.0).count();
        score += w.availability * shared.min(4);
        let fit = if shared == 0 {
            Fit::No
        } else if shared >= o.dayparts.count() {
            Fit::Yes
        } else {
            Fit::Partly
        };
        reasons.push((Criterion::Availability, fit));
    }
    if p.municipality == o.municipality {
        score += w.municipality;
        reasons.push((Criterion::Municipality, Fit::Yes));
    } else {
        reasons.push((Criterion::Municipality, Fit::No));
    }
    if o.vog_required {
        let fit = if vog_valid(p.vog, today) {
            score += w.vog;
            Fit::Yes
        } else if matches!(p.vog, Vog::Requested { .. }) {
            Fit::Partly
        } else {
            Fit::No
        };
        reasons.push((Criterion::Vog, fit));
    }
    if o.min_age > 0 {
        if age_on(p.birth_date, today) >= i32::from(o.min_age) {
            reasons.push((Criterion::MinimumAge, Fit::Yes));
        } else {
            excluded = true;
            reasons.push((Criterion::MinimumAge, Fit::No));
        }
    }
    if o.hours_per_week > 0 && p.hours_per_week > 0 {
        if p.hours_per_week >= o.hours_per_week {
            score += w.hours;
            reasons.push((Criterion::Hours, Fit::Yes));
        } else {
            reasons.push((Criterion::Hours, Fit::No));
        }
    }
    Match {
        score,
        reasons,
        excluded,
    }
}

/// Ranks candidates by their match, best first: those not excluded before those excluded,
/// then higher score, then the caller's order (`key`, e.g. the id) for a stable list.
pub fn rank<T, K: Ord>(mut scored: Vec<(T, Match)>, key: impl Fn(&T) -> K) -> Vec<(T, Match)> {
    scored.sort_by(|(a, ma), (b, mb)| {
        ma.excluded
            .cmp(&mb.excluded)
            .then(mb.score.cmp(&ma.score))
            .then_with(|| key(a).cmp(&key(b)))
    });
    scored
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::volunteer::Daypart;
    use time::macros::date;

    const TODAY: Date = date!(2026 - 11 - 27);

    fn slots(list: &[(usize, Daypart)]) -> Availability {
        let mut a = Availability::default();
        for &(d, p) in list {
            a.set(d, p, true);
        }
        a
    }

    fn anouk() -> Person<'static> {
        Person {
            interests: &[Interest::Care, Interest::Culture],
            availability: slots(&[(0, Daypart::Morning), (2, Daypart::Afternoon)]),
            municipality: "Dordrecht",
            vog: Vog::Received {
                requested: None,
                received: date!(2025 - 01 - 10),
            },
            birth_date: date!(2001 - 04 - 05),
            hours_per_week: 6,
        }
    }

    fn buddy() -> Offer<'static> {
        Offer {
            sector: Interest::Care,
            dayparts: slots(&[(2, Daypart::Afternoon)]),
            municipality: "Dordrecht",
            vog_required: true,
            min_age: 18,
            hours_per_week: 3,
        }
    }

    #[test]
    fn a_person_who_fits_everything_gets_every_weight_and_every_reason_says_yes() {
        let w = Weights::default();
        let m = score(&anouk(), &buddy(), &w, TODAY);
        assert_eq!(
            m.score,
            w.sector + w.availability + w.municipality + w.vog + w.hours
        );
        assert!(!m.excluded);
        assert_eq!(
            m.reasons,
            vec![
                (Criterion::Sector, Fit::Yes),
                (Criterion::Availability, Fit::Yes),
                (Criterion::Municipality, Fit::Yes),
                (Criterion::Vog, Fit::Yes),
                (Criterion::MinimumAge, Fit::Yes),
                (Criterion::Hours, Fit::Yes),
            ]
        );
    }

    #[test]
    fn each_mismatch_costs_its_weight_and_says_why() {
        let w = Weights::default();
        let full = score(&anouk(), &buddy(), &w, TODAY).score;
        let elsewhere = Offer {
            municipality: "Gorinchem",
            ..buddy()
        };
        let m = score(&anouk(), &elsewhere, &w, TODAY);
        assert_eq!(m.score, full - w.municipality);
        assert!(m.reasons.contains(&(Criterion::Municipality, Fit::No)));
        let sport = Offer {
            sector: Interest::Sport,
            ..buddy()
        };
        assert_eq!(score(&anouk(), &sport, &w, TODAY).score, full - w.sector);
        let evening = Offer {
            dayparts: slots(&[(4, Daypart::Evening)]),
            ..buddy()
        };
        let m = score(&anouk(), &evening, &w, TODAY);
        assert_eq!(m.score, full - w.availability);
        assert!(m.reasons.contains(&(Criterion::Availability, Fit::No)));
        let long = Offer {
            hours_per_week: 10,
            ..buddy()
        };
        assert!(
            score(&anouk(), &long, &w, TODAY)
                .reasons
                .contains(&(Criterion::Hours, Fit::No))
        );
    }

    #[test]
    fn too_young_is_excluded_and_ranked_last_whatever_the_score() {
        let w = Weights::default();
        let young = Person {
            birth_date: date!(2012 - 01 - 01),
            ..anouk()
        };
        let m = score(&young, &buddy(), &w, TODAY);
        assert!(m.excluded);
        assert!(m.reasons.contains(&(Criterion::MinimumAge, Fit::No)));
        let other = Offer {
            municipality: "Gorinchem",
            sector: Interest::Sport,
            ..buddy()
        };
        let low = score(&anouk(), &other, &w, TODAY);
        assert!(low.score < m.score);
        let ranked = rank(vec![(1, m), (2, low)], |id| *id);
        assert_eq!(ranked.iter().map(|(id, _)| *id).collect::<Vec<_>>(), [2, 1]);
    }

    #[test]
    fn the_vog_rule_a_received_vog_is_valid_for_three_years() {
        let received = |d| Vog::Received {
            requested: None,
            received: d,
        };
        assert!(vog_valid(received(date!(2023 - 11 - 28)), TODAY));
        assert!(vog_valid(received(date!(2023 - 11 - 27)), TODAY));
        assert!(!vog_valid(received(date!(2023 - 11 - 26)), TODAY));
        assert!(!vog_valid(received(date!(2020 - 01 - 01)), TODAY));
        assert!(!vog_valid(Vog::Needed, TODAY));
        assert!(!vog_valid(
            Vog::Requested {
                requested: date!(2026 - 11 - 01)
            },
            TODAY
        ));
        // A requested VOG fits partly.
        let p = Person {
            vog: Vog::Requested {
                requested: date!(2026 - 11 - 01),
            },
            ..anouk()
        };
        let m = score(&p, &buddy(), &Weights::default(), TODAY);
        assert!(m.reasons.contains(&(Criterion::Vog, Fit::Partly)));
    }

    #[test]
    fn equal_scores_keep_the_callers_order() {
        let w = Weights::default();
        let a = score(&anouk(), &buddy(), &w, TODAY);
        let ranked = rank(vec![(3, a.clone()), (1, a.clone()), (2, a)], |id| *id);
        assert_eq!(
            ranked.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
            [1, 2, 3]
        );
    }
}
