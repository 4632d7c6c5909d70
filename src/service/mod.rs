//! The use cases. Every front end (TUI, CLI, SSH server) calls these with the acting account;
//! roles are enforced and the audit trail is written here, in the same transaction as the
//! change itself, so no front end can bypass either.

use crate::clock::SharedClock;
use crate::config::Config;
use crate::domain::audit::AuditEvent;
use crate::domain::volunteer::{DuplicateReason, Rules, Status, Volunteer};
use crate::domain::{Field, FieldError, Problem};
use crate::store::exchange::{ImportError, ImportSummary};
use crate::store::kinds::volunteer_index;
use crate::store::{Stamp, Store, StoreError, Stored, Tx, TxError};
use std::collections::BTreeMap;

/// What an account may do.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Front desk: registers and edits volunteers.
    Intake,
    /// Trajectbegeleider: as intake, plus trajectories of their own caseload.
    Consultant,
    /// Reviews caseloads, exports reports and personal data.
    Coordinator,
    /// Everything, including import and accounts.
    Admin,
}

impl Role {
    pub fn key(self) -> &'static str {
        match self {
            Role::Intake => "intake",
            Role::Consultant => "consultant",
            Role::Coordinator => "coordinator",
            Role::Admin => "admin",
        }
    }
}

/// The person acting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub role: Role,
}

impl Account {
    /// The account of someone working directly on the store's files (local TUI or CLI): they
    /// can read the files anyway, so they act as administrator under their login name.
    pub fn local() -> Account {
        let name = std::env::var("USER")
            .or_else(|_| std::env::var("LOGNAME"))
            .ok()
            .filter(|n| !n.is_empty())
            .or_else(login_name)
            .unwrap_or_else(|| "local".to_string());
        Account {
            name,
            role: Role::Admin,
        }
    }
}

/// The login name of the user running this process, from the password database.
fn login_name() -> Option<String> {
    let mut buf = vec![0 as libc::c_char; 1024];
    let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
    let mut result: *mut libc::passwd = std::ptr::null_mut();
    // SAFETY: getpwuid_r writes into `pwd` and `buf`, both owned here and large enough as
    // declared; `result` is null or points at `pwd`. The name is copied out before they drop.
    let rc = unsafe {
        libc::getpwuid_r(
            libc::getuid(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut result,
        )
    };
    if rc != 0 || result.is_null() || pwd.pw_name.is_null() {
        return None;
    }
    // SAFETY: pw_name points into `buf` and is NUL-terminated by getpwuid_r.
    let name = unsafe { std::ffi::CStr::from_ptr(pwd.pw_name) };
    Some(name.to_string_lossy().into_owned()).filter(|n| !n.is_empty())
}

/// Things a role may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    RegisterVolunteer,
    EditVolunteer,
    ExportAll,
    ImportAll,
}

impl Permission {
    pub fn key(self) -> &'static str {
        match self {
            Permission::RegisterVolunteer => "register_volunteer",
            Permission::EditVolunteer => "edit_volunteer",
            Permission::ExportAll => "export_all",
            Permission::ImportAll => "import_all",
        }
    }
}

/// Whether `role` may do `what`.
pub fn allowed(role: Role, what: Permission) -> bool {
    match what {
        Permission::RegisterVolunteer | Permission::EditVolunteer => true,
        Permission::ExportAll => matches!(role, Role::Coordinator | Role::Admin),
        Permission::ImportAll => role == Role::Admin,
    }
}

/// Why a use case did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("role {role:?} may not {what:?}")]
    Forbidden { role: Role, what: Permission },
    #[error("the input has {} problem(s)", .0.len())]
    Invalid(Vec<FieldError>),
    #[error("likely duplicate of {} registered person(s)", .0.len())]
    Duplicates(Vec<Duplicate>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// A registered person who is likely the same as the one being saved.
#[derive(Debug, Clone)]
pub struct Duplicate {
    pub existing: Stored<Volunteer>,
    pub reasons: Vec<DuplicateReason>,
}

/// The use cases over one store.
#[derive(Clone)]
pub struct Service {
    store: Store,
    clock: SharedClock,
    config: Config,
}

impl Service {
    pub fn new(store: Store, clock: SharedClock, config: Config) -> Self {
        Service {
            store,
            clock,
            config,
        }
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The name of the store's directory, as the bottom bar shows it.
    pub fn store_name(&self) -> Option<String> {
        self.store
            .path()
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    pub fn clock(&self) -> &SharedClock {
        &self.clock
    }

    /// Validation rules as of today.
    pub fn rules(&self) -> Rules {
        self.config.rules(self.clock.today())
    }

    fn stamp(&self, who: &Account) -> Stamp {
        Stamp {
            by: who.name.clone(),
            at: self.clock.now(),
        }
    }

    fn require(&self, who: &Account, what: Permission) -> Result<(), ServiceError> {
        if allowed(who.role, what) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden {
                role: who.role,
                what,
            })
        }
    }

    fn audit(
        &self,
        tx: &mut Tx<'_>,
        who: &Account,
        action: &str,
        subject: String,
        detail: String,
    ) -> Result<(), TxError> {
        tx.insert(AuditEvent {
            at: self.clock.now(),
            actor: who.name.clone(),
            action: action.to_string(),
            subject,
            detail,
        })?;
        Ok(())
    }

    /// Registered people who are likely the same as `v` (by name and birth date, e-mail or
    /// phone), found through the indexes. `except` leaves out the record being edited.
    pub fn find_duplicates(
        &self,
        v: &Volunteer,
        except: Option<u64>,
    ) -> Result<Vec<Duplicate>, ServiceError> {
        let mut ids = Vec::new();
        ids.extend(
            self.store
                .find::<Volunteer>(volunteer_index::NAME_BIRTH, &v.name_birth_key())?,
        );
        if !v.email.is_empty() {
            ids.extend(
                self.store
                    .find::<Volunteer>(volunteer_index::EMAIL, &v.email)?,
            );
        }
        if !v.phone.is_empty() {
            ids.extend(
                self.store
                    .find::<Volunteer>(volunteer_index::PHONE, &v.phone)?,
            );
        }
        ids.sort_unstable();
        ids.dedup();
        let mut out = Vec::new();
        for id in ids {
            if Some(id) == except {
                continue;
            }
            if let Some(existing) = self.store.get::<Volunteer>(id)? {
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
            let dups = self.find_duplicates(&v, None)?;
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
                format!("volunteer/{}", stored.meta.id),
                detail.into(),
            )?;
            Ok(stored)
        })?;
        Ok(stored)
    }

    /// Saves an edited volunteer, if nobody else saved it since revision `based_on`. A status
    /// change must follow the pipeline.
    pub fn update_volunteer(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        v: Volunteer,
    ) -> Result<Stored<Volunteer>, ServiceError> {
        self.require(who, Permission::EditVolunteer)?;
        let problems = v.problems(&self.rules());
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        let stamp = self.stamp(who);
        let result = self.store.transact(&stamp, |tx| {
            // A stale edit is a conflict first, whatever else it changes.
            let current = tx.current::<Volunteer>(id, based_on)?;
            if !current.data.status.can_become(v.status) {
                return Ok(Err(current.data.status));
            }
            let saved = tx.update(id, based_on, v.clone())?;
            self.audit(
                tx,
                who,
                "update_volunteer",
                format!("volunteer/{id}"),
                String::new(),
            )?;
            Ok(Ok(saved))
        })?;
        result.map_err(|from| {
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
            .store
            .get::<Volunteer>(id)?
            .ok_or(StoreError::NotFound {
                kind: "volunteer",
                id,
            })?;
        let mut v = current.data;
        v.status = to;
        self.update_volunteer(who, id, based_on, v)
    }

    /// Reads one volunteer.
    pub fn volunteer(&self, id: u64) -> Result<Option<Stored<Volunteer>>, ServiceError> {
        Ok(self.store.get::<Volunteer>(id)?)
    }

    /// Writes every record as JSON Lines (a complete backup).
    pub fn export_all(
        &self,
        who: &Account,
        out: &mut dyn std::io::Write,
    ) -> Result<Vec<(&'static str, u64)>, ServiceError> {
        self.require(who, Permission::ExportAll)?;
        Ok(crate::store::exchange::export(&self.store, out)?)
    }

    /// Imports a JSON Lines export, all or nothing, with an audit event in the same
    /// transaction. Only administrators may.
    pub fn import(
        &self,
        who: &Account,
        input: &mut dyn std::io::BufRead,
        dry_run: bool,
    ) -> Result<Result<ImportSummary, ImportError>, ServiceError> {
        self.require(who, Permission::ImportAll)?;
        let stamp = self.stamp(who);
        let event = AuditEvent {
            at: stamp.at,
            actor: who.name.clone(),
            action: "import".into(),
            subject: String::new(),
            detail: String::new(),
        };
        Ok(crate::store::exchange::import(
            &self.store,
            input,
            &self.rules(),
            &stamp,
            dry_run,
            Some(&event),
        ))
    }

    /// Counts of volunteers per status (from the indexes).
    pub fn status_counts(&self) -> Result<BTreeMap<Status, usize>, ServiceError> {
        let mut out = BTreeMap::new();
        for s in Status::ALL {
            out.insert(
                s,
                self.store
                    .find::<Volunteer>(volunteer_index::STATUS, s.key())?
                    .len(),
            );
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
