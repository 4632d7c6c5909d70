//! The form engine: one [`Form`] for every record kind, driven by the table of fields of the
//! kind's draft ([`crate::domain::draft`]). A kind plugs in through [`FormKind`] (validation,
//! title, a few ui extras); `kinds` holds the kinds that have a form today: the volunteer
//! intake ([`IntakeForm`]) and the status change ([`StatusChangeForm`]). See `docs/forms.md`
//! for how to add one.
//!
//! Owns: focus and Tab order (which fields are visible), the key handling inside fields, the
//! errors on show, dirty tracking, the form's mode (new record or edit of a stored one), and
//! drawing (see `view`). Does not own: the list of fields (the draft's table), saving, the
//! store, the clock (today comes in through the kind's context), or the keymap. No I/O.
//!
//! ## What comes from the table
//! Tab order is the order of the draft's table. The widget follows the field's value: text
//! (one line, date, several lines), a choice (cycled, or listed when the kind says so), a
//! multi-select, a checkbox, the week grid. The label is `field.<key>`, a checkbox's caption
//! `form.<key>_box`, option `k` of a choice `<catalog>.<k>`, the header hint
//! `form.hint.<widget>`. Visibility: a field shown only when editing (the volunteer's status)
//! or only while another field has some value (the VOG dates, by the VOG state); the text of
//! hidden fields is kept while typing but left out of [`Form::draft`], and asking for a field
//! hidden by another field's value focuses that field. Length limits and required fields are
//! in the table and checked by the kind's validation.
//!
//! ## Input contract (gitui's "consumed" model)
//! The app gives every key to [`Form::handle_key`] first; `true` means the focused field
//! used it. Keys it leaves go to the keymap, whose actions the app turns into calls of
//! [`Form::next_field`], [`Form::prev_field`], [`Form::validate_all`] (save)
//! and so on. Only `Press` and `Repeat` events count.
//!
//! - Text fields: printable characters (also `q`, `1`, `i`, `?`), Backspace, Delete,
//!   Left/Right/Home/End, Ctrl+Left/Right (and Alt+Left/Right), Ctrl+W, Ctrl+U (delete to the
//!   start of the line), Ctrl+H, Ctrl/Alt+Backspace, Ctrl+Delete.
//! - Multi-line text (motivation, notes) also: Enter (new line), Up/Down by visual row, which
//!   are not consumed on the first and last row so the focus can move on.
//! - Completion (the municipality): the first configured municipality that starts with what
//!   was typed is shown after the cursor, dimmed. Tab accepts it (consumed) only when it adds
//!   something; with nothing to complete Tab is not consumed and moves on. Leaving the field
//!   corrects the spelling of a known municipality ("dordrecht" → "Dordrecht").
//! - Multi-select: Left/Right move, Space ticks. Week grid: arrows move (Up/Down are not
//!   consumed on the top and bottom row), Space ticks. Choices: Left/Right/Space cycle; a
//!   listed choice also takes Up/Down (not consumed at its first and last option).
//!   Checkboxes: Space.
//!
//! ## Errors
//! Leaving a field checks the draft with the kind's validation and shows that field's problem;
//! it also refreshes the other errors on show (so fixing the e-mail clears "fill in a phone
//! number or an e-mail"). A problem the kind marks as waiting ([`Wait`]) shows only once the
//! field it waits for is left too: leaving the phone field does not complain that no contact
//! is given yet; leaving the e-mail field with both empty does. Saving shows every problem at
//! once and focuses the first bad field. Errors from the service ([`Form::set_errors`]) stay
//! until their own field is left or the whole form is validated.

mod editor;
mod kinds;
mod view;

#[cfg(test)]
mod tests;

pub use kinds::{
    IntakeForm, StatusChangeForm, StatusForm, VolunteerForm, known_municipality,
    municipality_completion,
};

use crate::domain::draft::{Draft, DraftField, Shown, TextKind, Value};
use crate::domain::{Daypart, Field, FieldError, Problem};
use crate::i18n::Lang;
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use editor::Editor;
use std::cell::Cell;
use std::fmt::Debug;

/// Whether the form registers a new record or edits a stored one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormMode {
    /// A new record.
    New,
    /// Editing the stored record `id`, opened at `revision` (for the conflict check).
    Edit { id: u64, revision: u64 },
}

/// A record kind that has a form: its draft (whose table lists the fields, see
/// [`crate::domain::draft`]), how the draft is validated, the title, and the few ui-only
/// extras some fields need. The engine ([`Form`]) derives everything else — Tab order,
/// widgets, labels, hints, errors, merge — from the draft's table.
pub trait FormKind: 'static {
    /// The draft the form edits.
    type Draft: Draft;
    /// What a valid draft becomes.
    type Output;
    /// What validation needs to know (rules, today); `()` when nothing.
    type Ctx: Clone + Debug;

    /// Checks the whole draft: the record, or every problem at once.
    fn validate(draft: &Self::Draft, ctx: &Self::Ctx) -> Result<Self::Output, Vec<FieldError>>;

    /// The title in the form's header.
    fn title(lang: Lang, mode: FormMode, original: &Self::Draft) -> String;

    /// Ui-only extras of some fields (completion, spelling fixes, deferred problems, a choice
    /// shown as a list). Fields without a row here get the defaults.
    fn extras() -> &'static [FieldUi<Self::Ctx>] {
        &[]
    }
}

/// A problem of a field that is not shown when the field is left, only when `until` is left
/// (the e-mail address may still follow the empty phone number).
pub struct Wait {
    pub until: Field,
    pub problem: fn(&Problem) -> bool,
}

/// The ui-only extras of one field of a form, keyed by the field.
pub struct FieldUi<C: 'static> {
    pub field: Field,
    /// Completes typed text (shown dimmed after the cursor; Tab accepts it).
    pub complete: Option<for<'a> fn(&'a C, &str) -> Option<&'a str>>,
    /// The corrected spelling of the text, applied when the field is left.
    pub normalise: Option<for<'a> fn(&'a C, &str) -> Option<&'a str>>,
    pub wait: Option<Wait>,
    /// Catalog key of the hint shown in the header while the field has the focus, instead of
    /// the hint of its widget (`form.hint.<widget>`).
    pub help: Option<&'static str>,
    /// A choice shown as a list of every option (Up/Down move) instead of cycled in place.
    pub list: bool,
}

impl<C> FieldUi<C> {
    /// A row for `field` with no extras, to fill in with struct update syntax.
    pub const fn plain(field: Field) -> Self {
        FieldUi {
            field,
            complete: None,
            normalise: None,
            wait: None,
            help: None,
            list: false,
        }
    }
}

/// How a field is edited and drawn: derived from its value in the draft's table and its ui
/// extras.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Widget {
    /// One line of text.
    Line,
    /// One line of text holding a date (`dd-mm-jjjj`).
    Date,
    /// One line of text with completion.
    Complete,
    /// Several lines of text.
    Multi,
    /// Any number of values, ticked.
    MultiSelect,
    /// The 7 × 3 week grid.
    Grid,
    /// One of a few values, cycled.
    Choice,
    /// One of a few values, all listed.
    List,
    /// A checkbox.
    Check,
}

impl Widget {
    fn is_text(self) -> bool {
        matches!(
            self,
            Widget::Line | Widget::Date | Widget::Complete | Widget::Multi
        )
    }
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
struct ShownError {
    field: Field,
    problem: Problem,
    /// Came from the service, not from the form's own checks.
    service: bool,
}

/// A form over the draft of the record kind `K`: state and key handling. Draw it with
/// [`Form::render`].
#[derive(Debug, Clone)]
pub struct Form<K: FormKind> {
    mode: FormMode,
    ctx: K::Ctx,
    /// The draft the form started from, for [`Form::is_dirty`] and the choices offered.
    original: K::Draft,
    draft: K::Draft,
    focus: Field,
    /// The editor of the focused text field (`None` on other fields).
    editor: Option<Editor>,
    /// Cursor in a multi-select: the index of the option.
    select_cursor: usize,
    /// Cursor in the week grid: day (0 = Monday) and daypart.
    grid_cursor: (usize, usize),
    errors: Vec<ShownError>,
    /// The stored version to compare with, after a save met someone else's: each field
    /// whose input differs shows the stored value below it.
    compare: Option<K::Draft>,
    /// First content row on screen; adjusted while drawing so the focused field shows.
    scroll: Cell<u16>,
    /// Width of the input column as last drawn (for Up/Down in wrapped text).
    input_width: Cell<u16>,
    /// Language as last drawn (error sentences wrap differently per language, and
    /// [`Form::cursor_position`] must agree with the drawing).
    lang: Cell<Lang>,
}

impl<K: FormKind> Form<K> {
    /// A form on `draft` (new, edit, or one kept after a failed save). Dirty tracking compares
    /// with this draft. The focus starts on the first visible field.
    pub fn with_draft(mode: FormMode, draft: K::Draft, ctx: K::Ctx) -> Self {
        let mut form = Form {
            mode,
            ctx,
            original: draft.clone(),
            draft,
            // The first visible field is chosen below; the first of the table is a stand-in
            // (and `Notes` for a kind without fields, which then has nothing to focus).
            focus: K::Draft::fields().first().map_or(Field::Notes, |f| f.field),
            editor: None,
            select_cursor: 0,
            grid_cursor: (0, 0),
            errors: Vec::new(),
            compare: None,
            scroll: Cell::new(0),
            input_width: Cell::new(40),
            lang: Cell::new(Lang::default()),
        };
        if let Some(first) = form.visible_fields().first() {
            form.focus = *first;
        }
        form.enter(form.focus);
        form
    }

    /// The same form, comparing with `original` for dirty tracking (after a conflict the
    /// stored version is the original and the merged input the draft).
    pub fn with_original(mut self, original: K::Draft) -> Self {
        self.original = original;
        self
    }

    /// The same form after a save met someone else's: `stored` (their version) is the
    /// original for dirty tracking, and every field whose input differs from it shows the
    /// stored value beside the input, until the form is saved or closed.
    pub fn comparing(mut self, stored: K::Draft) -> Self {
        self.original = stored.clone();
        self.compare = Some(stored);
        self
    }

    /// The visible fields whose input differs from the stored version compared with (none
    /// when not comparing).
    pub fn differences(&self) -> Vec<Field> {
        let Some(stored) = &self.compare else {
            return Vec::new();
        };
        self.visible_fields()
            .into_iter()
            .filter(|f| Self::spec(*f).is_some_and(|s| !s.same(&self.draft, stored)))
            .collect()
    }

    /// New record or edit, with the record's id and revision.
    pub fn mode(&self) -> FormMode {
        self.mode
    }

    /// Bases the input on another revision (after a conflicting save was refused, the next
    /// save goes against the newer version), keeping what was typed.
    pub fn set_mode(&mut self, mode: FormMode) {
        self.mode = mode;
    }

    /// The field that has the focus.
    pub fn focused(&self) -> Field {
        self.focus
    }

    fn spec(field: Field) -> Option<&'static DraftField<K::Draft>> {
        K::Draft::field(field)
    }

    fn ui(field: Field) -> Option<&'static FieldUi<K::Ctx>> {
        K::extras().iter().find(|u| u.field == field)
    }

    fn widget(field: Field) -> Option<Widget> {
        let ui = Self::ui(field);
        Some(match &Self::spec(field)?.value {
            Value::Text { kind, .. } => match kind {
                TextKind::Line if ui.is_some_and(|u| u.complete.is_some()) => Widget::Complete,
                TextKind::Line => Widget::Line,
                TextKind::Date => Widget::Date,
                TextKind::Multi => Widget::Multi,
            },
            Value::Choice { .. } if ui.is_some_and(|u| u.list) => Widget::List,
            Value::Choice { .. } => Widget::Choice,
            Value::Choices { .. } => Widget::MultiSelect,
            Value::Flag { .. } => Widget::Check,
            Value::Week { .. } => Widget::Grid,
        })
    }

    /// Whether the focused field takes typed text (so printable keys never reach the keymap).
    pub fn is_editing_text(&self) -> bool {
        Self::widget(self.focus).is_some_and(Widget::is_text)
    }

    /// The draft as it stands: what was typed and chosen, without the text of fields that
    /// are hidden now (such as VOG dates the chosen VOG state does not use).
    pub fn draft(&self) -> K::Draft {
        let mut d = self.draft.clone();
        for f in K::Draft::fields() {
            if !self.is_visible(f.field)
                && let Some(text) = f.text_mut(&mut d)
            {
                text.clear();
            }
        }
        d
    }

    /// Whether anything differs from the draft the form started from.
    pub fn is_dirty(&self) -> bool {
        self.draft() != self.original
    }

    /// Whether `field` is part of the form right now.
    pub fn is_visible(&self, field: Field) -> bool {
        match Self::spec(field).map(|f| &f.shown) {
            None => false,
            Some(Shown::Always) => true,
            Some(Shown::Editing) => matches!(self.mode, FormMode::Edit { .. }),
            Some(Shown::When { when, .. }) => when(&self.draft),
        }
    }

    /// The visible fields in Tab order (the order of the draft's table).
    pub fn visible_fields(&self) -> Vec<Field> {
        K::Draft::fields()
            .iter()
            .map(|f| f.field)
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

    /// Puts the focus on `field`, checking the field that is left. A field hidden by another
    /// field's value (a VOG date) focuses that field; other hidden fields are ignored.
    pub fn focus(&mut self, field: Field) {
        let field = if self.is_visible(field) {
            field
        } else {
            match Self::spec(field).map(|f| &f.shown) {
                Some(Shown::When { by, .. }) if self.is_visible(*by) => *by,
                _ => return,
            }
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
        self.editor = match Self::spec(field).map(|f| &f.value) {
            Some(Value::Text { kind, get, .. }) => {
                Some(Editor::new(get(&self.draft), *kind == TextKind::Multi))
            }
            _ => None,
        };
    }

    /// Applies the field's spelling fix, if it has one and it applies. `true` when the text
    /// changed.
    fn normalise(&mut self, field: Field) -> bool {
        let Some(fix) = Self::ui(field).and_then(|u| u.normalise) else {
            return false;
        };
        let Some(spec) = Self::spec(field) else {
            return false;
        };
        let Some(text) = spec.text_mut(&mut self.draft) else {
            return false;
        };
        match fix(&self.ctx, text) {
            Some(fixed) if fixed != text.as_str() => {
                *text = fixed.to_string();
                true
            }
            _ => false,
        }
    }

    /// The checks that run when `field` is left.
    fn leave(&mut self, field: Field) {
        self.normalise(field);
        let found = K::validate(&self.draft(), &self.ctx)
            .err()
            .unwrap_or_default();
        let check = |f: Field| {
            found
                .iter()
                .find(|e| e.field == f)
                .map(|e| e.problem.clone())
        };
        // Refresh what is on show: a fixed problem goes, a changed one is updated.
        let mut kept = Vec::new();
        for e in std::mem::take(&mut self.errors) {
            if e.field == field {
                continue;
            }
            if e.service {
                kept.push(e);
            } else if let Some(problem) = check(e.field) {
                kept.push(ShownError { problem, ..e });
            }
        }
        let mut add = |f: Field, problem: Problem| {
            kept.retain(|e| e.field != f);
            kept.push(ShownError {
                field: f,
                problem,
                service: false,
            });
        };
        let waits = |f: Field, p: &Problem| {
            Self::ui(f)
                .and_then(|u| u.wait.as_ref())
                .is_some_and(|w| (w.problem)(p))
        };
        match check(field) {
            // Not yet: the field it waits for may still fix it.
            Some(problem) if waits(field, &problem) => {}
            Some(problem) => add(field, problem),
            None => {}
        }
        for ui in K::extras() {
            if let Some(wait) = &ui.wait
                && wait.until == field
                && let Some(problem) = check(ui.field)
                && (wait.problem)(&problem)
            {
                add(ui.field, problem);
            }
        }
        kept.sort_by_key(|e| K::Draft::position(e.field));
        self.errors = kept;
    }

    /// Checks everything (for save). Shows every problem at once and focuses the first bad
    /// visible field; on success clears the errors and returns the record.
    #[allow(
        clippy::result_unit_err,
        reason = "the errors are on show in the form; the caller only needs to know it failed"
    )]
    pub fn validate_all(&mut self) -> Result<K::Output, ()> {
        let focus = self.focus;
        if self.normalise(focus)
            && let Some(text) = Self::spec(focus).and_then(|f| f.text(&self.draft))
            && let Some(ed) = &mut self.editor
        {
            ed.replace(text);
        }
        match K::validate(&self.draft(), &self.ctx) {
            Ok(out) => {
                self.errors.clear();
                Ok(out)
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
                self.errors.push(ShownError {
                    field: e.field,
                    problem: e.problem,
                    service,
                });
            }
        }
        self.errors.sort_by_key(|e| K::Draft::position(e.field));
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
        let Some(widget) = Self::widget(self.focus) else {
            return false;
        };
        if widget.is_text() {
            return self.text_key(widget, key);
        }
        let plain = key.modifiers.difference(KeyModifiers::SHIFT).is_empty();
        if !plain {
            return false;
        }
        match widget {
            Widget::MultiSelect => self.select_key(key.code),
            Widget::Grid => self.grid_key(key.code),
            Widget::Choice => match key.code {
                KeyCode::Left => self.cycle_choice(false),
                KeyCode::Right | KeyCode::Char(' ') => self.cycle_choice(true),
                _ => false,
            },
            Widget::List => self.list_key(key.code),
            Widget::Check => match (key.code, Self::spec(self.focus).map(|f| &f.value)) {
                (KeyCode::Char(' '), Some(Value::Flag { get, set })) => {
                    let on = get(&self.draft);
                    set(&mut self.draft, !on);
                    true
                }
                _ => false,
            },
            _ => false,
        }
    }

    fn text_key(&mut self, widget: Widget, key: KeyEvent) -> bool {
        if widget == Widget::Complete && key.code == KeyCode::Tab && key.modifiers.is_empty() {
            return self.complete();
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
            && let Some(slot) = Self::spec(self.focus).and_then(|f| f.text_mut(&mut self.draft))
        {
            editor.value().clone_into(slot);
        }
    }

    /// The completion offered for the focused field's text, if it has one.
    pub fn suggestion(&self) -> Option<&str> {
        self.suggestion_for(self.focus)
    }

    fn suggestion_for(&self, field: Field) -> Option<&str> {
        let complete = Self::ui(field)?.complete?;
        let typed = Self::spec(field)?.text(&self.draft)?;
        complete(&self.ctx, typed)
    }

    fn complete(&mut self) -> bool {
        let Some(full) = self.suggestion().map(str::to_string) else {
            return false;
        };
        let Some(slot) = Self::spec(self.focus).and_then(|f| f.text_mut(&mut self.draft)) else {
            return false;
        };
        *slot = full;
        if let Some(editor) = &mut self.editor {
            editor.replace(slot);
        }
        true
    }

    fn select_key(&mut self, code: KeyCode) -> bool {
        let Some(Value::Choices {
            get, set, options, ..
        }) = Self::spec(self.focus).map(|f| &f.value)
        else {
            return false;
        };
        let options = options();
        let last = options.len().saturating_sub(1);
        match code {
            KeyCode::Left => self.select_cursor = self.select_cursor.saturating_sub(1),
            KeyCode::Right => self.select_cursor = (self.select_cursor + 1).min(last),
            KeyCode::Home => self.select_cursor = 0,
            KeyCode::End => self.select_cursor = last,
            KeyCode::Char(' ') => {
                let Some(&key) = options.get(self.select_cursor) else {
                    return false;
                };
                let mut ticked = get(&self.draft);
                if let Some(i) = ticked.iter().position(|k| *k == key) {
                    ticked.remove(i);
                } else {
                    ticked.push(key);
                }
                set(&mut self.draft, &ticked);
            }
            _ => return false,
        }
        true
    }

    fn grid_key(&mut self, code: KeyCode) -> bool {
        let Some(Value::Week { get, set }) = Self::spec(self.focus).map(|f| &f.value) else {
            return false;
        };
        let (day, part) = self.grid_cursor;
        match code {
            KeyCode::Left => self.grid_cursor.0 = day.saturating_sub(1),
            KeyCode::Right => self.grid_cursor.0 = (day + 1).min(6),
            KeyCode::Up if part > 0 => self.grid_cursor.1 = part - 1,
            KeyCode::Down if part + 1 < Daypart::ALL.len() => self.grid_cursor.1 = part + 1,
            KeyCode::Char(' ') => {
                if let Some(&p) = Daypart::ALL.get(part) {
                    let mut week = get(&self.draft);
                    week.toggle(day, p);
                    set(&mut self.draft, week);
                }
            }
            _ => return false,
        }
        true
    }

    /// The options of a choice field and the index of the chosen one.
    fn choice_state(&self, field: Field) -> Option<(Vec<&'static str>, Option<usize>)> {
        match Self::spec(field).map(|f| &f.value) {
            Some(Value::Choice { get, options, .. }) => {
                let options = options(&self.original);
                let current = get(&self.draft);
                let at = options.iter().position(|k| *k == current);
                Some((options, at))
            }
            _ => None,
        }
    }

    fn set_choice(&mut self, key: &str) {
        if let Some(Value::Choice { set, .. }) = Self::spec(self.focus).map(|f| &f.value) {
            set(&mut self.draft, key);
        }
    }

    fn cycle_choice(&mut self, forward: bool) -> bool {
        let Some((options, at)) = self.choice_state(self.focus) else {
            return false;
        };
        let current = at.and_then(|i| options.get(i).copied()).unwrap_or("");
        let next = cycle(&options, current, forward);
        self.set_choice(next);
        true
    }

    fn list_key(&mut self, code: KeyCode) -> bool {
        let Some((options, at)) = self.choice_state(self.focus) else {
            return false;
        };
        let target = match (code, at) {
            (KeyCode::Up, Some(i)) if i > 0 => i - 1,
            (KeyCode::Down, Some(i)) if i + 1 < options.len() => i + 1,
            (KeyCode::Down, None) if !options.is_empty() => 0,
            (KeyCode::Home, _) if !options.is_empty() => 0,
            (KeyCode::End, _) if !options.is_empty() => options.len() - 1,
            (KeyCode::Left, _) => return self.cycle_choice(false),
            (KeyCode::Right | KeyCode::Char(' '), _) => return self.cycle_choice(true),
            _ => return false,
        };
        if let Some(key) = options.get(target) {
            self.set_choice(key);
        }
        true
    }

    /// Moves the focused choice to the next (or previous) option: a listed choice stops at
    /// its ends, a cycled one wraps around. For keymap actions such as Up/Down in a modal.
    /// `false` when the focused field is no choice or is already at that end.
    pub fn step_choice(&mut self, forward: bool) -> bool {
        match Self::widget(self.focus) {
            Some(Widget::List) => self.list_key(if forward { KeyCode::Down } else { KeyCode::Up }),
            Some(Widget::Choice) => self.cycle_choice(forward),
            _ => false,
        }
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
