//! The screens at S100k, measured against the performance targets of the quality bars:
//! first frame, store open + read model ready, one frame at 120×40, a save as the shared read
//! model takes it, a search keystroke over 100k names, bytes written per selection move, and
//! keystroke → screen through a pseudo-terminal on the real binary.
//!
//! `cargo bench --bench tui` runs everything on a 100,000-volunteer demo store, built once with
//! `demo::fill` and kept under `target/bench-stores/`. Under `cargo test --benches` (criterion's
//! test mode) every measurement runs once, on a 2,000-volunteer store, so the file stays a
//! cheap smoke test.
//!
//! Every timed routine also keeps its own per-iteration times; the summary at the end prints
//! their medians next to the targets (criterion's estimates are printed above it). What
//! criterion cannot time (bytes written, the pseudo-terminal) runs after criterion as custom
//! measurements, when no filter is given or a filter word is part of their name
//! (`bytes_per_move`, `pty_keystroke`): `cargo bench --bench tui -- pty` runs only the latter.
//!
//! The first frame is measured in a child process (this executable, started again with
//! [`FIRST_FRAME_CHILD`] set): each measured start needs a process of its own, as the real
//! program has (a cold allocator, the read model's loader threads starting afresh).

/// The allocator the `koppel` binary uses, so in-process figures are the program's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod support;
use support::*;

#[path = "../tests/support/pty.rs"]
mod harness;

use criterion::{Criterion, SamplingMode};
use crossterm::event::{KeyCode, KeyEvent};
use harness::Pty;
use koppel::config::Config;
use koppel::i18n::Lang;
use koppel::readmodel::SharedModel;
use koppel::readmodel::search::Search;
use koppel::readmodel::stats::OverviewStats;
use koppel::service::Service;
use koppel::store::Store;
use koppel::ui::app::AppEvent;
use koppel::ui::keymap::Keymap;
use koppel::ui::keys::parse_keys;
use koppel::ui::screens::ScreenId;
use koppel::ui::screens::volunteers::VolunteerList;
use koppel::ui::session::{Session, SessionConfig};
use koppel::ui::theme::Theme;
use koppel::ui::view;
use ratatui::backend::{Backend, CrosstermBackend, TestBackend};
use ratatui::layout::Rect;
use ratatui::{Terminal, TerminalOptions, Viewport};
use std::cell::Cell;
use std::io::Write;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Screen size of every measurement.
const COLS: u16 = 120;
const ROWS: u16 = 40;
/// Set to a store directory: run one first-frame measurement, print it, exit.
const FIRST_FRAME_CHILD: &str = "KOPPEL_BENCH_FIRST_FRAME";
/// The criterion benchmarks of this file, in group `tui`.
const CRITERION_IDS: [&str; 13] = [
    "tui/first_frame",
    "tui/open_and_load",
    "tui/save_in_model",
    "tui/frame_volunteers",
    "tui/frame_overview",
    "tui/search_key_first",
    "tui/search_key_second",
    "tui/search_key_common_first",
    "tui/search_key_common_second",
    "tui/search_key_narrow",
    "tui/search_run_full_1",
    "tui/search_run_full_4",
    "tui/search_run_narrow",
];

fn main() {
    if let Some(dir) = std::env::var_os(FIRST_FRAME_CHILD) {
        let f = first_frame(Path::new(&dir));
        println!("{} {} {}", f.took.as_nanos(), f.open.as_nanos(), f.loaded);
        std::process::exit(0);
    }
    let args: Vec<String> = std::env::args().skip(1).collect();
    let flag = |f: &str| args.iter().any(|a| a == f);
    // As criterion decides: `cargo bench` passes --bench; `cargo test --benches` does not.
    let test_mode = !flag("--bench") || flag("--test");
    let listing = flag("--list");
    let filters: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with('-'))
        .map(String::as_str)
        .collect();
    let wanted = |name: &str| filters.is_empty() || filters.iter().any(|f| name.contains(f));

    let n = if test_mode { 2_000 } else { 100_000 };
    let mut summary = Summary::new(n, test_mode);
    let mut c = Criterion::default().configure_from_args();
    if !listing {
        let dir = demo_store(n);
        // Criterion filters its benchmarks itself; skip their set-up when none can match.
        if CRITERION_IDS.iter().any(|id| wanted(id)) {
            criterion_benches(&mut c, &dir, n, &mut summary);
        }
        c.final_summary();
        if wanted("bytes_per_move") {
            bytes_per_move(&dir, &mut summary);
        }
        if wanted("pty_keystroke") {
            pty_keystroke(&dir, test_mode, &mut summary);
        }
        if wanted("pty_search") {
            pty_search(&dir, test_mode, &mut summary);
        }
        summary.print();
    } else {
        c.final_summary();
    }
}

// ---------------------------------------------------------------------------------------------
// Fixtures.

fn keymap() -> Arc<Keymap> {
    Arc::new(Keymap::shipped("default").expect("the shipped keymap parses"))
}

/// An app on the Volunteers screen over a fully loaded model, sized 120×40.
fn loaded_app(dir: &Path) -> Session {
    let store = Store::open(dir).expect("the bench store opens");
    let model = SharedModel::load_now(&store);
    let service = Service::new(store, clock(), Config::default());
    let mut app = Session::new(
        service,
        admin(),
        model,
        SessionConfig {
            keymap: keymap(),
            lang: Lang::En,
            theme: Theme::color(),
        },
        || {},
    );
    app.handle(AppEvent::Resize(COLS, ROWS));
    app
}

fn press(app: &mut Session, keys: &str) {
    for k in parse_keys(keys).expect("key notation") {
        app.handle(AppEvent::Key(k));
    }
}

fn key(code: KeyCode) -> AppEvent {
    AppEvent::Key(KeyEvent::from(code))
}

/// The Volunteers screen of a session.
fn volunteers(app: &Session) -> &VolunteerList {
    app.app()
        .screen_component(ScreenId::Volunteers)
        .as_any()
        .downcast_ref()
        .expect("the volunteers screen")
}

fn draw<B: Backend>(terminal: &mut Terminal<B>, app: &Session) {
    if terminal.draw(|f| view::draw(f, app.app())).is_err() {
        panic!("drawing failed");
    }
}

/// One measured start.
struct FirstFrame {
    /// Store open to the first frame drawn.
    took: Duration,
    /// Of which opening the store.
    open: Duration,
    /// Whether the read model had finished loading by then.
    loaded: bool,
}

/// Store open, read model started, app made, first frame drawn, as the program starts.
fn first_frame(dir: &Path) -> FirstFrame {
    let keymap = keymap();
    let start = Instant::now();
    let store = Store::open(dir).expect("the bench store opens");
    let open = start.elapsed();
    let service = Service::new(store.clone(), clock(), Config::default());
    let model = SharedModel::spawn(store);
    let mut app = Session::new(
        service,
        admin(),
        model,
        SessionConfig {
            keymap,
            lang: Lang::En,
            theme: Theme::color(),
        },
        || {},
    );
    let mut terminal = Terminal::new(TestBackend::new(COLS, ROWS)).expect("a test terminal");
    app.handle(AppEvent::Resize(COLS, ROWS));
    draw(&mut terminal, &app);
    let took = start.elapsed();
    let loaded = app.app().model.read().loaded();
    FirstFrame { took, open, loaded }
}

// ---------------------------------------------------------------------------------------------
// Criterion benchmarks.

fn criterion_benches(c: &mut Criterion, dir: &Path, n: usize, summary: &mut Summary) {
    let mut g = c.benchmark_group("tui");

    // First frame, each in a fresh process.
    g.sampling_mode(SamplingMode::Flat)
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    let (mut times, mut open) = (Vec::new(), Vec::new());
    let mut loaded_at_first_frame = 0;
    g.bench_function("first_frame", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let f = first_frame_in_child(dir);
                total += f.took;
                times.push(f.took);
                open.push(f.open);
                loaded_at_first_frame += usize::from(f.loaded);
            }
            total
        })
    });
    if summary.time(
        "first frame: Store::open + SharedModel::spawn + App::new + draw",
        &times,
        Some(100.0),
    ) {
        summary.time("  of which Store::open", &open, None);
        summary.note(format!(
            "  {loaded_at_first_frame} of {} first frames found the model already loaded",
            times.len()
        ));
    }

    // Store open + read model ready.
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(100))
        .measurement_time(Duration::from_secs(5));
    let (mut open, mut ready) = (Vec::new(), Vec::new());
    g.bench_function("open_and_load", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                let store = Store::open(dir).expect("the bench store opens");
                open.push(start.elapsed());
                let model = SharedModel::load_now(&store);
                let took = start.elapsed();
                assert_eq!(model.read().volunteers().len(), n);
                total += took;
                ready.push(took);
            }
            total
        })
    });
    if summary.time("store open + read model ready", &ready, Some(1000.0)) {
        summary.time("  of which Store::open", &open, None);
    }

    // One frame on the Volunteers list and the Overview.
    let mut app = loaded_app(dir);
    let mut terminal = Terminal::new(TestBackend::new(COLS, ROWS)).expect("a test terminal");
    draw(&mut terminal, &app);
    g.sampling_mode(SamplingMode::Auto)
        .sample_size(50)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    let mut times = Vec::new();
    g.bench_function("frame_volunteers", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for i in 0..iters {
                // A real frame follows a key: alternate the selection between two rows.
                app.handle(key(if i % 2 == 0 {
                    KeyCode::Down
                } else {
                    KeyCode::Up
                }));
                let start = Instant::now();
                draw(&mut terminal, &app);
                let took = start.elapsed();
                total += took;
                times.push(took);
            }
            total
        })
    });
    summary.time(
        "one frame 120x40, Volunteers list, every row loaded (TestBackend)",
        &times,
        Some(1.0),
    );

    press(&mut app, "1");
    draw(&mut terminal, &app);
    let mut times = Vec::new();
    g.bench_function("frame_overview", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                draw(&mut terminal, &app);
                let took = start.elapsed();
                total += took;
                times.push(took);
            }
            total
        })
    });
    summary.time("one frame 120x40, Overview", &times, Some(1.0));

    // A save as the shared model takes it: the row replaced (its counts moved) and the
    // overview figures picked again, as every session does after a change.
    let today = clock().today();
    let mut saved = {
        let id = app.app().model.read().volunteers()[n / 2].id;
        app.service()
            .volunteer(app.who(), id)
            .ok()
            .flatten()
            .expect("the middle volunteer is stored")
    };
    let mut times = Vec::new();
    g.bench_function("save_in_model", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                saved.meta.revision += 1;
                let start = Instant::now();
                app.app().model.put_volunteer(&saved);
                let stats = OverviewStats::compute(&app.app().model.read(), today);
                let took = start.elapsed();
                std::hint::black_box(stats);
                total += took;
                times.push(took);
            }
            total
        })
    });
    summary.time(
        "a save in the shared model: row replaced + overview figures",
        &times,
        None,
    );

    // A search keystroke: App::handle + the list refresh, without drawing. Each iteration types
    // one character after `before` (untimed) and takes it back with Backspace (untimed).
    press(&mut app, "2/");
    g.sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(2));
    for (id, before, typed, what) in [
        (
            "search_key_first",
            "",
            'j',
            "search keystroke: first key on the full list (\"\" -> \"j\")",
        ),
        (
            "search_key_second",
            "j",
            'a',
            "search keystroke: narrowing (\"j\" -> \"ja\")",
        ),
        (
            "search_key_common_first",
            "",
            'e',
            "search keystroke: a common first letter (\"\" -> \"e\")",
        ),
        (
            "search_key_common_second",
            "e",
            'n',
            "search keystroke: narrowing a common letter (\"e\" -> \"en\")",
        ),
        (
            "search_key_narrow",
            "jan",
            's',
            "search keystroke: narrowing (\"jan\" -> \"jans\")",
        ),
    ] {
        for ch in before.chars() {
            app.handle(key(KeyCode::Char(ch)));
        }
        let mut times = Vec::new();
        let mut shown = 0;
        g.bench_function(id, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    let start = Instant::now();
                    app.handle(key(KeyCode::Char(typed)));
                    let took = start.elapsed();
                    shown = volunteers(&app).table.len();
                    total += took;
                    times.push(took);
                    app.handle(key(KeyCode::Backspace));
                }
                total
            })
        });
        if summary.time(what, &times, Some(10.0)) {
            summary.note(format!("  {shown} of {n} rows shown after it"));
        }
        for _ in before.chars() {
            app.handle(key(KeyCode::Backspace));
        }
    }

    // Search::run alone, over the read model's rows.
    let model = app.app().model.clone();
    let guard = model.read();
    let hay = guard.volunteers().haystacks();
    let mut search = Search::default();
    let mut version = 1_000;
    for (id, query, what) in [
        (
            "search_run_full_1",
            "j",
            "Search::run, full pass, 1 character (\"j\")",
        ),
        (
            "search_run_full_4",
            "jans",
            "Search::run, full pass, 4 characters (\"jans\")",
        ),
    ] {
        let mut times = Vec::new();
        g.bench_function(id, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    // A new model version forces a pass over every row.
                    version += 1;
                    let start = Instant::now();
                    let hits = search.run(hay, version, query).map_or(0, <[u32]>::len);
                    let took = start.elapsed();
                    std::hint::black_box(hits);
                    total += took;
                    times.push(took);
                }
                total
            })
        });
        summary.time(what, &times, None);
    }
    let mut times = Vec::new();
    g.bench_function("search_run_narrow", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                version += 1;
                search.run(hay, version, "jan");
                let start = Instant::now();
                let hits = search.run(hay, version, "jans").map_or(0, <[u32]>::len);
                let took = start.elapsed();
                std::hint::black_box(hits);
                total += took;
                times.push(took);
            }
            total
        })
    });
    summary.time("Search::run, narrowing (\"jan\" -> \"jans\")", &times, None);
    drop(guard);
    g.finish();
}

fn first_frame_in_child(dir: &Path) -> FirstFrame {
    let exe = std::env::current_exe().expect("this bench's executable");
    let out = std::process::Command::new(exe)
        .env(FIRST_FRAME_CHILD, dir)
        .output()
        .expect("the first-frame child runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let mut words = text.split_whitespace();
    let mut nanos = || words.next().and_then(|w| w.parse::<u64>().ok());
    let (took, open) = (nanos(), nanos());
    match (out.status.success(), took, open, words.next()) {
        (true, Some(took), Some(open), Some(loaded)) => FirstFrame {
            took: Duration::from_nanos(took),
            open: Duration::from_nanos(open),
            loaded: loaded == "true",
        },
        _ => panic!(
            "the first-frame child failed: {}{}",
            text,
            String::from_utf8_lossy(&out.stderr)
        ),
    }
}

// ---------------------------------------------------------------------------------------------
// Bytes written per move.

/// A `Write` that only counts.
#[derive(Clone, Default)]
struct Counter(Rc<Cell<usize>>);

impl Counter {
    fn take(&self) -> usize {
        self.0.replace(0)
    }
}

impl Write for Counter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.set(self.0.get() + buf.len());
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn bytes_per_move(dir: &Path, summary: &mut Summary) {
    let mut app = loaded_app(dir);
    let counter = Counter::default();
    let mut terminal = Terminal::with_options(
        CrosstermBackend::new(counter.clone()),
        TerminalOptions {
            viewport: Viewport::Fixed(Rect::new(0, 0, COLS, ROWS)),
        },
    )
    .expect("a terminal over a counter");
    draw(&mut terminal, &app);
    let full = counter.take();
    let mut step = |app: &mut Session, keys: &str| {
        press(app, keys);
        draw(&mut terminal, app);
        counter.take()
    };
    // Moves inside the window, down then up again.
    let mut row = Vec::new();
    for _ in 0..10 {
        row.push(step(&mut app, "<down>"));
    }
    for _ in 0..10 {
        row.push(step(&mut app, "<up>"));
    }
    // Moves that scroll the list by one row: go to the bottom of the window first.
    let mut scroll = Vec::new();
    while scroll.len() < 10 {
        let offset = volunteers(&app).table.offset();
        let bytes = step(&mut app, "<down>");
        if volunteers(&app).table.offset() != offset {
            scroll.push(bytes);
        }
    }
    let mut page = Vec::new();
    for _ in 0..5 {
        page.push(step(&mut app, "<pagedown>"));
    }
    step(&mut app, "<home>");
    step(&mut app, "/");
    let search = step(&mut app, "j");
    summary.bytes("first full frame", &[full], None);
    summary.bytes("one-row selection move (no scroll)", &row, Some(300));
    summary.bytes("one-row move that scrolls the list", &scroll, None);
    summary.bytes("page move (PageDown)", &page, None);
    summary.bytes(
        "search keystroke (\"j\" typed after \"/\")",
        &[search],
        None,
    );
}

// ---------------------------------------------------------------------------------------------
// Keystroke → screen in a pseudo-terminal, on the real binary.

/// The binary on the bench store in a pseudo-terminal of the measured size (the harness
/// shared with `tests/pty.rs`: each wait returns as soon as the bytes that satisfy it are
/// read).
fn start_pty(dir: &Path) -> Pty {
    Pty::spawn(
        env!("CARGO_BIN_EXE_koppel"),
        &[std::ffi::OsStr::new("--data"), dir.as_os_str()],
        &[],
        COLS,
        ROWS,
    )
}

/// What identifies a list row on screen: names repeat in demo data (and in real
/// centres), so the municipality and the intake date are checked too.
struct ListRow {
    name: String,
    municipality: String,
    intake: String,
}

impl ListRow {
    fn of(r: &koppel::readmodel::VolunteerRow) -> ListRow {
        // The first characters of the name, as a narrow column still shows them.
        let name = match r.filed.char_indices().nth(24) {
            Some((i, _)) => r.filed[..i].to_string(),
            None => r.filed.clone(),
        };
        ListRow {
            name,
            municipality: r.municipality.clone(),
            intake: koppel::domain::format_date(r.intake_date),
        }
    }

    /// Whether the screen row `row` shows this list row, with `marker` in front.
    fn on(&self, row: &str, marker: &str) -> bool {
        row.strip_prefix(marker).is_some_and(|rest| {
            rest.starts_with(&self.name)
                && rest.contains(&format!(" {} ", self.municipality))
                && rest.trim_end().ends_with(&self.intake)
        })
    }
}

fn pty_keystroke(dir: &Path, test_mode: bool, summary: &mut Summary) {
    let (starts, presses) = if test_mode { (1, 40) } else { (5, 200) };
    // The order the list shows, from the same store (closed again before the binary opens it).
    let names: Vec<ListRow> = {
        let store = Store::open(dir).expect("the bench store opens");
        let model = SharedModel::load_now(&store);
        let m = model.read();
        m.volunteers()
            .iter()
            .take(presses + usize::from(ROWS))
            .map(ListRow::of)
            .collect()
    };
    // The list window lies between its header and the bottom bar.
    let top = usize::from(koppel::ui::view::LIST_FIRST_ROW);
    let height = usize::from(ROWS) - 1 - top;
    assert!(names.len() > height, "the store is too small");
    // The whole window drawn, selection on row `k`: frames arrive in several reads, and the
    // window's first row, the selection, the row above it and the window's last row are all
    // checked (one row alone could still be the previous frame's).
    let shows = |rows: &[String], k: usize| {
        let offset = (k + 1).saturating_sub(height);
        let at_row = top + (k - offset);
        let marker = |i: usize| if offset + i == k { "▶ " } else { "  " };
        let row_is = |i: usize| {
            rows.get(top + i)
                .is_some_and(|r| names[offset + i].on(r, marker(i)))
        };
        row_is(0)
            && row_is(at_row - top)
            && (at_row == top || row_is(at_row - top - 1))
            && row_is(height - 1)
    };

    // Start-up: process start to the first frame, and to the loaded list.
    let (mut first, mut loaded) = (Vec::new(), Vec::new());
    let mut app = None;
    for _ in 0..starts {
        drop(app.take());
        let start = Instant::now();
        let mut p = start_pty(dir);
        let at = p.wait_rows("the first frame", |rows| {
            rows.first().is_some_and(|r| r.contains("5 Verankeren"))
        });
        first.push(at - start);
        let at = p.wait_rows("the loaded list", |rows| shows(rows, 0));
        loaded.push(at - start);
        app = Some(p);
    }
    let mut p = app.expect("a started app");

    // `<down>` presses: each waits until the screen shows the new selection, with the window
    // scrolled as the list scrolls it.
    let mut inside = Vec::new();
    let mut scrolling = Vec::new();
    for k in 1..=presses {
        let start = Instant::now();
        p.send(b"\x1b[B");
        let took = p.wait_rows("the next row selected", |rows| shows(rows, k)) - start;
        if k >= height {
            scrolling.push(took);
        } else {
            inside.push(took);
        }
    }
    let all: Vec<Duration> = inside.iter().chain(&scrolling).copied().collect();
    p.send(b"q");
    p.wait_exit();

    summary.time("pty: process start -> first frame", &first, Some(100.0));
    summary.time("pty: process start -> full list shown", &loaded, None);
    summary.time(
        &format!("pty: keystroke -> screen, {presses} <down> presses"),
        &all,
        Some(2.0),
    );
    summary.time("  moves inside the window", &inside, None);
    summary.time("  moves that scroll the list", &scrolling, None);
}

/// After each key of a query: how many rows match and the best one.
type Expected = Vec<(usize, Option<ListRow>)>;

/// Queries typed key by key in the pty search measurement.
const PTY_QUERIES: [&str; 4] = ["mole", "jan jansen", "jansen, j", "06-1"];

/// Search keystrokes through a pseudo-terminal: `/`, then each query typed one key at a time,
/// each key timed from writing it to the screen settled on its result: the query in the
/// search box, the count of matches ("12 of 100,000") and the best match on the first row, as
/// the library's own search ranks them. Esc clears the search between queries.
fn pty_search(dir: &Path, test_mode: bool, summary: &mut Summary) {
    let rounds = if test_mode { 1 } else { 10 };
    let (expected, total): (Vec<Expected>, usize) = {
        let store = Store::open(dir).expect("the bench store opens");
        let model = SharedModel::load_now(&store);
        let m = model.read();
        let rows = m.volunteers();
        let mut search = Search::default();
        let expected = PTY_QUERIES
            .iter()
            .map(|q| {
                (1..=q.chars().count())
                    .map(|k| {
                        let typed: String = q.chars().take(k).collect();
                        let hits = search
                            .run(rows.haystacks(), m.version(), &typed)
                            .unwrap_or(&[]);
                        let first = hits.first().map(|&i| ListRow::of(&rows[i as usize]));
                        (hits.len(), first)
                    })
                    .collect()
            })
            .collect();
        (expected, rows.len())
    };
    let top = usize::from(koppel::ui::view::LIST_FIRST_ROW);
    let count = |n: usize| {
        format!(
            "{} of {}",
            koppel::ui::text::fmt_count(Lang::En, n as u64),
            koppel::ui::text::fmt_count(Lang::En, total as u64)
        )
    };
    let mut p = start_pty(dir);
    let all = count(total);
    p.wait_rows("the loaded list", |rows| {
        rows.get(top - 2)
            .is_some_and(|r| r.trim_end().ends_with(&all))
            && rows.get(top).is_some_and(|r| r.starts_with("▶ "))
    });
    let mut per_query: Vec<Vec<Duration>> = vec![Vec::new(); PTY_QUERIES.len()];
    let mut all_keys = Vec::new();
    for _ in 0..rounds {
        for (qi, q) in PTY_QUERIES.iter().enumerate() {
            p.send(b"/");
            let mut typed = String::new();
            for (k, ch) in q.chars().enumerate() {
                typed.push(ch);
                let (n, first) = &expected[qi][k];
                let want = count(*n);
                let start = Instant::now();
                p.send(ch.to_string().as_bytes());
                let took = p.wait_rows("the search result", |rows| {
                    rows.get(top - 2).is_some_and(|r| {
                        r.contains(&format!(" {typed}")) && r.trim_end().ends_with(&want)
                    }) && first
                        .as_ref()
                        .is_none_or(|f| rows.get(top).is_some_and(|r| f.on(r, "▶ ")))
                }) - start;
                per_query[qi].push(took);
                all_keys.push(took);
            }
            p.send(b"\x1b");
            p.wait_rows("the full list again", |rows| {
                rows.get(top - 2)
                    .is_some_and(|r| r.trim_end().ends_with(&all))
            });
        }
    }
    p.send(b"q");
    p.wait_exit();
    summary.time(
        "pty: search keystroke -> settled screen, every key",
        &all_keys,
        Some(10.0),
    );
    for (q, times) in PTY_QUERIES.iter().zip(&per_query) {
        summary.time(&format!("  typing {q:?}"), times, None);
    }
    // The slowest key of each query, as staff feel the worst one.
    for (qi, q) in PTY_QUERIES.iter().enumerate() {
        let keys = q.chars().count();
        for k in 0..keys {
            let times: Vec<Duration> = per_query[qi]
                .iter()
                .skip(k)
                .step_by(keys)
                .copied()
                .collect();
            let typed: String = q.chars().take(k + 1).collect();
            summary.time(&format!("    {typed:?}"), &times, None);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The summary.

struct Summary {
    lines: Vec<String>,
    n: usize,
    test_mode: bool,
}

fn median<T: Copy + Ord>(v: &[T]) -> Option<T> {
    let mut s = v.to_vec();
    s.sort_unstable();
    s.get(s.len() / 2).copied()
}

fn percentile<T: Copy + Ord>(v: &[T], p: usize) -> Option<T> {
    let mut s = v.to_vec();
    s.sort_unstable();
    let i = (s.len() * p / 100).min(s.len().saturating_sub(1));
    s.get(i).copied()
}

fn verdict(value: f64, target: Option<f64>) -> String {
    match target {
        Some(t) if value <= t => "met".into(),
        Some(_) => "MISSED".into(),
        None => String::new(),
    }
}

impl Summary {
    fn new(n: usize, test_mode: bool) -> Summary {
        Summary {
            lines: Vec::new(),
            n,
            test_mode,
        }
    }

    /// Median, 90th percentile and count of `times`, against a target in milliseconds.
    /// False (and nothing added) when there are no times: the measurement was filtered out.
    fn time(&mut self, what: &str, times: &[Duration], target_ms: Option<f64>) -> bool {
        let (Some(med), Some(p90)) = (median(times), percentile(times, 90)) else {
            return false;
        };
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        self.lines.push(format!(
            "{what:<66} {:>10.3} ms  p90 {:>10.3} ms  n={:<5} {:>10} {}",
            ms(med),
            ms(p90),
            times.len(),
            target_ms.map_or(String::new(), |t| format!("<= {t} ms")),
            verdict(ms(med), target_ms)
        ));
        true
    }

    /// Median and maximum of byte counts, against a target.
    fn bytes(&mut self, what: &str, counts: &[usize], target: Option<usize>) {
        let (Some(med), Some(max)) = (median(counts), counts.iter().max()) else {
            return;
        };
        self.lines.push(format!(
            "{what:<66} {med:>10} B   max {max:>10} B   n={:<5} {:>10} {}",
            counts.len(),
            target.map_or(String::new(), |t| format!("<= {t} B")),
            verdict(med as f64, target.map(|t| t as f64))
        ));
    }

    fn note(&mut self, text: String) {
        self.lines.push(text);
    }

    fn print(&self) {
        println!();
        println!(
            "koppel TUI at {} volunteers, {COLS}x{ROWS}{} -- medians of per-iteration times",
            self.n,
            if self.test_mode {
                " (test mode: one run each)"
            } else {
                ""
            }
        );
        for l in &self.lines {
            println!("{l}");
        }
    }
}
