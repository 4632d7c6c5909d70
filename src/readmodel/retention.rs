//! What is past its retention period (`koppel privacy review`, 5 Verankeren › Beheer), worked
//! out from the rows the model keeps for a given day, never by scanning the store.
//!
//! **A person** is listed when they are not active and their last activity lies
//! `people_years` or more before today. Active means: a placement in which they are placed
//! and that has not ended, or an open trajectory. Their last activity is the latest of:
//!
//! - the intake date, and the day it was registered;
//! - a change of their record that the audit trail shows (intake registered, details edited,
//!   status changed; reading, exporting or backing up is no activity);
//! - a placement proposed, started or ended;
//! - a trajectory started, a meeting or contact in it, a handover, its closing;
//! - a thank-you logged for them.
//!
//! Their placements, trajectories and thank-yous go with them, so they are not listed apart.
//!
//! Records already anonymised (a person marked so, a trajectory without a name, a contact
//! whose subject was removed) are not listed again.
//!
//! **A trajectory** is listed `trajectories_years` after it was closed, when its person is
//! not listed already. **A contact** with an organisation is listed `contacts_years` after its
//! date (it names the person spoken to).

use super::{IdHash, ReadModel};
use crate::domain::placement::PlacementStatus;
use crate::domain::privacy::REMOVED;
use crate::domain::retention::{LastActivity, Periods, Reason, past};
use crate::domain::volunteer::Volunteer;
use crate::store::{Kind, Record};
use std::collections::HashMap;
use time::Date;

/// The audit actions that change a person's own record: they count as activity.
pub const PERSON_CHANGES: &[&str] = &["register_intake", "update_volunteer", "change_status"];

/// One record past its period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetentionRow {
    pub kind: Kind,
    pub id: u64,
    /// The person it is about (for a person: their own id; none for a contact).
    pub person: Option<u64>,
    /// The person's filed name; for a contact, the organisation and the person spoken to.
    pub name: String,
    pub reason: Reason,
}

/// Whether someone is active, or when they last were.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    Active,
    On(Date, LastActivity),
}

impl Seen {
    fn max(self, other: Seen) -> Seen {
        match (self, other) {
            (Seen::Active, _) | (_, Seen::Active) => Seen::Active,
            (Seen::On(a, wa), Seen::On(b, wb)) => {
                if (b, wb) > (a, wa) {
                    other
                } else {
                    self
                }
            }
        }
    }
}

impl ReadModel {
    /// Everything past its retention period on `today`, the longest overdue first (then by
    /// kind and name).
    pub fn past_retention(&self, today: Date, periods: Periods) -> Vec<RetentionRow> {
        let seen = self.last_seen();
        let mut out = Vec::new();
        let mut listed: HashMap<u64, (), IdHash> = HashMap::default();
        for v in self.volunteers().iter() {
            // Anonymised already: nothing left that says who it was.
            if v.anonymised {
                continue;
            }
            let mut last = Seen::On(v.intake_date, LastActivity::Intake);
            if let Some(s) = seen.get(&v.id) {
                last = last.max(*s);
            }
            let Seen::On(since, what) = last else {
                continue;
            };
            if past(since, periods.people_years, today) {
                listed.insert(v.id, ());
                out.push(RetentionRow {
                    kind: Volunteer::KIND,
                    id: v.id,
                    person: Some(v.id),
                    name: v.filed.clone(),
                    reason: Reason::Inactive {
                        since,
                        last: what,
                        years: periods.people_years,
                    },
                });
            }
        }
        for t in self.trajectories().iter() {
            let Some(on) = t.history.closed_on.filter(|_| !t.is_open()) else {
                continue;
            };
            // An anonymised trajectory keeps no name.
            if t.person_name.is_empty() {
                continue;
            }
            if past(on, periods.trajectories_years, today) && !listed.contains_key(&t.person) {
                out.push(RetentionRow {
                    kind: Kind::Trajectory,
                    id: t.id,
                    person: Some(t.person),
                    name: t.person_name.clone(),
                    reason: Reason::Closed {
                        on,
                        years: periods.trajectories_years,
                    },
                });
            }
        }
        for c in self.contacts().iter() {
            // An anonymised contact names no one and says nothing.
            if c.contact_person.is_empty() && c.subject == REMOVED {
                continue;
            }
            if past(c.date, periods.contacts_years, today) {
                let name = if c.contact_person.trim().is_empty() {
                    c.organisation_name.clone()
                } else {
                    format!("{} ({})", c.organisation_name, c.contact_person)
                };
                out.push(RetentionRow {
                    kind: Kind::Contact,
                    id: c.id,
                    person: None,
                    name,
                    reason: Reason::Dated {
                        on: c.date,
                        years: periods.contacts_years,
                    },
                });
            }
        }
        out.sort_by(|a, b| {
            (a.reason.ended(), kind_order(a.kind), &a.name, a.id).cmp(&(
                b.reason.ended(),
                kind_order(b.kind),
                &b.name,
                b.id,
            ))
        });
        out
    }

    /// Per person, whether they are active or when they last were, from every record but
    /// their own row.
    fn last_seen(&self) -> HashMap<u64, Seen, IdHash> {
        let mut seen: HashMap<u64, Seen, IdHash> = HashMap::default();
        let mut note = |person: u64, s: Seen| {
            seen.entry(person)
                .and_modify(|old| *old = old.max(s))
                .or_insert(s);
        };
        for p in self.placements().iter() {
            let running = p.status == PlacementStatus::Placed && p.ended_on.is_none();
            let s = if running {
                Seen::Active
            } else {
                let day = [Some(p.proposed_on), p.placed_on, p.ended_on]
                    .into_iter()
                    .flatten()
                    .max()
                    .unwrap_or(p.proposed_on);
                Seen::On(day, LastActivity::Placement)
            };
            note(p.volunteer, s);
        }
        for t in self.trajectories().iter() {
            let s = if t.is_open() {
                Seen::Active
            } else {
                let h = &t.history;
                let day = [
                    Some(t.started),
                    Some(t.last_contact),
                    h.closed_on,
                    h.meetings.last().map(|(d, _)| *d),
                    h.handovers.last().map(|(d, _)| *d),
                ]
                .into_iter()
                .flatten()
                .max()
                .unwrap_or(t.started);
                Seen::On(day, LastActivity::Trajectory)
            };
            note(t.person, s);
        }
        for a in self.activities().iter() {
            if let Some(thanks) = a.thanks {
                note(thanks.person(), Seen::On(a.date, LastActivity::Thanks));
            }
        }
        for e in self.audit_trail().iter() {
            if let Some((Kind::Volunteer, id)) = e.subject
                && PERSON_CHANGES.contains(&e.action.as_str())
            {
                // Registering is the intake itself, typed in on that day or later.
                let what = if e.action == "register_intake" {
                    LastActivity::Intake
                } else {
                    LastActivity::Change
                };
                note(id, Seen::On(e.at.date(), what));
            }
        }
        seen
    }
}

/// People first, then trajectories, then contacts.
fn kind_order(kind: Kind) -> u8 {
    match kind {
        Kind::Volunteer => 0,
        Kind::Trajectory => 1,
        _ => 2,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::contact::{BasicFunction, Channel, Contact};
    use crate::domain::placement::Placement;
    use crate::domain::trajectory::{History, Phase, TrajectoryKind, TrajectorySummary};
    use crate::readmodel::volunteers::test_row;
    use crate::readmodel::{
        ContactRow, Contacts, PlacementRow, Placements, Trajectories, TrajectoryRow, Volunteers,
    };
    use time::macros::date;

    fn person(id: u64, filed: &str, intake: Date) -> crate::readmodel::VolunteerRow {
        crate::readmodel::VolunteerRow {
            intake_date: intake,
            ..test_row(id, filed)
        }
    }

    fn placement(
        id: u64,
        person: u64,
        status: PlacementStatus,
        days: [Option<Date>; 3],
    ) -> PlacementRow {
        PlacementRow::from_parts(
            id,
            1,
            Placement {
                volunteer: person,
                volunteer_name: "Jansen, Piet".into(),
                vacancy: 1,
                vacancy_title: "Gastvrouw".into(),
                organisation: 1,
                organisation_name: "Humanitas".into(),
                status,
                proposed_on: days[0].unwrap_or(date!(2020 - 01 - 01)),
                placed_on: days[1],
                ended_on: days[2],
                end_reason: None,
                vog_override: String::new(),
            },
        )
    }

    fn trajectory(id: u64, person: u64, started: Date, closed_on: Option<Date>) -> TrajectoryRow {
        TrajectoryRow::from_parts(
            id,
            1,
            TrajectorySummary {
                kind: TrajectoryKind::SocialActivation,
                person,
                person_name: "Bakker, Els".into(),
                municipality: "Dordrecht".into(),
                referrer: String::new(),
                client_manager: String::new(),
                consultant: "anna".into(),
                previous: Vec::new(),
                phase: if closed_on.is_some() {
                    Phase::Afgesloten
                } else {
                    Phase::Uitvoering
                },
                started,
                next_meeting: None,
                last_contact: started,
                start_step: None,
                current_step: None,
                outcome: None,
                mas_minutes: 0,
                mas_required: 0,
                history: History {
                    closed_on,
                    ..History::default()
                },
            },
        )
    }

    fn contact(id: u64, date: Date) -> ContactRow {
        ContactRow::from_parts(
            id,
            1,
            Contact {
                organisation: 1,
                organisation_name: "Humanitas".into(),
                date,
                channel: Channel::default(),
                contact_person: "Mw. de Wit".into(),
                subject: "Vrijwilligersbeleid".into(),
                basic_function: BasicFunction::default(),
                notes: String::new(),
                follow_up: None,
                done: false,
            },
        )
    }

    fn listed(m: &ReadModel, today: Date) -> Vec<(Kind, u64)> {
        m.past_retention(today, Periods::default())
            .iter()
            .map(|r| (r.kind, r.id))
            .collect()
    }

    #[test]
    fn a_person_is_listed_on_the_day_their_period_runs_out_not_the_day_before() {
        let mut m = ReadModel::default();
        m.replace_all::<Volunteers>(vec![person(1, "Jansen, Piet", date!(2023 - 05 - 01))]);
        assert!(listed(&m, date!(2025 - 04 - 30)).is_empty());
        let rows = m.past_retention(date!(2025 - 05 - 01), Periods::default());
        assert_eq!(rows.len(), 1);
        assert_eq!(
            rows[0].reason,
            Reason::Inactive {
                since: date!(2023 - 05 - 01),
                last: LastActivity::Intake,
                years: 2
            }
        );
        // A longer configured period keeps them.
        let longer = Periods {
            people_years: 3,
            ..Periods::default()
        };
        assert!(m.past_retention(date!(2025 - 05 - 01), longer).is_empty());
    }

    #[test]
    fn a_running_placement_or_open_trajectory_keeps_a_person_and_an_ended_one_counts_from_its_end()
    {
        let mut m = ReadModel::default();
        let old = date!(2019 - 01 - 01);
        m.replace_all::<Volunteers>(vec![
            person(1, "Jansen, Piet", old),
            person(2, "Bakker, Els", old),
            person(3, "Visser, Kees", old),
        ]);
        m.replace_all::<Placements>(vec![
            placement(10, 1, PlacementStatus::Placed, [None, Some(old), None]),
            placement(
                11,
                3,
                PlacementStatus::Ended,
                [None, Some(old), Some(date!(2024 - 03 - 10))],
            ),
        ]);
        m.replace_all::<Trajectories>(vec![trajectory(20, 2, old, None)]);
        let today = date!(2026 - 03 - 09);
        assert!(listed(&m, today).is_empty());
        let rows = m.past_retention(date!(2026 - 03 - 10), Periods::default());
        assert_eq!(
            rows.iter().map(|r| (r.kind, r.id)).collect::<Vec<_>>(),
            [(Kind::Volunteer, 3)]
        );
        assert_eq!(
            rows[0].reason,
            Reason::Inactive {
                since: date!(2024 - 03 - 10),
                last: LastActivity::Placement,
                years: 2
            }
        );
    }

    #[test]
    fn closed_trajectories_and_old_contacts_have_their_own_periods() {
        let mut m = ReadModel::default();
        // The person is active (placed), so the trajectory is listed on its own.
        m.replace_all::<Volunteers>(vec![person(2, "Bakker, Els", date!(2020 - 01 - 01))]);
        m.replace_all::<Placements>(vec![placement(
            10,
            2,
            PlacementStatus::Placed,
            [None, Some(date!(2024 - 01 - 01)), None],
        )]);
        m.replace_all::<Trajectories>(vec![trajectory(
            20,
            2,
            date!(2020 - 01 - 01),
            Some(date!(2023 - 06 - 15)),
        )]);
        m.replace_all::<Contacts>(vec![contact(30, date!(2021 - 06 - 15))]);
        assert!(listed(&m, date!(2025 - 06 - 14)).is_empty());
        let rows = m.past_retention(date!(2026 - 06 - 15), Periods::default());
        assert_eq!(
            rows.iter().map(|r| (r.kind, r.id)).collect::<Vec<_>>(),
            [(Kind::Trajectory, 20), (Kind::Contact, 30)]
        );
        assert_eq!(
            rows[1].reason,
            Reason::Dated {
                on: date!(2021 - 06 - 15),
                years: 5
            }
        );
        assert_eq!(rows[1].name, "Humanitas (Mw. de Wit)");
        // A person listed takes their trajectories with them.
        m.replace_all::<Placements>(Vec::new());
        assert_eq!(
            listed(&m, date!(2026 - 06 - 15)),
            [(Kind::Volunteer, 2), (Kind::Contact, 30)]
        );
    }
}
