//! The retention review at the 100,000-volunteer scale, against the quality bar:
//!
//! - `retention/review_command`: `koppel privacy review` as a user runs it — the process
//!   started, the store opened, the read model loaded, the list worked out and printed ≤ 1 s;
//! - `retention/past_retention`: working out the list from a loaded read model alone.
//!
//! Both look a year ahead (`--today 2027-11-27`), when a good part of the demo people are past
//! their two years. Uses the demo store of `benches/tui.rs` (`<target>/bench-stores/tui-100k`,
//! built with `demo::fill` on first use). Under `cargo test --benches` every routine runs once
//! on 2,000 volunteers. Run with `cargo bench --bench retention`.

/// The allocator the `koppel` binary uses, so in-process figures are the program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod support;
use support::*;

use criterion::Criterion;
use koppel::config::Config;
use koppel::readmodel::SharedModel;
use koppel::store::Store;
use std::hint::black_box;
use std::process::Command;
use std::time::{Duration, Instant};
use time::macros::date;

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v.get(v.len() / 2).copied().unwrap_or_default()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let test_mode = !args.iter().any(|a| a == "--bench") || args.iter().any(|a| a == "--test");
    if args.iter().any(|a| a == "--list") {
        return;
    }
    let n = if test_mode { 2_000 } else { 100_000 };
    let dir = demo_store(n);
    let ahead = date!(2027 - 11 - 27);
    let mut c = Criterion::default().configure_from_args().sample_size(10);
    let mut medians: Vec<(&str, Duration)> = Vec::new();
    let mut g = c.benchmark_group("retention");

    let mut listed = String::new();
    let mut times = Vec::new();
    g.bench_function("review_command", |b| {
        b.iter(|| {
            let t = Instant::now();
            let out = Command::new(env!("CARGO_BIN_EXE_koppel"))
                .args(["privacy", "review", "--today", "2027-11-27", "--data"])
                .arg(&dir)
                .env("KOPPEL_CONFIG", "/nonexistent/koppel-config.toml")
                .env("LANG", "C.UTF-8")
                .env("USER", "ingrid")
                .output()
                .expect("koppel runs");
            times.push(t.elapsed());
            assert!(out.status.success(), "{out:?}");
            listed = String::from_utf8_lossy(&out.stdout)
                .lines()
                .next()
                .unwrap_or_default()
                .to_string();
            black_box(out)
        })
    });
    medians.push((
        "koppel privacy review (process, open, load, list)",
        median(times),
    ));

    let store = Store::open(&dir).expect("the bench store opens");
    let model = SharedModel::load_now(&store);
    let periods = Config::default().retention();
    let mut times = Vec::new();
    g.bench_function("past_retention", |b| {
        b.iter(|| {
            let t = Instant::now();
            let rows = model.read().past_retention(ahead, periods);
            times.push(t.elapsed());
            black_box(rows)
        })
    });
    medians.push((
        "the list worked out from the loaded read model",
        median(times),
    ));
    g.finish();
    c.final_summary();
    println!("\nRetention review at {n} volunteers (medians; target ≤ 1 s): {listed}");
    for (what, d) in medians {
        println!("  {:>8.2} ms  {what}", d.as_secs_f64() * 1000.0);
    }
}
