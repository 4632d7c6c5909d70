//! Retention: the configured periods and the store the review reads (`koppel privacy review`,
//! 5 Verankeren › Beheer). What is past its period is worked out by the read model
//! (`readmodel::retention`); anonymising or erasing it goes through the erasure use cases.

use super::{Account, Permission, Service, ServiceError};
use crate::domain::retention::Periods;
use crate::store::Store;

impl Service {
    /// The retention periods of the configuration.
    pub fn retention_periods(&self) -> Periods {
        self.config.retention()
    }

    /// The store to load the rows the retention review works from, for `who` if their role
    /// may see it (coordinators and administrators).
    pub fn retention_source(&self, who: &Account) -> Result<Store, ServiceError> {
        self.require(who, Permission::ReviewRetention)?;
        Ok(self.store.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::domain::volunteer::{Rules, sample_intake};
    use crate::service::Role;
    use std::sync::{Arc, Mutex};
    use time::OffsetDateTime;
    use time::macros::{date, datetime};

    struct Clock(Mutex<OffsetDateTime>);

    impl crate::clock::Clock for Clock {
        fn now(&self) -> OffsetDateTime {
            *self.0.lock().unwrap()
        }
    }

    /// Every file in the backups folder, as bytes.
    fn backup_bytes(s: &Service) -> Vec<u8> {
        let mut all = Vec::new();
        for e in std::fs::read_dir(s.backup_dir()).unwrap() {
            all.extend(std::fs::read(e.unwrap().path()).unwrap());
        }
        all
    }

    fn contains(haystack: &[u8], needle: &str) -> bool {
        haystack
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
    }

    #[test]
    fn a_changed_persons_old_details_leave_the_backups_within_the_days_backups_are_kept() {
        let dir = tempfile::tempdir().unwrap();
        let clock = Arc::new(Clock(Mutex::new(datetime!(2026-11-27 09:00 UTC))));
        // The defaults: a backup a day, fourteen kept.
        let service =
            Service::open(&dir.path().join("s"), clock.clone(), Config::default()).unwrap();
        assert_eq!(service.backup_max_age_days(), 14);
        let admin = Account {
            name: "beheer".into(),
            role: Role::Admin,
        };
        let rules = Rules {
            municipalities: Config::default().municipalities,
            today: date!(2026 - 11 - 27),
        };
        let mut v = sample_intake().validate(&rules).unwrap();
        v.email = "verdwijnt@example.org".into();
        let saved = service.register_intake(&admin, v.clone(), true).unwrap();
        service
            .backup_if_due(&admin)
            .unwrap()
            .expect("the first is due");
        assert!(contains(&backup_bytes(&service), "verdwijnt@example.org"));
        // The details are removed the same day (as an erasure or anonymisation does).
        v.email = String::new();
        service
            .update_volunteer(&admin, saved.meta.id, saved.meta.revision, v)
            .unwrap();
        // koppel is not used for thirteen days: the old backup is still within its days.
        *clock.0.lock().unwrap() = datetime!(2026-12-10 09:00 UTC);
        service.backup_if_due(&admin).unwrap().expect("one is due");
        assert!(contains(&backup_bytes(&service), "verdwijnt@example.org"));
        // On the fourteenth day it is gone, although fewer than fourteen backups exist.
        *clock.0.lock().unwrap() = datetime!(2026-12-11 09:00 UTC);
        service.backup_if_due(&admin).unwrap().expect("one is due");
        let left = std::fs::read_dir(service.backup_dir()).unwrap().count();
        assert_eq!(left, 2);
        assert!(!contains(&backup_bytes(&service), "verdwijnt@example.org"));
    }
}
