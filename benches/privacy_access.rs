//! The right of access at the 100,000-volunteer scale (the demo data: about 20,000
//! trajectories, placements, contacts and their audit trail):
//!
//! - `access_export/service`: `Service::access_export` of one person with a trajectory — the
//!   reason written to the audit trail (flushed and fsynced), the reference index's prefix and
//!   every record it names read;
//! - `access_export/files`: the same, plus the JSON and the Dutch letter made from it (what
//!   `koppel privacy export` and the key on a person's detail write).
//!
//! The people with a trajectory are taken in turn, so no one's audit trail grows beyond what a
//! real one has. Target: 50 ms. `KOPPEL_BENCH_VOLUNTEERS` benchmarks another size.
//!
//! Run with `cargo bench --bench privacy_access`.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{Criterion, criterion_group, criterion_main};
use koppel::clock::FixedClock;
use koppel::config::Config;
use koppel::demo;
use koppel::domain::trajectory::Trajectory;
use koppel::service::{Account, Role, Service};
use koppel::store::Store;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;
use time::macros::datetime;

fn volunteers_wanted() -> usize {
    std::env::var("KOPPEL_BENCH_VOLUNTEERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000)
}

fn admin() -> Account {
    Account {
        name: "bench".into(),
        role: Role::Admin,
    }
}

fn benches(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let store = Store::open(&dir.path().join("store")).expect("store");
    let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:00 +1)));
    let service = Service::new(store.clone(), clock, Config::default());
    let n = volunteers_wanted();
    let started = Instant::now();
    demo::fill(&service, &admin(), n, 2026).expect("demo fill");
    println!(
        "demo/fill: {n} volunteers in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let people: Vec<u64> = store
        .scan::<Trajectory>()
        .filter_map(Result::ok)
        .map(|t| t.data.person)
        .take(5_000)
        .collect();
    assert!(!people.is_empty(), "the demo has trajectories");
    let sample = service
        .access_export(&admin(), people[0], "bench")
        .expect("an export");
    println!(
        "one person: {} placements, {} trajectories, {} audit entries",
        sample.placements.len(),
        sample.trajectories.len(),
        sample.audit.len()
    );

    let mut turn = 0usize;
    c.bench_function("access_export/service", |b| {
        b.iter(|| {
            let person = people[turn % people.len()];
            turn += 1;
            black_box(
                service
                    .access_export(&admin(), person, "Verzoek per brief")
                    .expect("exported"),
            )
        })
    });
    c.bench_function("access_export/files", |b| {
        b.iter(|| {
            let person = people[turn % people.len()];
            turn += 1;
            let file = service
                .access_export(&admin(), person, "Verzoek per brief")
                .expect("exported");
            black_box(koppel::report::access::json(&file));
            black_box(koppel::report::access::letter(
                &file,
                koppel::i18n::Lang::Nl,
            ))
        })
    });
}

criterion_group! {
    name = group;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(group);
