//! The volunteer use cases: intake, edits, status changes, duplicates and the reads lists and
//! reports need. Each checks its permission and writes its audit event through the one
//! appender, inside the write transaction.

use super::{Account, Permission, Reading, Service, ServiceError};
use crate::domain::volunteer::{DuplicateReason, Status, Volunteer};
use crate::domain::{Field, FieldError, Problem};
use crate::store::kinds::volunteer_index;
use crate::store::{Kind, Stored};

/// A registered person who is likely the same as the one being saved.
#[derive(Debug, Clone)]
pub struct Duplicate {
    pub existing: Stored<Volunteer>,
    pub reasons: Vec<DuplicateReason>,
}

impl Service {
    /// Registered people who are likely the same as `v` (by name and birth date, e-mail or
    /// phone), found through the indexes. `except` leaves out the record being edited.
    pub fn find_duplicates(
        &self,
        who: &Account,
        v: &Volunteer,
        except: Option<u64>,
    ) -> Result<Vec<Duplicate>, ServiceError> {
        self.reading(who, Reading::Query(Kind::Volunteer, "find_duplicates"))?;
        let mut ids = Vec::new();
        ids.extend(
            self.store
                .find::<Volunteer>(&volunteer_index::NAME_BIRTH, &v.name_birth_key())?,
        );
        if !v.email.is_empty() {
            ids.extend(
                self.store
                    .find::<Volunteer>(&volunteer_index::EMAIL, &v.email)?,
            );
        }
        if !v.phone.is_empty() {
            ids.extend(
                self.store
                    .find::<Volunteer>(&volunteer_index::PHONE, &v.phone)?,
            );
        }
        ids.sort_unstable();
        ids.dedup();
        let mut out = Vec::new();
        for id in ids {
            if Some(id) == except {
                continue;
            }
            if let Some(existing) = self.read::<Volunteer>(who, id)? {
                let reasons = v.duplicate_reasons(&existing.data);
                if !reasons.is_empty() {
                    out.push(Duplicate { existing, reasons });
                }
            }
        }
        Ok(out)
    }

    /// Registers a new volunteer after the intake. Unless `save_anyway`, a likely duplicate
    /// stops the save and is returned so the user can choose.
    pub fn register_intake(
        &self,
        who: &Account,
        v: Volunteer,
        save_anyway: bool,
    ) -> Result<Stored<Volunteer>, ServiceError> {
        self.require(who, Permission::RegisterVolunteer)?;
        let problems = v.problems(&self.rules());
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        if !save_anyway {
            let dups = self.find_duplicates(who, &v, None)?;
            if !dups.is_empty() {
                return Err(ServiceError::Duplicates(dups));
            }
        }
        let stamp = self.stamp(who);
        let stored = self.store.transact(&stamp, |tx| {
            let stored = tx.insert(v.clone())?;
            let detail = if save_anyway {
                "saved despite a likely duplicate"
            } else {
                ""
            };
            self.audit(
                tx,
                who,
                "register_intake",
                Some((Kind::Volunteer, stored.meta.id)),
                detail.into(),
            )?;
            Ok(stored)
        })?;
        Ok(stored)
    }

    /// Saves an edited volunteer, if nobody else saved it since revision `based_on`. A status
    /// change must follow the pipeline; the audit event says which status to which.
    pub fn update_volunteer(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        v: Volunteer,
    ) -> Result<Stored<Volunteer>, ServiceError> {
        self.save_volunteer(who, id, based_on, v, "update_volunteer")
    }

    fn save_volunteer(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        v: Volunteer,
        action: &str,
    ) -> Result<Stored<Volunteer>, ServiceError> {
        self.require(who, Permission::EditVolunteer)?;
        if self
            .store
            .get::<Volunteer>(id)?
            .is_some_and(|c| c.data.anonymised.is_some())
        {
            return Err(ServiceError::Anonymised { id });
        }
        let problems = v.problems(&self.rules());
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        let stamp = self.stamp(who);
        let result = self.store.transact(&stamp, |tx| {
            // A stale edit is a conflict first, whatever else it changes.
            let current = tx.current::<Volunteer>(id, based_on)?;
            if current.data.anonymised.is_some() {
                return Ok(Err(None));
            }
            if !current.data.status.can_become(v.status) {
                return Ok(Err(Some(current.data.status)));
            }
            let detail = if current.data.status == v.status {
                String::new()
            } else {
                format!(
                    "status: {} -> {}",
                    current.data.status.key(),
                    v.status.key()
                )
            };
            let saved = tx.update(id, based_on, v.clone())?;
            self.audit(tx, who, action, Some((Kind::Volunteer, id)), detail)?;
            Ok(Ok(saved))
        })?;
        result.map_err(|from| {
            let Some(from) = from else {
                return ServiceError::Anonymised { id };
            };
            ServiceError::Invalid(vec![FieldError::new(
                Field::Status,
                Problem::Transition {
                    from: from.key().into(),
                    to: v.status.key().into(),
                },
            )])
        })
    }

    /// Moves a volunteer to another status along the pipeline.
    pub fn change_status(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        to: Status,
    ) -> Result<Stored<Volunteer>, ServiceError> {
        let current = self
            .read::<Volunteer>(who, id)?
            .ok_or(ServiceError::NotFound {
                kind: Kind::Volunteer,
                id,
            })?;
        let mut v = current.data;
        v.status = to;
        self.save_volunteer(who, id, based_on, v, "change_status")
    }

    /// Reads one volunteer.
    pub fn volunteer(
        &self,
        who: &Account,
        id: u64,
    ) -> Result<Option<Stored<Volunteer>>, ServiceError> {
        self.read::<Volunteer>(who, id)
    }

    /// How many volunteers the store holds.
    pub fn volunteer_count(&self, who: &Account) -> Result<usize, ServiceError> {
        self.reading(who, Reading::Query(Kind::Volunteer, "volunteer_count"))?;
        Ok(self.store.count::<Volunteer>())
    }
}
