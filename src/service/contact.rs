//! The contact log's use cases: log, edit and read contacts with organisations, and find the
//! follow-ups that are due. A contact must be with an organisation that exists; its name is
//! taken from the store when it is saved. Each use case checks its permission and writes its
//! audit event through the one appender, inside the write transaction.

use super::{Account, Permission, Reading, Service, ServiceError};
use crate::domain::contact::Contact;
use crate::domain::organisation::Organisation;
use crate::domain::{Field, FieldError, Problem};
use crate::store::kinds::{contact_index, id_value};
use crate::store::{Kind, Stored, Tx, TxError, date_value};
use time::Date;

fn unknown_organisation() -> ServiceError {
    ServiceError::Invalid(vec![FieldError::new(
        Field::Organisation,
        Problem::UnknownOrganisation,
    )])
}

impl Service {
    /// `c` with its organisation's current name, or `None` when the organisation does not
    /// exist.
    fn contact_with_organisation(tx: &Tx<'_>, mut c: Contact) -> Result<Option<Contact>, TxError> {
        Ok(tx.get::<Organisation>(c.organisation)?.map(|o| {
            c.organisation_name = o.data.name;
            c
        }))
    }

    /// Logs a contact with an existing organisation.
    pub fn log_contact(&self, who: &Account, c: Contact) -> Result<Stored<Contact>, ServiceError> {
        self.require(who, Permission::LogContact)?;
        let problems = c.problems(&self.rules());
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        let stamp = self.stamp(who);
        self.store
            .transact(&stamp, |tx| {
                let Some(c) = Self::contact_with_organisation(tx, c.clone())? else {
                    return Ok(None);
                };
                let stored = tx.insert(c)?;
                self.audit(
                    tx,
                    who,
                    "log_contact",
                    Some((Kind::Contact, stored.meta.id)),
                    format!("organisation/{}", stored.data.organisation),
                )?;
                Ok(Some(stored))
            })?
            .ok_or_else(unknown_organisation)
    }

    /// Saves an edited contact (such as a follow-up marked done), if nobody else saved it
    /// since revision `based_on`.
    pub fn update_contact(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        c: Contact,
    ) -> Result<Stored<Contact>, ServiceError> {
        self.require(who, Permission::EditContact)?;
        let problems = c.problems(&self.rules());
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        let stamp = self.stamp(who);
        self.store
            .transact(&stamp, |tx| {
                tx.current::<Contact>(id, based_on)?;
                let Some(c) = Self::contact_with_organisation(tx, c.clone())? else {
                    return Ok(None);
                };
                let saved = tx.update(id, based_on, c)?;
                self.audit(
                    tx,
                    who,
                    "update_contact",
                    Some((Kind::Contact, id)),
                    String::new(),
                )?;
                Ok(Some(saved))
            })?
            .ok_or_else(unknown_organisation)
    }

    /// Reads one contact.
    pub fn contact(&self, who: &Account, id: u64) -> Result<Option<Stored<Contact>>, ServiceError> {
        self.read::<Contact>(who, id)
    }

    /// Ids of the contacts with organisation `organisation`, in id order.
    pub fn contacts_of(&self, who: &Account, organisation: u64) -> Result<Vec<u64>, ServiceError> {
        self.reading(who, Reading::Query(Kind::Contact, "contacts_of"))?;
        Ok(self
            .store
            .find::<Contact>(&contact_index::ORGANISATION, &id_value(organisation))?)
    }

    /// Ids of the contacts whose follow-up is not done and falls on `today` or before, the
    /// most overdue first.
    pub fn due_follow_ups(&self, who: &Account, today: Date) -> Result<Vec<u64>, ServiceError> {
        self.reading(who, Reading::Query(Kind::Contact, "due_follow_ups"))?;
        Ok(self.store.range::<Contact, String>(
            &contact_index::OPEN_FOLLOW_UP,
            String::new()..=date_value(today),
        )?)
    }

    /// Writes demo contacts in one durable transaction with one audit event `demo_fill`.
    /// Administrators only; every record is checked and must name an existing organisation.
    pub fn fill_demo_contacts(
        &self,
        who: &Account,
        batch: &[Contact],
    ) -> Result<usize, ServiceError> {
        self.require(who, Permission::FillDemo)?;
        let rules = self.rules();
        if let Some(problems) = batch
            .iter()
            .map(|c| c.problems(&rules))
            .find(|p| !p.is_empty())
        {
            return Err(ServiceError::Invalid(problems));
        }
        if batch.is_empty() {
            return Ok(0);
        }
        let stamp = self.stamp(who);
        self.store
            .transact(&stamp, |tx| {
                for c in batch {
                    let Some(c) = Self::contact_with_organisation(tx, c.clone())? else {
                        return Ok(None);
                    };
                    tx.insert(c)?;
                }
                self.audit(
                    tx,
                    who,
                    "demo_fill",
                    None,
                    format!("{} demo contacts", batch.len()),
                )?;
                Ok(Some(batch.len()))
            })?
            .ok_or_else(unknown_organisation)
    }
}

#[cfg(test)]
mod tests {
    use crate::clock::FixedClock;
    use crate::config::Config;
    use crate::domain::contact::{Contact, sample_contact};
    use crate::domain::organisation::sample_organisation;
    use crate::domain::vacancy::sample_rules;
    use crate::service::{Account, Role, Service, ServiceError};
    use crate::store::Store;
    use std::sync::Arc;
    use time::macros::{date, datetime};

    fn service() -> (Service, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s")).unwrap();
        let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)));
        (Service::new(store, clock, Config::default()), dir)
    }

    #[test]
    fn every_role_logs_contacts_and_due_follow_ups_are_found_until_done() {
        let (s, _dir) = service();
        for role in [
            Role::Intake,
            Role::Consultant,
            Role::Coordinator,
            Role::Admin,
        ] {
            let who = Account {
                name: "iemand".into(),
                role,
            };
            let org = s
                .register_organisation(&who, sample_organisation().validate(&s.rules()).unwrap())
                .unwrap();
            let c = Contact {
                organisation: org.meta.id,
                ..sample_contact().validate(&sample_rules()).unwrap()
            };
            let saved = s.log_contact(&who, c).unwrap();
            assert_eq!(saved.data.organisation_name, "Stichting De Linde");
            assert!(
                s.due_follow_ups(&who, date!(2026 - 11 - 27))
                    .unwrap()
                    .contains(&saved.meta.id)
            );
            let done = Contact {
                done: true,
                ..saved.data.clone()
            };
            s.update_contact(&who, saved.meta.id, 1, done).unwrap();
            assert!(
                !s.due_follow_ups(&who, date!(2026 - 11 - 27))
                    .unwrap()
                    .contains(&saved.meta.id)
            );
            assert_eq!(s.contacts_of(&who, org.meta.id).unwrap(), [saved.meta.id]);
        }
    }

    #[test]
    fn a_contact_with_an_unknown_organisation_is_refused() {
        let (s, _dir) = service();
        let who = Account {
            name: "balie".into(),
            role: Role::Intake,
        };
        let c = Contact {
            organisation: 42,
            ..sample_contact().validate(&sample_rules()).unwrap()
        };
        assert!(matches!(
            s.log_contact(&who, c),
            Err(ServiceError::Invalid(_))
        ));
        assert_eq!(s.read_model_source().count::<Contact>(), 0);
    }
}
