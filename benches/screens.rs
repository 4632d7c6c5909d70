//! The screens of the five basic functions at the 100k scale, against the quality bars: one
//! frame (120×40) of each list and of a target's gauges ≤ 1 ms, and a search keystroke over
//! 10,000 knowledge notes ≤ 10 ms.
//!
//! `cargo bench --bench screens` builds (once, under `target/bench-stores/screens-100k`) a
//! 100,000-volunteer demo store with 10,000 knowledge notes, opens the screens on a loaded
//! read model and times each measurement many times; it prints medians and 90th percentiles
//! next to the targets. Under `cargo test --benches` every measurement runs a few times on a
//! 2,000-volunteer store, as a smoke test.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod support;
use support::*;

use crossterm::event::{KeyCode, KeyEvent};
use koppel::config::Config;
use koppel::i18n::Lang;
use koppel::readmodel::SharedModel;
use koppel::service::Service;
use koppel::store::Store;
use koppel::ui::app::AppEvent;
use koppel::ui::keymap::Keymap;
use koppel::ui::keys::parse_keys;
use koppel::ui::screens::ScreenId;
use koppel::ui::screens::notes::NoteList;
use koppel::ui::session::{Session, SessionConfig};
use koppel::ui::theme::Theme;
use koppel::ui::view;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

const COLS: u16 = 120;
const ROWS: u16 = 40;
/// Knowledge notes in the store, demo ones included.
const NOTES: usize = 10_000;

/// The store of `n` demo volunteers and [`NOTES`] notes, built once.
fn store(n: usize) -> PathBuf {
    store_once(
        &format!("screens-{n}"),
        &format!("a demo store of {n} volunteers and {NOTES} notes"),
        |store, service| {
            koppel::demo::fill(service, &admin(), n, 42).expect("demo data");
            let have = store.count::<koppel::domain::note::Note>();
            let more = koppel::demo::knowledge_notes(NOTES.saturating_sub(have), 7);
            for chunk in more.chunks(1_000) {
                service
                    .fill_demo_notes(&admin(), chunk)
                    .expect("extra notes");
            }
        },
    )
}

fn session(dir: &Path) -> Session {
    let store = Store::open(dir).expect("the bench store opens");
    let model = SharedModel::load_now(&store);
    let service = Service::new(store, clock(), Config::default());
    let mut s = Session::new(
        service,
        admin(),
        model,
        SessionConfig {
            keymap: Arc::new(Keymap::shipped("default").expect("the shipped keymap")),
            lang: Lang::En,
            theme: Theme::color(),
        },
        || {},
    );
    s.handle(AppEvent::Resize(COLS, ROWS));
    s
}

fn press(s: &mut Session, keys: &str) {
    for k in parse_keys(keys).expect("key notation") {
        s.handle(AppEvent::Key(k));
    }
}

fn draw(t: &mut Terminal<TestBackend>, s: &Session) {
    t.draw(|f| view::draw(f, s.app())).expect("a frame");
}

/// Goes to screen `id` with its group's digit and `]`.
fn go(s: &mut Session, id: ScreenId) {
    press(s, &(id.group().index() + 1).to_string());
    for _ in 0..6 {
        if s.app().screen() == id {
            return;
        }
        press(s, "]");
    }
    panic!("screen {id:?} not reached");
}

fn median_p90(mut times: Vec<Duration>) -> (f64, f64) {
    times.sort_unstable();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |p: usize| times[(times.len() - 1) * p / 100];
    (ms(at(50)), ms(at(90)))
}

fn report(what: &str, times: Vec<Duration>, target_ms: f64) {
    let n = times.len();
    let (med, p90) = median_p90(times);
    let verdict = if med <= target_ms { "met" } else { "MISSED" };
    println!("{what:<58} {med:>9.3} ms  p90 {p90:>9.3} ms  n={n:<5} <= {target_ms} ms {verdict}");
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let test_mode = !args.iter().any(|a| a == "--bench") || args.iter().any(|a| a == "--test");
    if args.iter().any(|a| a == "--list") {
        return;
    }
    let n = if test_mode { 2_000 } else { 100_000 };
    let rounds = if test_mode { 3 } else { 200 };
    let dir = store(n);
    let mut s = session(&dir);
    let mut t = Terminal::new(TestBackend::new(COLS, ROWS)).expect("a test terminal");
    println!(
        "\nkoppel screens at {n} volunteers, {COLS}x{ROWS}{}",
        if test_mode { " (test mode)" } else { "" }
    );

    // One frame of each screen, the model unchanged between frames (as while reading).
    for (id, what) in [
        (ScreenId::Signals, "frame: 1 Vertalen › Signals"),
        (
            ScreenId::Targets,
            "frame: 1 Vertalen › Targets (with the year's gauges)",
        ),
        (ScreenId::Activities, "frame: 4 Verbreiden › Activities"),
        (ScreenId::Appreciation, "frame: 4 Verbreiden › Appreciation"),
        (
            ScreenId::KnowledgeNotes,
            "frame: 5 Verankeren › Knowledge notes",
        ),
        (ScreenId::AuditLog, "frame: 5 Verankeren › Audit log"),
    ] {
        go(&mut s, id);
        draw(&mut t, &s);
        let times = (0..rounds)
            .map(|_| {
                let start = Instant::now();
                draw(&mut t, &s);
                start.elapsed()
            })
            .collect();
        report(what, times, 1.0);
    }

    // A target's detail: its gauges are counted from 100k people once, then drawn.
    go(&mut s, ScreenId::Targets);
    press(&mut s, "<enter>");
    draw(&mut t, &s);
    let times = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            draw(&mut t, &s);
            start.elapsed()
        })
        .collect();
    report("frame: a municipality's targets with gauges", times, 1.0);
    press(&mut s, "<esc>");

    // The first count of the gauges after a change (a save elsewhere moves the version).
    let model = s.app().model.clone();
    let times = (0..rounds.min(50))
        .map(|_| {
            let guard = model.read();
            let start = Instant::now();
            std::hint::black_box(guard.year_progress(2026, time::macros::date!(2026 - 11 - 27)));
            start.elapsed()
        })
        .collect();
    report("count: a year's progress over every record", times, 10.0);
    let times = (0..rounds.min(50))
        .map(|_| {
            let guard = model.read();
            let start = Instant::now();
            std::hint::black_box(guard.to_thank(time::macros::date!(2026 - 11 - 27)));
            start.elapsed()
        })
        .collect();
    report("count: who to thank", times, 10.0);

    // Search keystrokes over the knowledge notes: `/`, then each letter of a word in the
    // bodies, and back.
    go(&mut s, ScreenId::KnowledgeNotes);
    let notes = s.app().model.read().notes().len();
    println!("  ({notes} knowledge notes)");
    press(&mut s, "/");
    let mut times = Vec::new();
    for _ in 0..rounds.min(50) {
        for c in "vrijwil".chars() {
            let start = Instant::now();
            s.handle(AppEvent::Key(KeyEvent::from(KeyCode::Char(c))));
            times.push(start.elapsed());
        }
        for _ in "vrijwil".chars() {
            s.handle(AppEvent::Key(KeyEvent::from(KeyCode::Backspace)));
        }
    }
    let shown = s
        .app()
        .screen_component(ScreenId::KnowledgeNotes)
        .as_any()
        .downcast_ref::<NoteList>()
        .map_or(0, |l| l.table.len());
    report("search keystroke over the knowledge notes", times, 10.0);
    println!("  ({shown} shown with an empty search)");
}
