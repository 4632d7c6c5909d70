//! Store benchmarks at the 100,000-volunteer scale:
//!
//! - `durable_save/*`: one volunteer saved with its indexes, flushed and fsynced, in a store
//!   that already holds 100,000 (straight through the store, and as the front desk does it
//!   through `Service::register_intake` with validation, duplicate lookups and audit event);
//! - `load/open_scan_decode`: open the store and decode every volunteer (the read model's
//!   start);
//! - `demo/fill`: `demo::fill` of 100,000 volunteers into a fresh store;
//! - `exchange/export` and `exchange/import`: 100,000 volunteers to JSON Lines in memory and
//!   back into a fresh store (one all-or-nothing transaction).
//!
//! The pre-filled store is built once under `<target>/bench-stores/` and reused by later runs
//! (its name carries a fingerprint of the demo data, so a changed generator builds a new one);
//! each run works on copies of it, so the cached store never changes. Delete the directory to
//! rebuild it. `KOPPEL_BENCH_VOLUNTEERS=<n>` benchmarks another size (for a quick try).
//!
//! Run with `cargo bench --bench store`.

/// The allocator the `koppel` binary uses, so in-process figures are the program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{BatchSize, Criterion, SamplingMode, criterion_group, criterion_main};
use koppel::clock::FixedClock;
use koppel::codec;
use koppel::config::Config;
use koppel::demo;
use koppel::domain::volunteer::Volunteer;
use koppel::service::{Account, Role, Service, ServiceError};
use koppel::store::{Stamp, Store, exchange};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};
use time::Date;
use time::macros::{date, datetime};

/// Seed of the pre-filled store's volunteers.
const SEED: u64 = 2026;
/// Seed of the volunteers saved on top of it.
const NEW_SEED: u64 = 7;

fn volunteers_wanted() -> usize {
    std::env::var("KOPPEL_BENCH_VOLUNTEERS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(100_000)
}

fn today() -> Date {
    date!(2026 - 11 - 27)
}

fn service(store: Store) -> Service {
    let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:00 +1)));
    Service::new(store, clock, Config::default())
}

fn admin() -> Account {
    Account {
        name: "bench".into(),
        role: Role::Admin,
    }
}

fn stamp() -> Stamp {
    Stamp {
        by: "bench".into(),
        at: datetime!(2026-11-27 10:00 +1),
    }
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"))
}

/// FNV-1a over the encoding of the first demo volunteers: changes when the generator does.
fn fingerprint(n: usize) -> u64 {
    let municipalities = Config::default().municipalities;
    let mut hash = 0xcbf2_9ce4_8422_2325u64;
    for v in demo::volunteers(n.min(50), SEED, today(), &municipalities) {
        for byte in codec::encode(&v).expect("encodes") {
            hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// The store with `n` demo volunteers, built on first use.
fn prefilled(n: usize) -> PathBuf {
    let root = target_dir().join("bench-stores");
    let name = format!("volunteers-{n}-seed{SEED}-{:016x}", fingerprint(n));
    let path = root.join(&name);
    if path.join("db").exists() {
        return path;
    }
    let building = root.join(format!("{name}.building"));
    if building.exists() {
        std::fs::remove_dir_all(&building).expect("remove an unfinished store");
    }
    eprintln!("building {} (once)", path.display());
    let started = Instant::now();
    {
        let service = service(Store::open(&building).expect("open"));
        demo::fill(&service, &admin(), n, SEED).expect("fill");
    }
    eprintln!("built in {:.1?}", started.elapsed());
    std::fs::rename(&building, &path).expect("rename the finished store");
    path
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("create");
    for entry in std::fs::read_dir(from).expect("read dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
            // Written back now, so the kernel's write-back of the copy does not slow down
            // the fsyncs being measured.
            std::fs::File::open(&target)
                .and_then(|f| f.sync_all())
                .expect("sync the copy");
        }
    }
}

/// A private copy of the pre-filled store.
fn copy_of_prefilled(n: usize) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("temp dir");
    let path = tmp.path().join("store");
    copy_dir(&prefilled(n), &path);
    (tmp, path)
}

fn durable_save(c: &mut Criterion) {
    let n = volunteers_wanted();
    let (_tmp, path) = copy_of_prefilled(n);
    let store = Store::open(&path).expect("open");
    let service = service(store.clone());
    let people: Vec<Volunteer> =
        demo::volunteers(20_000, NEW_SEED, today(), &service.config().municipalities).collect();
    let mut group = c.benchmark_group("durable_save");
    let mut next = 0;
    group.bench_function("store_insert", |b| {
        b.iter_batched(
            || {
                next += 1;
                people[next % people.len()].clone()
            },
            |v| store.insert(v, &stamp()).expect("saved"),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("register_intake", |b| {
        b.iter_batched(
            || {
                next += 1;
                people[next % people.len()].clone()
            },
            |v| match service.register_intake(&admin(), v.clone(), false) {
                Ok(saved) => saved,
                // The front desk looked at the likely duplicate and saves anyway.
                Err(ServiceError::Duplicates(_)) => service
                    .register_intake(&admin(), v, true)
                    .expect("saved anyway"),
                Err(e) => panic!("save failed: {e}"),
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn load(c: &mut Criterion) {
    let n = volunteers_wanted();
    let (_tmp, path) = copy_of_prefilled(n);
    let mut group = c.benchmark_group("load");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("open_scan_decode", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let started = Instant::now();
                let store = Store::open(&path).expect("open");
                let mut decoded = 0;
                for v in store.scan::<Volunteer>() {
                    black_box(v.expect("decodes"));
                    decoded += 1;
                }
                total += started.elapsed();
                assert_eq!(decoded, n);
                drop(store);
            }
            total
        })
    });
    group.finish();
}

fn fill(c: &mut Criterion) {
    let n = volunteers_wanted();
    let mut group = c.benchmark_group("demo");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("fill", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let tmp = tempfile::tempdir().expect("temp dir");
                let service = service(Store::open(&tmp.path().join("store")).expect("open"));
                let started = Instant::now();
                let written = demo::fill(&service, &admin(), n, SEED).expect("fill");
                total += started.elapsed();
                assert_eq!(written, n);
            }
            total
        })
    });
    group.finish();
}

fn exchange(c: &mut Criterion) {
    let n = volunteers_wanted();
    let (_tmp, path) = copy_of_prefilled(n);
    let store = Store::open(&path).expect("open");
    let mut exported = Vec::new();
    exchange::export(&store, &mut exported).expect("export");
    let rules = Config::default().rules(today());

    let mut group = c.benchmark_group("exchange");
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("export", |b| {
        b.iter(|| {
            let mut sink = Vec::with_capacity(exported.len());
            exchange::export(&store, &mut sink).expect("export");
            sink.len()
        })
    });
    group.bench_function("import", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let tmp = tempfile::tempdir().expect("temp dir");
                let fresh = Store::open(&tmp.path().join("store")).expect("open");
                let started = Instant::now();
                exchange::import(
                    &fresh,
                    &mut exported.as_slice(),
                    &rules,
                    &stamp(),
                    false,
                    None,
                )
                .expect("import");
                total += started.elapsed();
                assert_eq!(fresh.count::<Volunteer>(), n);
            }
            total
        })
    });
    group.finish();
}

criterion_group!(benches, durable_save, load, fill, exchange);
criterion_main!(benches);
