//! The right of access (AVG article 15): everything koppel stores about one person, gathered
//! by the service (`Service::access_export`) and written as JSON and as a letter
//! (`report::access`). The layout is versioned ([`ACCESS_FORMAT`]) and documented in
//! `docs/access-export.md`.

use super::activity::Activity;
use super::audit::AuditEvent;
use super::placement::Placement;
use super::trajectory::Trajectory;
use super::volunteer::Volunteer;
use serde::Serialize;
use time::OffsetDateTime;

/// The layout version of the access export's JSON; goes up when a field changes meaning or
/// goes away (a new field keeps it).
pub const ACCESS_FORMAT: u16 = 1;

/// Who wrote a record and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Written {
    /// The staff member's login name.
    pub by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// One stored record with its bookkeeping.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Entry<T> {
    pub id: u64,
    pub revision: u64,
    pub created: Written,
    pub updated: Written,
    pub data: T,
}

/// One entry of the audit trail about the person, without its hash-chain link (which says
/// nothing about them).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditLine {
    pub id: u64,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub detail: String,
    pub fields: Vec<String>,
}

impl AuditLine {
    pub fn new(id: u64, e: &AuditEvent) -> AuditLine {
        AuditLine {
            id,
            at: e.at,
            actor: e.actor.clone(),
            action: e.action.clone(),
            subject: e.subject.clone(),
            detail: e.detail.clone(),
            fields: e.fields.clone(),
        }
    }
}

/// A record of a kind the access export has no section of its own for (a kind that learned
/// to name a person after this layout was made), in its export-line form.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OtherRecord {
    pub kind: String,
    pub id: u64,
    pub data: serde_json::Value,
}

/// Everything stored about one person.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PersonFile {
    /// [`ACCESS_FORMAT`].
    pub format: u16,
    /// When the export was made, and by whom.
    #[serde(with = "time::serde::rfc3339")]
    pub made_at: OffsetDateTime,
    pub made_by: String,
    /// Years a record of an inactive person is kept (configuration).
    pub retention_years: u8,
    /// Their own record.
    pub person: Entry<Volunteer>,
    pub placements: Vec<Entry<Placement>>,
    pub trajectories: Vec<Entry<Trajectory>>,
    /// Activities about them (a thank-you).
    pub activities: Vec<Entry<Activity>>,
    /// Records of other kinds that name them.
    pub other: Vec<OtherRecord>,
    /// The audit trail's entries about them, oldest first.
    pub audit: Vec<AuditLine>,
}
