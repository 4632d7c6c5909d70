//! The knowledge-note kind: its indexes.

use super::Of;
use crate::domain::FieldError;
use crate::domain::note::Note;
use crate::domain::volunteer::Rules;
use crate::store::record::{Editable, IndexDef, Kind, Record};

/// The type-erased operations of knowledge notes.
pub(super) static OPS: Of<Note> = Of::editable();

/// The note indexes.
pub mod index {
    use crate::store::record::IndexDef;

    /// Each tag, folded to lower case: the notes with a tag.
    pub const TAG: IndexDef = IndexDef::new("tag");
}

impl Record for Note {
    /// Few and small enough to load whole: no separate summaries are kept
    /// (`SUMMARY_VERSION` 0), and the list is built from the record itself.
    type Summary = Note;

    fn summary(&self) -> Note {
        self.clone()
    }

    const KIND: Kind = Kind::Note;
    /// 1: today's layout.
    const FORMAT_VERSION: u16 = 1;
    const INDEXES: &'static [&'static IndexDef] = &[&index::TAG];

    fn index_entries(&self) -> Vec<(&'static IndexDef, String)> {
        let mut tags: Vec<String> = self.tags.iter().map(|t| t.to_lowercase()).collect();
        tags.sort();
        tags.dedup();
        tags.into_iter().map(|t| (&index::TAG, t)).collect()
    }

    fn normalised(self, _rules: &Rules) -> Result<Self, Vec<FieldError>> {
        let problems = self.problems();
        if problems.is_empty() {
            Ok(self)
        } else {
            Err(problems)
        }
    }
}

impl Editable for Note {}

#[cfg(test)]
mod tests {
    use super::index;
    use crate::domain::note::{Note, sample_note};
    use crate::store::{Stamp, Store};
    use time::macros::datetime;

    #[test]
    fn notes_are_found_by_tag_in_any_case_until_the_tag_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let stamp = Stamp {
            by: "test".into(),
            at: datetime!(2026-11-27 10:00 UTC),
        };
        let n = sample_note().validate().unwrap();
        let id = store.insert(n.clone(), &stamp).unwrap().meta.id;
        assert_eq!(store.find::<Note>(&index::TAG, "jongeren").unwrap(), [id]);
        let renamed = Note {
            tags: vec!["Werving".into()],
            ..n
        };
        store.update(id, 1, renamed, &stamp).unwrap();
        assert!(
            store
                .find::<Note>(&index::TAG, "jongeren")
                .unwrap()
                .is_empty()
        );
        assert_eq!(store.find::<Note>(&index::TAG, "werving").unwrap(), [id]);
    }
}
