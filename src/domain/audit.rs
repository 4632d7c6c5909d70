//! Audit events: who did what to which record, when, and which fields. Append-only: the
//! store writes them only through its one appender and never changes or removes them. Each
//! entry carries the hash of the one before (a hash chain, `docs/audit.md`), so a changed,
//! removed or reordered entry is found and named.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
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
    /// The names of the fields a change touched (empty for a new record, a read or a
    /// store-wide action). Missing in events written before it existed.
    #[serde(default)]
    pub fields: Vec<String>,
    /// The entry's link in the hash chain, set by the store's appender.
    #[serde(default)]
    pub chain: Link,
}

/// The link of an entry in the hash chain of the audit trail (see `docs/audit.md`), set by
/// the store's one appender. Hashes are SHA-256, written as 64 lowercase hex digits.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// The hash of the entry before (the previous id); [`GENESIS`] for the first entry.
    pub prev: String,
    /// The hash of the personal payload ([`payload_hash`]): kept when the payload is erased.
    pub payload: String,
    /// The hash of this entry ([`entry_hash`]).
    pub hash: String,
    /// The personal payload was erased (a person's right to erasure): subject, detail,
    /// person and fields are empty, and `payload` is the hash they had.
    #[serde(default)]
    pub redacted: bool,
}

/// The `prev` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

impl AuditEvent {
    /// Whether the store's appender has chained this entry.
    pub fn is_chained(&self) -> bool {
        !self.chain.hash.is_empty()
    }

    /// Links this entry, to be stored as audit id `id` after an entry with hash `prev`.
    pub fn link(&mut self, id: u64, prev: &str) {
        let payload = payload_hash(self);
        let hash = entry_hash(id, self, prev, &payload);
        self.chain = Link {
            prev: prev.to_string(),
            payload,
            hash,
            redacted: false,
        };
    }
}

fn put(h: &mut Sha256, bytes: &[u8]) {
    h.update((bytes.len() as u64).to_be_bytes());
    h.update(bytes);
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The hash of an entry's personal payload: the record it concerns (`subject`, `person`), the
/// detail and the names of the fields changed. Each part is length-prefixed, so no two
/// payloads hash the same bytes.
pub fn payload_hash(e: &AuditEvent) -> String {
    let mut h = Sha256::new();
    h.update(b"koppel audit payload 1");
    put(&mut h, e.subject.as_bytes());
    put(&mut h, e.detail.as_bytes());
    match e.person {
        Some(p) => put(&mut h, &p.to_be_bytes()),
        None => put(&mut h, b""),
    }
    h.update((e.fields.len() as u64).to_be_bytes());
    for f in &e.fields {
        put(&mut h, f.as_bytes());
    }
    hex(&h.finalize())
}

/// The hash of entry `id`: over its non-personal fields (id, time, actor, action), the hash
/// of the entry before and the hash of its payload, never the payload itself. So erasing the
/// payload later changes no hash in the chain.
pub fn entry_hash(id: u64, e: &AuditEvent, prev: &str, payload: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"koppel audit entry 1");
    h.update(id.to_be_bytes());
    h.update(e.at.unix_timestamp_nanos().to_be_bytes());
    put(&mut h, e.actor.as_bytes());
    put(&mut h, e.action.as_bytes());
    put(&mut h, prev.as_bytes());
    put(&mut h, payload.as_bytes());
    hex(&h.finalize())
}

/// What is wrong with an entry of the chain, as `koppel audit verify` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChainProblem {
    /// The entry's content no longer matches its hash.
    Changed { id: u64 },
    /// The entry does not name the hash of the entry before it: that one was changed and
    /// hashed again, or this one's link was changed.
    Unlinked { id: u64 },
    /// Entries `from` to `to` are gone.
    Removed { from: u64, to: u64 },
    /// The entry stands in the wrong place: it was written after entry `after`.
    Reordered { id: u64, after: u64 },
    /// The entry cannot be read.
    Unreadable { id: u64 },
    /// The entry was never chained (a store not yet opened by this koppel to write).
    Unchained { id: u64 },
}

/// One entry as the check sees it.
#[derive(Debug)]
struct Seen {
    id: u64,
    /// `None`: unreadable or never chained.
    link: Option<(String, String)>,
    /// The content matches the hashes.
    intact: bool,
    readable: bool,
}

/// The entries of a trail, handed over in id order, and then checked as a chain.
#[derive(Debug, Default)]
pub struct Follower {
    entries: Vec<Seen>,
}

impl Follower {
    /// Entry `id` as read.
    pub fn next(&mut self, id: u64, e: &AuditEvent) {
        let link = &e.chain;
        let intact = e.is_chained()
            && (link.redacted || payload_hash(e) == link.payload)
            && entry_hash(id, e, &link.prev, &link.payload) == link.hash;
        self.entries.push(Seen {
            id,
            link: e
                .is_chained()
                .then(|| (link.prev.clone(), link.hash.clone())),
            intact,
            readable: true,
        });
    }

    /// Entry `id` could not be read.
    pub fn unreadable(&mut self, id: u64) {
        self.entries.push(Seen {
            id,
            link: None,
            intact: false,
            readable: false,
        });
    }

    /// Checks the chain; the trail's id counter says `last` entries were written. Returns
    /// every problem, in id order.
    pub fn finish(self, last: u64) -> Vec<ChainProblem> {
        let by_hash: std::collections::HashMap<&str, u64> = self
            .entries
            .iter()
            .filter_map(|s| s.link.as_ref().map(|(_, h)| (h.as_str(), s.id)))
            .collect();
        let mut problems = Vec::new();
        let mut last_id = 0;
        // The hash the next entry must name as its `prev`; `None` when it cannot be known.
        let mut expected: Option<&str> = Some(GENESIS);
        for s in &self.entries {
            if s.id > last_id + 1 {
                problems.push(ChainProblem::Removed {
                    from: last_id + 1,
                    to: s.id - 1,
                });
                expected = None;
            }
            last_id = s.id;
            let Some((prev, hash)) = &s.link else {
                problems.push(if s.readable {
                    ChainProblem::Unchained { id: s.id }
                } else {
                    ChainProblem::Unreadable { id: s.id }
                });
                expected = None;
                continue;
            };
            let linked = expected.is_none_or(|p| p == prev);
            // An entry whose link names another entry stands elsewhere than it was written
            // (its hash, over its id, no longer matches either). An intact entry after a
            // moved one is in its place: the moved one is named.
            let moved_from = by_hash
                .get(prev.as_str())
                .copied()
                .filter(|after| !linked && after + 1 != s.id);
            match moved_from {
                Some(after) if !s.intact => {
                    problems.push(ChainProblem::Reordered { id: s.id, after })
                }
                Some(_) => {}
                None if !s.intact => problems.push(ChainProblem::Changed { id: s.id }),
                None if !linked => problems.push(ChainProblem::Unlinked { id: s.id }),
                None => {}
            }
            expected = Some(hash);
        }
        if last > last_id {
            problems.push(ChainProblem::Removed {
                from: last_id + 1,
                to: last,
            });
        }
        problems
    }
}

/// The reason a consultant gives for opening a colleague's trajectory, as typed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReasonDraft {
    pub reason: String,
}

const REASON_FIELDS: &[super::draft::DraftField<ReasonDraft>] =
    &[super::draft::text_row!(Reason, reason, Multi, required: true, max: 2_000)];

impl super::draft::Draft for ReasonDraft {
    fn fields() -> &'static [super::draft::DraftField<Self>] {
        REASON_FIELDS
    }
}

impl ReasonDraft {
    /// The reason, or the problem beside its field.
    pub fn validate(&self) -> Result<String, Vec<super::FieldError>> {
        let mut errors = Vec::new();
        let reason =
            super::draft::multi_text::<Self>(&self.reason, super::Field::Reason, &mut |f, p| {
                errors.push(super::FieldError::new(f, p))
            });
        match reason {
            Some(r) if errors.is_empty() => Ok(r),
            _ => Err(errors),
        }
    }
}
