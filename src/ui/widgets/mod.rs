//! Reusable widgets. Each owns its state and draws itself; none does I/O.

pub mod form;
pub mod help;
pub mod palette;
pub mod pick;
pub mod scroll;
