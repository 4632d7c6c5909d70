//! The use cases: the only door to the store. Every front end (TUI, CLI, SSH server) calls
//! these with the acting account; roles are enforced here, reads pass one place where a later
//! caseload limit or read log goes ([`Service::read`]), and the audit trail is written here by
//! one appender ([`Service::audit`]) in the same transaction as the change itself, so no front
//! end can bypass any of it. Store errors come out as typed [`ServiceError`]s; nothing above
//! this module matches on the store's own errors.
//!
//! This module must not know who the local user is (the command line finds that out) nor how
//! anything is shown.

use crate::clock::SharedClock;
use crate::config::Config;
use crate::domain::FieldError;
use crate::domain::audit::AuditEvent;
use crate::domain::volunteer::{Rules, Volunteer};
use crate::store::{Record, Store, StoreError, Tx, TxError};
use std::path::{Path, PathBuf};
use time::OffsetDateTime;

pub use crate::domain::audit::ChainProblem;
pub use crate::store::exchange::{
    Exported, ImportSummary, LineError, LineProblem, MAX_LINE_BYTES as MAX_IMPORT_LINE_BYTES,
    MAX_LINE_ERRORS as MAX_IMPORT_LINE_ERRORS,
};
pub use crate::store::kinds::audit::ChainReport;
pub use crate::store::kinds::{CheckProblem, CheckReport, IndexEntry, Skipped};
/// The size of a store's reserve space (see [`Service::has_reserve`]).
pub use crate::store::reserve::SIZE as RESERVE_SIZE;
pub use crate::store::{Access, Kind, MAX_ID, MIN_FREE, Meta, Stamp, Stored};

pub use crate::domain::staff::Role;

/// The person acting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub name: String,
    pub role: Role,
}

/// Things a role may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    RegisterVolunteer,
    EditVolunteer,
    ExportAll,
    ImportAll,
    /// Verify the whole store (`koppel check`).
    CheckStore,
    /// Fill a store with demo data.
    FillDemo,
    RegisterOrganisation,
    EditOrganisation,
    RegisterVacancy,
    EditVacancy,
    LogContact,
    EditContact,
    /// Propose volunteers for vacancies and move placements along.
    MatchPlacement,
    /// Add staff accounts, change their role and keys, deactivate them.
    ManageAccounts,
    /// Start trajectories and log their meetings, steps, goals, phases, hours and closing.
    WorkTrajectory,
    /// Hand a trajectory to another consultant.
    ReassignTrajectory,
    /// Read the audit trail (5 Verankeren › Auditlog).
    ReadAuditLog,
    /// Write and edit knowledge notes.
    WriteNote,
    /// Record and edit signals from the field.
    RecordSignal,
    /// Record and edit the centre's activities.
    RecordActivity,
    /// Compute the weekly summary and other period reports.
    ReadReports,
    /// Look up people: their records, intakes, possible duplicates, counts.
    ReadPeople,
    /// Look up the centre's other records: organisations, vacancies, contacts, placements,
    /// knowledge notes, signals, activities, the staff list.
    ReadRecords,
    /// Open a trajectory with its case notes (a consultant: their own, or another's after
    /// giving a reason, which is logged).
    ReadCaseNotes,
    /// Set the year's targets per municipality (1 Vertalen › Doelen).
    SetTargets,
    /// Write everything stored about one person for them (the right of access,
    /// `koppel privacy export`). Administrators; coordinators too when the configuration
    /// says so (`[privacy] coordinators_may_export`, see [`Service::may`]).
    ExportPerson,
    /// Anonymise a person or a record (a retention period run out, consent withdrawn).
    Anonymise,
    /// Erase a person (the right to erasure).
    Erase,
    /// Rewrite the store without the old versions its log keeps (`koppel compact`).
    CompactStore,
    /// See what is past its retention period (`koppel privacy review`, 5 Verankeren › Beheer).
    ReviewRetention,
}

impl Permission {
    pub fn key(self) -> &'static str {
        match self {
            Permission::RegisterVolunteer => "register_volunteer",
            Permission::EditVolunteer => "edit_volunteer",
            Permission::ExportAll => "export_all",
            Permission::ImportAll => "import_all",
            Permission::CheckStore => "check_store",
            Permission::FillDemo => "fill_demo",
            Permission::RegisterOrganisation => "register_organisation",
            Permission::EditOrganisation => "edit_organisation",
            Permission::RegisterVacancy => "register_vacancy",
            Permission::EditVacancy => "edit_vacancy",
            Permission::LogContact => "log_contact",
            Permission::EditContact => "edit_contact",
            Permission::MatchPlacement => "match_placement",
            Permission::ManageAccounts => "manage_accounts",
            Permission::WorkTrajectory => "work_trajectory",
            Permission::ReassignTrajectory => "reassign_trajectory",
            Permission::ReadAuditLog => "read_audit_log",
            Permission::WriteNote => "write_note",
            Permission::RecordSignal => "record_signal",
            Permission::RecordActivity => "record_activity",
            Permission::ReadReports => "read_reports",
            Permission::ReadPeople => "read_people",
            Permission::ReadRecords => "read_records",
            Permission::ReadCaseNotes => "read_case_notes",
            Permission::SetTargets => "set_targets",
            Permission::ExportPerson => "export_person",
            Permission::Anonymise => "anonymise",
            Permission::Erase => "erase",
            Permission::CompactStore => "compact_store",
            Permission::ReviewRetention => "review_retention",
        }
    }
}

/// Whether `role` may do `what`: the one permission table. Every use case of the service
/// checks it before acting (`Service::require`), and the screens ask it to hide or disable
/// what a role may not do.
///
/// - intake: people, intakes, organisations, vacancies, contacts, placements, notes, signals
///   and activities; no trajectories (no case notes);
/// - consultant: as intake, plus their own trajectories (another consultant's only after
///   giving a reason, see `Service::open_trajectory_with_reason`);
/// - coordinator: everything operational, handing trajectories over, reports, the audit log,
///   export and check;
/// - admin: as coordinator, plus staff accounts, import, demo data (and the privacy tools).
pub fn allowed(role: Role, what: Permission) -> bool {
    use Role::*;
    let roles: &[Role] = match what {
        // The front desk's work, which everyone at the centre does.
        Permission::ReadPeople | Permission::ReadRecords => {
            &[Intake, Consultant, Coordinator, Admin]
        }
        Permission::RegisterVolunteer | Permission::EditVolunteer => {
            &[Intake, Consultant, Coordinator, Admin]
        }
        // Everyone deals with organisations: the front desk takes their calls too.
        Permission::RegisterOrganisation | Permission::EditOrganisation => {
            &[Intake, Consultant, Coordinator, Admin]
        }
        Permission::RegisterVacancy | Permission::EditVacancy => {
            &[Intake, Consultant, Coordinator, Admin]
        }
        // Everyone logs contacts with organisations and sees the follow-ups.
        Permission::LogContact | Permission::EditContact => {
            &[Intake, Consultant, Coordinator, Admin]
        }
        // Matching people to vacancies is what the front desk of a volunteer centre does.
        Permission::MatchPlacement => &[Intake, Consultant, Coordinator, Admin],
        // What anyone at the centre learned is worth keeping.
        Permission::WriteNote => &[Intake, Consultant, Coordinator, Admin],
        // Signals come in at every desk.
        Permission::RecordSignal => &[Intake, Consultant, Coordinator, Admin],
        Permission::RecordActivity => &[Intake, Consultant, Coordinator, Admin],
        // Case work is for consultants; coordinators review it.
        Permission::WorkTrajectory | Permission::ReadCaseNotes => &[Consultant, Coordinator, Admin],
        // Coordinators hand caseloads over.
        Permission::ReassignTrajectory => &[Coordinator, Admin],
        Permission::ExportAll
        | Permission::CheckStore
        | Permission::ReadAuditLog
        | Permission::ReadReports
        | Permission::SetTargets => &[Coordinator, Admin],
        Permission::ImportAll | Permission::FillDemo | Permission::ManageAccounts => &[Admin],
        // The privacy tools; coordinators by configuration (`Service::may`).
        Permission::ExportPerson => &[Admin],
        // The privacy tools: what they do cannot be undone.
        Permission::Anonymise | Permission::Erase | Permission::CompactStore => &[Admin],
        // Coordinators see what is past its period; erasing it is for administrators.
        Permission::ReviewRetention => &[Coordinator, Admin],
    };
    roles.contains(&role)
}

/// Why a use case did not happen. Front ends turn these into sentences via
/// `i18n::errors::service_error`.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("role {role:?} may not {what:?}")]
    Forbidden { role: Role, what: Permission },
    #[error("the input has {} problem(s)", .0.len())]
    Invalid(Vec<FieldError>),
    #[error("likely duplicate of {} registered person(s)", .0.len())]
    Duplicates(Vec<Duplicate>),
    /// Someone else saved the record after the user opened it; nothing was overwritten.
    #[error(
        "{kind} {id} was changed by {by} at {at} (revision {found}) after you opened it (revision {expected})"
    )]
    Conflict {
        kind: Kind,
        id: u64,
        /// The revision the user's change was based on.
        expected: u64,
        /// The revision in the store.
        found: u64,
        by: String,
        at: OffsetDateTime,
    },
    /// A consultant opened another consultant's trajectory without giving a reason first
    /// (see `Service::open_trajectory_with_reason`).
    #[error("trajectory {id} belongs to {consultant}; a reason is needed to open it")]
    ReasonNeeded { id: u64, consultant: String },
    #[error("{kind} {id} does not exist")]
    NotFound { kind: Kind, id: u64 },
    #[error("{kind} {id} already exists")]
    AlreadyExists { kind: Kind, id: u64 },
    #[error("{kind} {id} is damaged: {reason}")]
    Damaged { kind: Kind, id: u64, reason: String },
    /// Another process holds the store.
    #[error("the store at {path} is in use by another koppel process")]
    InUse { path: PathBuf },
    /// The store was written by a newer koppel; it is not opened.
    #[error("the store at {path} has version {found}; this koppel knows up to version {known}")]
    TooNew {
        path: PathBuf,
        found: u32,
        known: u32,
    },
    /// The store lost records since it was last closed (a damaged log); it is not opened.
    #[error("the store at {path} has lost data: {kind} ids went up to {expected}, now {found}")]
    LostData {
        path: PathBuf,
        kind: Kind,
        expected: u64,
        found: u64,
    },
    /// A save could not be made durable: the store accepts no more writes until restarted.
    #[error("the store could not be written to disk ({reason}); koppel stopped saving")]
    Stopped { reason: String },
    /// The store was closed.
    #[error("the store is closed")]
    Closed,
    /// An import file has wrong lines; nothing was imported.
    #[error("{} line(s) are wrong; nothing was imported", .0.len())]
    ImportLines(Vec<LineError>),
    /// Every record of an import file is in the store already; nothing was imported.
    #[error("all {count} records are already in this store; nothing was imported")]
    AlreadyImported { count: usize },
    /// The store (or the file written to) cannot be read or written.
    #[error("the store cannot be read or written: {reason}")]
    Io { reason: String },
    /// The disk of the store has `free` bytes free; `needed` are needed.
    #[error("the disk of the store at {path} is full: {free} bytes free, {needed} needed")]
    DiskFull {
        path: PathBuf,
        free: u64,
        needed: u64,
    },
    /// A CSV file has problems; nothing was imported.
    #[error("{} problem(s) in the CSV file; nothing was imported", .0.len())]
    CsvRows(Vec<csv_import::CsvProblem>),
    /// Another record of the kind already has this value of a unique index (a login name).
    #[error("{kind} {holder} already has {index} {value:?}")]
    Taken {
        kind: Kind,
        index: &'static str,
        value: String,
        holder: u64,
    },
    /// This thank-you was logged before (activity `id`).
    #[error("already thanked in activity {id}")]
    AlreadyThanked { id: u64 },
    /// There is no person with this id (anonymising or erasing one); nothing was written.
    #[error("there is no person {id}")]
    NoPerson { id: u64 },
    /// The person's data was anonymised: their record can no longer be changed.
    #[error("person {id} was anonymised")]
    Anonymised { id: u64 },
    /// A compaction's copy did not verify; the store was left as it was.
    #[error("the compacted copy did not verify ({reason}); the store was left as it was")]
    CompactVerify { reason: String },
    /// The store's file system cannot swap two folders atomically; nothing was compacted.
    #[error("the file system cannot swap folders atomically ({reason}); nothing was compacted")]
    NoAtomicSwap { reason: String },
}

impl From<StoreError> for ServiceError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::InUse { path } => ServiceError::InUse { path },
            StoreError::TooNew { path, found, known } => {
                ServiceError::TooNew { path, found, known }
            }
            StoreError::LostData {
                path,
                kind,
                expected,
                found,
            } => ServiceError::LostData {
                path,
                kind,
                expected,
                found,
            },
            StoreError::Conflict {
                kind,
                id,
                expected,
                found,
                by,
                at,
            } => ServiceError::Conflict {
                kind,
                id,
                expected,
                found,
                by,
                at,
            },
            StoreError::NotFound { kind, id } => ServiceError::NotFound { kind, id },
            StoreError::AlreadyExists { kind, id } => ServiceError::AlreadyExists { kind, id },
            StoreError::Damaged { kind, id, reason } => ServiceError::Damaged { kind, id, reason },
            StoreError::Io(reason) => ServiceError::Io { reason },
            StoreError::DiskFull { path, free, needed } => {
                ServiceError::DiskFull { path, free, needed }
            }
            StoreError::Stopped { reason } => ServiceError::Stopped { reason },
            StoreError::Closed => ServiceError::Closed,
            StoreError::Taken {
                kind,
                index,
                value,
                holder,
            } => ServiceError::Taken {
                kind,
                index,
                value,
                holder,
            },
        }
    }
}

impl ServiceError {
    /// Whether this is an edit conflict (someone else saved first).
    pub fn is_conflict(&self) -> bool {
        matches!(self, ServiceError::Conflict { .. })
    }
}

/// What a read use case reads, as told to [`Service::reading`]: the kind decides the
/// permission ([`read_permission`]).
// The id and the use case's name say what is read, for error reports and a later read log.
#[allow(dead_code)]
#[derive(Debug, Clone, Copy)]
enum Reading {
    /// One record (or everything about the person with this id).
    Record(Kind, u64),
    /// A list or count over many records of a kind, by use case name.
    Query(Kind, &'static str),
}

/// The permission that reading records of `kind` needs.
pub fn read_permission(kind: Kind) -> Permission {
    match kind {
        Kind::Volunteer => Permission::ReadPeople,
        Kind::Audit => Permission::ReadAuditLog,
        Kind::Trajectory => Permission::ReadCaseNotes,
        _ => Permission::ReadRecords,
    }
}

/// The use cases over one store.
#[derive(Clone)]
pub struct Service {
    store: Store,
    clock: SharedClock,
    config: Config,
    /// Account changes are made one at a time (see `service::staff`).
    accounts: std::sync::Arc<std::sync::Mutex<()>>,
}

impl Service {
    /// Opens the store in `dir` (created 0700 if new) and serves it.
    pub fn open(dir: &Path, clock: SharedClock, config: Config) -> Result<Self, ServiceError> {
        Ok(Service::new(Store::open(dir)?, clock, config))
    }

    /// Opens the store in `dir` for `access`: writing is refused when its disk is short of
    /// space ([`ServiceError::DiskFull`]).
    pub fn open_with(
        dir: &Path,
        clock: SharedClock,
        config: Config,
        access: crate::store::Access,
    ) -> Result<Self, ServiceError> {
        Ok(Service::new(Store::open_with(dir, access)?, clock, config))
    }

    /// When the disk was too full to open the store and its reserve space was given back to
    /// open it (only ever to read): the bytes free once it was open.
    pub fn opened_on_reserve(&self) -> Option<u64> {
        self.store.opened_on_reserve()
    }

    /// Whether the store keeps its reserve space (a file in its folder that is given back to
    /// the disk when the disk is too full to open the store).
    pub fn has_reserve(&self) -> bool {
        self.store.has_reserve()
    }

    /// Serves an open store.
    pub fn new(store: Store, clock: SharedClock, config: Config) -> Self {
        Service {
            store,
            clock,
            config,
            accounts: Default::default(),
        }
    }

    /// Writes demo records of one kind in one durable transaction with one audit event
    /// `demo_fill` ("12 demo notes"). Administrators only; every record is checked with
    /// `problems` first, and nothing is written when one has any.
    fn fill_demo_kind<T: crate::store::Editable>(
        &self,
        who: &Account,
        batch: &[T],
        what: &str,
        problems: impl Fn(&T) -> Vec<FieldError>,
    ) -> Result<usize, ServiceError> {
        self.require(who, Permission::FillDemo)?;
        if let Some(found) = batch.iter().map(problems).find(|p| !p.is_empty()) {
            return Err(ServiceError::Invalid(found));
        }
        if batch.is_empty() {
            return Ok(0);
        }
        let stamp = self.stamp(who);
        Ok(self.store.transact(&stamp, |tx| {
            for r in batch {
                tx.insert(r.clone())?;
            }
            self.audit(
                tx,
                who,
                "demo_fill",
                None,
                format!("{} demo {what}", batch.len()),
            )?;
            Ok(batch.len())
        })?)
    }

    /// Held while an account change is checked and made.
    fn accounts_lock(&self) -> std::sync::MutexGuard<'_, ()> {
        // Guards no data of its own: a panic while holding it leaves nothing inconsistent.
        self.accounts.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Whether `dir` holds a store (without opening or creating anything).
    pub fn exists(dir: &Path) -> bool {
        Store::exists(dir)
    }

    /// The store for the read model, which follows its change feed and reads records to
    /// build in-memory lists. Only the wiring that starts the read model calls this; front
    /// ends read and write through the use cases.
    pub fn read_model_source(&self) -> Store {
        self.store.clone()
    }

    /// The store to load the rows a period report counts from, for `who` if their role may
    /// read reports (coordinators and administrators).
    pub fn report_source(&self, who: &Account) -> Result<Store, ServiceError> {
        self.require(who, Permission::ReadReports)?;
        Ok(self.store.clone())
    }

    /// Why the store stopped accepting saves, if it has (see [`ServiceError::Stopped`]).
    pub fn stopped(&self) -> Option<String> {
        self.store.stopped()
    }

    /// Flushes the store and ends the change feed (the read model's thread then stops).
    /// Later saves are refused with [`ServiceError::Closed`].
    pub fn close(&self) -> Result<(), ServiceError> {
        Ok(self.store.close()?)
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
        if self.may(who, what) {
            Ok(())
        } else {
            Err(ServiceError::Forbidden {
                role: who.role,
                what,
            })
        }
    }

    /// Appends one audit event in the transaction `tx`: the one place every use case writes
    /// the audit trail (through the store's one appender, `Tx::append_audit`).
    fn audit(
        &self,
        tx: &mut Tx<'_>,
        who: &Account,
        action: &str,
        subject: Option<(Kind, u64)>,
        detail: String,
    ) -> Result<(), TxError> {
        let mut event = self.audit_event(who, tx.stamp().at, action, subject, detail);
        event.fields = tx.take_changed_fields();
        tx.append_audit(event)?;
        Ok(())
    }

    fn audit_event(
        &self,
        who: &Account,
        at: OffsetDateTime,
        action: &str,
        subject: Option<(Kind, u64)>,
        detail: String,
    ) -> AuditEvent {
        AuditEvent {
            at,
            actor: who.name.clone(),
            action: action.to_string(),
            subject: subject
                .map(|(kind, id)| format!("{kind}/{id}"))
                .unwrap_or_default(),
            detail,
            person: subject.and_then(|(kind, id)| (kind == Kind::Volunteer).then_some(id)),
            fields: Vec::new(),
            chain: Default::default(),
        }
    }

    /// The one place every read use case passes, with what it reads on `who`'s behalf: the
    /// role must have the kind's read permission ([`read_permission`]). Reading a
    /// trajectory's case notes is checked further and logged by `service::access`.
    fn reading(&self, who: &Account, what: Reading) -> Result<(), ServiceError> {
        let kind = match what {
            Reading::Record(kind, _) | Reading::Query(kind, _) => kind,
        };
        self.require(who, read_permission(kind))
    }

    /// Whether `who` may do `what`: the permission table ([`allowed`]), and what the
    /// configuration adds to it (coordinators' access exports, `[privacy]`).
    pub fn may(&self, who: &Account, what: Permission) -> bool {
        allowed(who.role, what)
            || (what == Permission::ExportPerson
                && who.role == Role::Coordinator
                && self.config.privacy.coordinators_may_export)
    }

    /// Reads one record for `who`, through [`Service::reading`].
    fn read<T: Record>(&self, who: &Account, id: u64) -> Result<Option<Stored<T>>, ServiceError> {
        self.reading(who, Reading::Record(T::KIND, id))?;
        Ok(self.store.get::<T>(id)?)
    }

    /// Every record about volunteer `person` (audit events and, later, trajectories, notes
    /// …), by kind and id; not the person's own record.
    pub fn about_person(
        &self,
        who: &Account,
        person: u64,
    ) -> Result<Vec<(Kind, u64)>, ServiceError> {
        self.reading(who, Reading::Record(Kind::Volunteer, person))?;
        Ok(self.store.about_person(person)?)
    }

    /// The audit events about volunteer `person`, oldest first.
    pub fn audit_of_person(
        &self,
        who: &Account,
        person: u64,
    ) -> Result<Vec<Stored<AuditEvent>>, ServiceError> {
        self.require(who, Permission::ReadAuditLog)?;
        let mut out = Vec::new();
        for (kind, id) in self.about_person(who, person)? {
            if kind == Kind::Audit
                && let Some(event) = self.read::<AuditEvent>(who, id)?
            {
                out.push(event);
            }
        }
        Ok(out)
    }

    /// Writes every record as JSON Lines (a complete backup). Coordinators and
    /// administrators only.
    pub fn export_all(
        &self,
        who: &Account,
        out: &mut dyn std::io::Write,
    ) -> Result<Vec<(Kind, u64)>, ServiceError> {
        self.require(who, Permission::ExportAll)?;
        Ok(crate::store::exchange::export(&self.store, out)?)
    }

    /// Like [`Service::export_all`], but records that cannot be read are left out and listed,
    /// so everything readable is saved from a damaged store.
    pub fn export_readable(
        &self,
        who: &Account,
        out: &mut dyn std::io::Write,
    ) -> Result<Exported, ServiceError> {
        self.require(who, Permission::ExportAll)?;
        Ok(crate::store::exchange::export_readable(&self.store, out)?)
    }

    /// Imports a JSON Lines export, all or nothing, with an audit event in the same
    /// transaction. Only administrators may. Wrong lines come back as
    /// [`ServiceError::ImportLines`].
    pub fn import(
        &self,
        who: &Account,
        input: &mut dyn std::io::BufRead,
        dry_run: bool,
    ) -> Result<ImportSummary, ServiceError> {
        self.require(who, Permission::ImportAll)?;
        let stamp = self.stamp(who);
        let event = self.audit_event(who, stamp.at, "import", None, String::new());
        crate::store::exchange::import(
            &self.store,
            input,
            &self.rules(),
            &stamp,
            dry_run,
            Some(event),
        )
        .map_err(|e| match e {
            crate::store::exchange::ImportError::Lines(lines) => ServiceError::ImportLines(lines),
            crate::store::exchange::ImportError::AllExist { count } => {
                ServiceError::AlreadyImported { count }
            }
            crate::store::exchange::ImportError::Store(e) => e.into(),
        })
    }

    /// Verifies the whole store: every record decodes, every index and the reference index
    /// agree. Coordinators and administrators only.
    /// The hash chain of the audit trail is verified too (see [`Service::verify_audit`]).
    pub fn check(&self, who: &Account) -> Result<CheckReport, ServiceError> {
        self.require(who, Permission::CheckStore)?;
        let mut report = crate::store::exchange::check(&self.store)?;
        let chain = crate::store::kinds::audit::verify(&self.store)?;
        report
            .problems
            .extend(chain.problems.into_iter().map(CheckProblem::AuditChain));
        Ok(report)
    }

    /// Verifies the hash chain of the audit trail: names every changed, removed or
    /// reordered entry. Coordinators and administrators only.
    pub fn verify_audit(&self, who: &Account) -> Result<ChainReport, ServiceError> {
        self.require(who, Permission::CheckStore)?;
        Ok(crate::store::kinds::audit::verify(&self.store)?)
    }

    /// Writes a batch of demo volunteers in one durable transaction with one audit event
    /// `demo_fill`; returns the first and last id written. Administrators only. Every record
    /// is checked against the rules first; duplicates are not looked for (demo data may
    /// repeat a name).
    pub fn fill_demo(
        &self,
        who: &Account,
        batch: &[Volunteer],
    ) -> Result<Option<(u64, u64)>, ServiceError> {
        self.require(who, Permission::FillDemo)?;
        if batch.is_empty() {
            return Ok(None);
        }
        let rules = self.rules();
        if let Some(problems) = batch
            .iter()
            .map(|v| v.problems(&rules))
            .find(|p| !p.is_empty())
        {
            return Err(ServiceError::Invalid(problems));
        }
        let stamp = self.stamp(who);
        let ids = self.store.transact(&stamp, |tx| {
            let mut ids = (0, 0);
            for (i, v) in batch.iter().enumerate() {
                let id = tx.insert(v.clone())?.meta.id;
                if i == 0 {
                    ids.0 = id;
                }
                ids.1 = id;
            }
            self.audit(
                tx,
                who,
                "demo_fill",
                None,
                format!(
                    "{} demo volunteers, ids {} to {}",
                    batch.len(),
                    ids.0,
                    ids.1
                ),
            )?;
            Ok(ids)
        })?;
        Ok(Some(ids))
    }
}

mod access;
pub mod activity;
mod backup;
mod contact;
pub mod csv_import;
pub mod note;
mod organisation;
mod placement;
pub mod privacy;
pub mod privacy_access;
mod retention;
pub mod signal;
mod staff;
pub mod target;
#[cfg(test)]
mod tests;
pub mod trajectory;
mod vacancy;
mod volunteer;

pub use staff::LocalAccount;
pub use volunteer::Duplicate;
