//! Screens that arrive with later versions: the group's name, what the basic function covers,
//! and what this screen will hold. No invented data.

use super::ScreenId;
use crate::i18n::t;
use crate::ui::action::Action;
use crate::ui::component::{Component, Cx, Handled, RenderCx};
use crate::ui::keymap::Context;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// A screen still to come.
pub struct Placeholder {
    id: ScreenId,
}

impl Placeholder {
    pub fn new(id: ScreenId) -> Placeholder {
        Placeholder { id }
    }
}

impl Component for Placeholder {
    fn contexts(&self) -> Vec<Context> {
        vec![Context::Navigation]
    }

    fn on_action(&mut self, _action: Action, _cx: &mut Cx) -> Handled {
        Handled::No
    }

    fn render(&self, area: Rect, buf: &mut Buffer, cx: &RenderCx) -> Option<Position> {
        let (lang, theme) = (cx.env.lang, &cx.env.theme);
        let g = self.id.group();
        let lines = vec![
            Line::from(Span::styled(
                format!(
                    "{} {} › {}",
                    g.index() + 1,
                    t(lang, g.key()),
                    t(lang, self.id.key())
                ),
                theme.title,
            )),
            Line::default(),
            Line::from(t(lang, g.covers_key()).to_string()),
            Line::default(),
            Line::from(Span::styled(
                t(lang, &format!("{}_later", self.id.key())).to_string(),
                theme.dim,
            )),
        ];
        Paragraph::new(lines)
            .wrap(Wrap { trim: true })
            .render(area, buf);
        None
    }

    fn as_any(&self) -> &dyn std::any::Any {
        self
    }

    fn as_any_mut(&mut self) -> &mut dyn std::any::Any {
        self
    }
}
