//! The trajectory use cases: start one for a person, log progress meetings, ladder steps,
//! goals and MaS hours, move the phase, reassign and close. Each is one transaction on the
//! trajectory opened at a revision: a change based on an older revision is refused as a
//! conflict (nothing overwritten), and the audit event is written in the same transaction.

use super::{Account, Permission, Role, Service, ServiceError};
use crate::domain::draft::Keyed;
use crate::domain::staff::StaffAccount;
use crate::domain::trajectory::{
    Closing, Consultant, GoalDone, Handover, HoursLogged, LadderStep, Meeting, PhaseMove, Start,
    Trajectory, TrajectoryRules, TrajectorySettings, format_hours,
};
use crate::domain::volunteer::Volunteer;
use crate::domain::{Field, FieldError, Problem, format_date};
use crate::store::{Kind, Stored};

fn refused(field: Field, problem: Problem) -> ServiceError {
    ServiceError::Invalid(vec![FieldError::new(field, problem)])
}

impl Service {
    /// The consultants a trajectory can be given to: every staff account with the consultant
    /// role, by login name, display name and whether it is active (an inactive one is refused
    /// beside the field, not taken for unknown). The one lookup of consultants.
    /// Empty for a role that may not look up staff.
    pub fn consultants(&self, who: &Account) -> Vec<Consultant> {
        if !self.may(who, Permission::ReadRecords) {
            return Vec::new();
        }
        let mut out: Vec<Consultant> = self
            .store
            .scan::<StaffAccount>()
            .filter_map(Result::ok)
            .filter(|s| s.data.role == Role::Consultant)
            .map(|s| Consultant {
                login: s.data.login,
                display: s.data.display_name,
                active: s.data.active,
            })
            .collect();
        out.sort_by(|a, b| a.display.cmp(&b.display));
        out
    }

    /// The settings of trajectories (meeting interval, no-contact days).
    pub fn trajectory_settings(&self) -> TrajectorySettings {
        self.config().trajectories
    }

    /// What the trajectory forms check against, for trajectory `t` (or a new one).
    pub fn trajectory_rules(&self, who: &Account, t: Option<&Trajectory>) -> TrajectoryRules {
        let mut rules = TrajectoryRules::new(
            self.clock.today(),
            self.trajectory_settings(),
            self.consultants(who),
        );
        if let Some(t) = t {
            rules.started = t.started;
            rules.phase = t.phase;
            rules.open_goals = t
                .goals
                .iter()
                .filter(|g| g.status == crate::domain::trajectory::GoalStatus::Open)
                .map(|g| g.text.clone())
                .collect();
        }
        rules
    }

    /// The login of `typed` when it is an active consultant, else the problem beside the
    /// consultant field.
    fn check_consultant(&self, _who: &Account, login: &str) -> Result<(), ServiceError> {
        match self.staff_account(login)? {
            Some(s) if s.data.role == Role::Consultant && s.data.active => Ok(()),
            Some(s) if s.data.role == Role::Consultant => {
                Err(refused(Field::Consultant, Problem::InactiveConsultant))
            }
            _ => Err(refused(Field::Consultant, Problem::UnknownConsultant)),
        }
    }

    /// Starts a trajectory for the person in `start` (who must exist), today.
    pub fn start_trajectory(
        &self,
        who: &Account,
        start: Start,
    ) -> Result<Stored<Trajectory>, ServiceError> {
        self.require(who, Permission::WorkTrajectory)?;
        self.check_consultant(who, &start.consultant)?;
        let today = self.clock.today();
        let settings = self.trajectory_settings();
        let stamp = self.stamp(who);
        self.store.transact(&stamp, |tx| {
            let Some(person) = tx.get::<Volunteer>(start.person)? else {
                return Ok(Err(ServiceError::NotFound {
                    kind: Kind::Volunteer,
                    id: start.person,
                }));
            };
            let mut s = start.clone();
            s.person_name = person.data.name.filed();
            s.municipality = person.data.municipality.clone();
            let t = Trajectory::start(s, today, &who.name, &settings);
            let detail = format!("{} with {}", t.kind.key(), t.consultant);
            let stored = tx.insert(t)?;
            self.audit(
                tx,
                who,
                "start_trajectory",
                Some((Kind::Volunteer, stored.data.person)),
                format!("trajectory/{}: {detail}", stored.meta.id),
            )?;
            Ok(Ok(stored))
        })?
    }

    /// Applies `change` to trajectory `id` opened at revision `based_on`, in one
    /// transaction with its audit event `action` (its detail from `change`). A stale
    /// revision is a conflict; a refused change saves nothing.
    fn change_trajectory(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        action: &str,
        change: impl Fn(&mut Trajectory) -> Result<String, Vec<FieldError>>,
    ) -> Result<Stored<Trajectory>, ServiceError> {
        self.require(who, Permission::WorkTrajectory)?;
        // Whose it is, checked before the transaction (the store cannot be read outside a
        // transaction while it runs); a handover in between is caught inside it.
        let owner = match self.store.get::<Trajectory>(id)? {
            Some(t) => {
                self.case_work(who, id, &t.data)?;
                t.data.consultant
            }
            None => String::new(),
        };
        let stamp = self.stamp(who);
        self.store.transact(&stamp, |tx| {
            let current = tx.current::<Trajectory>(id, based_on)?;
            if current.data.consultant != owner
                && who.role == Role::Consultant
                && current.data.consultant != who.name
            {
                return Ok(Err(ServiceError::ReasonNeeded {
                    id,
                    consultant: current.data.consultant,
                }));
            }
            let mut t = current.data;
            let detail = match change(&mut t) {
                Ok(d) => d,
                Err(errors) => return Ok(Err(ServiceError::Invalid(errors))),
            };
            let saved = tx.update(id, based_on, t)?;
            self.audit(
                tx,
                who,
                action,
                Some((Kind::Volunteer, saved.data.person)),
                format!("trajectory/{id}: {detail}"),
            )?;
            Ok(Ok(saved))
        })?
    }

    /// Logs a progress meeting.
    pub fn log_meeting(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        meeting: Meeting,
    ) -> Result<Stored<Trajectory>, ServiceError> {
        // The meeting was held by whoever logs it.
        let meeting = Meeting {
            by: who.name.clone(),
            ..meeting
        };
        self.change_trajectory(who, id, based_on, "log_meeting", |t| {
            let detail = format!(
                "meeting on {}, next {}",
                format_date(meeting.date),
                meeting.next_due.map(format_date).unwrap_or_default()
            );
            t.log_meeting(meeting.clone())?;
            Ok(detail)
        })
    }

    /// Records a participatieladder step.
    pub fn record_ladder_step(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        step: LadderStep,
    ) -> Result<Stored<Trajectory>, ServiceError> {
        self.change_trajectory(who, id, based_on, "ladder_step", |t| {
            let detail = format!("step {} on {}", step.step, format_date(step.date));
            t.record_step(step.clone())?;
            Ok(detail)
        })
    }

    /// Adds a goal.
    pub fn add_goal(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        text: String,
    ) -> Result<Stored<Trajectory>, ServiceError> {
        let today = self.clock.today();
        self.change_trajectory(who, id, based_on, "add_goal", |t| {
            t.add_goal(text.clone(), today)?;
            Ok("goal added".into())
        })
    }

    /// Marks an open goal achieved or dropped.
    pub fn finish_goal(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        done: GoalDone,
    ) -> Result<Stored<Trajectory>, ServiceError> {
        let today = self.clock.today();
        self.change_trajectory(who, id, based_on, "finish_goal", |t| {
            let Some(i) = t.open_goal(&done.goal) else {
                return Err(vec![FieldError::new(Field::Goal, Problem::UnknownGoal)]);
            };
            t.finish_goal(i, done.status, today)?;
            Ok(format!("goal {}", done.status.key()))
        })
    }

    /// Moves the phase one step forward, or one back with a reason.
    pub fn change_phase(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        step: PhaseMove,
    ) -> Result<Stored<Trajectory>, ServiceError> {
        self.change_trajectory(who, id, based_on, "change_phase", |t| {
            let from = t.phase;
            t.change_phase(step.to, step.reason.clone(), step.date, &who.name)?;
            Ok(format!("{} to {}", from.key(), step.to.key()))
        })
    }

    /// Hands the trajectory to another active consultant, with the reason.
    pub fn reassign_trajectory(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        handover: Handover,
    ) -> Result<Stored<Trajectory>, ServiceError> {
        self.require(who, Permission::ReassignTrajectory)?;
        self.check_consultant(who, &handover.to)?;
        let today = self.clock.today();
        self.change_trajectory(who, id, based_on, "reassign_trajectory", |t| {
            let from = t.consultant.clone();
            t.reassign(handover.to.clone(), handover.reason.clone(), today)?;
            Ok(format!("from {from} to {}", handover.to))
        })
    }

    /// Closes the trajectory with its outcome and end step.
    pub fn close_trajectory(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        closing: Closing,
    ) -> Result<Stored<Trajectory>, ServiceError> {
        self.change_trajectory(who, id, based_on, "close_trajectory", |t| {
            t.close(closing.clone(), &who.name)?;
            Ok(format!(
                "closed: {}, end step {}",
                closing.outcome.key(),
                closing.end_step
            ))
        })
    }

    /// Logs hours of a maatschappelijke stage.
    pub fn log_mas_hours(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        hours: HoursLogged,
    ) -> Result<Stored<Trajectory>, ServiceError> {
        self.change_trajectory(who, id, based_on, "log_mas_hours", |t| {
            t.log_hours(hours.clone())?;
            Ok(format!(
                "{} hours on {}",
                format_hours(hours.minutes),
                format_date(hours.date)
            ))
        })
    }

    /// Reads one trajectory with its case notes, for those who may (see `service::access`);
    /// the read is logged.
    pub fn trajectory(
        &self,
        who: &Account,
        id: u64,
    ) -> Result<Option<Stored<Trajectory>>, ServiceError> {
        self.read_case(who, id)
    }

    /// The trajectories of volunteer `person` that `who` may open, oldest first (each read
    /// is logged).
    pub fn trajectories_of_person(
        &self,
        who: &Account,
        person: u64,
    ) -> Result<Vec<Stored<Trajectory>>, ServiceError> {
        self.require(who, Permission::ReadCaseNotes)?;
        let mut out = Vec::new();
        for (kind, id) in self.about_person(who, person)? {
            if kind != Kind::Trajectory {
                continue;
            }
            match self.read_case(who, id) {
                Ok(Some(t)) => out.push(t),
                Ok(None) | Err(ServiceError::ReasonNeeded { .. }) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// Writes demo trajectories in one durable transaction with one audit event
    /// `demo_fill`. Administrators only; each must be about an existing volunteer.
    pub fn fill_demo_trajectories(
        &self,
        who: &Account,
        batch: &[Trajectory],
    ) -> Result<usize, ServiceError> {
        self.require(who, Permission::FillDemo)?;
        if batch.is_empty() {
            return Ok(0);
        }
        let stamp = self.stamp(who);
        self.store.transact(&stamp, |tx| {
            for t in batch {
                if tx.get::<Volunteer>(t.person)?.is_none() {
                    return Ok(Err(ServiceError::NotFound {
                        kind: Kind::Volunteer,
                        id: t.person,
                    }));
                }
                tx.insert(t.clone())?;
            }
            self.audit(
                tx,
                who,
                "demo_fill",
                None,
                format!("{} demo trajectories", batch.len()),
            )?;
            Ok(Ok(batch.len()))
        })?
    }
}

#[cfg(test)]
mod tests;
