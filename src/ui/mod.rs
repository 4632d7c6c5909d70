//! The terminal user interface: state, update and view kept apart (the Elm architecture).
//!
//! - `action`: the typed list of user intentions;
//! - `keys` and `keymap`: key notation, keymap files → actions per context;
//! - `textedit`: the one table of text-editing keys for every text input;
//! - `theme`: styles; `widgets`: reusable pieces (forms, help, palette);
//! - `app`: the state and `update`; `list`: list state; `screens`: one module per screen,
//!   grouped by basic function; `view`: drawing;
//! - `run`: the event loop, generic over backend and event source;
//! - `terminal`: the only place that touches crossterm's global terminal.

pub mod action;
pub mod app;
pub mod keymap;
pub mod keys;
pub mod list;
pub mod run;
pub mod screens;
pub mod terminal;
pub mod text;
pub mod textedit;
pub mod theme;
pub mod view;
pub mod widgets;
