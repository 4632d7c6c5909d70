//! Who may open a trajectory's case notes, and the read log.
//!
//! The role decides first ([`Permission::ReadCaseNotes`]: consultants, coordinators,
//! administrators). A consultant opens their own trajectories; another consultant's only
//! after giving a reason ([`Service::open_trajectory_with_reason`]), which goes into the audit
//! trail and holds for the rest of that day. Every read of a trajectory (its meetings and
//! notes) is logged as `read_case_notes`, in the audit trail like every change.

use super::{Account, Permission, Role, Service, ServiceError};
use crate::domain::audit::AuditEvent;
use crate::domain::trajectory::Trajectory;
use crate::domain::{Field, FieldError, Problem};
use crate::store::kinds::audit::index as audit_index;
use crate::store::{Kind, Stored, Tx};

/// The longest reason for opening another consultant's trajectory.
pub const MAX_REASON: usize = 2_000;

/// The audit action of a reason given.
pub const REASON_ACTION: &str = "access_reason";
/// The audit action of a read of case notes.
pub const READ_ACTION: &str = "read_case_notes";

impl Service {
    /// Whether `who` may open trajectory `id` (of consultant `owner`) now: by role, and for a
    /// consultant their own or one they gave a reason for today.
    pub(super) fn case_access(
        &self,
        who: &Account,
        id: u64,
        owner: &str,
    ) -> Result<(), ServiceError> {
        self.require(who, Permission::ReadCaseNotes)?;
        if who.role != Role::Consultant || owner == who.name || self.reason_given(who, id)? {
            return Ok(());
        }
        Err(ServiceError::ReasonNeeded {
            id,
            consultant: owner.to_string(),
        })
    }

    /// Whether `who` gave a reason for trajectory `id` today.
    fn reason_given(&self, who: &Account, id: u64) -> Result<bool, ServiceError> {
        let today = self.clock.today();
        let offset = self.clock.now().offset();
        let subject = format!("{}/{id}", Kind::Trajectory);
        for event in self
            .store
            .find::<AuditEvent>(&audit_index::SUBJECT, &subject)?
            .into_iter()
            .rev()
        {
            if let Some(e) = self.store.get::<AuditEvent>(event)?
                && e.data.action == REASON_ACTION
                && e.data.actor == who.name
                && e.data.at.to_offset(offset).date() == today
            {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// An audit event about trajectory `t` (subject `trajectory/id`, about its person).
    fn case_event(
        &self,
        tx: &Tx<'_>,
        who: &Account,
        action: &str,
        id: u64,
        t: &Trajectory,
        detail: String,
    ) -> AuditEvent {
        let mut event = self.audit_event(
            who,
            tx.stamp().at,
            action,
            Some((Kind::Trajectory, id)),
            detail,
        );
        event.person = Some(t.person);
        event
    }

    /// Reads trajectory `id` for `who` through the case-note check, and logs the read.
    pub(super) fn read_case(
        &self,
        who: &Account,
        id: u64,
    ) -> Result<Option<Stored<Trajectory>>, ServiceError> {
        self.require(who, Permission::ReadCaseNotes)?;
        let Some(found) = self.store.get::<Trajectory>(id)? else {
            return Ok(None);
        };
        self.case_access(who, id, &found.data.consultant)?;
        let stamp = self.stamp(who);
        self.store.transact(&stamp, |tx| {
            let event = self.case_event(tx, who, READ_ACTION, id, &found.data, String::new());
            tx.append_audit(event).map(|_| ())
        })?;
        Ok(Some(found))
    }

    /// Opens another consultant's trajectory `id`, giving `reason` (logged in the audit
    /// trail; it holds for the rest of the day, for reading and working on it). Anyone who
    /// may read case notes may give one; for coordinators it is only logged.
    pub fn open_trajectory_with_reason(
        &self,
        who: &Account,
        id: u64,
        reason: &str,
    ) -> Result<Stored<Trajectory>, ServiceError> {
        self.require(who, Permission::ReadCaseNotes)?;
        let reason = reason.trim();
        let problem = if reason.is_empty() {
            Some(Problem::Required)
        } else if reason.chars().count() > MAX_REASON {
            Some(Problem::TooLong { max: MAX_REASON })
        } else {
            None
        };
        if let Some(p) = problem {
            return Err(ServiceError::Invalid(vec![FieldError::new(
                Field::Reason,
                p,
            )]));
        }
        let stamp = self.stamp(who);
        self.store.transact(&stamp, |tx| {
            let Some(found) = tx.get::<Trajectory>(id)? else {
                return Ok(Err(ServiceError::NotFound {
                    kind: Kind::Trajectory,
                    id,
                }));
            };
            let event =
                self.case_event(tx, who, REASON_ACTION, id, &found.data, reason.to_string());
            tx.append_audit(event)?;
            Ok(Ok(found))
        })?
    }

    /// Checks, inside a change of trajectory `t`, that `who` may work on it.
    pub(super) fn case_work(
        &self,
        who: &Account,
        id: u64,
        t: &Trajectory,
    ) -> Result<(), ServiceError> {
        self.require(who, Permission::WorkTrajectory)?;
        self.case_access(who, id, &t.consultant)
    }
}

#[cfg(test)]
mod tests;
