//! Privacy benchmarks at the 100,000-volunteer scale (the demo data):
//!
//! - `privacy/anonymise_person`: `Service::anonymise_person`, durable: the person, every
//!   record about them (reference index) and their audit entries redacted, one transaction,
//!   flushed and fsynced; a different person each time, people with trajectories first;
//! - `privacy/erase_person`: `Service::erase_person`, durable: as above, plus the search of
//!   every other record's text for the person's name, e-mail address and phone number (in
//!   the stored bytes, without decoding) and taking out what names them.
//!
//! Compaction is timed once at the end and printed (it rewrites the whole store).
//! `KOPPEL_BENCH_VOLUNTEERS` benchmarks another size. Run with `cargo bench --bench privacy`.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{Criterion, criterion_group, criterion_main};
use koppel::clock::FixedClock;
use koppel::config::Config;
use koppel::demo;
use koppel::domain::trajectory::Trajectory;
use koppel::service::{Account, Role, Service};
use koppel::store::Store;
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
    // People with trajectories first (the most is about them), then everyone else.
    let mut busy: Vec<u64> = store
        .scan::<Trajectory>()
        .filter_map(Result::ok)
        .map(|t| t.data.person)
        .collect();
    busy.sort_unstable();
    busy.dedup();
    let rest = (1..=n as u64).filter(|id| busy.binary_search(id).is_err());
    let people: Vec<u64> = busy.iter().copied().chain(rest).collect();
    let turn = std::cell::Cell::new(0usize);
    let next = || {
        let i = turn.get();
        turn.set(i + 1);
        *people.get(i).expect("people enough for the benchmark")
    };

    c.bench_function("privacy/anonymise_person", |b| {
        b.iter(|| {
            service
                .anonymise_person(&admin(), next(), "Bewaartermijn verstreken")
                .expect("anonymised")
        })
    });
    c.bench_function("privacy/erase_person", |b| {
        b.iter(|| {
            service
                .erase_person(&admin(), next(), "Verzoek van betrokkene")
                .expect("erased")
        })
    });
    let started = Instant::now();
    let done = service.compact(&admin()).expect("compacted");
    println!(
        "privacy/compact: {} entries, {} → {} bytes in {:.1} s",
        done.entries,
        done.before,
        done.after,
        started.elapsed().as_secs_f64()
    );
}

criterion_group! {
    name = group;
    config = Criterion::default().sample_size(10);
    targets = benches
}
criterion_main!(group);
