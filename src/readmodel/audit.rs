//! The audit trail's rows: what 5 Verankeren › Auditlog shows of each event, newest first, and
//! their search text (who, what, which record, the detail).

use super::ReadModel;
use super::rows::{RowKind, Rows};
use super::search::{Role, SearchText};
use crate::domain::audit::AuditEvent;
use crate::store::Kind;
use std::sync::Arc;
use time::OffsetDateTime;

/// The audit events as the read model keeps them (registered in `readmodel/mod.rs`).
#[derive(Debug)]
pub struct AuditTrail;

impl RowKind for AuditTrail {
    type Record = AuditEvent;
    type Row = AuditRow;
    type Stats = ();

    fn row(id: u64, revision: u64, data: AuditEvent) -> AuditRow {
        AuditRow::from_parts(id, revision, data)
    }
    fn id(row: &AuditRow) -> u64 {
        row.id
    }
    fn revision(row: &AuditRow) -> u64 {
        row.revision
    }
    fn sort_key(row: &AuditRow) -> &Arc<str> {
        &row.sort_key
    }
    fn haystack(row: &AuditRow) -> &str {
        &row.haystack
    }
}

impl ReadModel {
    /// Every audit event, newest first.
    pub fn audit_trail(&self) -> &Rows<AuditTrail> {
        self.rows::<AuditTrail>()
    }
}

/// One audit event as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditRow {
    pub id: u64,
    pub revision: u64,
    pub at: OffsetDateTime,
    pub actor: String,
    pub action: String,
    /// The record it is about, when it is about one that koppel knows.
    pub subject: Option<(Kind, u64)>,
    /// The subject as stored (`volunteer/12`), also when this koppel does not know its kind.
    pub subject_text: String,
    pub detail: String,
    /// Newest first: the id counted down (ids follow the order events were written in).
    pub sort_key: Arc<str>,
    /// Folded actor, action, subject and detail.
    pub haystack: String,
}

/// `kind/id` as the audit trail writes a subject, if the kind is one this koppel knows.
pub fn parse_subject(subject: &str) -> Option<(Kind, u64)> {
    let (kind, id) = subject.split_once('/')?;
    let kind = Kind::ALL.iter().copied().find(|k| k.as_str() == kind)?;
    Some((kind, id.parse().ok()?))
}

impl AuditRow {
    /// The row of record `id` at `revision`, taking the event's strings.
    pub fn from_parts(id: u64, revision: u64, e: AuditEvent) -> AuditRow {
        let sort_key: Arc<str> = format!("{:020}", u64::MAX - id).into();
        // "volunteer/12" is searched as its words: "volunteer 12".
        let subject_words = e.subject.replace('/', " ");
        let haystack = SearchText::new()
            .words(Role::Main, &e.actor)
            .words(Role::Second, &e.action.replace('_', " "))
            .words(Role::Second, &subject_words)
            .words(Role::Second, &e.detail)
            .build();
        AuditRow {
            id,
            revision,
            at: e.at,
            subject: parse_subject(&e.subject),
            subject_text: e.subject,
            actor: e.actor,
            action: e.action,
            detail: e.detail,
            sort_key,
            haystack,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subjects_of_known_kinds_are_understood_and_others_kept_as_text() {
        assert_eq!(parse_subject("volunteer/12"), Some((Kind::Volunteer, 12)));
        assert_eq!(parse_subject("placement/3"), Some((Kind::Placement, 3)));
        assert_eq!(parse_subject("spaceship/3"), None);
        assert_eq!(parse_subject("volunteer/x"), None);
        assert_eq!(parse_subject(""), None);
    }
}
