//! The local-terminal adapter: the only module that touches crossterm's global terminal (raw
//! mode, alternate screen, size, event reading). It restores the terminal at exit and after a
//! panic.

use super::app::{App, AppEvent};
use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
    Event,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::io::{self, Stdout};
use std::sync::mpsc::{Sender, channel};

/// Puts the terminal back as we found it. Safe to call more than once.
pub fn restore() {
    let _ = disable_raw_mode();
    let _ = execute!(
        io::stdout(),
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        crossterm::cursor::Show
    );
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        restore();
        previous(info);
    }));
}

/// Runs `app` in the terminal this process was started in.
pub fn run_local(mut app: App) -> io::Result<()> {
    install_panic_hook();
    enable_raw_mode()?;
    let mut stdout = io::stdout();
    if let Err(e) = execute!(
        stdout,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    ) {
        restore();
        return Err(e);
    }
    let result = run_in_terminal(&mut app);
    restore();
    result
}

fn run_in_terminal(app: &mut App) -> io::Result<()> {
    let mut terminal: Terminal<CrosstermBackend<Stdout>> =
        Terminal::new(CrosstermBackend::new(io::stdout()))?;
    let size = terminal.size()?;
    app.handle(AppEvent::Resize(size.width, size.height));
    // Create crossterm's event source (and its SIGWINCH handler) before the first frame, so a
    // resize right after start is not lost while the input thread is still starting.
    let _ = event::poll(std::time::Duration::ZERO);
    let (tx, rx) = channel();
    let listener = {
        let tx = tx.clone();
        app.model.listen(move |e| {
            let _ = tx.send(AppEvent::Model(e));
        })
    };
    spawn_input(tx);
    let result = super::run::run(&mut terminal, app, &rx);
    app.model.unlisten(listener);
    result
}

/// Reads terminal events on a thread and sends them to the loop.
fn spawn_input(tx: Sender<AppEvent>) {
    let _ = std::thread::Builder::new()
        .name("koppel-input".into())
        .spawn(move || {
            while let Ok(ev) = event::read() {
                let out = match ev {
                    Event::Key(k) => AppEvent::Key(k),
                    Event::Mouse(m) => AppEvent::Mouse(m),
                    Event::Paste(s) => AppEvent::Paste(s),
                    Event::Resize(w, h) => AppEvent::Resize(w, h),
                    _ => continue,
                };
                if tx.send(out).is_err() {
                    break;
                }
            }
        });
}
