//! The overlays that belong to no screen: help, the command palette, "find anyone" and the
//! yes/no question. Each is a [`Component`] on the shell's modal stack and gets keys first.
//! Overlays of one kind of record (the duplicates dialog, the status change) live with that
//! kind's screens.

use super::action::Action;
use super::component::{Cmd, Component, Cx, Done, Env, FlashKind, Handled, RenderCx};
use super::keymap::Context;
use super::screens::volunteers::{Load, Then, after_load};
use super::text::{put, put_padded};
use super::textedit::edit_line;
use super::theme::Theme;
use super::widgets::help::HelpState;
use super::widgets::palette::PaletteState;
use crate::domain::format_date;
use crate::i18n::t;
use crate::readmodel::ReadModel;
use crate::readmodel::search::Search;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};
use std::any::Any;
use tui_input::Input;

/// A centred box of at most `w`×`h` inside `area`, cleared and framed; returns its inside.
pub fn popup(buf: &mut Buffer, area: Rect, w: u16, h: u16, title: &str, theme: &Theme) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    let r = Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    );
    Clear.render(r, buf);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(format!(" {title} "), theme.title));
    let inner = block.inner(r);
    block.render(r, buf);
    inner
}

/// The help overlay: every binding of the contexts below it, filterable.
pub struct HelpModal(pub HelpState);

impl HelpModal {
    pub fn new(env: &Env, contexts: &[Context]) -> HelpModal {
        HelpModal(HelpState::new(&env.keymap, contexts, env.lang))
    }
}

impl Component for HelpModal {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::Help]
    }
    fn on_key(&mut self, key: KeyEvent, _cx: &mut Cx) -> bool {
        self.0.handle_key(key)
    }
    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        match action {
            Action::Back => cx.close(),
            // Enter runs the selected binding, like choosing it from the palette.
            Action::Open => {
                cx.close();
                if let Some(chosen) = self.0.selected_action()
                    && chosen != Action::Help
                {
                    cx.cmd(Cmd::Dispatch(chosen));
                }
            }
            a => {
                self.0.handle_action(a);
            }
        }
        Handled::Yes
    }
    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        self.0.render(area, buf, &cx.env.theme, cx.env.lang);
        None
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// The command palette: every action by name, fuzzily.
pub struct PaletteModal(pub PaletteState);

impl PaletteModal {
    pub fn new(env: &Env, contexts: &[Context]) -> PaletteModal {
        PaletteModal(PaletteState::new(&env.keymap, contexts, env.lang))
    }
}

impl Component for PaletteModal {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::Palette]
    }
    fn on_key(&mut self, key: KeyEvent, _cx: &mut Cx) -> bool {
        self.0.handle_key(key)
    }
    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        match action {
            Action::Back => cx.close(),
            Action::Open => {
                cx.close();
                if let Some(chosen) = self.0.selected() {
                    cx.cmd(Cmd::Dispatch(chosen));
                }
            }
            a => {
                self.0.handle_action(a);
            }
        }
        Handled::Yes
    }
    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        self.0.render(area, buf, &cx.env.theme, cx.env.lang);
        None
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// A yes/no question. Only an explicit yes does anything: Enter, the habitual key, and Esc
/// keep what is there.
pub struct Confirm {
    question: String,
    on_yes: Vec<Cmd>,
}

impl Confirm {
    /// Asks `question`; on yes, the shell carries out `on_yes`.
    pub fn new(question: &str, on_yes: Vec<Cmd>) -> Confirm {
        Confirm {
            question: question.to_string(),
            on_yes,
        }
    }

    pub fn question(&self) -> &str {
        &self.question
    }
}

impl Component for Confirm {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::Dialog]
    }
    fn on_action(&mut self, action: Action, cx: &mut Cx) -> Handled {
        match action {
            Action::Yes => {
                cx.close();
                for c in std::mem::take(&mut self.on_yes) {
                    cx.cmd(c);
                }
            }
            Action::No | Action::Back | Action::Open => cx.close(),
            _ => {}
        }
        Handled::Yes
    }
    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        let (lang, theme) = (cx.env.lang, &cx.env.theme);
        let inner = popup(buf, area, 56, 6, t(lang, "ui.question"), theme);
        Paragraph::new(vec![
            Line::from(self.question.clone()),
            Line::default(),
            Line::from(Span::styled(t(lang, "ui.yes_no").to_string(), theme.key)),
        ])
        .wrap(Wrap { trim: true })
        .render(inner, buf);
        None
    }
    fn as_any(&self) -> &dyn Any {
        self
    }
    fn as_any_mut(&mut self) -> &mut dyn Any {
        self
    }
}

/// "Find anyone" (Ctrl+F): a search over every person, from anywhere.
#[derive(Default)]
pub struct FindModal {
    pub input: Input,
    search: Search,
    pub selected: usize,
    /// Ids of the current hits, best first (at most 200 are kept).
    pub hits: Vec<u64>,
    /// The visible hits' lines, copied out of the read model for drawing.
    lines: Vec<String>,
    offset: usize,
}

impl FindModal {
    fn refind(&mut self, model: &ReadModel) {
        let rows = model.volunteers();
        self.hits = match self
            .search
            .run(model.haystacks(), model.version(), self.input.value())
        {
            Some(hits) => hits
                .iter()
                .take(200)
                .filter_map(|&i| rows.get(i as usize).map(|r| r.id))
                .collect(),
            None => Vec::new(),
        };
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
                if cx.dirty {
                    // Never drop typed input on the way to someone else.
                    cx.flash(FlashKind::Error, t(cx.lang(), "ui.form_open"));
                } else if let Some(&id) = self.hits.get(self.selected) {
                    cx.run(Load {
                        id,
                        then: Then::Detail,
                    });
                }
            }
            _ => {}
        }
        Handled::Yes
    }
    fn on_done(&mut self, done: Done, cx: &mut Cx) {
        cx.cmd(Cmd::CloseViews);
        if after_load(done, cx) {
            cx.close();
        }
    }
    fn prepare(&mut self, model: &ReadModel, area: Rect, env: &crate::ui::component::Env) {
        let rows = FindModal::rows(area);
        self.offset = self.selected.saturating_sub(rows.saturating_sub(1));
        self.lines = self
            .hits
            .iter()
            .skip(self.offset)
            .take(rows)
            .filter_map(|id| model.volunteer(*id))
            .map(|r| {
                format!(
                    "{}  {}  {}  {}",
                    r.filed,
                    format_date(r.birth_date),
                    r.municipality,
                    t(env.lang, &format!("status.{}", r.status.key()))
                )
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
            Some(t(lang, "ui.no_matches"))
        } else {
            None
        };
        if let Some(note) = note {
            put(buf, inner.x, inner.y + 2, inner.right(), note, theme.dim);
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
