//! The activity use cases: record, edit and read activities from the field. Everyone may record
//! one (the front desk hears a lot). Each use case checks its permission and writes its audit
//! event through the one appender.

use super::{Account, Permission, Service, ServiceError};
use crate::domain::activity::{Activity, ActivityKind, Thanks};
use crate::domain::contact::BasicFunction;
use crate::store::kinds::activity_index;
use crate::store::{Kind, Stored};

impl Service {
    /// Records a new activity.
    pub fn record_activity(
        &self,
        who: &Account,
        s: Activity,
    ) -> Result<Stored<Activity>, ServiceError> {
        self.require(who, Permission::RecordActivity)?;
        let problems = s.problems(&self.rules());
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        let stamp = self.stamp(who);
        Ok(self.store.transact(&stamp, |tx| {
            let stored = tx.insert(s.clone())?;
            self.audit(
                tx,
                who,
                "record_activity",
                Some((Kind::Activity, stored.meta.id)),
                String::new(),
            )?;
            Ok(stored)
        })?)
    }

    /// Saves an edited activity (held, participants counted), if nobody else saved it since revision
    /// `based_on`.
    pub fn update_activity(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        s: Activity,
    ) -> Result<Stored<Activity>, ServiceError> {
        self.require(who, Permission::RecordActivity)?;
        let problems = s.problems(&self.rules());
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        let stamp = self.stamp(who);
        Ok(self.store.transact(&stamp, |tx| {
            // Who a thank-you was for is not the form's to change: it stays as logged.
            let current = tx.current::<Activity>(id, based_on)?;
            let s = Activity {
                thanks: current.data.thanks,
                ..s.clone()
            };
            let saved = tx.update(id, based_on, s)?;
            self.audit(
                tx,
                who,
                "update_activity",
                Some((Kind::Activity, id)),
                if saved.data.held {
                    "held".to_string()
                } else {
                    String::new()
                },
            )?;
            Ok(saved)
        })?)
    }

    /// Logs that someone was thanked (4 Verbreiden › Waardering) as an appreciation activity
    /// held today, with one participant, the organisation involved and who and why: once per
    /// anniversary or MaS stage (a second is refused as already thanked).
    pub fn log_thanks(
        &self,
        who: &Account,
        thanks: Thanks,
        title: String,
        organisation: Option<String>,
    ) -> Result<Stored<Activity>, ServiceError> {
        self.require(who, Permission::RecordActivity)?;
        let a = Activity {
            date: self.rules().today,
            title,
            kind: ActivityKind::Appreciation,
            basic_function: BasicFunction::Verbreiden,
            organisations: organisation.into_iter().collect(),
            participants: 1,
            held: true,
            notes: String::new(),
            thanks: Some(thanks),
        };
        let problems = a.problems(&self.rules());
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        let key = crate::store::kinds::activity::thanks_value(thanks);
        if let Some(&id) = self
            .store
            .find::<Activity>(&activity_index::THANKS, &key)?
            .first()
        {
            return Err(ServiceError::AlreadyThanked { id });
        }
        let stamp = self.stamp(who);
        // The unique index refuses a second at once, inside the transaction.
        self.store
            .transact(&stamp, |tx| {
                let stored = tx.insert(a.clone())?;
                self.audit(
                    tx,
                    who,
                    "log_thanks",
                    Some((Kind::Activity, stored.meta.id)),
                    key.clone(),
                )?;
                Ok(stored)
            })
            .map_err(|e| match ServiceError::from(e) {
                ServiceError::Taken { holder, .. } => ServiceError::AlreadyThanked { id: holder },
                e => e,
            })
    }

    /// Reads one activity.
    pub fn activity(
        &self,
        who: &Account,
        id: u64,
    ) -> Result<Option<Stored<Activity>>, ServiceError> {
        self.read::<Activity>(who, id)
    }

    /// Writes demo activities (see [`Service::fill_demo_kind`]).
    pub fn fill_demo_activities(
        &self,
        who: &Account,
        batch: &[Activity],
    ) -> Result<usize, ServiceError> {
        let rules = self.rules();
        self.fill_demo_kind(who, batch, "activities", |a| a.problems(&rules))
    }
}

#[cfg(test)]
mod tests {
    use crate::clock::FixedClock;
    use crate::config::Config;
    use crate::domain::activity::{Activity, sample_activity};
    use crate::service::{Account, Role, Service, ServiceError};
    use crate::store::Store;
    use std::sync::Arc;
    use time::macros::{date, datetime};

    #[test]
    fn an_activity_is_recorded_and_one_to_come_cannot_be_held() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s")).unwrap();
        let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)));
        let s = Service::new(store, clock, Config::default());
        let desk = Account {
            name: "anouk".into(),
            role: Role::Intake,
        };
        let rec = s
            .record_activity(&desk, sample_activity().validate(&s.rules()).unwrap())
            .unwrap();
        let ahead = Activity {
            date: date!(2026 - 12 - 07),
            ..rec.data.clone()
        };
        assert!(matches!(
            s.update_activity(&desk, rec.meta.id, 1, ahead.clone()),
            Err(ServiceError::Invalid(_))
        ));
        let planned = Activity {
            held: false,
            ..ahead
        };
        s.update_activity(&desk, rec.meta.id, 1, planned).unwrap();
    }

    #[test]
    fn a_thank_you_is_logged_once_and_editing_it_keeps_who_was_thanked() {
        use crate::domain::activity::{ActivityKind, Thanks};
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s")).unwrap();
        let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)));
        let s = Service::new(store.clone(), clock, Config::default());
        let desk = Account {
            name: "anouk".into(),
            role: Role::Intake,
        };
        let thanks = Thanks::PlacementYears {
            person: 3,
            placement: 9,
            years: 5,
        };
        let logged = s
            .log_thanks(
                &desk,
                thanks,
                "Bedankt: Jansen, Piet (5 jaar)".into(),
                Some("Humanitas".into()),
            )
            .unwrap();
        assert_eq!(logged.data.kind, ActivityKind::Appreciation);
        assert_eq!(logged.data.date, date!(2026 - 11 - 27));
        assert!(logged.data.held);
        assert_eq!(logged.data.organisations, vec!["Humanitas".to_string()]);
        // It is about the person: their reference index lists it.
        assert!(
            store
                .about_person(3)
                .unwrap()
                .contains(&(crate::store::Kind::Activity, logged.meta.id))
        );
        // Once only.
        assert!(matches!(
            s.log_thanks(&desk, thanks, "Nog eens".into(), None),
            Err(ServiceError::AlreadyThanked { id }) if id == logged.meta.id
        ));
        // The form knows nothing of who was thanked; saving it keeps them.
        let edited = Activity {
            notes: "Met bloemen.".into(),
            thanks: None,
            ..logged.data.clone()
        };
        let saved = s.update_activity(&desk, logged.meta.id, 1, edited).unwrap();
        assert_eq!(saved.data.thanks, Some(thanks));
        assert_eq!(saved.data.notes, "Met bloemen.");
    }
}
