//! CSV import of volunteers and organisations (`koppel import --csv …`): any bytes end in a
//! summary or a list of problems, never a panic. Dry runs against one empty store.
#![no_main]

use koppel::clock::FixedClock;
use koppel::config::Config;
use koppel::service::{Account, Role, Service};
use koppel::store::Store;
use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, OnceLock};
use time::macros::datetime;

fn service() -> &'static Service {
    static SERVICE: OnceLock<(tempfile::TempDir, Service)> = OnceLock::new();
    &SERVICE
        .get_or_init(|| {
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(&dir.path().join("s")).unwrap();
            let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:00 +1)));
            (dir, Service::new(store, clock, Config::default()))
        })
        .1
}

fuzz_target!(|data: &[u8]| {
    let admin = Account {
        name: "fuzz".into(),
        role: Role::Admin,
    };
    let _ = service().import_volunteers_csv(&admin, &mut &data[..], true, &|_, _, _| {});
    let _ = service().import_organisations_csv(&admin, &mut &data[..], true, &|_, _, _| {});
});
