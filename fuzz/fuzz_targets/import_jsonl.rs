//! The JSON Lines import (`koppel import FILE`): any bytes are read, checked line by line and
//! refused or accepted without a panic. A dry run against one empty store, so nothing is
//! written and every input meets the same store.
#![no_main]

use koppel::config::Config;
use koppel::store::exchange;
use koppel::store::{Stamp, Store};
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;
use time::macros::{date, datetime};

fn store() -> &'static Store {
    static STORE: OnceLock<(tempfile::TempDir, Store)> = OnceLock::new();
    &STORE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(&dir.path().join("s")).unwrap();
            (dir, store)
        })
        .1
}

fuzz_target!(|data: &[u8]| {
    let rules = Config::default().rules(date!(2026 - 11 - 27));
    let stamp = Stamp {
        by: "fuzz".into(),
        at: datetime!(2026-11-27 10:00 UTC),
    };
    let mut input = data;
    let _ = exchange::import(store(), &mut input, &rules, &stamp, true, None);
});
