//! The target use cases: set, change and read a municipality's targets for a year. Only
//! coordinators and administrators set them (they agree them with the municipality); everyone
//! sees them. One record per municipality and year (a unique index): a second is refused
//! beside the municipality.

use super::{Account, Permission, Service, ServiceError};
use crate::domain::target::{Target, claim};
use crate::domain::{Field, FieldError, Problem};
use crate::store::kinds::target_index;
use crate::store::{Kind, Stored};

/// The municipality has targets for that year already.
fn exists() -> ServiceError {
    ServiceError::Invalid(vec![FieldError::new(
        Field::Municipality,
        Problem::TargetsExist,
    )])
}

/// A save that met another record's claim on the municipality and year (the unique index,
/// checked inside the transaction) is told as the field's problem.
fn claimed(e: ServiceError) -> ServiceError {
    match e {
        ServiceError::Taken {
            kind: Kind::Target, ..
        } => exists(),
        e => e,
    }
}

impl Service {
    /// Whether another record than `except` already holds `year`'s targets of `municipality`.
    fn targets_taken(&self, t: &Target, except: Option<u64>) -> Result<bool, ServiceError> {
        let held = self
            .store
            .find::<Target>(&target_index::CLAIM, &claim(t.year, &t.municipality))?;
        Ok(held.into_iter().any(|id| Some(id) != except))
    }

    fn check_target(&self, t: &Target, except: Option<u64>) -> Result<(), ServiceError> {
        let problems = t.problems(&self.rules());
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        if self.targets_taken(t, except)? {
            return Err(exists());
        }
        Ok(())
    }

    /// Sets a municipality's targets for a year it has none for yet.
    pub fn set_targets(&self, who: &Account, t: Target) -> Result<Stored<Target>, ServiceError> {
        self.require(who, Permission::SetTargets)?;
        self.check_target(&t, None)?;
        let stamp = self.stamp(who);
        self.store
            .transact(&stamp, |tx| {
                let stored = tx.insert(t.clone())?;
                self.audit(
                    tx,
                    who,
                    "set_targets",
                    Some((Kind::Target, stored.meta.id)),
                    format!("{} {}", t.year, t.municipality),
                )?;
                Ok(stored)
            })
            .map_err(|e| claimed(e.into()))
    }

    /// Saves changed targets, if nobody else saved them since revision `based_on`.
    pub fn update_targets(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        t: Target,
    ) -> Result<Stored<Target>, ServiceError> {
        self.require(who, Permission::SetTargets)?;
        self.check_target(&t, Some(id))?;
        let stamp = self.stamp(who);
        self.store
            .transact(&stamp, |tx| {
                let saved = tx.update(id, based_on, t.clone())?;
                self.audit(
                    tx,
                    who,
                    "update_targets",
                    Some((Kind::Target, id)),
                    format!("{} {}", t.year, t.municipality),
                )?;
                Ok(saved)
            })
            .map_err(|e| claimed(e.into()))
    }

    /// Reads one municipality's targets for a year.
    pub fn targets(&self, who: &Account, id: u64) -> Result<Option<Stored<Target>>, ServiceError> {
        self.read::<Target>(who, id)
    }

    /// Writes demo targets (see [`Service::fill_demo_kind`]).
    pub fn fill_demo_targets(
        &self,
        who: &Account,
        batch: &[Target],
    ) -> Result<usize, ServiceError> {
        let rules = self.rules();
        self.fill_demo_kind(who, batch, "targets", |t| t.problems(&rules))
    }
}

#[cfg(test)]
mod tests {
    use crate::clock::FixedClock;
    use crate::config::Config;
    use crate::domain::target::{Target, sample_target};
    use crate::domain::{Field, Problem};
    use crate::service::{Account, Role, Service, ServiceError};
    use crate::store::Store;
    use std::sync::Arc;
    use time::macros::datetime;

    fn service() -> (tempfile::TempDir, Service) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s")).unwrap();
        let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)));
        let config = Config {
            municipalities: vec!["Dordrecht".into(), "Gorinchem".into()],
            ..Config::default()
        };
        (dir, Service::new(store, clock, config))
    }

    fn who(role: Role) -> Account {
        Account {
            name: "ingrid".into(),
            role,
        }
    }

    #[test]
    fn a_coordinator_sets_targets_once_per_municipality_and_year_and_the_desk_may_not() {
        let (_dir, s) = service();
        let t = sample_target().validate(&s.rules()).unwrap();
        assert!(matches!(
            s.set_targets(&who(Role::Intake), t.clone()),
            Err(ServiceError::Forbidden { .. })
        ));
        let first = s.set_targets(&who(Role::Coordinator), t.clone()).unwrap();
        // The same municipality and year again, in other case: refused beside the field.
        let again = Target {
            municipality: "Dordrecht".into(),
            intakes: Some(10),
            ..t.clone()
        };
        match s.set_targets(&who(Role::Coordinator), again) {
            Err(ServiceError::Invalid(e)) => {
                assert_eq!(e[0].field, Field::Municipality);
                assert_eq!(e[0].problem, Problem::TargetsExist);
            }
            other => panic!("expected a refusal, got {other:?}"),
        }
        // Another municipality the same year, and an edit of the first, are fine.
        let other = Target {
            municipality: "Gorinchem".into(),
            ..t.clone()
        };
        let second = s.set_targets(&who(Role::Admin), other).unwrap();
        let raised = Target {
            intakes: Some(320),
            ..t.clone()
        };
        s.update_targets(&who(Role::Coordinator), first.meta.id, 1, raised.clone())
            .unwrap();
        // Moving the second onto the first's municipality is refused too.
        let clash = Target {
            municipality: "Dordrecht".into(),
            ..second.data.clone()
        };
        assert!(matches!(
            s.update_targets(&who(Role::Coordinator), second.meta.id, 1, clash),
            Err(ServiceError::Invalid(_))
        ));
        let stale = s.update_targets(&who(Role::Coordinator), first.meta.id, 1, raised);
        assert!(matches!(stale, Err(e) if e.is_conflict()));
    }
}
