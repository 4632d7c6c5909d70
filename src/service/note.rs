//! The knowledge-note use cases: write, edit and read notes. Everyone may write them (what
//! the front desk learns counts too); the author and the dates are the record's stamps. Each
//! use case checks its permission and writes its audit event through the one appender.

use super::{Account, Permission, Service, ServiceError};
use crate::domain::note::Note;
use crate::store::{Kind, Stored};

impl Service {
    /// Writes a new knowledge note.
    pub fn write_note(&self, who: &Account, n: Note) -> Result<Stored<Note>, ServiceError> {
        self.require(who, Permission::WriteNote)?;
        let problems = n.problems();
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        let stamp = self.stamp(who);
        Ok(self.store.transact(&stamp, |tx| {
            let stored = tx.insert(n.clone())?;
            self.audit(
                tx,
                who,
                "write_note",
                Some((Kind::Note, stored.meta.id)),
                String::new(),
            )?;
            Ok(stored)
        })?)
    }

    /// Saves an edited note, if nobody else saved it since revision `based_on`.
    pub fn update_note(
        &self,
        who: &Account,
        id: u64,
        based_on: u64,
        n: Note,
    ) -> Result<Stored<Note>, ServiceError> {
        self.require(who, Permission::WriteNote)?;
        let problems = n.problems();
        if !problems.is_empty() {
            return Err(ServiceError::Invalid(problems));
        }
        let stamp = self.stamp(who);
        Ok(self.store.transact(&stamp, |tx| {
            let saved = tx.update(id, based_on, n.clone())?;
            self.audit(
                tx,
                who,
                "update_note",
                Some((Kind::Note, id)),
                String::new(),
            )?;
            Ok(saved)
        })?)
    }

    /// Reads one note.
    pub fn note(&self, who: &Account, id: u64) -> Result<Option<Stored<Note>>, ServiceError> {
        self.read::<Note>(who, id)
    }

    /// Writes demo notes (see [`Service::fill_demo_kind`]).
    pub fn fill_demo_notes(&self, who: &Account, batch: &[Note]) -> Result<usize, ServiceError> {
        self.fill_demo_kind(who, batch, "notes", Note::problems)
    }
}

#[cfg(test)]
mod tests {
    use crate::clock::FixedClock;
    use crate::config::Config;
    use crate::domain::note::{Note, sample_note};
    use crate::service::{Account, Role, Service, ServiceError};
    use crate::store::Store;
    use std::sync::Arc;
    use time::macros::datetime;

    #[test]
    fn anyone_writes_a_note_and_a_second_edit_on_an_old_revision_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s")).unwrap();
        let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)));
        let s = Service::new(store, clock, Config::default());
        let desk = Account {
            name: "anouk".into(),
            role: Role::Intake,
        };
        let n = s
            .write_note(&desk, sample_note().validate().unwrap())
            .unwrap();
        assert_eq!(n.meta.created.by, "anouk");
        let edited = Note {
            title: "Jongeren werven".into(),
            ..n.data.clone()
        };
        s.update_note(&desk, n.meta.id, 1, edited.clone()).unwrap();
        let again = s.update_note(&desk, n.meta.id, 1, edited);
        assert!(matches!(again, Err(e) if e.is_conflict()));
        let bad = Note {
            title: String::new(),
            ..n.data
        };
        assert!(matches!(
            s.write_note(&desk, bad),
            Err(ServiceError::Invalid(_))
        ));
    }
}
