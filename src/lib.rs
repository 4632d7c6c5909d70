//! koppel: a keyboard-driven terminal application for Dutch volunteer centres.
//!
//! Layers, data flowing one way (see `docs/architecture.md`):
//! `domain` (rules, no I/O) ← `store` (sled, envelopes, indexes, change feed) ← `service`
//! (use cases with the acting account) ← `readmodel` (in-memory lists for screens) ← `ui`
//! and `cli`. `codec` is the only module that knows bincode.

pub mod cli;
pub mod clock;
pub mod codec;
pub mod config;
pub mod demo;
pub mod domain;
pub mod i18n;
pub mod readmodel;
pub mod report;
pub mod safe_file;
pub mod server;
pub mod service;
pub mod store;
pub mod toml_lines;
pub mod ui;
