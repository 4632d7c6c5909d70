//! Keymap loading at scale: a keymap file of 10,000 and 40,000 bindings parsed, checked
//! (duplicates, prefixes) and merged on the shipped keymap. Loading is linear in the number of
//! bindings (before: 2.2 s for 10,000 and 39 s for 40,000).
//!
//! Run with `cargo bench --bench keymap`.

use criterion::{Criterion, criterion_group, criterion_main};
use koppel::ui::keymap::Keymap;
use std::time::Duration;

/// `n` list bindings on distinct four-key sequences (`<f2>abc` …), none clashing.
fn keymap_file(n: usize) -> String {
    let mut src = String::new();
    let keys = [
        "<f2>", "<f3>", "<f4>", "<f5>", "<f6>", "<f7>", "<f8>", "<f9>",
    ]
    .iter()
    .flat_map(|a| {
        ('a'..='z')
            .chain('0'..='9')
            .flat_map(move |b| ('a'..='z').map(move |c| format!("{a}{b}{c}")))
            .flat_map(|abc| ('a'..='z').map(move |d| format!("{abc}{d}")))
    })
    .take(n);
    for (i, k) in keys.enumerate() {
        let action = if i % 2 == 0 { "down" } else { "up" };
        src.push_str(&format!("[[list]]\non = \"{k}\"\nrun = \"{action}\"\n\n"));
    }
    src
}

fn bench(c: &mut Criterion) {
    let test_mode = std::env::args().any(|a| a == "--test");
    let sizes: &[usize] = if test_mode { &[100] } else { &[10_000, 40_000] };
    let mut group = c.benchmark_group("keymap");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(10));
    for &n in sizes {
        let src = keymap_file(n);
        group.bench_function(format!("merge_{n}_bindings_on_default"), |b| {
            b.iter(|| {
                let mut km = Keymap::default();
                km.merge_toml("bench.toml", &src).expect("loads");
                km
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
