//! The periodic summary at the 100,000-volunteer scale, against the quality bars:
//!
//! - `report/weekly`: a week's report counted from the loaded read model and rendered as
//!   Markdown (what `koppel report weekly` does after opening the store) ≤ 50 ms;
//! - `report/weekly_json`: the same rendered as JSON;
//! - `report/step_period`: on the Reports screen at 120×40, → to the next week: the key
//!   handled, the report and the charts counted again, and the frame drawn ≤ 50 ms;
//! - `report/step_year`: the same with a year (the year to date spans more rows).
//!
//! Uses the demo store of `benches/tui.rs` (`<target>/bench-stores/tui-100k`, built with
//! `demo::fill` on first use). Under `cargo test --benches` every routine runs once on 2,000
//! volunteers. Run with `cargo bench --bench report`.

/// The allocator the `koppel` binary uses, so in-process figures are the program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod support;
use support::*;

use criterion::Criterion;
use crossterm::event::{KeyCode, KeyEvent};
use koppel::config::Config;
use koppel::domain::period::Period;
use koppel::i18n::Lang;
use koppel::readmodel::SharedModel;
use koppel::report::Report;
use koppel::report::render::{CsvOptions, Format, render};
use koppel::service::Service;
use koppel::store::Store;
use koppel::ui::app::AppEvent;
use koppel::ui::keymap::Keymap;
use koppel::ui::screens::ScreenId;
use koppel::ui::session::{Session, SessionConfig};
use koppel::ui::theme::Theme;
use koppel::ui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

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
    let store = Store::open(&dir).expect("the bench store opens");
    let model = SharedModel::load_now(&store);
    let week = Period::parse_week("2026-W47").expect("a week");
    let mut c = Criterion::default().configure_from_args();
    let mut medians: Vec<(&str, Duration)> = Vec::new();

    let mut g = c.benchmark_group("report");
    let mut times = Vec::new();
    g.bench_function("weekly", |b| {
        b.iter(|| {
            let t = Instant::now();
            let r = Report::compute(&model.read(), week);
            let md = render(&r, Format::Markdown, Lang::Nl, CsvOptions::default());
            times.push(t.elapsed());
            black_box(md)
        })
    });
    medians.push((
        "weekly report, counted and rendered as Markdown",
        median(times),
    ));
    let mut times = Vec::new();
    g.bench_function("weekly_json", |b| {
        b.iter(|| {
            let t = Instant::now();
            let r = Report::compute(&model.read(), week);
            let json = render(&r, Format::Json, Lang::En, CsvOptions::default());
            times.push(t.elapsed());
            black_box(json)
        })
    });
    medians.push(("weekly report as JSON", median(times)));

    // The screen: a session on the Reports screen at 120×40.
    let service = Service::new(store.clone(), clock(), Config::default());
    let mut app = Session::new(
        service,
        admin(),
        model.clone(),
        SessionConfig {
            keymap: Arc::new(Keymap::shipped("default").expect("the shipped keymap")),
            lang: Lang::Nl,
            theme: Theme::color(),
        },
        || {},
    );
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("a test terminal");
    app.handle(AppEvent::Resize(120, 40));
    app.handle(AppEvent::Key(KeyEvent::from(KeyCode::Char('5'))));
    assert_eq!(app.app().screen(), ScreenId::Reports);
    for (id, switches) in [("step_period", 0), ("step_year", 3)] {
        for _ in 0..switches {
            app.handle(AppEvent::Key(KeyEvent::from(KeyCode::Char('p'))));
        }
        let mut times = Vec::new();
        let mut forward = true;
        g.bench_function(id, |b| {
            b.iter(|| {
                // Back and forth, so every step counts a period not counted just before.
                let code = if forward {
                    KeyCode::Right
                } else {
                    KeyCode::Left
                };
                forward = !forward;
                let t = Instant::now();
                app.handle(AppEvent::Key(KeyEvent::from(code)));
                terminal
                    .draw(|f| view::draw(f, app.app()))
                    .expect("a frame");
                times.push(t.elapsed());
            })
        });
        medians.push((
            if switches == 0 {
                "→ next week on the Reports screen, counted and drawn"
            } else {
                "→ next year on the Reports screen, counted and drawn"
            },
            median(times),
        ));
    }
    g.finish();
    c.final_summary();
    println!("\nReports at {n} volunteers (medians; target ≤ 50 ms):");
    for (what, d) in medians {
        println!("  {:>8.2} ms  {what}", d.as_secs_f64() * 1000.0);
    }
}
