//! The knowledge notes' rows: what 5 Verankeren › Kennisnotities shows of each, newest first,
//! and their search text (title, tags and the whole text).

use super::rows::{RowKind, Rows};
use super::search::{Role, SearchText};
use super::{ReadModel, SharedModel};
use crate::domain::contact::BasicFunction;
use crate::domain::note::Note;
use crate::store::Stored;
use std::sync::Arc;

/// The notes as the read model keeps them (registered in `readmodel/mod.rs`).
#[derive(Debug)]
pub struct Notes;

impl RowKind for Notes {
    type Record = Note;
    type Row = NoteRow;
    type Stats = ();

    fn row(id: u64, revision: u64, data: Note) -> NoteRow {
        NoteRow::from_parts(id, revision, data)
    }
    fn row_of(stored: &Stored<Note>) -> NoteRow {
        let mut row =
            NoteRow::from_parts(stored.meta.id, stored.meta.revision, stored.data.clone());
        row.author = stored.meta.created.by.clone();
        row.updated = stored.meta.updated.at.date();
        row
    }
    fn id(row: &NoteRow) -> u64 {
        row.id
    }
    fn revision(row: &NoteRow) -> u64 {
        row.revision
    }
    fn sort_key(row: &NoteRow) -> &Arc<str> {
        &row.sort_key
    }
    fn haystack(row: &NoteRow) -> &str {
        &row.haystack
    }
}

impl ReadModel {
    /// Every knowledge note, newest first.
    pub fn notes(&self) -> &Rows<Notes> {
        self.rows::<Notes>()
    }
}

impl SharedModel {
    /// Puts a note this session just saved (see [`SharedModel::put_saved`]).
    pub fn put_note(&self, s: &Stored<Note>) {
        self.put_saved::<Notes>(s.clone());
    }
}

/// One note as the list shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRow {
    pub id: u64,
    pub revision: u64,
    pub title: String,
    pub tags: Vec<String>,
    pub basic_function: BasicFunction,
    /// Who wrote it (the account that created it); empty until known.
    pub author: String,
    /// The day it was last saved; known once read from its stamps.
    pub updated: time::Date,
    /// Newest first: the id counted down.
    pub sort_key: Arc<str>,
    /// Folded title, tags and text.
    pub haystack: String,
}

impl NoteRow {
    /// The row of record `id` at `revision`.
    pub fn from_parts(id: u64, revision: u64, n: Note) -> NoteRow {
        let sort_key: Arc<str> = format!("{:020}", u64::MAX - id).into();
        let haystack = SearchText::new()
            .words(Role::Main, &n.title)
            .words(Role::Second, &n.tags.join(" "))
            .words(Role::Second, &n.body)
            .build();
        NoteRow {
            id,
            revision,
            title: n.title,
            tags: n.tags,
            basic_function: n.basic_function,
            author: String::new(),
            updated: time::Date::MIN,
            sort_key,
            haystack,
        }
    }
}
