//! What the benches share: the fixed clock and administrator they act with, and the demo
//! stores they measure, built once into `<target>/bench-stores` (or `KOPPEL_BENCH_STORES`)
//! and kept between runs. Included by each bench as `mod support;`; not every bench uses
//! every piece.
#![allow(dead_code)]

use koppel::clock::{FixedClock, SharedClock};
use koppel::config::Config;
use koppel::service::{Account, Role, Service};
use koppel::store::Store;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;
use time::macros::datetime;

/// Where the bench stores are kept, if not beside the build.
pub const STORES_ENV: &str = "KOPPEL_BENCH_STORES";

/// The benches' fixed "now".
pub fn clock() -> SharedClock {
    Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)))
}

/// The administrator the benches fill and read stores as.
pub fn admin() -> Account {
    Account {
        name: "beheer".into(),
        role: Role::Admin,
    }
}

/// `<target>/bench-stores` (cargo builds the binary for a bench into `<target>/<profile>/`),
/// or `KOPPEL_BENCH_STORES`.
pub fn stores_dir() -> PathBuf {
    if let Some(d) = std::env::var_os(STORES_ENV) {
        return PathBuf::from(d);
    }
    Path::new(env!("CARGO_BIN_EXE_koppel"))
        .parent()
        .and_then(Path::parent)
        .map(|target| target.join("bench-stores"))
        .unwrap_or_else(|| PathBuf::from("target/bench-stores"))
}

/// The store `name` in [`stores_dir`], filled by `fill` on first use. It is built under
/// another name and renamed when complete, so an interrupted build is never taken for a
/// store.
pub fn store_once(name: &str, what: &str, fill: impl FnOnce(&Store, &Service)) -> PathBuf {
    let dir = stores_dir().join(name);
    if dir.exists() {
        return dir;
    }
    let building = dir.with_extension("building");
    let _ = std::fs::remove_dir_all(&building);
    std::fs::create_dir_all(stores_dir()).expect("a directory for bench stores");
    eprintln!("Building {what} (once): {}", dir.display());
    let start = Instant::now();
    {
        let store = Store::open(&building).expect("a new store");
        let service = Service::new(store.clone(), clock(), Config::default());
        fill(&store, &service);
    }
    std::fs::rename(&building, &dir).expect("the finished store renamed into place");
    eprintln!("  built in {:.1} s", start.elapsed().as_secs_f64());
    dir
}

/// The demo store of `n` volunteers (`tui-100k` for 100,000) that most benches measure.
pub fn demo_store(n: usize) -> PathBuf {
    let name = if n.is_multiple_of(1000) {
        format!("tui-{}k", n / 1000)
    } else {
        format!("tui-{n}")
    };
    store_once(
        &name,
        &format!("a demo store of {n} volunteers"),
        |_, service| {
            let written = koppel::demo::fill(service, &admin(), n, 42).expect("demo data");
            assert_eq!(written, n);
        },
    )
}
