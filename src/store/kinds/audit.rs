//! The audit kind: append-only. Audit events are written only through `append`, the one
//! appender: every use case reaches it through [`Tx::append_audit`], import through its line
//! writer (which keeps an exported event's content and stamps). They are not [`Editable`], so
//! the generic insert, update, delete and restore cannot touch them. A hash chain over the
//! trail belongs in `append`.
//!
//! The generic paths refuse audit events at compile time:
//!
//! ```compile_fail
//! # use koppel::domain::audit::AuditEvent;
//! # fn f(store: &koppel::store::Store, stamp: &koppel::store::Stamp) {
//! store.delete::<AuditEvent>(1, 1, stamp).ok();
//! # }
//! ```
//!
//! ```compile_fail
//! # use koppel::domain::audit::AuditEvent;
//! # fn f(store: &koppel::store::Store, stamp: &koppel::store::Stamp, e: AuditEvent) {
//! store.update(1, 1, e, stamp).ok();
//! # }
//! ```
//!
//! while the same calls compile for an editable kind:
//!
//! ```
//! # use koppel::domain::Volunteer;
//! # fn f(store: &koppel::store::Store, stamp: &koppel::store::Stamp, v: Volunteer) {
//! store.update(1, 1, v, stamp).ok();
//! store.delete::<Volunteer>(1, 1, stamp).ok();
//! # }
//! ```
//!
//! [`Editable`]: crate::store::Editable

use super::Of;
use crate::codec::{self, CodecError};
use crate::domain::audit::AuditEvent;
use crate::store::record::{IndexDef, Kind, Record, Stamp, Stored};
use crate::store::{Tx, TxError};

/// The type-erased operations of audit events: import appends them.
pub(super) static OPS: Of<AuditEvent> = Of::appended(append_imported);

/// An exported event is appended as it was: same content, same stamps; its id is the next
/// audit id of this store (the same id when imported into an empty store, in export order).
fn append_imported(tx: &mut Tx<'_>, stored: &Stored<AuditEvent>) -> Result<(), TxError> {
    append(tx, stored.data.clone(), stored.meta.created.clone()).map(|_| ())
}

/// The one appender of the audit trail: the next audit id, revision 1, stamped `stamp`.
fn append(tx: &mut Tx<'_>, event: AuditEvent, stamp: Stamp) -> Result<Stored<AuditEvent>, TxError> {
    tx.insert_stamped(event, stamp)
}

/// The audit indexes.
pub mod index {
    use crate::store::record::IndexDef;

    /// The record acted on, as `kind/id`.
    pub const SUBJECT: IndexDef = IndexDef::new("subject");
    /// The account that acted.
    pub const ACTOR: IndexDef = IndexDef::new("actor");
}

impl Record for AuditEvent {
    const KIND: Kind = Kind::Audit;
    /// 1: no person reference.
    /// 2: today's layout, with the optional person the event concerns.
    const FORMAT_VERSION: u16 = 2;
    const INDEXES: &'static [&'static IndexDef] = &[&index::SUBJECT, &index::ACTOR];
    /// Loaded whole for the audit log's list: no separate summaries are kept
    /// (`SUMMARY_VERSION` 0).
    type Summary = AuditEvent;

    fn summary(&self) -> AuditEvent {
        self.clone()
    }

    fn index_entries(&self) -> Vec<(&'static IndexDef, String)> {
        let mut entries = vec![(&index::ACTOR, self.actor.clone())];
        if !self.subject.is_empty() {
            entries.push((&index::SUBJECT, self.subject.clone()));
        }
        entries
    }

    fn about(&self) -> Vec<u64> {
        self.person.into_iter().collect()
    }

    fn upgrade(version: u16, payload: &[u8]) -> Result<Self, CodecError> {
        match version {
            1 => Ok(codec::decode::<v1::AuditEventV1>(payload)?.into()),
            v => Err(CodecError(format!(
                "format version {v} of audit is unknown to this koppel"
            ))),
        }
    }

    fn upgrade_json(version: u16, data: serde_json::Value) -> Result<Self, String> {
        match version {
            // Layout 1 lacks only `person`, which reads as absent.
            1 => serde_json::from_value::<AuditEvent>(data).map_err(|e| format!("data: {e}")),
            v => Err(format!(
                "format version {v} of audit is unknown to this koppel"
            )),
        }
    }
}

impl Tx<'_> {
    /// Appends an audit event under the next audit id, in this transaction. The one place
    /// audit events are written: every use case and import call it.
    pub fn append_audit(&mut self, event: AuditEvent) -> Result<Stored<AuditEvent>, TxError> {
        let stamp = self.stamp().clone();
        append(self, event, stamp)
    }
}

/// Layout 1 of the audit event, kept to read old stores.
pub mod v1 {
    use crate::domain::audit::AuditEvent;
    use serde::{Deserialize, Serialize};
    use time::OffsetDateTime;

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct AuditEventV1 {
        #[serde(with = "time::serde::rfc3339")]
        pub at: OffsetDateTime,
        pub actor: String,
        pub action: String,
        pub subject: String,
        pub detail: String,
    }

    impl From<AuditEventV1> for AuditEvent {
        fn from(e: AuditEventV1) -> Self {
            AuditEvent {
                at: e.at,
                actor: e.actor,
                action: e.action,
                subject: e.subject,
                detail: e.detail,
                person: None,
            }
        }
    }
}
