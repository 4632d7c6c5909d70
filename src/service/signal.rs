//! The signal use cases: record, edit and read signals from the field. Everyone may record
//! one (the front desk hears a lot). Each use case checks its permission and writes its audit
//! event through the one appender.

use super::{Account, Permission, Service, ServiceError};
use crate::domain::signal::Signal;
use crate::store::{Kind, Stored};

impl Service {
    /// Records a new signal.
    pub fn record_signal(&self, who: &Account, s: Signal) -> Result<Stored<Signal>, ServiceError> {
        self.require(who, Permission::RecordSignal)?;
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
                "record_signal",
                Some((Kind::Signal, stored.meta.id)),
                String::new(),
            )?;
            Ok(stored)
        })?)
    }

    /// Saves an edited signal (discussed, acted on), if nobody else saved it since revision
    /// `based_on`.
    pub fn update_signal(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        s: Signal,
    ) -> Result<Stored<Signal>, ServiceError> {
        self.require(who, Permission::RecordSignal)?;
        let problems = s.problems(&self.rules());
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        let stamp = self.stamp(who);
        Ok(self.store.transact(&stamp, |tx| {
            let saved = tx.update(id, based_on, s.clone())?;
            self.audit(
                tx,
                who,
                "update_signal",
                Some((Kind::Signal, id)),
                format!(
                    "status {}",
                    crate::domain::draft::Keyed::key(saved.data.status)
                ),
            )?;
            Ok(saved)
        })?)
    }

    /// Reads one signal.
    pub fn signal(&self, who: &Account, id: u64) -> Result<Option<Stored<Signal>>, ServiceError> {
        self.read::<Signal>(who, id)
    }

    /// Writes demo signals (see [`Service::fill_demo_kind`]).
    pub fn fill_demo_signals(
        &self,
        who: &Account,
        batch: &[Signal],
    ) -> Result<usize, ServiceError> {
        let rules = self.rules();
        self.fill_demo_kind(who, batch, "signals", |s| s.problems(&rules))
    }
}

#[cfg(test)]
mod tests {
    use crate::clock::FixedClock;
    use crate::config::Config;
    use crate::domain::signal::{Signal, SignalStatus, sample_signal};
    use crate::service::{Account, Role, Service, ServiceError};
    use crate::store::Store;
    use std::sync::Arc;
    use time::macros::datetime;

    #[test]
    fn a_signal_is_recorded_acted_on_and_a_stale_edit_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s")).unwrap();
        let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)));
        let s = Service::new(store, clock, Config::default());
        let desk = Account {
            name: "anouk".into(),
            role: Role::Intake,
        };
        let rec = s
            .record_signal(&desk, sample_signal().validate(&s.rules()).unwrap())
            .unwrap();
        // Acted on without saying what: refused by the service too.
        let bare = Signal {
            status: SignalStatus::ActedOn,
            ..rec.data.clone()
        };
        assert!(matches!(
            s.update_signal(&desk, rec.meta.id, 1, bare),
            Err(ServiceError::Invalid(_))
        ));
        let acted = Signal {
            status: SignalStatus::ActedOn,
            action_taken: "Maatjesproject gestart".into(),
            ..rec.data.clone()
        };
        s.update_signal(&desk, rec.meta.id, 1, acted.clone())
            .unwrap();
        let stale = s.update_signal(&desk, rec.meta.id, 1, acted);
        assert!(matches!(stale, Err(e) if e.is_conflict()));
    }
}
