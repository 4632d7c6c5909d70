//! "Find anyone" (Ctrl+F): a search over every person, organisation, vacancy and trajectory
//! (by person, consultant or referrer), from anywhere. People come first, then
//! organisations, then vacancies, then trajectories.

use super::popup;
use crate::domain::format_date;
use crate::i18n::t;
use crate::readmodel::ReadModel;
use crate::readmodel::search::Search;
use crate::service::Kind;
use crate::ui::action::Action;
use crate::ui::component::{Cmd, Component, Cx, Done, Env, FlashKind, Handled, RenderCx};
use crate::ui::keymap::Context;
use crate::ui::screens::trajectories;
use crate::ui::text::{put, put_padded, put_wrapped};
use crate::ui::textedit::edit_line;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use std::any::Any;
use tui_input::Input;

/// Most hits kept of people; of organisations and of vacancies.
const MOST_PEOPLE: usize = 200;
const MOST_OTHERS: usize = 50;

/// "Find anyone" (Ctrl+F): a search over every person, organisation, vacancy and knowledge
/// note.
#[derive(Default)]
pub struct FindModal {
    pub input: Input,
    search: Search,
    organisations: Search,
    vacancies: Search,
    /// The trajectories' own search and the staff search that brings a consultant's.
    trajectories: (Search, Search),
    notes: Search,
    pub selected: usize,
    /// The current hits, best first per kind: people, organisations, vacancies.
    pub hits: Vec<(Kind, u64)>,
    /// The visible hits' lines, copied out of the read model for drawing.
    lines: Vec<String>,
    offset: usize,
    /// A form with typed input was open when a person was chosen: the person opens on top of
    /// it, and Esc goes back to it.
    keep_views: bool,
}

impl FindModal {
    fn refind(&mut self, model: &ReadModel) {
        let (version, query) = (model.version(), self.input.value().to_string());
        self.hits.clear();
        let rows = model.volunteers();
        if let Some(hits) = self.search.run(rows.haystacks(), version, &query) {
            self.hits.extend(
                hits.iter()
                    .take(MOST_PEOPLE)
                    .filter_map(|&i| rows.all().get(i as usize))
                    .map(|r| (Kind::Volunteer, r.id)),
            );
        }
        let rows = model.organisations();
        if let Some(hits) = self.organisations.run(rows.haystacks(), version, &query) {
            self.hits.extend(
                hits.iter()
                    .take(MOST_OTHERS)
                    .filter_map(|&i| rows.all().get(i as usize))
                    .map(|r| (Kind::Organisation, r.id)),
            );
        }
        let rows = model.vacancies();
        if let Some(hits) = self.vacancies.run(rows.haystacks(), version, &query) {
            self.hits.extend(
                hits.iter()
                    .take(MOST_OTHERS)
                    .filter_map(|&i| rows.all().get(i as usize))
                    .map(|r| (Kind::Vacancy, r.id)),
            );
        }
        // Trajectories by person, consultant (login or display name) or referrer.
        self.hits.extend(
            model
                .find_trajectories(&mut self.trajectories, &query, MOST_OTHERS)
                .into_iter()
                .map(|id| (Kind::Trajectory, id)),
        );
        let rows = model.notes();
        if let Some(hits) = self.notes.run(rows.haystacks(), version, &query) {
            self.hits.extend(
                hits.iter()
                    .take(MOST_OTHERS)
                    .filter_map(|&i| rows.all().get(i as usize))
                    .map(|r| (Kind::Note, r.id)),
            );
        }
        self.selected = 0;
    }

    fn rows(area: Rect) -> usize {
        usize::from(area.height.saturating_sub(4).saturating_sub(4))
    }
}

impl Component for FindModal {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::Filter]
    }
    fn on_key(&mut self, key: KeyEvent, cx: &mut Cx) -> bool {
        match edit_line(&mut self.input, key) {
            None => false,
            Some(changed) => {
                if changed {
                    let model = cx.model.read();
                    self.refind(&model);
                }
                true
            }
        }
    }
    fn on_paste(&mut self, text: &str, cx: &mut Cx) -> bool {
        for c in text.chars().filter(|c| !c.is_control()) {
            self.input.handle(tui_input::InputRequest::InsertChar(c));
        }
        let model = cx.model.read();
        self.refind(&model);
        true
    }
    fn on_model(&mut self, cx: &mut Cx) {
        let keep = self.hits.get(self.selected).copied();
        let model = cx.model.read();
        self.refind(&model);
        if let Some(pos) = keep.and_then(|id| self.hits.iter().position(|h| *h == id)) {
            self.selected = pos;
        }
    }
    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        let last = self.hits.len().saturating_sub(1);
        let page = usize::from(cx.size.1.saturating_sub(8)).max(1);
        match action {
            Action::Back => cx.close(),
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::PageUp => self.selected = self.selected.saturating_sub(page),
            Action::PageDown => self.selected = (self.selected + page).min(last),
            Action::Open => {
                if let Some(&(kind, id)) = self.hits.get(self.selected) {
                    // Never drop typed input on the way to someone else: an open form with
                    // input stays under the record opened.
                    self.keep_views = cx.dirty;
                    crate::ui::screens::open_record(kind, id, cx);
                }
            }
            _ => {}
        }
        Handled::Yes
    }
    fn on_done(&mut self, done: Done, cx: &mut Cx) {
        if !self.keep_views {
            cx.cmd(Cmd::CloseViews);
        }
        let opened = crate::ui::screens::after_open(done, cx);
        if opened {
            cx.close();
            if self.keep_views {
                cx.flash(FlashKind::Info, t(cx.lang(), "ui.form_kept"));
            }
        }
    }
    fn prepare(&mut self, model: &ReadModel, area: Rect, env: &Env) {
        let rows = FindModal::rows(area);
        self.offset = self.selected.saturating_sub(rows.saturating_sub(1));
        self.lines = self
            .hits
            .iter()
            .skip(self.offset)
            .take(rows)
            .filter_map(|&(kind, id)| {
                let lang = env.lang;
                match kind {
                    Kind::Organisation => model.organisations().get(id).map(|r| {
                        format!(
                            "{}: {}  {}",
                            t(lang, "kind.organisation.one"),
                            r.name,
                            r.municipality
                        )
                    }),
                    Kind::Trajectory => model.trajectories().get(id).map(|r| {
                        let mut line = format!(
                            "{}: {} — {} · {} · {}",
                            t(lang, "kind.trajectory.one"),
                            r.person_name,
                            trajectories::kind_name(lang, r.kind),
                            trajectories::phase_name(lang, r.phase),
                            trajectories::consultant_name(&env.consultants, &r.consultant)
                        );
                        if r.is_overdue(env.today) {
                            line.push_str(&format!(" · ⚠ {}", t(lang, "ui.overdue_meeting")));
                        }
                        line
                    }),
                    Kind::Vacancy => model.vacancies().get(id).map(|r| {
                        format!(
                            "{}: {} — {}",
                            t(lang, "kind.vacancy.one"),
                            r.title,
                            r.organisation_name
                        )
                    }),
                    Kind::Note => model.notes().get(id).map(|r| {
                        format!(
                            "{}: {}  {}",
                            t(lang, "kind.note.one"),
                            r.title,
                            r.tags.join(", ")
                        )
                    }),
                    _ => model.volunteers().get(id).map(|r| {
                        format!(
                            "{}  {}  {}  {}",
                            r.filed,
                            format_date(r.birth_date),
                            r.municipality,
                            t(lang, &format!("status.{}", r.status.key()))
                        )
                    }),
                }
            })
            .collect();
    }
    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        let (lang, theme) = (cx.env.lang, &cx.env.theme);
        let inner = popup(
            buf,
            area,
            70,
            area.height.saturating_sub(4),
            t(lang, "ui.find_title"),
            theme,
        );
        if inner.height == 0 {
            return None;
        }
        let x = put(buf, inner.x, inner.y, inner.right(), "> ", theme.key);
        put(
            buf,
            x,
            inner.y,
            inner.right(),
            self.input.value(),
            theme.base,
        );
        let cursor = Position::new(
            (x + self.input.visual_cursor() as u16).min(inner.right().saturating_sub(1)),
            inner.y,
        );
        let note = if self.input.value().is_empty() {
            Some(t(lang, "ui.find_hint"))
        } else if self.hits.is_empty() {
            Some(t(lang, "ui.find_no_matches"))
        } else {
            None
        };
        if let Some(note) = note {
            put_wrapped(
                buf,
                Rect {
                    y: inner.y + 2,
                    height: inner.height.saturating_sub(2),
                    ..inner
                },
                note,
                theme.dim,
            );
        }
        for (i, line) in self.lines.iter().enumerate() {
            let y = inner.y + 2 + i as u16;
            if y >= inner.bottom() {
                break;
            }
            let sel = self.offset + i == self.selected;
            let style = if sel { theme.selected } else { theme.base };
            let text = format!("{}{line}", if sel { "▶ " } else { "  " });
            put_padded(buf, inner.x, y, inner.width, &text, style);
        }
        Some(cursor)
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}
