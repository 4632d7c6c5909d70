//! The organisation use cases: register, edit and read organisations, and the demo fill. Each
//! checks its permission and writes its audit event through the one appender, inside the
//! write transaction.

use super::{Account, Permission, Reading, Service, ServiceError};
use crate::domain::contact::Contact;
use crate::domain::organisation::Organisation;
use crate::domain::vacancy::Vacancy;
use crate::store::kinds::organisation_index;
use crate::store::{Editable, Tx, TxError};
use crate::store::{Kind, Stored};

impl Service {
    /// Registers a new organisation.
    pub fn register_organisation(
        &self,
        who: &Account,
        o: Organisation,
    ) -> Result<Stored<Organisation>, ServiceError> {
        self.require(who, Permission::RegisterOrganisation)?;
        let problems = o.problems(&self.rules());
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        let stamp = self.stamp(who);
        Ok(self.store.transact(&stamp, |tx| {
            let stored = tx.insert(o.clone())?;
            self.audit(
                tx,
                who,
                "register_organisation",
                Some((Kind::Organisation, stored.meta.id)),
                String::new(),
            )?;
            Ok(stored)
        })?)
    }

    /// Saves an edited organisation, if nobody else saved it since revision `based_on`.
    pub fn update_organisation(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        o: Organisation,
    ) -> Result<Stored<Organisation>, ServiceError> {
        self.require(who, Permission::EditOrganisation)?;
        let problems = o.problems(&self.rules());
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        // Its vacancies carry its name: a rename is written into them in the same transaction.
        let vacancies = self.vacancies_of(who, id)?;
        let contacts = self.contacts_of(who, id)?;
        let stamp = self.stamp(who);
        Ok(self.store.transact(&stamp, |tx| {
            let saved = tx.update(id, based_on, o.clone())?;
            rename_in::<Vacancy>(tx, id, &saved.data.name, &vacancies)?;
            rename_in::<Contact>(tx, id, &saved.data.name, &contacts)?;
            self.audit(
                tx,
                who,
                "update_organisation",
                Some((Kind::Organisation, id)),
                String::new(),
            )?;
            Ok(saved)
        })?)
    }

    /// Reads one organisation.
    pub fn organisation(
        &self,
        who: &Account,
        id: u64,
    ) -> Result<Option<Stored<Organisation>>, ServiceError> {
        self.read::<Organisation>(who, id)
    }

    /// Ids of the organisations with exactly this name (case and accents ignored).
    pub fn organisations_named(&self, who: &Account, name: &str) -> Result<Vec<u64>, ServiceError> {
        self.reading(
            who,
            Reading::Query(Kind::Organisation, "organisations_named"),
        )?;
        Ok(self
            .store
            .find::<Organisation>(&organisation_index::NAME, &crate::domain::name::fold(name))?)
    }

    /// Writes demo organisations in one durable transaction with one audit event
    /// `demo_fill`; returns their ids in order. Administrators only; every record is checked
    /// against the rules first.
    pub fn fill_demo_organisations(
        &self,
        who: &Account,
        batch: &[Organisation],
    ) -> Result<Vec<u64>, ServiceError> {
        self.require(who, Permission::FillDemo)?;
        let rules = self.rules();
        if let Some(problems) = batch
            .iter()
            .map(|o| o.problems(&rules))
            .find(|p| !p.is_empty())
        {
            return Err(ServiceError::Invalid(problems));
        }
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let stamp = self.stamp(who);
        Ok(self.store.transact(&stamp, |tx| {
            let mut ids = Vec::with_capacity(batch.len());
            for o in batch {
                ids.push(tx.insert(o.clone())?.meta.id);
            }
            self.audit(
                tx,
                who,
                "demo_fill",
                None,
                format!("{} demo organisations", batch.len()),
            )?;
            Ok(ids)
        })?)
    }
}

/// A record that carries its organisation's name beside its id (so lists show it without a
/// lookup), kept current when the organisation is renamed.
trait CarriesOrganisation: Editable {
    fn organisation(&self) -> u64;
    fn organisation_name(&mut self) -> &mut String;
}

impl CarriesOrganisation for Vacancy {
    fn organisation(&self) -> u64 {
        self.organisation
    }
    fn organisation_name(&mut self) -> &mut String {
        &mut self.organisation_name
    }
}

impl CarriesOrganisation for Contact {
    fn organisation(&self) -> u64 {
        self.organisation
    }
    fn organisation_name(&mut self) -> &mut String {
        &mut self.organisation_name
    }
}

/// In the transaction of an organisation's save: gives the records `ids` of kind `T` its new
/// name. Records that already carry it, or belong to another organisation, are left alone.
fn rename_in<T: CarriesOrganisation>(
    tx: &mut Tx<'_>,
    organisation: u64,
    name: &str,
    ids: &[u64],
) -> Result<(), TxError> {
    for &id in ids {
        if let Some(s) = tx.get::<T>(id)?
            && s.data.organisation() == organisation
        {
            let mut data = s.data;
            if data.organisation_name() != name {
                *data.organisation_name() = name.to_string();
                tx.update(id, s.meta.revision, data)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::clock::FixedClock;
    use crate::config::Config;
    use crate::domain::audit::AuditEvent;
    use crate::domain::organisation::{Organisation, sample_organisation};
    use crate::service::{Account, Kind, Role, Service, ServiceError};
    use crate::store::Store;
    use std::sync::Arc;
    use time::macros::datetime;

    fn service() -> (Service, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s")).unwrap();
        let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)));
        (Service::new(store, clock, Config::default()), dir)
    }

    fn as_role(role: Role) -> Account {
        Account {
            name: format!("{role:?}").to_lowercase(),
            role,
        }
    }

    fn linde(s: &Service) -> Organisation {
        sample_organisation().validate(&s.rules()).unwrap()
    }

    #[test]
    fn every_role_registers_and_edits_with_an_audit_event_each() {
        let (s, _dir) = service();
        for role in [
            Role::Intake,
            Role::Consultant,
            Role::Coordinator,
            Role::Admin,
        ] {
            let who = as_role(role);
            let saved = s.register_organisation(&who, linde(&s)).unwrap();
            let mut o = saved.data.clone();
            o.notes = "Open dag in maart".into();
            let again = s
                .update_organisation(&who, saved.meta.id, 1, o.clone())
                .unwrap();
            assert_eq!(again.meta.revision, 2);
            assert_eq!(
                s.organisation(&who, saved.meta.id).unwrap().unwrap().data,
                o
            );
        }
        let admin = as_role(Role::Admin);
        let mut events = Vec::new();
        s.read_model_source()
            .scan::<AuditEvent>()
            .for_each(|e| events.push(e.unwrap().data));
        let actions: Vec<(&str, &str)> = events
            .iter()
            .map(|e| (e.action.as_str(), e.subject.as_str()))
            .collect();
        assert_eq!(actions[0], ("register_organisation", "organisation/1"));
        assert_eq!(actions[1], ("update_organisation", "organisation/1"));
        assert_eq!(actions.len(), 8);
        assert_eq!(events[1].actor, "intake");
        assert!(events.iter().all(|e| e.person.is_none()));
        let _ = admin;
    }

    #[test]
    fn a_stale_edit_is_a_conflict_and_a_bad_record_is_refused() {
        let (s, _dir) = service();
        let who = as_role(Role::Intake);
        let saved = s.register_organisation(&who, linde(&s)).unwrap();
        s.update_organisation(&who, saved.meta.id, 1, linde(&s))
            .unwrap();
        let stale = s.update_organisation(&who, saved.meta.id, 1, linde(&s));
        assert!(matches!(
            stale,
            Err(ServiceError::Conflict {
                kind: Kind::Organisation,
                ..
            })
        ));
        let mut bad = linde(&s);
        bad.municipality = "Utrecht".into();
        assert!(matches!(
            s.register_organisation(&who, bad),
            Err(ServiceError::Invalid(_))
        ));
        assert_eq!(
            s.organisations_named(&who, "STICHTING DE LINDE").unwrap(),
            vec![saved.meta.id]
        );
    }

    #[test]
    fn only_administrators_fill_demo_organisations() {
        let (s, _dir) = service();
        let batch = vec![linde(&s), linde(&s)];
        assert!(matches!(
            s.fill_demo_organisations(&as_role(Role::Coordinator), &batch),
            Err(ServiceError::Forbidden { .. })
        ));
        let ids = s
            .fill_demo_organisations(&as_role(Role::Admin), &batch)
            .unwrap();
        assert_eq!(ids, vec![1, 2]);
    }
}
