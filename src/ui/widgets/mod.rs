//! Reusable widgets. Each owns its state and draws with `impl Widget for &State`-style
//! functions; none does I/O.

pub mod form;
