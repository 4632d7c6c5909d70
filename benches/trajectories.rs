//! Trajectory benchmarks at the 100,000-volunteer scale (about 20,000 trajectories and
//! 150,000 progress meetings, the demo data):
//!
//! - `caseload/compute`: the caseloads view's figures from the read model's aggregate;
//! - `caseload/put_meeting`: the aggregate kept current when one trajectory gets a meeting
//!   (one row out, one row in: no rescan);
//! - `timeline/open`: read one trajectory through the service and build its detail's lines;
//! - `meeting/durable_log`: `Service::log_meeting`, flushed and fsynced, in the full store,
//!   on the open trajectories in turn.
//!
//! The demo fill itself (volunteers, organisations, vacancies, placements, contacts and
//! trajectories) is timed once while the store is built and printed. `KOPPEL_BENCH_VOLUNTEERS`
//! benchmarks another size.
//!
//! Run with `cargo bench --bench trajectories`.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{Criterion, criterion_group, criterion_main};
use koppel::clock::FixedClock;
use koppel::config::Config;
use koppel::demo;
use koppel::domain::trajectory::{Meeting, Trajectory};
use koppel::readmodel::{SharedModel, TrajectoryRow};
use koppel::service::{Account, Role, Service};
use koppel::store::Store;
use koppel::ui::component::Env;
use koppel::ui::keymap::Keymap;
use koppel::ui::screens::trajectories::detail;
use koppel::ui::theme::Theme;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Instant;
use time::macros::{date, datetime};

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

fn env(service: &Service) -> Env {
    let today = date!(2026 - 11 - 27);
    let config = Config::default();
    Env {
        lang: koppel::i18n::Lang::Nl,
        theme: Theme::mono(),
        keymap: Arc::new(Keymap::shipped("default").expect("keymap")),
        today,
        rules: config.rules(today),
        municipalities: config.municipalities.clone(),
        weights: config.matching,
        trajectories: config.trajectories,
        retention: config.retention(),
        consultants: service.consultants(&admin()),
        who: "bench".into(),
        role: Role::Admin,
        store_name: "bench".into(),
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
    let took = started.elapsed();
    let model = SharedModel::load_now(&store);
    let (count, meetings) = {
        let m = model.read();
        let rows = m.trajectories();
        let ids: Vec<u64> = rows.iter().map(|r| r.id).collect();
        let meetings: usize = ids
            .iter()
            .filter_map(|id| store.get::<Trajectory>(*id).ok().flatten())
            .map(|t| t.data.meetings.len())
            .sum();
        (rows.len(), meetings)
    };
    println!(
        "demo/fill: {n} volunteers, {count} trajectories, {meetings} meetings in {:.1} s",
        took.as_secs_f64()
    );
    let env = env(&service);
    let today = env.today;
    let settings = env.trajectories;

    c.bench_function("caseload/compute", |b| {
        b.iter(|| black_box(model.read().caseloads().lines(today, &settings)))
    });

    // One open trajectory, logged on again and again.
    let target: TrajectoryRow = model
        .read()
        .trajectories()
        .iter()
        .find(|r| r.is_open())
        .cloned()
        .expect("an open trajectory");
    let id = target.id;

    c.bench_function("caseload/put_meeting", |b| {
        let mut row = target.clone();
        let mut m = koppel::readmodel::ReadModel::default();
        // A model holding every row, as the session's; only the put is measured.
        m.replace_all::<koppel::readmodel::Trajectories>(
            model.read().trajectories().iter().cloned().collect(),
        );
        b.iter(|| {
            row.revision += 1;
            row.last_contact = today;
            row.next_meeting = row.next_meeting.map(|d| d.next_day().unwrap_or(d));
            m.put::<koppel::readmodel::Trajectories>(row.clone());
        })
    });

    c.bench_function("timeline/open", |b| {
        b.iter(|| {
            let t = service
                .trajectory(&admin(), id)
                .expect("read")
                .expect("exists");
            black_box(detail::lines(&t, &env, 80))
        })
    });

    // Meetings logged on the open trajectories in turn, as a centre's consultants do (one
    // trajectory logged on thousands of times would grow a history no real one has).
    let mut open: Vec<(u64, u64)> = model
        .read()
        .trajectories()
        .iter()
        .filter(|r| r.is_open())
        .map(|r| (r.id, r.revision))
        .collect();
    let mut turn = 0usize;
    c.bench_function("meeting/durable_log", |b| {
        b.iter(|| {
            let slot = turn % open.len();
            turn += 1;
            let (id, revision) = open[slot];
            let saved = service
                .log_meeting(
                    &admin(),
                    id,
                    revision,
                    Meeting {
                        date: today,
                        by: "bench".into(),
                        summary: "Voortgang besproken".into(),
                        actions: String::new(),
                        next_due: Some(date!(2027 - 01 - 08)),
                    },
                )
                .expect("logged");
            open[slot].1 = saved.meta.revision;
        })
    });
}

criterion_group! {
    name = group;
    config = Criterion::default().sample_size(20);
    targets = benches
}
criterion_main!(group);
