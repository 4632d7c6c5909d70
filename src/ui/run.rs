//! The event loop, generic over the ratatui backend and fed from a channel, so the same
//! session runs in a local terminal, over SSH and in tests.

use super::app::AppEvent;
use super::session::Session;
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::sync::mpsc::Receiver;

/// Draws, then handles events until the user quits or the event source closes. Events that
/// arrived together are handled before the next draw, so a burst of keys costs one frame.
pub fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    session: &mut Session,
    events: &Receiver<AppEvent>,
) -> Result<(), B::Error> {
    terminal.draw(|f| session.draw(f))?;
    while let Ok(event) = events.recv() {
        handle(terminal, session, event)?;
        while let Ok(more) = events.try_recv() {
            if session.quit() {
                break;
            }
            handle(terminal, session, more)?;
        }
        if session.quit() {
            break;
        }
        terminal.draw(|f| session.draw(f))?;
    }
    Ok(())
}

fn handle<B: Backend>(
    terminal: &mut Terminal<B>,
    session: &mut Session,
    event: AppEvent,
) -> Result<(), B::Error> {
    if let AppEvent::Resize(w, h) = event {
        terminal.resize(ratatui::layout::Rect::new(0, 0, w, h))?;
    }
    session.handle(event);
    if session.app_mut().take_redraw() {
        terminal.clear()?;
    }
    Ok(())
}
