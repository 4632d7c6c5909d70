//! The right of access: everything koppel stores about one person, for them
//! (`koppel privacy export`, and a key on the person's detail).
//!
//! What is "about" a person is what the reference index says (`Record::about`): their own
//! record, and every record that names them — placements, trajectories (with their meetings,
//! goals, ladder and phases), thank-you activities, audit entries — so a kind that learns to
//! name a person is in the export without a change here. Nothing else is read: no list is
//! searched for their name, which would also find namesakes (data about someone else).
//!
//! Only administrators may, and coordinators when configured (`[privacy]
//! coordinators_may_export`); every export is written to the audit trail with its reason
//! before anything is read, so the export itself lists it.

use super::access::MAX_REASON;
use super::{Account, Permission, Service, ServiceError};
use crate::domain::access::{ACCESS_FORMAT, AuditLine, Entry, OtherRecord, PersonFile, Written};
use crate::domain::activity::Activity;
use crate::domain::audit::AuditEvent;
use crate::domain::contact::Contact;
use crate::domain::note::Note;
use crate::domain::organisation::Organisation;
use crate::domain::placement::Placement;
use crate::domain::signal::Signal;
use crate::domain::staff::StaffAccount;
use crate::domain::target::Target;
use crate::domain::trajectory::Trajectory;
use crate::domain::vacancy::Vacancy;
use crate::domain::volunteer::Volunteer;
use crate::domain::{Field, FieldError, Problem};
use crate::store::{Kind, Record, Stored};

/// The audit action of an access export.
pub const EXPORT_ACTION: &str = "privacy_export";

fn entry<T>(s: Stored<T>) -> Entry<T> {
    Entry {
        id: s.meta.id,
        revision: s.meta.revision,
        created: Written {
            by: s.meta.created.by,
            at: s.meta.created.at,
        },
        updated: Written {
            by: s.meta.updated.by,
            at: s.meta.updated.at,
        },
        data: s.data,
    }
}

impl Service {
    /// Everything stored about person `person`, for them; `reason` (why the export is made:
    /// "request by letter of 12 November") goes into the audit trail first. Administrators,
    /// and coordinators when configured. An unknown person is [`ServiceError::NotFound`] and
    /// logs nothing.
    pub fn access_export(
        &self,
        who: &Account,
        person: u64,
        reason: &str,
    ) -> Result<PersonFile, ServiceError> {
        self.require(who, Permission::ExportPerson)?;
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
            if tx.get::<Volunteer>(person)?.is_none() {
                return Ok(Err(ServiceError::NotFound {
                    kind: Kind::Volunteer,
                    id: person,
                }));
            }
            self.audit(
                tx,
                who,
                EXPORT_ACTION,
                Some((Kind::Volunteer, person)),
                reason.to_string(),
            )?;
            Ok(Ok(()))
        })??;
        self.person_file(who, person)
    }

    /// The folder the screens write access exports to: `access-exports` inside the store's
    /// folder, beside `backups` (mode 0700, made when missing).
    pub fn access_export_dir(&self) -> Result<std::path::PathBuf, ServiceError> {
        let dir = self.store.path().join("access-exports");
        super::backup::make_private_dir(&dir)?;
        Ok(dir)
    }

    /// Removes the access exports the screens wrote about `person` (`access-<id>-…` in the
    /// store's `access-exports` folder), so that anonymising or erasing them leaves no copy
    /// of their data there. Files written elsewhere (`koppel privacy export --output`) are
    /// the writer's to delete. Returns how many files went.
    pub(super) fn remove_access_exports(&self, person: u64) -> Result<usize, ServiceError> {
        let dir = self.store.path().join("access-exports");
        let entries = match std::fs::read_dir(&dir) {
            Ok(entries) => entries,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(e) => return Err(super::backup::io_error(&dir, &e)),
        };
        let prefix = format!("access-{person}-");
        let mut removed = 0;
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                let path = entry.path();
                std::fs::remove_file(&path).map_err(|e| super::backup::io_error(&path, &e))?;
                removed += 1;
            }
        }
        Ok(removed)
    }

    /// Reads what [`Service::access_export`] hands out (its permission checked there).
    fn person_file(&self, who: &Account, person: u64) -> Result<PersonFile, ServiceError> {
        let Some(own) = self.store.get::<Volunteer>(person)? else {
            return Err(ServiceError::NotFound {
                kind: Kind::Volunteer,
                id: person,
            });
        };
        let mut file = PersonFile {
            format: ACCESS_FORMAT,
            made_at: self.clock.now(),
            made_by: who.name.clone(),
            retention_years: self.config.retention().people_years,
            person: entry(own),
            placements: Vec::new(),
            trajectories: Vec::new(),
            activities: Vec::new(),
            other: Vec::new(),
            audit: Vec::new(),
        };
        for (kind, id) in self.store.about_person(person)? {
            // Every kind is named: a kind that starts to name people is a choice here, and
            // until then its records come out whole in `other`.
            match kind {
                Kind::Volunteer => {}
                Kind::Audit => {
                    if let Some(e) = self.store.get::<AuditEvent>(id)? {
                        file.audit.push(AuditLine::new(id, &e.data));
                    }
                }
                Kind::Placement => file.placements.extend(self.got::<Placement>(id)?),
                Kind::Trajectory => file.trajectories.extend(self.got::<Trajectory>(id)?),
                Kind::Activity => file.activities.extend(self.got::<Activity>(id)?),
                Kind::Organisation => file.other.extend(self.other::<Organisation>(id)?),
                Kind::Vacancy => file.other.extend(self.other::<Vacancy>(id)?),
                Kind::Contact => file.other.extend(self.other::<Contact>(id)?),
                Kind::Staff => file.other.extend(self.other::<StaffAccount>(id)?),
                Kind::Note => file.other.extend(self.other::<Note>(id)?),
                Kind::Signal => file.other.extend(self.other::<Signal>(id)?),
                Kind::Target => file.other.extend(self.other::<Target>(id)?),
            }
        }
        Ok(file)
    }

    fn got<T: Record>(&self, id: u64) -> Result<Option<Entry<T>>, ServiceError> {
        Ok(self.store.get::<T>(id)?.map(entry))
    }

    fn other<T: Record>(&self, id: u64) -> Result<Option<OtherRecord>, ServiceError> {
        let Some(s) = self.store.get::<T>(id)? else {
            return Ok(None);
        };
        let data = serde_json::to_value(&s.data).map_err(|e| ServiceError::Damaged {
            kind: T::KIND,
            id,
            reason: e.to_string(),
        })?;
        Ok(Some(OtherRecord {
            kind: T::KIND.as_str().to_string(),
            id,
            data,
        }))
    }
}

#[cfg(test)]
mod tests;
