//! 5 Verankeren › Kennisnotities: what the centre learned, newest first. `/` searches titles,
//! tags and the whole text; `f` shows one basic function at a time; `n` writes a note, Enter
//! reads one, `e` edits it. Built from the generic record screens.

use super::record::{self, Keep, RecordScreens};
use crate::domain::contact::BasicFunction;
use crate::domain::draft::Keyed;
use crate::domain::format_date;
use crate::domain::note::{Note, NoteDraft};
use crate::domain::{Field, FieldError};
use crate::i18n::{Lang, field_label, t, tf};
use crate::readmodel::{Haystacks, NoteRow, ReadModel};
use crate::service::{Kind, ServiceError, Stored};
use crate::ui::component::{Env, JobCx};
use crate::ui::screens::organisations::detail::bookkeeping;
use crate::ui::table::{Column, Projection};
use crate::ui::widgets::form::{FormKind, FormMode};
use crate::ui::widgets::scroll::{heading, labelled};
use ratatui::text::{Line, Span};
use time::Date;

/// The name of a basic function.
fn function_name(lang: Lang, f: BasicFunction) -> String {
    t(lang, &format!("basic_function.{}", f.key())).to_string()
}

/// Notes as a list.
pub struct NoteRows;

static COLUMNS: [Column<NoteRow>; 4] = [
    Column {
        title: "ui.col_updated",
        min: 10,
        preferred: 10,
        max: 10,
        drop: 2,
        cell: |r, _| format_date(r.updated),
    },
    Column {
        title: "field.note_title",
        min: 16,
        preferred: 40,
        max: 70,
        drop: 0,
        cell: |r, _| r.title.clone(),
    },
    Column {
        title: "field.tags",
        min: 10,
        preferred: 24,
        max: 40,
        drop: 1,
        cell: |r, _| r.tags.join(", "),
    },
    Column {
        title: "ui.col_author",
        min: 6,
        preferred: 12,
        max: 16,
        drop: 3,
        cell: |r, _| r.author.clone(),
    },
];

impl Projection for NoteRows {
    type Row = NoteRow;
    const EMPTY: &'static str = "ui.note_empty";
    const NO_MATCHES: &'static str = "ui.note_no_matches";
    fn rows(model: &ReadModel) -> &[NoteRow] {
        model.notes().all()
    }
    fn haystacks(model: &ReadModel) -> &Haystacks {
        model.notes().haystacks()
    }
    fn id(row: &NoteRow) -> u64 {
        row.id
    }
    fn columns() -> &'static [Column<NoteRow>] {
        &COLUMNS
    }
}

/// The note form.
#[derive(Debug, Clone, Copy)]
pub struct NoteForm;

impl FormKind for NoteForm {
    type Draft = NoteDraft;
    type Output = Note;
    type Ctx = ();

    fn validate(draft: &NoteDraft, _ctx: &()) -> Result<Note, Vec<FieldError>> {
        draft.validate()
    }

    fn title(lang: Lang, mode: FormMode, original: &NoteDraft) -> String {
        match mode {
            FormMode::New => t(lang, "form.title_new_note").to_string(),
            FormMode::Edit { .. } => {
                tf(lang, "form.title_edit", &[("name", original.title.clone())])
            }
        }
    }
}

/// Knowledge notes on the generic record screens.
pub struct Notes;

/// The list screen.
pub type NoteList = record::ListScreen<Notes>;
/// The detail view.
pub type DetailView = record::DetailView<Notes>;
/// The form view.
pub type FormView = record::FormView<Notes>;

impl RecordScreens for Notes {
    type Record = Note;
    type Rows = NoteRows;
    type Form = NoteForm;
    /// One basic function, or all.
    type Filter = Option<BasicFunction>;

    const KIND: Kind = Kind::Note;
    const SCREEN: &'static str = "screen.knowledge_notes";
    const LOAD_JOB: &'static str = "load_note";
    const SAVE_JOB: &'static str = "save_note";
    const FORM_CRUMB: &'static str = "ui.crumb_note_form";

    fn read(jx: &JobCx, id: u64) -> Result<Option<Stored<Note>>, ServiceError> {
        jx.service.note(jx.who, id)
    }

    fn save(jx: &JobCx, mode: FormMode, note: Note) -> Result<Stored<Note>, ServiceError> {
        let saved = match mode {
            FormMode::New => jx.service.write_note(jx.who, note),
            FormMode::Edit { id, revision } => jx.service.update_note(jx.who, id, revision, note),
        }?;
        jx.model.put_note(&saved);
        Ok(saved)
    }

    fn listed_revision(model: &ReadModel, id: u64) -> Option<u64> {
        model.notes().get(id).map(|r| r.revision)
    }

    fn new_draft(_env: &Env) -> NoteDraft {
        NoteDraft::default()
    }

    fn draft_of(note: &Note) -> NoteDraft {
        NoteDraft::from_note(note)
    }

    fn form_ctx(_env: &Env, _model: &ReadModel) {}

    fn name(note: &Note) -> String {
        note.title.clone()
    }

    fn lines(r: &Stored<Note>, env: &Env) -> Vec<Line<'static>> {
        let (theme, lang) = (&env.theme, env.lang);
        let n = &r.data;
        let f = |field: Field| field_label(lang, field);
        let mut out = vec![
            Line::from(Span::styled(n.title.clone(), theme.title)),
            Line::default(),
            labelled(
                theme,
                f(Field::BasicFunction),
                function_name(lang, n.basic_function),
            ),
            labelled(
                theme,
                f(Field::Tags),
                if n.tags.is_empty() {
                    "—".to_string()
                } else {
                    n.tags.join(", ")
                },
            ),
            labelled(theme, t(lang, "ui.col_author"), r.meta.created.by.clone()),
        ];
        if !n.body.is_empty() {
            out.push(Line::default());
            out.push(heading(theme, f(Field::NoteText)));
            for l in n.body.lines() {
                out.push(Line::from(l.to_string()));
            }
        }
        out.push(Line::default());
        out.push(bookkeeping(&r.meta, theme, lang));
        out
    }

    fn next_filter(filter: Option<BasicFunction>) -> Option<BasicFunction> {
        let all = BasicFunction::ALL;
        match filter {
            None => all.first().copied(),
            Some(f) => all
                .iter()
                .position(|x| *x == f)
                .and_then(|i| all.get(i + 1))
                .copied(),
        }
    }

    fn keeps(filter: Option<BasicFunction>, _today: Date) -> Option<Keep<NoteRows>> {
        filter.map(|f| Box::new(move |r: &NoteRow| r.basic_function == f) as Keep<NoteRows>)
    }

    fn filter_text(filter: Option<BasicFunction>, lang: Lang) -> Option<String> {
        let shown = match filter {
            None => t(lang, "ui.note_all_functions").to_string(),
            Some(f) => function_name(lang, f),
        };
        Some(tf(lang, "ui.note_filters", &[("function", shown)]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn f_steps_through_every_basic_function_and_back_to_all() {
        let mut f = None;
        let mut seen = Vec::new();
        for _ in 0..6 {
            f = Notes::next_filter(f);
            seen.push(f);
        }
        assert_eq!(seen.len(), 6);
        assert_eq!(seen[0], Some(BasicFunction::Vertalen));
        assert_eq!(seen[4], Some(BasicFunction::Verankeren));
        assert_eq!(seen[5], None);
    }
}
