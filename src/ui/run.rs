//! The event loop, generic over the ratatui backend and fed from a channel, so the same app
//! runs in a local terminal, over SSH and in tests.

use super::app::{App, AppEvent};
use super::view;
use ratatui::Terminal;
use ratatui::backend::Backend;
use std::sync::mpsc::Receiver;

/// Draws, then handles events until the app quits or the event source closes. Events that
/// arrived together are handled before the next draw, so a burst of keys costs one frame.
pub fn run<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    events: &Receiver<AppEvent>,
) -> Result<(), B::Error> {
    terminal.draw(|f| view::draw(f, app))?;
    while let Ok(event) = events.recv() {
        handle(terminal, app, event)?;
        while let Ok(more) = events.try_recv() {
            if app.quit {
                break;
            }
            handle(terminal, app, more)?;
        }
        if app.quit {
            break;
        }
        terminal.draw(|f| view::draw(f, app))?;
    }
    Ok(())
}

fn handle<B: Backend>(
    terminal: &mut Terminal<B>,
    app: &mut App,
    event: AppEvent,
) -> Result<(), B::Error> {
    if let AppEvent::Resize(w, h) = event {
        terminal.resize(ratatui::layout::Rect::new(0, 0, w, h))?;
    }
    app.handle(event);
    if app.take_redraw() {
        terminal.clear()?;
    }
    Ok(())
}
