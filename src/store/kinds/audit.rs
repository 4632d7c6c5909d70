//! The audit kind: append-only. Audit events are written only through `append`, the one
//! appender: every use case reaches it through [`Tx::append_audit`], import through its line
//! writer (which keeps an exported event's content and stamps). They are not [`Editable`], so
//! the generic insert, update, delete and restore cannot touch them. `append` links each
//! entry to the one before (the hash chain, `docs/audit.md`); [`verify`] checks the chain and
//! [`ensure_chained`] chains the entries of a store written before the chain existed.
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
use crate::domain::audit::{AuditEvent, ChainProblem, Follower, GENESIS};
use crate::store::record::{IndexDef, Kind, Record, Stamp, Stored};
use crate::store::{Store, StoreError, Tx, TxError, id_from_key, seq_key};

/// The type-erased operations of audit events: import appends them.
pub(super) static OPS: Of<AuditEvent> = Of::appended(append_imported);

/// An exported event is appended as it was: same content, same stamps; its id is the next
/// audit id of this store (the same id when imported into an empty store, in export order).
fn append_imported(tx: &mut Tx<'_>, stored: &Stored<AuditEvent>) -> Result<(), TxError> {
    append(tx, stored.data.clone(), stored.meta.created.clone()).map(|_| ())
}

/// The one appender of the audit trail: the next audit id, revision 1, stamped `stamp`,
/// linked to the entry before it.
fn append(
    tx: &mut Tx<'_>,
    mut event: AuditEvent,
    stamp: Stamp,
) -> Result<Stored<AuditEvent>, TxError> {
    let last = last_id(tx)?;
    let prev = previous_hash(tx, last)?;
    event.link(last + 1, &prev);
    let stored = tx.insert_stamped(event, stamp)?;
    if stored.meta.id != last + 1 {
        return Err(StoreError::Io(format!(
            "the audit trail's counter moved while appending (expected id {}, got {})",
            last + 1,
            stored.meta.id
        ))
        .into());
    }
    Ok(stored)
}

/// The last audit id handed out, in the transaction.
fn last_id(tx: &Tx<'_>) -> Result<u64, TxError> {
    Ok(tx
        .meta()
        .get(seq_key(Kind::Audit))?
        .and_then(|v| id_from_key(&v))
        .unwrap_or(0))
}

/// The hash of entry `last` (the chain's head), or [`GENESIS`] for an empty trail.
fn previous_hash(tx: &Tx<'_>, last: u64) -> Result<String, TxError> {
    if last == 0 {
        return Ok(GENESIS.to_string());
    }
    Ok(tx
        .get::<AuditEvent>(last)?
        .map(|e| e.data.chain.hash)
        .unwrap_or_default())
}

/// What [`verify`] found: the entries read and what is wrong.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ChainReport {
    pub entries: u64,
    /// The hash of the last entry: write it down to notice later that entries were cut off
    /// the end (the chain itself cannot tell).
    pub head: String,
    pub problems: Vec<ChainProblem>,
}

/// Checks the hash chain of the whole trail: every entry against its hashes, every link to
/// the entry before, no id missing (against the trail's id counter too).
pub fn verify(store: &Store) -> Result<ChainReport, StoreError> {
    let mut follower = Follower::default();
    let mut report = ChainReport::default();
    let (rec, _) = store.raw_trees(Kind::Audit);
    for item in rec.iter() {
        let (key, _) = item?;
        let Some(id) = id_from_key(&key) else {
            continue;
        };
        report.entries += 1;
        match store.get::<AuditEvent>(id) {
            Ok(Some(e)) => {
                report.head = e.data.chain.hash.clone();
                follower.next(id, &e.data);
            }
            Ok(None) => {}
            Err(StoreError::Damaged { .. }) => follower.unreadable(id),
            Err(e) => return Err(e),
        }
    }
    report.problems = follower.finish(store.last_id(Kind::Audit)?);
    Ok(report)
}

/// Chains the entries written before the chain existed, in id order, once (a store version
/// below [`CHAINED_VERSION`]); then raises the store version. Entries already chained are
/// kept. Runs in batches, so a very long trail is not one enormous transaction; a store
/// closed half-way is finished the next time it opens.
pub(crate) fn ensure_chained(store: &Store) -> Result<(), StoreError> {
    if store.version()? >= CHAINED_VERSION {
        return Ok(());
    }
    let stamp = Stamp {
        by: String::new(),
        at: time::OffsetDateTime::UNIX_EPOCH,
    };
    let ids: Vec<u64> = {
        let (rec, _) = store.raw_trees(Kind::Audit);
        rec.iter()
            .keys()
            .filter_map(|k| k.ok().and_then(|k| id_from_key(&k)))
            .collect()
    };
    for batch in ids.chunks(1_000) {
        store.transact(&stamp, |tx| {
            for &id in batch {
                let Some(mut e) = tx.get::<AuditEvent>(id)? else {
                    continue;
                };
                if e.data.is_chained() {
                    continue;
                }
                let prev = previous_hash(tx, id - 1)?;
                e.data.link(id, &prev);
                let old = e.data.clone();
                tx.write(&e, Some(&old))?;
            }
            Ok(())
        })?;
    }
    store.set_version(CHAINED_VERSION)
}

/// The store version from which the audit trail is hash-chained.
pub const CHAINED_VERSION: u32 = 2;

/// The names of the top-level fields that differ between `old` and `new` (a change's
/// "which fields" for the audit trail).
pub fn changed_fields<T: serde::Serialize>(old: &T, new: &T) -> Vec<String> {
    let (Ok(serde_json::Value::Object(old)), Ok(serde_json::Value::Object(new))) =
        (serde_json::to_value(old), serde_json::to_value(new))
    else {
        return Vec::new();
    };
    let mut out: Vec<String> = new
        .iter()
        .filter(|(k, v)| old.get(*k) != Some(*v))
        .map(|(k, _)| k.clone())
        .collect();
    out.extend(old.keys().filter(|k| !new.contains_key(*k)).cloned());
    out.sort();
    out
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
    /// 2: with the optional person the event concerns.
    /// 3: today's layout, with the fields changed and the link in the hash chain.
    const FORMAT_VERSION: u16 = 3;
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
            2 => Ok(codec::decode::<v2::AuditEventV2>(payload)?.into()),
            v => Err(CodecError(format!(
                "format version {v} of audit is unknown to this koppel"
            ))),
        }
    }

    fn upgrade_json(version: u16, data: serde_json::Value) -> Result<Self, String> {
        match version {
            // Layout 1 lacks `person`, layouts 1 and 2 lack `fields` and `chain`: they read as
            // absent (the appender chains the entry when it is imported).
            1 | 2 => serde_json::from_value::<AuditEvent>(data).map_err(|e| format!("data: {e}")),
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
            super::v2::AuditEventV2 {
                at: e.at,
                actor: e.actor,
                action: e.action,
                subject: e.subject,
                detail: e.detail,
                person: None,
            }
            .into()
        }
    }
}

/// Layout 2 of the audit event (with the person, before the chain), kept to read old stores.
pub mod v2 {
    use crate::domain::audit::AuditEvent;
    use serde::{Deserialize, Serialize};
    use time::OffsetDateTime;

    #[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
    pub struct AuditEventV2 {
        #[serde(with = "time::serde::rfc3339")]
        pub at: OffsetDateTime,
        pub actor: String,
        pub action: String,
        pub subject: String,
        pub detail: String,
        #[serde(default)]
        pub person: Option<u64>,
    }

    impl From<AuditEventV2> for AuditEvent {
        fn from(e: AuditEventV2) -> Self {
            AuditEvent {
                at: e.at,
                actor: e.actor,
                action: e.action,
                subject: e.subject,
                detail: e.detail,
                person: e.person,
                fields: Vec::new(),
                chain: Default::default(),
            }
        }
    }
}

#[cfg(test)]
mod tests;
