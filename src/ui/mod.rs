//! The terminal user interface: state, update and view kept apart (the Elm architecture).
//!
//! - `action`: the typed list of user intentions;
//! - `keys` and `keymap`: key notation, keymap files → actions per context;
//! - `theme`: styles; `widgets`: reusable pieces (forms, help, palette);
//! - `app`: the state and `update`; `screens`: one module per screen, grouped by basic function;
//! - `terminal`: the only place that touches crossterm's global terminal.

pub mod action;
pub mod keymap;
pub mod keys;
pub mod theme;
pub mod widgets;
