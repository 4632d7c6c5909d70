//! The command palette: every action by name, matched fuzzily.

use crate::ui::action::Action;
use crate::ui::component::{Cmd, Component, Cx, Env, Handled, RenderCx};
use crate::ui::keymap::Context;
use crate::ui::widgets::palette::{PaletteState, Target};
use crossterm::event::KeyEvent;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use std::any::Any;

/// The command palette: every action by name, fuzzily.
pub struct PaletteModal(pub PaletteState);

impl PaletteModal {
    pub fn new(env: &Env, contexts: &[Context], unavailable: &[Action]) -> PaletteModal {
        PaletteModal(PaletteState::new(&env.keymap, contexts, env.lang).without(unavailable))
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
                match self.0.selected_target() {
                    Some(Target::Action(chosen)) => cx.cmd(Cmd::Dispatch(chosen)),
                    Some(Target::Screen(id)) => cx.cmd(Cmd::GoScreen(id)),
                    None => {}
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
