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

/// A set of interests as bits (bit `i` is `Interest::ALL[i]`): cheap to keep per row and to
/// test.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Interests(pub u8);

impl Interests {
    pub fn of(list: &[Interest]) -> Interests {
        Interests(
            Interest::ALL
                .iter()
                .enumerate()
                .filter(|(_, x)| list.contains(x))
                .fold(0, |bits, (i, _)| bits | (1 << i)),
        )
    }

    pub fn contains(self, i: Interest) -> bool {
        Interest::ALL
            .iter()
            .position(|x| *x == i)
            .is_some_and(|n| self.0 & (1 << n) != 0)
    }
}

/// What the matching reads of a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Person<'a> {
    pub interests: Interests,
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

/// Scores `p` for `o` on `today`, with the reasons.
pub fn score(p: &Person<'_>, o: &Offer<'_>, w: &Weights, today: Date) -> Match {
    let mut reasons = Vec::with_capacity(6);
    let (score, excluded) = weigh(p, o, w, today, |c, f| reasons.push((c, f)));
    Match {
        score,
        reasons,
        excluded,
    }
}

/// The score of `p` for `o` and whether something rules them out, without the reasons:
/// what ranking many candidates needs ([`rank_top`]).
pub fn points(p: &Person<'_>, o: &Offer<'_>, w: &Weights, today: Date) -> (u32, bool) {
    weigh(p, o, w, today, |_, _| {})
}

/// Weighs every criterion, telling `reason` how each came out.
fn weigh(
    p: &Person<'_>,
    o: &Offer<'_>,
    w: &Weights,
    today: Date,
    mut reason: impl FnMut(Criterion, Fit),
) -> (u32, bool) {
    let mut score = 0;
    let mut excluded = false;
    if p.interests.contains(o.sector) {
        score += w.sector;
        reason(Criterion::Sector, Fit::Yes);
    } else {
        reason(Criterion::Sector, Fit::No);
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
        reason(Criterion::Availability, fit);
    }
    if p.municipality == o.municipality {
        score += w.municipality;
        reason(Criterion::Municipality, Fit::Yes);
    } else {
        reason(Criterion::Municipality, Fit::No);
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
        reason(Criterion::Vog, fit);
    }
    if o.min_age > 0 {
        if age_on(p.birth_date, today) >= i32::from(o.min_age) {
            reason(Criterion::MinimumAge, Fit::Yes);
        } else {
            excluded = true;
            reason(Criterion::MinimumAge, Fit::No);
        }
    }
    if o.hours_per_week > 0 && p.hours_per_week > 0 {
        if p.hours_per_week >= o.hours_per_week {
            score += w.hours;
            reason(Criterion::Hours, Fit::Yes);
        } else {
            reason(Criterion::Hours, Fit::No);
        }
    }
    (score, excluded)
}

/// The best `limit` candidates of `scored` (candidate, score, excluded) in rank order: those
/// not excluded first, then higher score, then `key`. Candidates past `limit` are dropped
/// without a full sort.
pub fn rank_top<T, K: Ord>(
    mut scored: Vec<(T, u32, bool)>,
    limit: usize,
    key: impl Fn(&T) -> K,
) -> Vec<(T, u32, bool)> {
    let order = |a: &(T, u32, bool), b: &(T, u32, bool)| {
        a.2.cmp(&b.2)
            .then(b.1.cmp(&a.1))
            .then_with(|| key(&a.0).cmp(&key(&b.0)))
    };
    if limit == 0 {
        return Vec::new();
    }
    if scored.len() > limit {
        scored.select_nth_unstable_by(limit - 1, order);
        scored.truncate(limit);
    }
    scored.sort_by(order);
    scored
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
            interests: Interests::of(&[Interest::Care, Interest::Culture]),
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
    fn rank_top_keeps_the_best_in_order_and_points_agree_with_score() {
        let w = Weights::default();
        let offers = [
            buddy(),
            Offer {
                municipality: "Gorinchem",
                ..buddy()
            },
            Offer {
                sector: Interest::Sport,
                ..buddy()
            },
        ];
        let young = Person {
            birth_date: date!(2012 - 01 - 01),
            ..anouk()
        };
        let mut scored = Vec::new();
        for (i, o) in offers.iter().enumerate() {
            for (j, p) in [anouk(), young].iter().enumerate() {
                let (s, x) = points(p, o, &w, TODAY);
                let full = score(p, o, &w, TODAY);
                assert_eq!((s, x), (full.score, full.excluded));
                scored.push(((i, j), s, x));
            }
        }
        let all = rank_top(scored.clone(), usize::MAX, |k| *k);
        let top = rank_top(scored, 3, |k| *k);
        assert_eq!(top, all[..3].to_vec());
        assert!(all[..3].iter().all(|(_, _, x)| !x));
        assert!(
            all.windows(2)
                .all(|p| (!p[0].2 && p[1].2) || (p[0].2 == p[1].2 && p[0].1 >= p[1].1))
        );
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
