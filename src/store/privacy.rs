//! Anonymising and scrubbing records in place (the right to erasure, retention periods): the
//! store side of `domain::privacy`. A record is rewritten with what its kind's
//! [`Personal`] impl leaves, with its index, reference and summary entries, in the caller's
//! transaction; an audit entry is redacted the same way (the one change the audit trail
//! allows, `docs/audit.md`).

use super::kinds::KINDS;
use super::record::{Kind, Meta, Record, Stored};
use super::{Store, StoreError, Tx, TxError, id_from_key};
use crate::domain::privacy::Mentions;
use time::Date;

impl Tx<'_> {
    /// Rewrites record `id` of `T` as anonymised on `on`: revision up by one, updated by this
    /// transaction's stamp. Whether it changed (false: not there, nothing personal, already
    /// anonymised).
    pub fn anonymise<T: Record>(&mut self, id: u64, on: Date) -> Result<bool, TxError> {
        let Some(current) = self.get::<T>(id)? else {
            return Ok(false);
        };
        match current.data.anonymised(on) {
            Some(data) => self.replace_personal(current, data),
            None => Ok(false),
        }
    }

    /// Rewrites record `id` of `T` with the mentions taken out of its free text. Whether it
    /// changed.
    pub fn scrub<T: Record>(&mut self, id: u64, mentions: &Mentions) -> Result<bool, TxError> {
        let Some(current) = self.get::<T>(id)? else {
            return Ok(false);
        };
        match current.data.scrubbed(mentions) {
            Some(data) => self.replace_personal(current, data),
            None => Ok(false),
        }
    }

    fn replace_personal<T: Record>(
        &mut self,
        current: Stored<T>,
        data: T,
    ) -> Result<bool, TxError> {
        if data == current.data {
            return Ok(false);
        }
        let stored = Stored {
            meta: Meta {
                id: current.meta.id,
                revision: current.meta.revision + 1,
                created: current.meta.created.clone(),
                updated: self.stamp().clone(),
            },
            data,
        };
        self.write(&stored, Some(&current.data))?;
        Ok(true)
    }
}

impl Store {
    /// Whether record `id` of `kind` is in the store (whatever it holds).
    pub fn exists_record(&self, kind: Kind, id: u64) -> Result<bool, StoreError> {
        Ok(self.rec(kind).contains_key(id.to_be_bytes())?)
    }

    /// The ids of the records of `kind` whose stored bytes hold any of `mentions` exactly:
    /// the candidates for [`Tx::scrub`], found without decoding every record (a string is
    /// stored as its UTF-8 bytes).
    pub fn mentioning(&self, kind: Kind, mentions: &Mentions) -> Result<Vec<u64>, StoreError> {
        let finders: Vec<_> = mentions
            .needles()
            .iter()
            .map(|n| memchr::memmem::Finder::new(n.as_bytes()).into_owned())
            .collect();
        if finders.is_empty() {
            return Ok(Vec::new());
        }
        let mut out = Vec::new();
        for item in self.rec(kind).iter() {
            let (key, bytes) = item?;
            if finders.iter().any(|f| f.find(&bytes).is_some())
                && let Some(id) = id_from_key(&key)
            {
                out.push(id);
            }
        }
        Ok(out)
    }
}

/// Anonymises record `id` of `kind` in `tx` (see [`Tx::anonymise`]), whatever its type.
pub fn anonymise(tx: &mut Tx<'_>, kind: Kind, id: u64, on: Date) -> Result<bool, TxError> {
    match KINDS.iter().find(|k| k.kind() == kind) {
        Some(ops) => ops.anonymise(tx, id, on),
        None => Ok(false),
    }
}

/// Scrubs record `id` of `kind` in `tx` (see [`Tx::scrub`]), whatever its type.
pub fn scrub(tx: &mut Tx<'_>, kind: Kind, id: u64, mentions: &Mentions) -> Result<bool, TxError> {
    match KINDS.iter().find(|k| k.kind() == kind) {
        Some(ops) => ops.scrub(tx, id, mentions),
        None => Ok(false),
    }
}
