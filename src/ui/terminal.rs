//! The local-terminal adapter: the only module that touches crossterm's global terminal (raw
//! mode, alternate screen, size, event reading). It restores the terminal at exit and after a
//! panic.

use super::app::AppEvent;
use super::session::Session;
use super::theme::Theme;
use crate::i18n::Lang;
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

/// Why a local session ended early.
pub enum LocalError {
    /// The terminal could not be used.
    Terminal(io::Error),
    /// Building the app failed (for instance, the store is in use); the sentence to show.
    Start(String),
}

/// Takes over the terminal, draws a first frame at once, then builds the app with `build`
/// (opening the store can take a while on a large one) and runs it. The terminal is restored
/// before this returns, whatever happened.
pub fn run_local(
    lang: Lang,
    theme: Theme,
    build: impl FnOnce(Sender<AppEvent>) -> Result<Session, String>,
) -> Result<(), LocalError> {
    install_panic_hook();
    enable_raw_mode().map_err(LocalError::Terminal)?;
    let mut stdout = io::stdout();
    if let Err(e) = execute!(
        stdout,
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    ) {
        restore();
        return Err(LocalError::Terminal(e));
    }
    let result = run_in_terminal(lang, theme, build);
    restore();
    result
}

fn run_in_terminal(
    lang: Lang,
    theme: Theme,
    build: impl FnOnce(Sender<AppEvent>) -> Result<Session, String>,
) -> Result<(), LocalError> {
    let mut terminal: Terminal<CrosstermBackend<Stdout>> =
        Terminal::new(CrosstermBackend::new(io::stdout())).map_err(LocalError::Terminal)?;
    // Create crossterm's event source (and its SIGWINCH handler) before the first frame, so a
    // resize right after start is not lost while the input thread is still starting.
    let _ = event::poll(std::time::Duration::ZERO);
    terminal
        .draw(|f| super::view::draw_opening(f, lang, &theme))
        .map_err(LocalError::Terminal)?;
    let (tx, rx) = channel();
    let mut session = build(tx.clone()).map_err(LocalError::Start)?;
    let size = terminal.size().map_err(LocalError::Terminal)?;
    session.handle(AppEvent::Resize(size.width, size.height));
    spawn_input(tx);
    super::run::run(&mut terminal, &mut session, &rx).map_err(LocalError::Terminal)
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

/// This terminal in raw mode while the value lives, for screens drawn elsewhere (a local
/// koppel attached to `koppel serve`): keys go out as bytes, what comes back is written as
/// it is. Raw mode ends when it is dropped, and after a panic.
pub struct RawTerminal(());

impl RawTerminal {
    pub fn enter() -> io::Result<RawTerminal> {
        install_panic_hook();
        enable_raw_mode()?;
        Ok(RawTerminal(()))
    }
}

impl Drop for RawTerminal {
    fn drop(&mut self) {
        restore();
    }
}

/// This terminal's size (columns, rows), 80×24 when it cannot be told.
pub fn terminal_size() -> (u16, u16) {
    crossterm::terminal::size().unwrap_or((80, 24))
}
