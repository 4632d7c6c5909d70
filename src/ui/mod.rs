//! The terminal user interface: state, update and view kept apart (the Elm architecture).
//!
//! - `action`: the typed list of user intentions;
//! - `keys` and `keymap`: key notation, keymap files → actions per context;
//! - `textedit`: the one table of text-editing keys for every text input;
//! - `theme`: styles; `widgets`: reusable pieces (forms, help, palette);
//! - `component`: what every screen, view and overlay is, and the commands and jobs they
//!   ask for; `app`: the shell's state and `update` (no I/O); `screens`: the registry of
//!   screens grouped by basic function, one module per screen or record kind; `modal`: the
//!   overlays that belong to no screen; `table`: the one list component; `view`: drawing;
//! - `session`: one user's app, account and model subscription, and the runtime that runs
//!   jobs through the service; `run`: the event loop, generic over backend and event source;
//! - `terminal`: the only place that touches crossterm's global terminal.

pub mod action;
pub mod app;
pub mod component;
pub mod keymap;
pub mod keys;
pub mod modal;
pub mod run;
pub mod screens;
pub mod session;
pub mod table;
pub mod terminal;
pub mod text;
pub mod textedit;
pub mod theme;
pub mod view;
pub mod widgets;
