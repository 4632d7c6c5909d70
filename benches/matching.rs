//! Matching at the 100k scale: ranking 5,000 open vacancies for a person (target ≤ 5 ms) and
//! ranking 100,000 people for a vacancy (target ≤ 50 ms), on an in-memory read model filled
//! with demo volunteers and vacancies (no store involved: matching reads only the model).
//!
//! Run with `cargo bench --bench matching`.

/// The allocator the `koppel` binary uses, so in-process figures are the program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use criterion::{Criterion, criterion_group, criterion_main};
use koppel::config::Config;
use koppel::demo;
use koppel::domain::matching::Weights;
use koppel::domain::vacancy::VacancyStatus;
use koppel::readmodel::matching::offer;
use koppel::readmodel::{ReadModel, Vacancies, VacancyRow, VolunteerRow, Volunteers};
use koppel::service::{Meta, Stamp, Stored};
use std::hint::black_box;
use time::macros::{date, datetime};

fn stored<T>(id: u64, data: T) -> Stored<T> {
    let stamp = Stamp {
        by: "bench".into(),
        at: datetime!(2026-11-27 10:00 UTC),
    };
    Stored {
        meta: Meta {
            id,
            revision: 1,
            created: stamp.clone(),
            updated: stamp,
        },
        data,
    }
}

fn model(people: usize, vacancies: usize) -> ReadModel {
    let today = date!(2026 - 11 - 27);
    let region = Config::default().municipalities;
    let mut m = ReadModel::default();
    let rows: Vec<VolunteerRow> = demo::volunteers(people, 2026, today, &region)
        .enumerate()
        .map(|(i, v)| VolunteerRow::from_stored(&stored(i as u64 + 1, v)))
        .collect();
    m.replace_all::<Volunteers>(rows);
    let orgs: Vec<_> = demo::organisations(400, 2026, &region)
        .into_iter()
        .enumerate()
        .map(|(i, o)| (i as u64 + 1, o))
        .collect();
    let pool = demo::vacancies(&orgs, 2026, today);
    let rows: Vec<VacancyRow> = (0..vacancies)
        .map(|i| {
            let mut v = pool[i % pool.len()].clone();
            v.status = VacancyStatus::Open;
            VacancyRow::from_owned(stored(i as u64 + 1, v))
        })
        .collect();
    m.replace_all::<Vacancies>(rows);
    m
}

fn bench(c: &mut Criterion) {
    let test_mode = std::env::args().any(|a| a == "--test");
    let (people, vacancies) = if test_mode {
        (2_000, 500)
    } else {
        (100_000, 5_000)
    };
    let m = model(people, vacancies);
    let w = Weights::default();
    let today = date!(2026 - 11 - 27);
    let p = m.volunteers()[people / 2].clone();
    let person = koppel::readmodel::matching::person_of(&p);
    c.bench_function("matching/rank_5000_vacancies_for_a_person", |b| {
        b.iter(|| black_box(m.rank_vacancies(&person, &w, today, 200)).len())
    });
    let v = m.vacancies()[0].clone();
    c.bench_function("matching/rank_100000_people_for_a_vacancy", |b| {
        b.iter(|| black_box(m.rank_people(&offer(&v), &w, today, 200)).len())
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
