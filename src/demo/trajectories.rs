//! Demo trajectories, consistent with the demo volunteers: about one person in five has one,
//! started over the last two years, with its history built through the domain's own
//! operations (so every one passes [`Trajectory::problems`]): phases, progress meetings every
//! three to five weeks with the next one due six weeks on, ladder steps, goals, some handed over to another
//! consultant, some closed with an outcome and end step, and maatschappelijke stages for the
//! young with their hours. Some ongoing ones have an overdue meeting. Deterministic for a
//! seed.

use super::{chance, pick, weighted};
use crate::domain::dates::age_on;
use crate::domain::staff::{Role, StaffAccount};
use crate::domain::trajectory::{
    Closing, HoursLogged, LadderStep, Meeting, Outcome, Phase, Start, Trajectory, TrajectoryKind,
    TrajectorySettings,
};
use crate::domain::volunteer::Volunteer;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use time::{Date, Duration};

/// Consultants (login, display name) added beside the demo staff, so that the demo's
/// trajectories make caseloads of a realistic size.
const CONSULTANTS: &[(&str, &str)] = &[
    ("anouk", "Anouk de Vries"),
    ("bram", "Bram Visser"),
    ("joost", "Joost van Dijk"),
    ("lisa", "Lisa Bakker"),
    ("mehmet", "Mehmet Yilmaz"),
    ("sanne", "Sanne Mulder"),
    ("wim", "Wim de Groot"),
];

/// The extra consultants' accounts.
pub fn consultant_accounts() -> Vec<StaffAccount> {
    CONSULTANTS
        .iter()
        .filter_map(|(login, name)| StaffAccount::new(login, name, Role::Consultant, &[]).ok())
        .collect()
}

const SUMMARIES: [&str; 12] = [
    "Gaat goed; heeft het naar zijn zin bij de activiteit.",
    "Was twee keer niet op de afspraak; samen naar de oorzaak gekeken.",
    "Voelt zich zekerder, durft nu zelf te bellen.",
    "Heeft meegedraaid bij de voedselbank, wil dat vaker.",
    "Moeite met de dagstructuur; afspraken over opstaan gemaakt.",
    "Klantmanager schoof aan; voortgang besproken.",
    "Wil graag een cursus Nederlands volgen.",
    "Heeft een proefdag gehad bij de kringloopwinkel.",
    "Gezondheid speelt op; tempo iets teruggeschroefd.",
    "Zelfstandig met de bus naar de activiteit gereisd.",
    "Evaluatie van het plan; doelen bijgesteld.",
    "Positief over de begeleiding van de vrijwilligerscoördinator.",
];

const ACTIONS: [&str; 6] = [
    "",
    "Volgende keer het cv samen bijwerken.",
    "Contact opnemen met de organisatie over meer uren.",
    "Zelf een activiteit uitzoeken in de wijk.",
    "Klantmanager op de hoogte brengen.",
    "",
];

const GOALS: [&str; 8] = [
    "Twee dagdelen per week vrijwilligerswerk doen",
    "Zelfstandig met het openbaar vervoer reizen",
    "Een vaste dagstructuur opbouwen",
    "Nieuwe mensen leren kennen in de wijk",
    "Werkervaring opdoen in de zorg",
    "Nederlands oefenen in de praktijk",
    "Een sollicitatiebrief schrijven",
    "Deelnemen aan een training van het vrijwilligerscentrum",
];

const REFERRERS: [(&str, &str); 6] = [
    ("Sociaal Wijkteam", "Marieke Dekker"),
    ("Sociale Dienst Drechtsteden", "Ahmed Bouali"),
    ("UWV", "Linda Koster"),
    ("Huisartsenpraktijk", "Dr. Peter Smit"),
    ("GGZ Breburg", "Yvonne de Lange"),
    ("Stichting MEE", "Karin Verhoef"),
];

const SCHOOLS: [&str; 5] = [
    "Johan de Witt-gymnasium",
    "Da Vinci College",
    "Insula College",
    "Gomarus College",
    "Walburg College",
];

const OUTCOMES: [(Outcome, u32); 7] = [
    (Outcome::PaidWork, 12),
    (Outcome::Education, 10),
    (Outcome::IndependentVolunteering, 30),
    (Outcome::ReferredElsewhere, 14),
    (Outcome::DroppedOut, 18),
    (Outcome::MovedAway, 6),
    (Outcome::Other, 10),
];

/// The trajectories of `people` (each with its id), as of `today`, with the consultants'
/// login names they are divided among.
pub fn trajectories(
    people: &[(u64, Volunteer)],
    consultants: &[&str],
    seed: u64,
    today: Date,
) -> Vec<Trajectory> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x7472_616a_6563_7473);
    let settings = TrajectorySettings::default();
    let mut out = Vec::new();
    if consultants.is_empty() {
        return out;
    }
    for (id, p) in people {
        let young = age_on(p.birth_date, today) < 20;
        let kind = if young {
            TrajectoryKind::Mas
        } else {
            weighted(
                &mut rng,
                &[
                    (TrajectoryKind::SocialActivation, 65),
                    (TrajectoryKind::Reintegration, 35),
                ],
            )
        };
        out.push(one(&mut rng, *id, p, kind, consultants, &settings, today));
    }
    out
}

fn one(
    rng: &mut ChaCha8Rng,
    person: u64,
    p: &Volunteer,
    kind: TrajectoryKind,
    consultants: &[&str],
    settings: &TrajectorySettings,
    today: Date,
) -> Trajectory {
    let consultant = *pick(rng, consultants);
    let (org, manager) = *pick(rng, &REFERRERS);
    let mas = kind == TrajectoryKind::Mas;
    let started = (today - Duration::days(rng.random_range(0..720))).max(p.intake_date.min(today));
    let start_step = match kind {
        TrajectoryKind::SocialActivation => rng.random_range(1..=3),
        TrajectoryKind::Reintegration => rng.random_range(2..=4),
        TrajectoryKind::Mas => 3,
    };
    let start = Start {
        kind,
        person,
        person_name: p.name.filed(),
        municipality: p.municipality.clone(),
        referrer: if mas {
            Default::default()
        } else {
            crate::domain::trajectory::Referrer {
                organisation: format!("{org} {}", p.municipality),
                client_manager: manager.to_string(),
                contact: format!(
                    "078 {} {}",
                    rng.random_range(100..999),
                    rng.random_range(1000..9999)
                ),
            }
        },
        consultant: consultant.to_string(),
        start_step,
        school: if mas {
            pick(rng, &SCHOOLS).to_string()
        } else {
            String::new()
        },
        school_contact: if mas {
            "mentor, via de school".to_string()
        } else {
            String::new()
        },
        hours_required: if mas { 30 } else { 0 },
    };
    let mut t = Trajectory::start(start, started, consultant, settings);
    let age = (today - started).whole_days();
    // Older trajectories are more often closed; some ongoing ones fell behind.
    let closes = age > 200 && chance(rng, 0.55);
    let behind = !closes && chance(rng, 0.15);
    let end = if closes {
        started + Duration::days(rng.random_range(150..=age.max(151)))
    } else if behind {
        today - Duration::days(rng.random_range(50..120))
    } else {
        today
    };
    let mut day = started;
    let mut step = start_step;
    let mut phase_at = started + Duration::days(rng.random_range(7..21));
    let mut goals_set = false;
    let mut reassigned = false;
    let mut mas_done = 0;
    loop {
        // Every three to five weeks: about 150,000 meetings at the 100k scale.
        let next = day + Duration::days(rng.random_range(14..37));
        if next > end {
            break;
        }
        day = next;
        // The phase moves on now and then, up to uitvoering or evaluatie.
        if day >= phase_at
            && let Some(to) = t.phase.next()
            && (to != Phase::Evaluatie || chance(rng, 0.3))
        {
            let _ = t.change_phase(to, String::new(), day, consultant);
            phase_at = day + Duration::days(rng.random_range(20..60));
        }
        if !goals_set && t.phase >= Phase::Plan {
            for _ in 0..rng.random_range(1..=3) {
                let goal = pick(rng, &GOALS).to_string();
                if t.goals.iter().all(|g| g.text != goal) {
                    let _ = t.add_goal(goal, day);
                }
            }
            goals_set = true;
        }
        if !reassigned && consultants.len() > 1 && chance(rng, 0.04) {
            let to = *pick(rng, consultants);
            if to != t.consultant {
                let _ = t.reassign(
                    to.to_string(),
                    "Caseload verdeeld na vertrek collega".into(),
                    day,
                );
                reassigned = true;
            }
        }
        let by = t.consultant.clone();
        let _ = t.log_meeting(Meeting {
            date: day,
            by,
            summary: pick(rng, &SUMMARIES).to_string(),
            actions: pick(rng, &ACTIONS).to_string(),
            next_due: Some(settings.next_after(day)),
        });
        if chance(rng, 0.3) {
            step = if chance(rng, 0.75) {
                (step + 1).min(6)
            } else {
                step.saturating_sub(1).max(1)
            };
            let _ = t.record_step(LadderStep {
                date: day,
                step,
                note: String::new(),
            });
        }
        if mas && mas_done < 34 * 60 {
            let minutes = 60 * rng.random_range(2..=5);
            mas_done += minutes;
            let _ = t.log_hours(HoursLogged { date: day, minutes });
        }
        if goals_set && chance(rng, 0.15) {
            let open: Vec<String> = t
                .goals
                .iter()
                .filter(|g| g.status == crate::domain::trajectory::GoalStatus::Open)
                .map(|g| g.text.clone())
                .collect();
            if let Some(g) = open.first()
                && let Some(i) = t.open_goal(g)
            {
                let _ = t.finish_goal(i, crate::domain::trajectory::GoalStatus::Achieved, day);
            }
        }
    }
    if closes {
        let outcome = if mas {
            Outcome::Other
        } else {
            weighted(rng, &OUTCOMES)
        };
        let _ = t.close(
            Closing {
                outcome,
                end_step: step,
                date: day.max(started),
                note: String::new(),
            },
            &t.consultant.clone(),
        );
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn demo_trajectories_keep_the_rules_and_have_every_kind_of_history() {
        let today = date!(2026 - 11 - 27);
        let people: Vec<(u64, Volunteer)> = crate::demo::volunteers(
            2_000,
            3,
            today,
            &crate::domain::volunteer::ZUID_HOLLAND_ZUID
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>(),
        )
        .enumerate()
        .map(|(i, v)| (i as u64 + 1, v))
        .collect();
        let ts = trajectories(&people, &["anouk", "bram", "fatima"], 3, today);
        assert_eq!(ts.len(), 2_000);
        for t in &ts {
            assert!(t.problems().is_empty(), "{:?}", t.problems());
        }
        let closed = ts.iter().filter(|t| !t.is_open()).count();
        let overdue = ts.iter().filter(|t| t.is_overdue(today)).count();
        let handed = ts.iter().filter(|t| !t.reassignments.is_empty()).count();
        let mas = ts
            .iter()
            .filter(|t| t.mas.as_ref().is_some_and(|m| m.total_minutes() > 0))
            .count();
        let meetings: usize = ts.iter().map(|t| t.meetings.len()).sum();
        assert!(
            closed > 200 && overdue > 100 && handed > 20 && mas > 10,
            "{closed} {overdue} {handed} {mas}"
        );
        assert!((5..=10).contains(&(meetings / ts.len())), "{meetings}");
    }
}
