//! The intake and edit form as a pushed view, its save through the service, the duplicates
//! dialog and what happens after a conflicting save (the user's input is moved onto the
//! stored version, field by field).

use super::detail::DetailView;
use super::{KIND, Then};
use crate::domain::format_date;
use crate::domain::volunteer::{Rules, Volunteer, VolunteerDraft};
use crate::i18n::errors::service_error;
use crate::i18n::{Lang, field_label, t, tf};
use crate::readmodel::ReadModel;
use crate::service::Stored;
use crate::service::{Duplicate, ServiceError};
use crate::ui::action::Action;
use crate::ui::component::{
    Cmd, Component, Cx, Done, Env, FlashKind, Handled, Job, JobCx, RenderCx,
};
use crate::ui::keymap::Context;
use crate::ui::modal::popup;
use crate::ui::text::{put, put_padded, str_width as width_of, wrap_words};
use crate::ui::widgets::form::{FormMode, IntakeForm};
use crossterm::event::{KeyEvent, MouseEvent};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use std::any::Any;

/// Saves a new or edited volunteer.
pub struct Save {
    pub mode: FormMode,
    pub volunteer: Volunteer,
    /// Skip the duplicate check (the user saw the likely duplicates and chose to save).
    pub save_anyway: bool,
}

/// What [`Save`] brings back.
pub struct Saved {
    pub result: Result<Stored<Volunteer>, ServiceError>,
    /// After a conflict: the version that is stored now, to merge the input onto.
    pub current: Option<Stored<Volunteer>>,
}

/// Whether a service error says someone else saved first.
pub fn is_conflict(e: &ServiceError) -> bool {
    e.is_conflict()
}

impl Job for Save {
    fn name(&self) -> &'static str {
        "save_volunteer"
    }
    fn run(self: Box<Self>, jx: &JobCx) -> Box<dyn Any + Send> {
        let result = match self.mode {
            FormMode::New => jx
                .service
                .register_intake(jx.who, self.volunteer, self.save_anyway),
            FormMode::Edit { id, revision } => {
                jx.service
                    .update_volunteer(jx.who, id, revision, self.volunteer)
            }
        };
        if let Ok(saved) = &result {
            // The saver sees it at once; the change feed brings the same revision later.
            jx.model.put_volunteer(saved);
        }
        let current = match (&result, self.mode) {
            (Err(e), FormMode::Edit { id, .. }) if is_conflict(e) => {
                jx.service.volunteer(jx.who, id).ok().flatten()
            }
            _ => None,
        };
        Box::new(Saved { result, current })
    }
}

/// After a successful save: the saved person's detail, selected in the lists.
fn show_saved(saved: Stored<Volunteer>, cx: &mut Cx) {
    let name = saved.data.name.full();
    let id = saved.meta.id;
    cx.cmd(Cmd::CloseViews);
    cx.push(DetailView::new(saved));
    cx.cmd(Cmd::Reveal(KIND, id));
    cx.flash(FlashKind::Ok, tf(cx.lang(), "ui.saved", &[("name", name)]));
}

/// The intake or edit form.
pub struct FormView {
    pub form: IntakeForm,
    /// The stored version an edit started from (for merging after a conflict).
    base: Option<Stored<Volunteer>>,
}

impl FormView {
    pub fn new_intake(rules: Rules) -> FormView {
        FormView {
            form: IntakeForm::new_intake(rules),
            base: None,
        }
    }

    /// The edit form of `record`, a person found to be registered already, with the details
    /// of the `new` intake carried over (see [`crate::domain::draft::carry`]), and the fields
    /// that were.
    pub fn carried(
        record: Stored<Volunteer>,
        new: &Volunteer,
        rules: Rules,
    ) -> (FormView, Vec<crate::domain::Field>) {
        use crate::domain::Field;
        let stored = VolunteerDraft::from_volunteer(&record.data);
        let (draft, taken) = crate::domain::draft::carry(
            &stored,
            &VolunteerDraft::from_volunteer(new),
            &[Field::IntakeDate, Field::ConsentDate],
        );
        let mode = FormMode::Edit {
            id: record.meta.id,
            revision: record.meta.revision,
        };
        let form = IntakeForm::with_draft(mode, draft, rules).with_original(stored);
        (
            FormView {
                form,
                base: Some(record),
            },
            taken,
        )
    }

    pub fn edit(record: Stored<Volunteer>, rules: Rules) -> FormView {
        FormView {
            form: IntakeForm::edit(record.meta.id, record.meta.revision, &record.data, rules),
            base: Some(record),
        }
    }

    fn save(&mut self, cx: &mut Cx) {
        let Ok(volunteer) = self.form.validate_all() else {
            let text = crate::ui::screens::form_view::not_saved(cx.lang(), &self.form.errors());
            cx.flash(FlashKind::Error, text);
            return;
        };
        cx.run(Save {
            mode: self.form.mode(),
            volunteer,
            save_anyway: false,
        });
    }

    /// After a conflict: puts the user's changes on top of `current`, so they can check and
    /// save again. Returns the message to show.
    fn rebase(&mut self, current: Stored<Volunteer>, lang: Lang, rules: &Rules) -> Option<String> {
        let base = self
            .base
            .as_ref()
            .filter(|b| b.meta.id == current.meta.id)?;
        let theirs = VolunteerDraft::from_volunteer(&current.data);
        let (merged, both) = crate::domain::volunteer::rebase(
            &VolunteerDraft::from_volunteer(&base.data),
            &self.form.draft(),
            &theirs,
        );
        let mode = FormMode::Edit {
            id: current.meta.id,
            revision: current.meta.revision,
        };
        self.form = IntakeForm::with_draft(mode, merged, rules.clone()).comparing(theirs);
        let by = current.meta.updated.clone();
        self.base = Some(current);
        Some(crate::ui::screens::form_view::rebased_message(
            lang, by, &both,
        ))
    }
}

impl Component for FormView {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::Form]
    }

    /// The keys the fields take themselves (not in the keymap).
    fn help_note(&self, lang: Lang) -> Option<String> {
        Some(t(lang, "form.help_keys").to_string())
    }

    fn on_key(&mut self, key: KeyEvent, _cx: &mut Cx) -> bool {
        self.form.handle_key(key)
    }

    fn on_paste(&mut self, text: &str, _cx: &mut Cx) -> bool {
        self.form.handle_paste(text)
    }

    fn on_mouse(&mut self, m: MouseEvent, area: Rect, _cx: &mut Cx) -> bool {
        self.form.handle_mouse(area, m)
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        match action {
            Action::NextField | Action::Down => self.form.next_field(),
            Action::PrevField | Action::Up => self.form.prev_field(),
            Action::Save => self.save(cx),
            Action::Back => crate::ui::screens::form_view::leave(self.form.is_dirty(), cx),
            _ => return Handled::No,
        }
        Handled::Yes
    }

    fn on_done(&mut self, done: Done, cx: &mut Cx) {
        let Some(Saved { result, current }) = done.take::<Saved>() else {
            return;
        };
        let lang = cx.lang();
        match result {
            Ok(saved) => show_saved(saved, cx),
            Err(ServiceError::Duplicates(duplicates)) => {
                if let Ok(volunteer) = self.form.validate_all() {
                    cx.modal(DuplicatesModal {
                        duplicates,
                        volunteer,
                        selected: 0,
                    });
                }
            }
            Err(ServiceError::Invalid(errors)) => {
                let text = service_error(lang, &ServiceError::Invalid(errors.clone()));
                self.form.set_errors(errors);
                cx.flash(FlashKind::Error, text);
            }
            Err(e) if is_conflict(&e) => {
                // The form stays open with the user's input, moved onto the new version.
                let rules = cx.env.rules.clone();
                let text = current
                    .and_then(|c| self.rebase(c, lang, &rules))
                    .unwrap_or_else(|| service_error(lang, &e));
                cx.flash(FlashKind::Error, text);
            }
            Err(e) => cx.flash(FlashKind::Error, service_error(lang, &e)),
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        self.form.render(area, buf, &cx.env.theme, cx.env.lang);
        self.form.cursor_position(area)
    }

    fn prepare(&mut self, _model: &ReadModel, _area: Rect, _env: &Env) {}

    fn crumb(&self, lang: Lang) -> Option<String> {
        Some(t(lang, "ui.crumb_form").to_string())
    }

    fn is_dirty(&self) -> bool {
        self.form.is_dirty()
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// Likely duplicates found when saving an intake: open the existing person's edit form with
/// the new intake's details filled in (nothing typed is lost), or save anyway.
pub struct DuplicatesModal {
    pub duplicates: Vec<Duplicate>,
    volunteer: Volunteer,
    pub selected: usize,
}

impl Component for DuplicatesModal {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::Dialog]
    }

    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => {
                self.selected = (self.selected + 1).min(self.duplicates.len().saturating_sub(1))
            }
            Action::Open => {
                if let Some(dup) = self.duplicates.get(self.selected) {
                    cx.run(super::Load {
                        id: dup.existing.meta.id,
                        then: Then::Edit,
                    });
                }
            }
            Action::Yes | Action::Save => cx.run(Save {
                mode: FormMode::New,
                volunteer: self.volunteer.clone(),
                save_anyway: true,
            }),
            Action::Back | Action::No => cx.close(),
            _ => {}
        }
        Handled::Yes
    }

    fn on_done(&mut self, done: Done, cx: &mut Cx) {
        if done.name == "load_volunteer" {
            let Some(loaded) = done.take::<super::Loaded>() else {
                return;
            };
            let lang = cx.lang();
            match loaded.result {
                Ok(Some(record)) => {
                    let (id, name) = (record.meta.id, record.data.name.full());
                    let (view, taken) =
                        FormView::carried(record, &self.volunteer, cx.env.rules.clone());
                    cx.close();
                    // The new intake's form gives way to the existing person's, which now
                    // holds what was typed.
                    cx.cmd(Cmd::CloseViews);
                    cx.push(view);
                    cx.cmd(Cmd::Reveal(KIND, id));
                    let text = if taken.is_empty() {
                        tf(lang, "ui.dup_nothing_new", &[("name", name)])
                    } else {
                        let fields: Vec<&str> =
                            taken.iter().map(|f| field_label(lang, *f)).collect();
                        tf(
                            lang,
                            "ui.dup_carried",
                            &[("name", name), ("fields", fields.join(", "))],
                        )
                    };
                    cx.flash(FlashKind::Info, text);
                }
                Ok(None) => cx.flash(FlashKind::Error, t(lang, "error.not_found")),
                Err(e) => cx.flash(FlashKind::Error, service_error(lang, &e)),
            }
            return;
        }
        let Some(Saved { result, .. }) = done.take::<Saved>() else {
            return;
        };
        cx.close();
        match result {
            Ok(saved) => show_saved(saved, cx),
            Err(e) => cx.flash(FlashKind::Error, service_error(cx.lang(), &e)),
        }
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        let (lang, theme) = (cx.env.lang, &cx.env.theme);
        // The hint wraps rather than being cut: at 80 columns the popup is 72 wide.
        let width = 72.min(area.width);
        let hint = phrase_lines(t(lang, "ui.dup_hint"), usize::from(width.saturating_sub(2)));
        let hint_rows = hint.len() as u16;
        let h = (self.duplicates.len() as u16 * 2 + 5 + hint_rows).min(area.height);
        let inner = popup(buf, area, 72, h, t(lang, "ui.dup_title"), theme);
        put(
            buf,
            inner.x,
            inner.y,
            inner.right(),
            t(lang, "ui.dup_intro"),
            theme.warning,
        );
        let hint_top = inner.bottom().saturating_sub(hint_rows);
        for (i, dup) in self.duplicates.iter().enumerate() {
            let v = &dup.existing.data;
            let sel = i == self.selected;
            let style = if sel { theme.selected } else { theme.base };
            let y = inner.y + 2 + 2 * i as u16;
            if y + 1 >= hint_top {
                break;
            }
            let text = format!(
                "{}{}  {}  {}",
                if sel { "▶ " } else { "  " },
                v.name.filed(),
                format_date(v.birth_date),
                v.municipality
            );
            put_padded(buf, inner.x, y, inner.width, &text, style);
            let reasons: Vec<String> = dup
                .reasons
                .iter()
                .map(|r| t(lang, &format!("duplicate.{}", r.key())).to_string())
                .collect();
            put(
                buf,
                inner.x + 4,
                y + 1,
                inner.right(),
                &reasons.join(", "),
                theme.dim,
            );
        }
        for (line, y) in hint.iter().zip(hint_top..inner.bottom()) {
            put(buf, inner.x, y, inner.right(), line, theme.key);
        }
        None
    }

    fn as_any(&self) -> &dyn Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// A hint of phrases set apart by three spaces, in lines of at most `width` columns that
/// break between phrases (a phrase longer than a line is wrapped on its own).
fn phrase_lines(hint: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for phrase in hint.split("   ").filter(|p| !p.is_empty()) {
        match lines.last_mut() {
            Some(line) if width_of(line) + 3 + width_of(phrase) <= width => {
                line.push_str("   ");
                line.push_str(phrase);
            }
            _ => lines.extend(wrap_words(phrase, width, 0)),
        }
    }
    lines
}
