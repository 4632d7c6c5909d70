//! The help overlay: every binding of the contexts below it, filterable; Enter runs one.

use crate::ui::action::Action;
use crate::ui::component::{Cmd, Component, Cx, Env, Handled, RenderCx};
use crate::ui::keymap::Context;
use crate::ui::widgets::help::HelpState;
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use std::any::Any;

/// The help overlay: every binding of the contexts below it, filterable.
pub struct HelpModal(pub HelpState);

impl HelpModal {
    /// The overlay for `contexts`, with the `note` of the component under it.
    pub fn new(
        env: &Env,
        contexts: &[Context],
        note: Option<String>,
        unavailable: &[Action],
    ) -> HelpModal {
        HelpModal(
            HelpState::new(&env.keymap, contexts, env.lang)
                .without(unavailable)
                .with_note(note),
        )
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
