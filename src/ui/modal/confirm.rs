//! A yes/no question before something is lost.

use super::popup;
use crate::i18n::t;
use crate::ui::action::Action;
use crate::ui::component::{Cmd, Component, Cx, Handled, RenderCx};
use crate::ui::keymap::Context;
use crate::ui::text::{put, put_wrapped, wrap_words};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use std::any::Any;

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
        // A question that says what will happen (an erasure) gets a wider, taller box.
        let w: u16 = if self.question.chars().count() > 160 {
            76
        } else {
            56
        };
        let lines = wrap_words(
            &self.question,
            usize::from(w.min(area.width).saturating_sub(2)),
            0,
        );
        let h = u16::try_from(lines.len())
            .unwrap_or(u16::MAX)
            .saturating_add(4)
            .max(6);
        let inner = popup(buf, area, w, h, t(lang, "ui.question"), theme);
        let rows = put_wrapped(buf, inner, &self.question, Style::default());
        let y = inner.y.saturating_add(rows).saturating_add(1);
        if y < inner.bottom() {
            put(
                buf,
                inner.x,
                y,
                inner.right(),
                t(lang, "ui.yes_no"),
                theme.key,
            );
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
