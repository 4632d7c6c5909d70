//! The volunteer intake form as a component: it edits a [`VolunteerDraft`] field by field,
//! speaks validation per field, and draws itself (see `view`).
//!
//! Owns: focus and Tab order (which fields are visible), the key handling inside fields, the
//! errors on show, dirty tracking, the form's mode (new intake or edit of a stored record).
//! Does not own: saving, the store, the clock (today comes in through [`Rules`]), or the
//! keymap. No I/O.
//!
//! ## Input contract (gitui's "consumed" model)
//! The app gives every key to [`IntakeForm::handle_key`] first; `true` means the focused field
//! used it. Keys it leaves go to the keymap, whose actions the app turns into calls of
//! [`IntakeForm::next_field`], [`IntakeForm::prev_field`], [`IntakeForm::validate_all`] (save)
//! and so on. Only `Press` and `Repeat` events count.
//!
//! - Text fields: printable characters (also `q`, `1`, `i`, `?`), Backspace, Delete,
//!   Left/Right/Home/End, Ctrl+Left/Right (and Alt+Left/Right), Ctrl+W, Ctrl+U (delete to the
//!   start of the line), Ctrl+H, Ctrl/Alt+Backspace, Ctrl+Delete.
//! - Multi-line text (motivation, notes) also: Enter (new line), Up/Down by visual row, which
//!   are not consumed on the first and last row so the focus can move on.
//! - Municipality: the first configured municipality that starts with what was typed is shown
//!   after the cursor, dimmed. Tab accepts it (consumed) only when it adds something; with
//!   nothing to complete Tab is not consumed and moves on. Leaving the field corrects the
//!   spelling of a known municipality ("dordrecht" → "Dordrecht").
//! - Interests: Left/Right move, Space ticks. Availability grid: arrows move (Up/Down are not
//!   consumed on the top and bottom row), Space ticks. Choices: Left/Right/Space cycle.
//!   Checkboxes: Space.
//!
//! ## Visible fields
//! Form order is [`Field::ALL`]. Status shows only when editing (a new intake is always
//! `New`), and then offers only the statuses the pipeline allows from the stored one. The VOG
//! dates show only when the VOG state uses them (requested: the request date; received: both);
//! the dates of hidden fields are kept while typing but left out of [`IntakeForm::draft`].
//!
//! ## Errors
//! Leaving a field checks it with [`VolunteerDraft::check_field`] and refreshes the other
//! errors on show (so fixing the e-mail clears "fill in a phone number or an e-mail"). Leaving
//! the phone field does not complain that no contact is given yet; leaving the e-mail field
//! with both empty does. Errors from the service ([`IntakeForm::set_errors`]) stay until their
//! own field is left or the whole form is validated.

mod editor;
mod view;

#[cfg(test)]
mod tests;

use crate::domain::name::fold;
use crate::domain::volunteer::{Rules, VogState};
use crate::domain::{
    ConsentScope, Daypart, Field, FieldError, FoundVia, Interest, Problem, Status, Volunteer,
    VolunteerDraft,
};
use crate::i18n::Lang;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use editor::Editor;
use std::cell::Cell;

/// Whether the form registers a new person or edits a stored one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormMode {
    /// A new intake.
    New,
    /// Editing the stored volunteer `id`, opened at `revision` (for the conflict check).
    Edit { id: u64, revision: u64 },
}

/// How a field is edited and drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// One line of text.
    Line,
    /// One line of text holding a date (`dd-mm-jjjj`).
    Date,
    /// One line of text with completion from the configured municipalities.
    Municipality,
    /// Several lines of text.
    Multi,
    /// The interests multi-select.
    Interests,
    /// The 7 × 3 availability grid.
    Availability,
    /// One of a few values, cycled.
    Choice,
    /// A checkbox.
    Check,
}

impl Kind {
    fn of(field: Field) -> Kind {
        match field {
            Field::BirthDate
            | Field::VogRequested
            | Field::VogReceived
            | Field::ConsentDate
            | Field::IntakeDate => Kind::Date,
            Field::Municipality => Kind::Municipality,
            Field::Motivation | Field::Notes => Kind::Multi,
            Field::Interests => Kind::Interests,
            Field::Availability => Kind::Availability,
            Field::FoundVia | Field::Vog | Field::ConsentScope | Field::Status => Kind::Choice,
            Field::Consent | Field::Vulnerable => Kind::Check,
            _ => Kind::Line,
        }
    }

    fn is_text(self) -> bool {
        matches!(
            self,
            Kind::Line | Kind::Date | Kind::Municipality | Kind::Multi
        )
    }
}

/// The text behind a text field of the draft.
fn text_ref(d: &VolunteerDraft, field: Field) -> Option<&String> {
    Some(match field {
        Field::GivenName => &d.given_name,
        Field::Prefix => &d.prefix,
        Field::FamilyName => &d.family_name,
        Field::BirthDate => &d.birth_date,
        Field::Address => &d.address,
        Field::Postcode => &d.postcode,
        Field::Municipality => &d.municipality,
        Field::Phone => &d.phone,
        Field::Email => &d.email,
        Field::Skills => &d.skills,
        Field::HoursPerWeek => &d.hours_per_week,
        Field::Motivation => &d.motivation,
        Field::VogRequested => &d.vog_requested,
        Field::VogReceived => &d.vog_received,
        Field::ConsentDate => &d.consent_date,
        Field::IntakeDate => &d.intake_date,
        Field::Notes => &d.notes,
        _ => return None,
    })
}

fn text_mut(d: &mut VolunteerDraft, field: Field) -> Option<&mut String> {
    Some(match field {
        Field::GivenName => &mut d.given_name,
        Field::Prefix => &mut d.prefix,
        Field::FamilyName => &mut d.family_name,
        Field::BirthDate => &mut d.birth_date,
        Field::Address => &mut d.address,
        Field::Postcode => &mut d.postcode,
        Field::Municipality => &mut d.municipality,
        Field::Phone => &mut d.phone,
        Field::Email => &mut d.email,
        Field::Skills => &mut d.skills,
        Field::HoursPerWeek => &mut d.hours_per_week,
        Field::Motivation => &mut d.motivation,
        Field::VogRequested => &mut d.vog_requested,
        Field::VogReceived => &mut d.vog_received,
        Field::ConsentDate => &mut d.consent_date,
        Field::IntakeDate => &mut d.intake_date,
        Field::Notes => &mut d.notes,
        _ => return None,
    })
}

/// The next (or previous) value of `all` after `current`, wrapping around.
fn cycle<T: Copy + PartialEq>(all: &[T], current: T, forward: bool) -> T {
    let n = all.len();
    if n == 0 {
        return current;
    }
    let i = all.iter().position(|v| *v == current).unwrap_or(0);
    let j = if forward {
        (i + 1) % n
    } else {
        (i + n - 1) % n
    };
    all[j]
}

/// Cleans pasted text: drops control characters; line breaks become `\n` in multi-line
/// fields and a space elsewhere; tabs become a space.
fn clean_paste(text: &str, multiline: bool) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    unified
        .chars()
        .filter_map(|c| match c {
            '\n' if multiline => Some('\n'),
            '\n' | '\t' => Some(' '),
            c if c.is_control() => None,
            c => Some(c),
        })
        .collect()
}

/// An error on show beside a field.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Shown {
    field: Field,
    problem: Problem,
    /// Came from the service, not from the form's own checks.
    service: bool,
}

/// The intake form: state and key handling. Draw it with [`IntakeForm::render`].
#[derive(Debug, Clone)]
pub struct IntakeForm {
    mode: FormMode,
    rules: Rules,
    /// The draft the form started from, for [`IntakeForm::is_dirty`].
    original: VolunteerDraft,
    draft: VolunteerDraft,
    focus: Field,
    /// The editor of the focused text field (`None` on other fields).
    editor: Option<Editor>,
    interest_cursor: usize,
    /// Cursor in the availability grid: day (0 = Monday) and daypart.
    grid_cursor: (usize, usize),
    errors: Vec<Shown>,
    /// First content row on screen; adjusted while drawing so the focused field shows.
    scroll: Cell<u16>,
    /// Width of the input column as last drawn (for Up/Down in wrapped text).
    input_width: Cell<u16>,
    /// Language as last drawn (error sentences wrap differently per language, and
    /// [`IntakeForm::cursor_position`] must agree with the drawing).
    lang: Cell<Lang>,
}

impl IntakeForm {
    /// A blank new intake for `rules.today`.
    pub fn new_intake(rules: Rules) -> Self {
        let draft = VolunteerDraft::new(rules.today);
        Self::with_draft(FormMode::New, draft, rules)
    }

    /// Edits the stored volunteer `id` at `revision`.
    pub fn edit(id: u64, revision: u64, volunteer: &Volunteer, rules: Rules) -> Self {
        Self::with_draft(
            FormMode::Edit { id, revision },
            VolunteerDraft::from_volunteer(volunteer),
            rules,
        )
    }

    /// A form on any draft (for instance one kept after a failed save). Dirty tracking
    /// compares with this draft.
    pub fn with_draft(mode: FormMode, draft: VolunteerDraft, rules: Rules) -> Self {
        let mut form = IntakeForm {
            mode,
            rules,
            original: draft.clone(),
            draft,
            focus: Field::GivenName,
            editor: None,
            interest_cursor: 0,
            grid_cursor: (0, 0),
            errors: Vec::new(),
            scroll: Cell::new(0),
            input_width: Cell::new(40),
            lang: Cell::new(Lang::default()),
        };
        form.enter(Field::GivenName);
        form
    }

    /// The same form, comparing with `original` for dirty tracking (after a conflict the
    /// stored version is the original and the merged input the draft).
    pub fn with_original(mut self, original: VolunteerDraft) -> Self {
        self.original = original;
        self
    }

    /// New intake or edit, with the record's id and revision.
    pub fn mode(&self) -> FormMode {
        self.mode
    }

    /// The field that has the focus.
    pub fn focused(&self) -> Field {
        self.focus
    }

    /// Whether the focused field takes typed text (so printable keys never reach the keymap).
    pub fn is_editing_text(&self) -> bool {
        Kind::of(self.focus).is_text()
    }

    /// The draft as it stands: what was typed and chosen, without the VOG dates that the
    /// chosen VOG state hides.
    pub fn draft(&self) -> VolunteerDraft {
        let mut d = self.draft.clone();
        if !self.is_visible(Field::VogRequested) {
            d.vog_requested.clear();
        }
        if !self.is_visible(Field::VogReceived) {
            d.vog_received.clear();
        }
        d
    }

    /// Whether anything differs from the draft the form started from.
    pub fn is_dirty(&self) -> bool {
        self.draft() != self.original
    }

    /// Whether `field` is part of the form right now.
    pub fn is_visible(&self, field: Field) -> bool {
        match field {
            Field::Status => matches!(self.mode, FormMode::Edit { .. }),
            Field::VogRequested => {
                matches!(self.draft.vog, VogState::Requested | VogState::Received)
            }
            Field::VogReceived => self.draft.vog == VogState::Received,
            _ => true,
        }
    }

    /// The visible fields in Tab order.
    pub fn visible_fields(&self) -> Vec<Field> {
        Field::ALL
            .into_iter()
            .filter(|f| self.is_visible(*f))
            .collect()
    }

    /// The problems on show, one per visible field, in form order.
    pub fn errors(&self) -> Vec<FieldError> {
        self.visible_fields()
            .into_iter()
            .filter_map(|f| self.error_of(f).map(|p| FieldError::new(f, p.clone())))
            .collect()
    }

    /// The problem on show for `field`.
    pub fn error_of(&self, field: Field) -> Option<&Problem> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| &e.problem)
    }

    /// Moves the focus to the next visible field (after the last: the first). Checks the
    /// field that is left.
    pub fn next_field(&mut self) {
        self.step(true);
    }

    /// Moves the focus to the previous visible field (before the first: the last). Checks the
    /// field that is left.
    pub fn prev_field(&mut self) {
        self.step(false);
    }

    fn step(&mut self, forward: bool) {
        let fields = self.visible_fields();
        let target = cycle(&fields, self.focus, forward);
        self.focus(target);
    }

    /// Puts the focus on `field` (a hidden VOG date focuses the VOG state; a hidden status
    /// is ignored), checking the field that is left.
    pub fn focus(&mut self, field: Field) {
        let field = match field {
            Field::VogRequested | Field::VogReceived if !self.is_visible(field) => Field::Vog,
            f if !self.is_visible(f) => return,
            f => f,
        };
        if field == self.focus {
            return;
        }
        let left = self.focus;
        self.leave(left);
        self.focus = field;
        self.enter(field);
    }

    /// Focus without checking the field that is left (after a full validation).
    fn focus_quietly(&mut self, field: Field) {
        if field != self.focus && self.is_visible(field) {
            self.focus = field;
            self.enter(field);
        }
    }

    fn enter(&mut self, field: Field) {
        let kind = Kind::of(field);
        self.editor = if kind.is_text() {
            let value = text_ref(&self.draft, field).map_or("", String::as_str);
            Some(Editor::new(value, kind == Kind::Multi))
        } else {
            None
        };
    }

    /// The checks that run when `field` is left.
    fn leave(&mut self, field: Field) {
        if field == Field::Municipality
            && let Some(known) = self.rules.municipality(&self.draft.municipality)
        {
            self.draft.municipality = known.to_string();
        }
        let draft = self.draft();
        let check = |f: Field| draft.check_field(f, &self.rules);
        // Refresh what is on show: a fixed problem goes, a changed one is updated.
        let mut kept = Vec::new();
        for e in std::mem::take(&mut self.errors) {
            if e.field == field {
                continue;
            }
            if e.service {
                kept.push(e);
            } else if let Some(problem) = check(e.field) {
                kept.push(Shown { problem, ..e });
            }
        }
        let mut add = |f: Field, problem: Problem| {
            kept.retain(|e| e.field != f);
            kept.push(Shown {
                field: f,
                problem,
                service: false,
            });
        };
        match check(field) {
            // Not yet: the e-mail address may follow.
            Some(Problem::ContactRequired) if field == Field::Phone => {}
            Some(problem) => add(field, problem),
            None => {}
        }
        if field == Field::Email
            && let Some(problem @ Problem::ContactRequired) = check(Field::Phone)
        {
            add(Field::Phone, problem);
        }
        kept.sort_by_key(|e| Field::ALL.iter().position(|f| *f == e.field));
        self.errors = kept;
    }

    /// Checks everything (for save). Shows every problem at once and focuses the first bad
    /// visible field; on success clears the errors and returns the volunteer.
    #[allow(
        clippy::result_unit_err,
        reason = "the errors are on show in the form; the caller only needs to know it failed"
    )]
    pub fn validate_all(&mut self) -> Result<Volunteer, ()> {
        if self.focus == Field::Municipality
            && let Some(known) = self.rules.municipality(&self.draft.municipality)
        {
            self.draft.municipality = known.to_string();
            if let Some(ed) = &mut self.editor {
                ed.replace(&self.draft.municipality);
            }
        }
        match self.draft().validate(&self.rules) {
            Ok(volunteer) => {
                self.errors.clear();
                Ok(volunteer)
            }
            Err(errors) => {
                self.show_errors(errors, false);
                Err(())
            }
        }
    }

    /// Shows problems found by the service (for instance a status change it refused) and
    /// focuses the first. Replaces the errors on show.
    pub fn set_errors(&mut self, errors: Vec<FieldError>) {
        self.show_errors(errors, true);
    }

    fn show_errors(&mut self, errors: Vec<FieldError>, service: bool) {
        self.errors.clear();
        for e in errors {
            if !self.errors.iter().any(|s| s.field == e.field) {
                self.errors.push(Shown {
                    field: e.field,
                    problem: e.problem,
                    service,
                });
            }
        }
        self.errors
            .sort_by_key(|e| Field::ALL.iter().position(|f| *f == e.field));
        if let Some(first) = self
            .errors
            .iter()
            .map(|e| e.field)
            .find(|f| self.is_visible(*f))
        {
            self.focus_quietly(first);
        }
    }

    /// Gives a key to the focused field. `true` when the field used it; otherwise the key is
    /// for the keymap. See the module docs for which keys each kind of field takes.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        if !matches!(key.kind, KeyEventKind::Press | KeyEventKind::Repeat) {
            return false;
        }
        let kind = Kind::of(self.focus);
        if kind.is_text() {
            return self.text_key(kind, key);
        }
        let plain = key.modifiers.difference(KeyModifiers::SHIFT).is_empty();
        if !plain {
            return false;
        }
        match kind {
            Kind::Interests => self.interests_key(key.code),
            Kind::Availability => self.grid_key(key.code),
            Kind::Choice => match key.code {
                KeyCode::Left => self.cycle_choice(false),
                KeyCode::Right | KeyCode::Char(' ') => self.cycle_choice(true),
                _ => false,
            },
            Kind::Check => match key.code {
                KeyCode::Char(' ') => {
                    match self.focus {
                        Field::Consent => self.draft.consent = !self.draft.consent,
                        Field::Vulnerable => self.draft.vulnerable = !self.draft.vulnerable,
                        _ => return false,
                    }
                    true
                }
                _ => false,
            },
            _ => false,
        }
    }

    fn text_key(&mut self, kind: Kind, key: KeyEvent) -> bool {
        if kind == Kind::Municipality && key.code == KeyCode::Tab && key.modifiers.is_empty() {
            return self.complete_municipality();
        }
        let width = usize::from(self.input_width.get()).saturating_sub(1).max(1);
        let Some(editor) = &mut self.editor else {
            return false;
        };
        match editor.handle_key(key, width) {
            None => false,
            Some(changed) => {
                if changed {
                    self.store_editor();
                }
                true
            }
        }
    }

    /// Writes the editor's value into the draft.
    fn store_editor(&mut self) {
        if let Some(editor) = &self.editor
            && let Some(slot) = text_mut(&mut self.draft, self.focus)
        {
            *slot = editor.value().to_string();
        }
    }

    /// The configured municipality that completes what is typed in the municipality field:
    /// the first that starts with it (ignoring case and accents) and is longer.
    pub fn municipality_suggestion(&self) -> Option<&str> {
        let typed = fold(&self.draft.municipality);
        if typed.is_empty() {
            return None;
        }
        self.rules
            .municipalities
            .iter()
            .find(|m| {
                let f = fold(m);
                f.starts_with(&typed) && f.len() > typed.len()
            })
            .map(String::as_str)
    }

    fn complete_municipality(&mut self) -> bool {
        let Some(full) = self.municipality_suggestion().map(str::to_string) else {
            return false;
        };
        self.draft.municipality = full;
        if let Some(editor) = &mut self.editor {
            editor.replace(&self.draft.municipality);
        }
        true
    }

    fn interests_key(&mut self, code: KeyCode) -> bool {
        let last = Interest::ALL.len() - 1;
        match code {
            KeyCode::Left => self.interest_cursor = self.interest_cursor.saturating_sub(1),
            KeyCode::Right => self.interest_cursor = (self.interest_cursor + 1).min(last),
            KeyCode::Home => self.interest_cursor = 0,
            KeyCode::End => self.interest_cursor = last,
            KeyCode::Char(' ') => {
                let Some(&interest) = Interest::ALL.get(self.interest_cursor) else {
                    return false;
                };
                if let Some(i) = self.draft.interests.iter().position(|x| *x == interest) {
                    self.draft.interests.remove(i);
                } else {
                    self.draft.interests.push(interest);
                    self.draft.interests.sort();
                }
            }
            _ => return false,
        }
        true
    }

    fn grid_key(&mut self, code: KeyCode) -> bool {
        let (day, part) = self.grid_cursor;
        match code {
            KeyCode::Left => self.grid_cursor.0 = day.saturating_sub(1),
            KeyCode::Right => self.grid_cursor.0 = (day + 1).min(6),
            KeyCode::Up if part > 0 => self.grid_cursor.1 = part - 1,
            KeyCode::Down if part + 1 < Daypart::ALL.len() => self.grid_cursor.1 = part + 1,
            KeyCode::Char(' ') => {
                if let Some(&p) = Daypart::ALL.get(part) {
                    self.draft.availability.toggle(day, p);
                }
            }
            _ => return false,
        }
        true
    }

    /// The statuses offered when editing: the stored one and those it may become.
    fn status_choices(&self) -> Vec<Status> {
        Status::ALL
            .into_iter()
            .filter(|s| self.original.status.can_become(*s))
            .collect()
    }

    fn cycle_choice(&mut self, forward: bool) -> bool {
        let d = &mut self.draft;
        match self.focus {
            Field::FoundVia => d.found_via = cycle(&FoundVia::ALL, d.found_via, forward),
            Field::Vog => d.vog = cycle(&VogState::ALL, d.vog, forward),
            Field::ConsentScope => {
                d.consent_scope = cycle(&ConsentScope::ALL, d.consent_scope, forward)
            }
            Field::Status => {
                let choices = self.status_choices();
                self.draft.status = cycle(&choices, self.draft.status, forward);
            }
            _ => return false,
        }
        true
    }

    /// Pastes text into the focused text field (control characters dropped; line breaks only
    /// in multi-line fields, elsewhere they become spaces). `false` on other fields.
    pub fn handle_paste(&mut self, text: &str) -> bool {
        let Some(editor) = &mut self.editor else {
            return false;
        };
        let clean = clean_paste(text, editor.is_multiline());
        if editor.insert_str(&clean) {
            self.store_editor();
        }
        true
    }
}
