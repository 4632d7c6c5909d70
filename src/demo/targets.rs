//! Demo targets: for every municipality with people in the demo, this year's and last year's
//! targets, drawn around what the demo data itself holds — last year's around what it
//! reached, this year's around the pace so far — so that the gauges show some municipalities
//! ahead and some behind. Deterministic for a seed; every one passes [`Target::problems`].

use crate::domain::draft::Keyed;
use crate::domain::target::{MAX_TARGET, Measure, Target};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::BTreeMap;
use time::Date;

/// What the demo data holds per year and municipality, in the order of [`Measure::ALL`].
#[derive(Debug, Default)]
pub struct Tally(BTreeMap<(i32, String), [u32; 5]>);

impl Tally {
    /// Counts one event of `m` on `day` in `municipality`.
    pub fn add(&mut self, day: Date, municipality: &str, m: Measure) {
        let i = Measure::ALL.iter().position(|x| *x == m).unwrap_or(0);
        self.0
            .entry((day.year(), municipality.to_string()))
            .or_default()[i] += 1;
    }
}

/// A round figure near `n`: to fives, tens above a hundred, fifties above a thousand.
fn round(n: f64) -> u32 {
    let step = if n >= 1000.0 {
        50.0
    } else if n >= 100.0 {
        10.0
    } else {
        5.0
    };
    ((n / step).round() * step).clamp(0.0, f64::from(MAX_TARGET)) as u32
}

/// The targets of this year and last year for each municipality with intakes in the tally.
pub fn targets(tally: &Tally, seed: u64, today: Date) -> Vec<Target> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x7a46_6574);
    let year = today.year();
    let days = f64::from(time::util::days_in_year(year));
    let pace = days / f64::from(today.ordinal());
    let mut out = Vec::new();
    for ((y, municipality), counts) in &tally.0 {
        let this_year = *y == year;
        if (*y != year - 1 && !this_year) || counts[0] == 0 {
            continue;
        }
        let mut goal = |i: usize| -> Option<u32> {
            let reached = f64::from(counts[i]);
            if reached == 0.0 {
                return None;
            }
            let base = if this_year { reached * pace } else { reached };
            Some(round(base * rng.random_range(0.8..1.15)).max(5))
        };
        out.push(Target {
            year: *y,
            municipality: municipality.clone(),
            intakes: goal(0),
            placements: goal(1),
            trajectories: goal(2),
            mas_pupils: goal(3),
            contacts: goal(4),
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn targets_follow_the_demo_pace_and_leave_unknown_measures_unset() {
        let today = date!(2026 - 07 - 02);
        let mut tally = Tally::default();
        for _ in 0..100 {
            tally.add(date!(2026 - 03 - 01), "Dordrecht", Measure::Intakes);
            tally.add(date!(2025 - 03 - 01), "Dordrecht", Measure::Intakes);
        }
        tally.add(date!(2024 - 03 - 01), "Dordrecht", Measure::Intakes);
        let t = targets(&tally, 7, today);
        assert_eq!(t.len(), 2, "last year and this year, not 2024: {t:?}");
        let this = t.iter().find(|t| t.year == 2026).unwrap();
        // Halfway through the year with 100: about 200 for the year, give or take a fifth.
        let intakes = this.intakes.unwrap();
        assert!((155..=235).contains(&intakes), "{intakes}");
        assert_eq!(this.placements, None);
        assert_eq!(targets(&tally, 7, today), t, "the same for the same seed");
    }
}
