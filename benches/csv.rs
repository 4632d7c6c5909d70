//! CSV import at the 10k scale: 10,000 volunteers from a Dutch spreadsheet (semicolons, BOM)
//! checked row by row and written in one transaction into a fresh store (target ≤ 2 s).
//!
//! Run with `cargo bench --bench csv`.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use koppel::clock::FixedClock;
use koppel::config::Config;
use koppel::demo;
use koppel::domain::format_date;
use koppel::service::{Account, Role, Service};
use koppel::store::Store;
use std::sync::Arc;
use std::time::Duration;
use time::macros::{date, datetime};

fn spreadsheet(n: usize) -> String {
    let region = Config::default().municipalities;
    let mut text = String::from(
        "\u{feff}Voornaam;Tussenvoegsel;Achternaam;Geboortedatum;Adres;Postcode;Gemeente;Telefoon;E-mail;Toestemming;Intakedatum\r\n",
    );
    for v in demo::volunteers(n, 7, date!(2026 - 11 - 27), &region) {
        text.push_str(&format!(
            "{};{};{};{};{};{};{};{};{};{};{}\r\n",
            v.name.given,
            v.name.prefix,
            v.name.family,
            format_date(v.birth_date),
            v.address,
            v.postcode,
            v.municipality,
            v.phone,
            v.email,
            format_date(v.consent.given_on),
            format_date(v.intake_date),
        ));
    }
    text
}

fn bench(c: &mut Criterion) {
    let test_mode = std::env::args().any(|a| a == "--test");
    let n = if test_mode { 200 } else { 10_000 };
    let text = spreadsheet(n);
    let admin = Account {
        name: "bench".into(),
        role: Role::Admin,
    };
    let mut group = c.benchmark_group("csv");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(20));
    group.bench_function("import_10000_volunteers", |b| {
        b.iter_batched(
            || {
                let dir = tempfile::tempdir().unwrap();
                let store = Store::open(&dir.path().join("s")).unwrap();
                let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:00 +1)));
                (dir, Service::new(store, clock, Config::default()))
            },
            |(dir, service)| {
                let summary = service
                    .import_volunteers_csv(&admin, &mut text.as_bytes(), false, &|_, _, _| {})
                    .expect("the spreadsheet imports");
                assert_eq!(summary.rows, n);
                (dir, service)
            },
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
