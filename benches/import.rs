//! JSON Lines import at the 100k scale: an export of 100,000 demo volunteers (with their
//! organisations, vacancies, contacts and placements) imported into a fresh store, streamed
//! and written in durable batches behind the pending-import mark (target ≤ 5 s; it took
//! 20 s as one transaction). `scripts/import-figures.sh` gives the time and peak memory of
//! the command itself.
//!
//! Run with `cargo bench --bench import`.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use koppel::clock::FixedClock;
use koppel::config::Config;
use koppel::service::{Account, Role, Service};
use koppel::store::Store;
use std::sync::Arc;
use std::time::Duration;
use time::macros::datetime;

fn service(dir: &std::path::Path) -> Service {
    let store = Store::open(dir).unwrap();
    let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:00 +1)));
    Service::new(store, clock, Config::default())
}

fn bench(c: &mut Criterion) {
    let test_mode = std::env::args().any(|a| a == "--test");
    let n = if test_mode { 300 } else { 100_000 };
    let admin = Account {
        name: "bench".into(),
        role: Role::Admin,
    };
    let source = tempfile::tempdir().unwrap();
    let export = {
        let s = service(&source.path().join("s"));
        koppel::demo::fill(&s, &admin, n, 1).expect("demo data");
        let mut out = Vec::new();
        s.export_all(&admin, &mut out).expect("export");
        s.close().unwrap();
        out
    };
    let mut group = c.benchmark_group("import");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(60));
    group.bench_function(format!("import_{n}_volunteers_export"), |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().unwrap();
                let s = service(&dir.path().join("s"));
                (dir, s)
            },
            |(dir, s)| {
                let summary = s
                    .import(&admin, &mut export.as_slice(), false)
                    .expect("the export imports");
                assert_eq!(summary.counts[0].1, n as u64);
                (dir, s)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
