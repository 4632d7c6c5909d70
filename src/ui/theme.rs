//! Colours and styles. Meaning is never carried by colour alone (errors also have a marker,
//! the selection also has a `▶`), and `NO_COLOR` turns colours off while keeping bold and
//! reverse video, so the app reads well in a 16-colour terminal, inside tmux, or without colour.

use ratatui::style::{Color, Modifier, Style};

/// The styles every widget draws with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Theme {
    pub base: Style,
    /// Top bar: the active group and screen.
    pub tab_active: Style,
    pub tab_inactive: Style,
    /// Titles of panes and forms.
    pub title: Style,
    /// The selected row in a list, the focused field in a form.
    pub selected: Style,
    /// Labels of form fields.
    pub label: Style,
    /// Validation errors and failures.
    pub error: Style,
    /// Warnings such as a likely duplicate or an overdue date.
    pub warning: Style,
    /// Confirmations such as "saved".
    pub ok: Style,
    /// Key hints and secondary text.
    pub dim: Style,
    /// The key part of a key hint.
    pub key: Style,
    /// Borders.
    pub border: Style,
}

impl Theme {
    /// The 16-colour theme.
    pub fn color() -> Theme {
        Theme {
            base: Style::default(),
            tab_active: Style::default()
                .fg(Color::Black)
                .bg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            tab_inactive: Style::default(),
            title: Style::default().add_modifier(Modifier::BOLD),
            selected: Style::default().add_modifier(Modifier::REVERSED),
            label: Style::default(),
            error: Style::default().fg(Color::Red).add_modifier(Modifier::BOLD),
            warning: Style::default()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            ok: Style::default().fg(Color::Green),
            dim: Style::default().fg(Color::DarkGray),
            key: Style::default()
                .fg(Color::Cyan)
                .add_modifier(Modifier::BOLD),
            border: Style::default().fg(Color::DarkGray),
        }
    }

    /// Without colour: only bold, reverse and underline.
    pub fn mono() -> Theme {
        Theme {
            base: Style::default(),
            tab_active: Style::default().add_modifier(Modifier::REVERSED | Modifier::BOLD),
            tab_inactive: Style::default(),
            title: Style::default().add_modifier(Modifier::BOLD),
            selected: Style::default().add_modifier(Modifier::REVERSED),
            label: Style::default(),
            error: Style::default().add_modifier(Modifier::BOLD),
            warning: Style::default().add_modifier(Modifier::BOLD),
            ok: Style::default(),
            dim: Style::default(),
            key: Style::default().add_modifier(Modifier::BOLD),
            border: Style::default(),
        }
    }

    /// `mono` when `NO_COLOR` is set to anything non-empty, else `color`.
    pub fn from_env() -> Theme {
        match std::env::var_os("NO_COLOR") {
            Some(v) if !v.is_empty() => Theme::mono(),
            _ => Theme::color(),
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Theme::color()
    }
}
