//! The vacancy use cases: register, edit and read vacancies. A vacancy must name an
//! organisation that exists; its organisation's name is taken from the store when it is saved.
//! Each use case checks its permission and writes its audit event through the one appender,
//! inside the write transaction.

use super::{Account, Permission, Reading, Service, ServiceError};
use crate::domain::organisation::Organisation;
use crate::domain::vacancy::Vacancy;
use crate::domain::{Field, FieldError, Problem};
use crate::store::kinds::{id_value, vacancy_index};
use crate::store::{Kind, Stored, Tx, TxError};

fn unknown_organisation() -> ServiceError {
    ServiceError::Invalid(vec![FieldError::new(
        Field::Organisation,
        Problem::UnknownOrganisation,
    )])
}

impl Service {
    /// `v` with its organisation's current name, or `None` when the organisation does not
    /// exist (read in the write transaction, so it cannot vanish before the save lands).
    fn with_organisation(tx: &Tx<'_>, mut v: Vacancy) -> Result<Option<Vacancy>, TxError> {
        Ok(tx.get::<Organisation>(v.organisation)?.map(|o| {
            v.organisation_name = o.data.name;
            v
        }))
    }

    /// Registers a new vacancy of an existing organisation.
    pub fn register_vacancy(
        &self,
        who: &Account,
        v: Vacancy,
    ) -> Result<Stored<Vacancy>, ServiceError> {
        self.require(who, Permission::RegisterVacancy)?;
        let problems = v.problems(&self.rules());
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        let stamp = self.stamp(who);
        self.store
            .transact(&stamp, |tx| {
                let Some(v) = Self::with_organisation(tx, v.clone())? else {
                    return Ok(None);
                };
                let stored = tx.insert(v)?;
                self.audit(
                    tx,
                    who,
                    "register_vacancy",
                    Some((Kind::Vacancy, stored.meta.id)),
                    format!("organisation/{}", stored.data.organisation),
                )?;
                Ok(Some(stored))
            })?
            .ok_or_else(unknown_organisation)
    }

    /// Saves an edited vacancy, if nobody else saved it since revision `based_on`.
    pub fn update_vacancy(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        v: Vacancy,
    ) -> Result<Stored<Vacancy>, ServiceError> {
        self.require(who, Permission::EditVacancy)?;
        let problems = v.problems(&self.rules());
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        let stamp = self.stamp(who);
        self.store
            .transact(&stamp, |tx| {
                // A stale edit is a conflict first, whatever else it changes.
                tx.current::<Vacancy>(id, based_on)?;
                let Some(v) = Self::with_organisation(tx, v.clone())? else {
                    return Ok(None);
                };
                let saved = tx.update(id, based_on, v)?;
                self.audit(
                    tx,
                    who,
                    "update_vacancy",
                    Some((Kind::Vacancy, id)),
                    String::new(),
                )?;
                Ok(Some(saved))
            })?
            .ok_or_else(unknown_organisation)
    }

    /// Reads one vacancy.
    pub fn vacancy(&self, who: &Account, id: u64) -> Result<Option<Stored<Vacancy>>, ServiceError> {
        self.read::<Vacancy>(who, id)
    }

    /// Ids of the vacancies of organisation `organisation`, in id order.
    pub fn vacancies_of(&self, who: &Account, organisation: u64) -> Result<Vec<u64>, ServiceError> {
        self.reading(who, Reading::Query(Kind::Vacancy, "vacancies_of"))?;
        Ok(self
            .store
            .find::<Vacancy>(&vacancy_index::ORGANISATION, &id_value(organisation))?)
    }

    /// Writes demo vacancies in one durable transaction with one audit event `demo_fill`;
    /// returns their ids in order. Administrators only; every record is checked against the
    /// rules and must name an existing organisation.
    pub fn fill_demo_vacancies(
        &self,
        who: &Account,
        batch: &[Vacancy],
    ) -> Result<Vec<u64>, ServiceError> {
        self.require(who, Permission::FillDemo)?;
        let rules = self.rules();
        if let Some(problems) = batch
            .iter()
            .map(|v| v.problems(&rules))
            .find(|p| !p.is_empty())
        {
            return Err(ServiceError::Invalid(problems));
        }
        if batch.is_empty() {
            return Ok(Vec::new());
        }
        let stamp = self.stamp(who);
        self.store
            .transact(&stamp, |tx| {
                let mut ids = Vec::with_capacity(batch.len());
                for v in batch {
                    let Some(v) = Self::with_organisation(tx, v.clone())? else {
                        return Ok(None);
                    };
                    ids.push(tx.insert(v)?.meta.id);
                }
                self.audit(
                    tx,
                    who,
                    "demo_fill",
                    None,
                    format!("{} demo vacancies", batch.len()),
                )?;
                Ok(Some(ids))
            })?
            .ok_or_else(unknown_organisation)
    }
}

#[cfg(test)]
mod tests {
    use crate::clock::FixedClock;
    use crate::config::Config;
    use crate::domain::organisation::sample_organisation;
    use crate::domain::vacancy::{Vacancy, sample_rules, sample_vacancy};
    use crate::domain::{Field, FieldError, Problem};
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

    fn intake() -> Account {
        Account {
            name: "balie".into(),
            role: Role::Intake,
        }
    }

    fn vacancy_of(org: u64) -> Vacancy {
        Vacancy {
            organisation: org,
            ..sample_vacancy().validate(&sample_rules()).unwrap()
        }
    }

    #[test]
    fn a_vacancy_of_an_unknown_organisation_is_refused_and_nothing_is_written() {
        let (s, _dir) = service();
        let err = s.register_vacancy(&intake(), vacancy_of(7)).unwrap_err();
        let ServiceError::Invalid(problems) = err else {
            panic!("{err:?}")
        };
        assert_eq!(
            problems,
            vec![FieldError::new(
                Field::Organisation,
                Problem::UnknownOrganisation
            )]
        );
        assert_eq!(s.read_model_source().count::<Vacancy>(), 0);
        assert_eq!(
            s.read_model_source()
                .count::<crate::domain::audit::AuditEvent>(),
            0
        );
    }

    #[test]
    fn a_vacancy_takes_its_organisations_name_and_follows_a_rename() {
        let (s, _dir) = service();
        let who = intake();
        let org = sample_organisation().validate(&s.rules()).unwrap();
        let org = s.register_organisation(&who, org).unwrap();
        let mut v = vacancy_of(org.meta.id);
        v.organisation_name = "typed differently".into();
        let saved = s.register_vacancy(&who, v).unwrap();
        assert_eq!(saved.data.organisation_name, "Stichting De Linde");
        assert_eq!(s.vacancies_of(&who, org.meta.id).unwrap(), [saved.meta.id]);
        let mut renamed = org.data.clone();
        renamed.name = "Zorgcentrum De Linde".into();
        s.update_organisation(&who, org.meta.id, 1, renamed)
            .unwrap();
        let again = s.vacancy(&who, saved.meta.id).unwrap().unwrap();
        assert_eq!(again.data.organisation_name, "Zorgcentrum De Linde");
        assert_eq!(again.meta.revision, 2);
        // An edit based on the old revision is a conflict.
        let stale = s.update_vacancy(&who, saved.meta.id, 1, saved.data.clone());
        assert!(matches!(
            stale,
            Err(ServiceError::Conflict {
                kind: Kind::Vacancy,
                ..
            })
        ));
    }
}
