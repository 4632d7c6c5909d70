//! Who to thank (4 Verbreiden › Waardering), worked out from the rows the model keeps:
//! people whose placement reaches 1, 5 or 10 years within a month either side of today
//! (still placed), and pupils whose maatschappelijke stage has all its hours — with, for each,
//! whether and when the thank-you was logged (an appreciation activity that says who and why).

use super::ReadModel;
use crate::domain::activity::{ANNIVERSARIES, Thanks, anniversary};
use crate::domain::placement::PlacementStatus;
use crate::domain::trajectory::{Phase, TrajectoryKind};
use std::collections::HashMap;
use time::{Date, Duration};

/// How far before and after today an anniversary is shown.
pub const WINDOW_DAYS: i64 = 30;

/// One person to thank.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThankRow {
    pub thanks: Thanks,
    /// The person's filed name.
    pub name: String,
    /// Where: the organisation of the placement, or who referred the pupil (the school).
    pub place: String,
    /// The anniversary, or today for a MaS pupil whose hours are done.
    pub due: Date,
    /// When the thank-you was logged, if it was, and the activity that says so.
    pub thanked: Option<(Date, u64)>,
}

impl ReadModel {
    /// Everyone to thank around `today`: not yet thanked first, then by date and name.
    pub fn to_thank(&self, today: Date) -> Vec<ThankRow> {
        let thanked: HashMap<Thanks, (Date, u64)> = self
            .activities()
            .iter()
            .filter_map(|a| a.thanks.map(|t| (t, (a.date, a.id))))
            .collect();
        let from = today - Duration::days(WINDOW_DAYS);
        let to = today + Duration::days(WINDOW_DAYS);
        let mut out = Vec::new();
        for p in self.placements().iter() {
            let Some(start) = p.placed_on else {
                continue;
            };
            if p.status != PlacementStatus::Placed || p.ended_on.is_some() {
                continue;
            }
            for years in ANNIVERSARIES {
                let due = anniversary(start, years);
                if from <= due && due <= to {
                    let thanks = Thanks::PlacementYears {
                        person: p.volunteer,
                        placement: p.id,
                        years,
                    };
                    out.push(ThankRow {
                        thanks,
                        name: p.volunteer_name.clone(),
                        place: p.organisation_name.clone(),
                        due,
                        thanked: thanked.get(&thanks).copied(),
                    });
                }
            }
        }
        for t in self.trajectories().iter() {
            let done = t.kind == TrajectoryKind::Mas
                && t.mas_required > 0
                && t.mas_minutes >= t.mas_required.saturating_mul(60);
            if !done || t.phase == Phase::Afgesloten {
                continue;
            }
            let thanks = Thanks::MasHours {
                person: t.person,
                trajectory: t.id,
            };
            out.push(ThankRow {
                thanks,
                name: t.person_name.clone(),
                place: t.referrer.clone(),
                due: today,
                thanked: thanked.get(&thanks).copied(),
            });
        }
        out.sort_by(|a, b| {
            (a.thanked.is_some(), a.due, &a.name).cmp(&(b.thanked.is_some(), b.due, &b.name))
        });
        out
    }
}
