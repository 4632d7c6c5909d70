//! The right to erasure and anonymisation (AVG): a person and everything about them made
//! anonymous in one transaction, the audit entries about them redacted, and a new audit entry
//! that says who did it, when and why. Administrators only. What each kind keeps is
//! `domain::privacy`; `docs/privacy.md` says it for people.

use super::{Account, Permission, Service, ServiceError};
use crate::domain::audit::ReasonDraft;
use crate::domain::privacy::Mentions;
use crate::domain::volunteer::Volunteer;
use crate::store::compact::CompactError;
pub use crate::store::compact::Compacted;
use crate::store::privacy as store_privacy;
use crate::store::{Kind, Tx, TxError};
use std::collections::BTreeSet;

/// The audit action of an anonymisation of a person.
pub const ANONYMISE_ACTION: &str = "anonymise_person";
/// The audit action of an erasure.
pub const ERASE_ACTION: &str = "erase_person";
/// The audit action of the anonymisation of one record (a retention period run out).
pub const ANONYMISE_RECORD_ACTION: &str = "anonymise_record";

/// The audit action of a compaction.
pub const COMPACT_ACTION: &str = "compact_store";

/// The kinds whose free text erasure searches for an erased person's name, e-mail and phone
/// number: the records staff write that are not about one person (knowledge notes, signals,
/// contacts, activities, organisations, vacancies). Other people's records are not searched:
/// at 100,000 people that read half a gigabyte and took half a second per erasure
/// (`cargo bench --bench privacy`), for mentions that belong in no one else's record.
const SCRUBBED: &[Kind] = &[
    Kind::Organisation,
    Kind::Vacancy,
    Kind::Contact,
    Kind::Note,
    Kind::Signal,
    Kind::Activity,
];

/// What an anonymisation or erasure changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Anonymised {
    /// The records anonymised: the person's own and those about them (kind, id).
    pub records: Vec<(Kind, u64)>,
    /// The audit entries about the person whose payload was redacted.
    pub redacted: usize,
    /// Records not linked to the person whose text named them (erasure only).
    pub scrubbed: Vec<(Kind, u64)>,
}

impl Anonymised {
    /// Whether nothing was changed (already anonymised).
    pub fn is_empty(&self) -> bool {
        self.records.is_empty() && self.redacted == 0 && self.scrubbed.is_empty()
    }
}

/// What erasing a person would touch, for the confirmation the screens show.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ErasurePlan {
    /// Records about the person per kind (audit entries included), kind order.
    pub about: Vec<(Kind, usize)>,
    /// The person was anonymised before.
    pub anonymised: bool,
}

impl Service {
    /// Anonymises person `person` and every record about them (the reference index) in one
    /// durable transaction: what the reports count stays, names, contact details and free
    /// text go (`domain::privacy`). The audit entries about them are redacted (the chain
    /// still verifies) and one new entry records who did it and why, without personal data.
    /// Administrators only; `reason` is required. Nothing is written when the person does
    /// not exist ([`ServiceError::NoPerson`]).
    pub fn anonymise_person(
        &self,
        who: &Account,
        person: u64,
        reason: &str,
    ) -> Result<Anonymised, ServiceError> {
        self.require(who, Permission::Anonymise)?;
        self.make_anonymous(who, person, reason, false)
    }

    /// Erases person `person`: as [`Service::anonymise_person`], and takes their name,
    /// e-mail address and phone number out of the free text of the records not about one
    /// person that name them (knowledge notes, signals, contacts, activities, organisations,
    /// vacancies: [`SCRUBBED`]). Old versions
    /// of the records stay in the store's log until it is compacted
    /// ([`Service::compact`]); `koppel privacy erase` compacts at once. Administrators only.
    pub fn erase_person(
        &self,
        who: &Account,
        person: u64,
        reason: &str,
    ) -> Result<Anonymised, ServiceError> {
        self.require(who, Permission::Erase)?;
        self.make_anonymous(who, person, reason, true)
    }

    /// Anonymises one record (a trajectory closed long ago, an old contact) as its kind says
    /// (`domain::privacy`), with an audit entry and its reason, in one transaction. A person
    /// (`Kind::Volunteer`) is anonymised with everything about them
    /// ([`Service::anonymise_person`]); an audit entry is redacted. A record already
    /// anonymised, or of a kind without personal data, is left as it is and nothing is
    /// written (the result is empty). Administrators only.
    pub fn anonymise_record(
        &self,
        who: &Account,
        kind: Kind,
        id: u64,
        reason: &str,
    ) -> Result<Anonymised, ServiceError> {
        self.require(who, Permission::Anonymise)?;
        if kind == Kind::Volunteer {
            return self.make_anonymous(who, id, reason, false);
        }
        let reason = valid_reason(reason)?;
        if !self.store.exists_record(kind, id)? {
            return Err(ServiceError::NotFound { kind, id });
        }
        let stamp = self.stamp(who);
        let today = self.clock.today();
        let changed = self.store.transact(&stamp, |tx| {
            if !store_privacy::anonymise(tx, kind, id, today)? {
                return Ok(false);
            }
            tx.take_changed_fields();
            self.privacy_audit(tx, who, ANONYMISE_RECORD_ACTION, kind, id, &reason)?;
            Ok(true)
        })?;
        let mut out = Anonymised::default();
        if changed {
            if kind == Kind::Audit {
                out.redacted = 1;
            } else {
                out.records.push((kind, id));
            }
        }
        Ok(out)
    }

    /// What erasing or anonymising person `person` would touch: the records about them per
    /// kind. Administrators only.
    pub fn erasure_plan(&self, who: &Account, person: u64) -> Result<ErasurePlan, ServiceError> {
        self.require(who, Permission::Anonymise)?;
        let v = self
            .store
            .get::<Volunteer>(person)?
            .ok_or(ServiceError::NoPerson { id: person })?;
        let mut about: Vec<(Kind, usize)> = Vec::new();
        for (kind, _) in self.store.about_person(person)? {
            match about.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, n)) => *n += 1,
                None => about.push((kind, 1)),
            }
        }
        Ok(ErasurePlan {
            about,
            anonymised: v.data.anonymised.is_some(),
        })
    }

    /// Rewrites the store into a fresh database without the old versions of records its log
    /// files keep (`store::compact`), after an audit entry `compact_store`. This service's
    /// store is closed afterwards: open the store again to go on. Administrators only.
    pub fn compact(&self, who: &Account) -> Result<Compacted, ServiceError> {
        self.require(who, Permission::CompactStore)?;
        self.compact_now(who)
    }

    /// Whether something was erased or anonymised since the store was last compacted, so
    /// old versions of it may still be in the store's files. The mark is written in the
    /// erasure's own transaction, so it outlives a killed server.
    pub fn compaction_due(&self) -> Result<bool, ServiceError> {
        Ok(self.store.compaction_due()?)
    }

    /// Compacts the store as [`Service::compact`] does when something was erased or
    /// anonymised since the last compaction ([`Service::compaction_due`]); `None` (and
    /// nothing written) otherwise. What `koppel serve` and the screens run when they close the
    /// store (and the server when it starts after it was killed). Any account may: it only
    /// finishes what an administrator's erasure or anonymisation began; the `compact_store`
    /// audit entry names the account. This service's store is closed when it compacted.
    pub fn compact_if_due(&self, who: &Account) -> Result<Option<Compacted>, ServiceError> {
        if !self.compaction_due()? {
            return Ok(None);
        }
        self.compact_now(who).map(Some)
    }

    fn compact_now(&self, who: &Account) -> Result<Compacted, ServiceError> {
        let stamp = self.stamp(who);
        self.store.transact(&stamp, |tx| {
            let event = self.audit_event(who, tx.stamp().at, COMPACT_ACTION, None, String::new());
            tx.append_audit(event)?;
            Ok(())
        })?;
        self.store.clone().compact().map_err(|e| match e {
            CompactError::Store(e) => e.into(),
            CompactError::Verify(reason) => ServiceError::CompactVerify { reason },
            CompactError::NoAtomicSwap(reason) => ServiceError::NoAtomicSwap { reason },
        })
    }

    fn make_anonymous(
        &self,
        who: &Account,
        person: u64,
        reason: &str,
        erase: bool,
    ) -> Result<Anonymised, ServiceError> {
        let reason = valid_reason(reason)?;
        let v = self
            .store
            .get::<Volunteer>(person)?
            .ok_or(ServiceError::NoPerson { id: person })?;
        let today = self.clock.today();
        // Erasure looks for the person as their record still spells them; the candidates are
        // found in the stored bytes, outside the transaction, and checked again inside it.
        let mentions = if erase && v.data.anonymised.is_none() {
            Mentions::of(&v.data)
        } else {
            Mentions::default()
        };
        let mut candidates = Vec::new();
        if !mentions.is_empty() {
            for &kind in SCRUBBED {
                for id in self.store.mentioning(kind, &mentions)? {
                    if !(kind == Kind::Volunteer && id == person) {
                        candidates.push((kind, id));
                    }
                }
            }
        }
        let stamp = self.stamp(who);
        let action = if erase {
            ERASE_ACTION
        } else {
            ANONYMISE_ACTION
        };
        let mut out = Anonymised::default();
        let mut done: BTreeSet<(Kind, u64)> = BTreeSet::new();
        // A record about the person saved while this runs is caught by the next round: the
        // reference index is read again until it names nothing new.
        for round in 0..4 {
            let about: Vec<(Kind, u64)> = self
                .store
                .about_person(person)?
                .into_iter()
                .filter(|r| !done.contains(r))
                .collect();
            if round > 0 && about.is_empty() {
                break;
            }
            let first = round == 0;
            let result = self.store.transact(&stamp, |tx| {
                let mut step = Anonymised::default();
                if first && tx.anonymise::<Volunteer>(person, today)? {
                    step.records.push((Kind::Volunteer, person));
                }
                for &(kind, id) in &about {
                    if store_privacy::anonymise(tx, kind, id, today)? {
                        if kind == Kind::Audit {
                            step.redacted += 1;
                        } else {
                            step.records.push((kind, id));
                        }
                    }
                }
                if first {
                    for &(kind, id) in &candidates {
                        if store_privacy::scrub(tx, kind, id, &mentions)? {
                            step.scrubbed.push((kind, id));
                        }
                    }
                }
                tx.take_changed_fields();
                if first {
                    self.privacy_audit(tx, who, action, Kind::Volunteer, person, &reason)?;
                }
                Ok(step)
            })?;
            done.extend(about);
            out.records.extend(result.records);
            out.redacted += result.redacted;
            out.scrubbed.extend(result.scrubbed);
        }
        // The letters and files of an access export the screens kept in the store folder
        // hold what was just taken out.
        self.remove_access_exports(person)?;
        Ok(out)
    }

    /// The audit entry of an anonymisation: actor, action, the record by kind and id, the
    /// reason. Not linked to the person (`person` stays empty), so a later erasure leaves it.
    fn privacy_audit(
        &self,
        tx: &mut Tx<'_>,
        who: &Account,
        action: &str,
        kind: Kind,
        id: u64,
        reason: &str,
    ) -> Result<(), TxError> {
        let mut event =
            self.audit_event(who, tx.stamp().at, action, Some((kind, id)), reason.into());
        event.person = None;
        tx.append_audit(event)?;
        // The old versions of what was taken out stay in sled's files until a compaction.
        tx.mark_compaction_due()?;
        Ok(())
    }
}

/// The reason, trimmed, or the problem beside its field.
fn valid_reason(reason: &str) -> Result<String, ServiceError> {
    ReasonDraft {
        reason: reason.to_string(),
    }
    .validate()
    .map_err(ServiceError::Invalid)
}

#[cfg(test)]
mod tests;
