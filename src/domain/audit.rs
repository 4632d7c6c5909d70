//! Audit events: who did what to which record, when. Append-only: the store writes them only
//! through its one appender and never changes or removes them.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// One entry of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEvent {
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
    /// Account name of the actor.
    pub actor: String,
    /// What was done, as a stable snake_case verb ("register_intake", "update_volunteer", …).
    pub action: String,
    /// The record it was done to, as `kind/id` ("volunteer/12"); empty for store-wide actions.
    pub subject: String,
    /// Short detail in English for the log (never personal data beyond the subject id).
    pub detail: String,
    /// The volunteer the event concerns, if any; "everything about a person" finds the event
    /// through it. Missing in events written before it existed.
    #[serde(default)]
    pub person: Option<u64>,
}
