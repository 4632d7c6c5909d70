//! Crash test: nothing acknowledged is lost when koppel is killed mid-write.
//!
//! The test runs its own test binary again as a child process (selected by the environment
//! variable [`CHILD_STORE`]) that registers volunteers in a loop and prints `koppel-ack <id>`
//! on stdout, flushed, only after a save returned. The parent reads those lines, kills the
//! child with SIGKILL after a fixed but irregular number of acknowledgements, drains whatever
//! the child acknowledged before it died, and repeats that on the same store. Then it reopens
//! the store and checks that every acknowledged save is there, whole: the volunteer decodes to
//! exactly what was sent, its audit event (written in the same transaction) is there, and the
//! store check finds nothing wrong.
//!
//! While a child holds the store, the parent also checks that a second process cannot open it.
//!
//! Nothing sleeps: the parent only ever waits for the child's output or exit.
//! `KOPPEL_KILL_ROUNDS=<n>` runs more rounds than the default for a longer soak.

use koppel::clock::FixedClock;
use koppel::config::Config;
use koppel::demo;
use koppel::domain::audit::AuditEvent;
use koppel::domain::volunteer::Volunteer;
use koppel::service::{Account, Role, Service};
use koppel::store::kinds::audit::index as audit_index;
use koppel::store::kinds::volunteer_index;
use koppel::store::{Kind, Store, StoreError, exchange};
use std::io::{BufRead, BufReader, Write};
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Arc;
use time::Date;
use time::macros::{date, datetime};

/// Set in the child: the store directory to write to.
const CHILD_STORE: &str = "KOPPEL_KILL_TEST_STORE";
/// Set in the child: which round it is (seeds its volunteers).
const CHILD_ROUND: &str = "KOPPEL_KILL_TEST_ROUND";
/// Name of the test, to run exactly it in the child.
const TEST_NAME: &str = "acknowledged_saves_survive_sigkill";
/// Marks an acknowledgement line (libtest may print its own text on the same line).
const ACK: &str = "koppel-ack ";
/// Acknowledgements after which each round's child is killed.
const KILL_AFTER: [usize; 8] = [137, 311, 226, 389, 173, 254, 402, 198];
/// Most volunteers a child saves if nobody kills it.
const CHILD_LIMIT: usize = 100_000;

fn today() -> Date {
    date!(2026 - 11 - 27)
}

fn service(store: Store) -> Service {
    let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:00 +1)));
    Service::new(store, clock, Config::default())
}

/// The volunteers the child of `round` saves, in order.
fn people(round: u64) -> impl Iterator<Item = Volunteer> {
    demo::volunteers(
        CHILD_LIMIT,
        round,
        today(),
        &Config::default().municipalities,
    )
}

#[test]
fn acknowledged_saves_survive_sigkill() {
    if let Some(dir) = std::env::var_os(CHILD_STORE) {
        let round = std::env::var(CHILD_ROUND)
            .ok()
            .and_then(|r| r.parse().ok())
            .expect("round number");
        child(Path::new(&dir), round);
        return;
    }
    let rounds = std::env::var("KOPPEL_KILL_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(KILL_AFTER.len());
    let tmp = tempfile::tempdir().expect("temp dir");
    let dir = tmp.path().join("store");
    let exe = std::env::current_exe().expect("test binary");

    // (round, position in the round, id) of every acknowledged save.
    let mut acked: Vec<(u64, usize, u64)> = Vec::new();
    for round in 0..rounds {
        let kill_after = KILL_AFTER[round % KILL_AFTER.len()];
        let round = round as u64;
        let mut child = Command::new(&exe)
            .args(["--exact", TEST_NAME, "--nocapture", "--test-threads=1"])
            .env(CHILD_STORE, &dir)
            .env(CHILD_ROUND, round.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("child starts");
        let stdout = child.stdout.take().expect("child stdout");
        let mut seen = 0;
        let mut killed = false;
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("child output");
            let Some(at) = line.find(ACK) else { continue };
            let id: u64 = line[at + ACK.len()..].trim().parse().expect("an id");
            acked.push((round, seen, id));
            seen += 1;
            if round == 0 && seen == 1 {
                // The child holds the store: another process cannot open it.
                match Store::open(&dir) {
                    Err(StoreError::InUse { .. }) => {}
                    Err(other) => panic!("expected InUse, got {other}"),
                    Ok(_) => panic!("a second process opened the store"),
                }
            }
            if seen == kill_after && !killed {
                child.kill().expect("SIGKILL");
                killed = true;
                // Keep reading: lines written before the kill were acknowledged too.
            }
        }
        let status = child.wait().expect("child exits");
        assert_eq!(
            status.signal(),
            Some(libc::SIGKILL),
            "round {round}: the child was not killed but ended with {status} after {seen} saves"
        );
        assert!(
            seen >= kill_after,
            "round {round}: only {seen} acknowledgements"
        );
    }

    let store = Store::open(&dir).expect("reopens after the kills");
    let ids: Vec<u64> = acked.iter().map(|(_, _, id)| *id).collect();
    assert!(
        ids.windows(2).all(|w| w[0] < w[1]),
        "an acknowledged id was handed out again: a save was lost"
    );
    let mut expected = (0..rounds as u64).map(people).collect::<Vec<_>>();
    let mut next_position = vec![0usize; rounds];
    for &(round, position, id) in &acked {
        let sent = {
            let stream = &mut expected[round as usize];
            assert_eq!(next_position[round as usize], position);
            next_position[round as usize] += 1;
            stream.next().expect("the child's volunteer")
        };
        let by_name = store
            .find::<Volunteer>(&volunteer_index::NAME_BIRTH, &sent.name_birth_key())
            .expect("index");
        assert!(
            by_name.contains(&id),
            "acknowledged volunteer {id} is not indexed"
        );
        let saved = store
            .get::<Volunteer>(id)
            .unwrap_or_else(|e| panic!("volunteer {id}: {e}"))
            .unwrap_or_else(|| panic!("acknowledged volunteer {id} is lost"));
        assert_eq!(saved.data, sent, "volunteer {id} is not what was saved");
        let subject = format!("volunteer/{id}");
        let audit = store
            .find::<AuditEvent>(&audit_index::SUBJECT, &subject)
            .expect("index");
        assert_eq!(audit.len(), 1, "audit event of {subject}");
        let event = store
            .get::<AuditEvent>(audit[0])
            .expect("audit decodes")
            .expect("audit present");
        assert_eq!(event.data.action, "register_intake");
        // The reference to the person landed in the same transaction.
        assert_eq!(
            store.about_person(id).expect("references"),
            vec![(Kind::Audit, audit[0])],
            "references of {subject}"
        );
    }
    assert!(store.count::<Volunteer>() >= acked.len());
    let report = exchange::check(&store).expect("check runs");
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

/// Saves volunteers until killed, acknowledging each after its save returned.
fn child(dir: &Path, round: u64) {
    let service = service(Store::open(dir).expect("child opens the store"));
    let who = Account {
        name: "kill-test".into(),
        role: Role::Admin,
    };
    let mut out = std::io::stdout().lock();
    for v in people(round) {
        // save_anyway: demo people may share a name; this is about durability, not duplicates.
        let saved = match service.register_intake(&who, v, true) {
            Ok(saved) => saved,
            Err(e) => {
                eprintln!("child: save failed: {e}");
                std::process::exit(2);
            }
        };
        // If the parent went away there is nobody to tell: stop.
        if writeln!(out, "{ACK}{}", saved.meta.id)
            .and_then(|()| out.flush())
            .is_err()
        {
            std::process::exit(0);
        }
    }
}

/// Set in an import child: the file to import.
const CHILD_IMPORT: &str = "KOPPEL_KILL_TEST_IMPORT";
/// Name of the import crash test, to run exactly it in the child.
const IMPORT_TEST_NAME: &str = "an_import_killed_between_batches_leaves_nothing_or_everything";
/// Marks a batch written by the import child.
const BATCH: &str = "koppel-batch ";

/// An import is written in durable batches behind a pending mark: a SIGKILL after any batch
/// (the kill lands while the next one is being written) must leave nothing of the import, or
/// all of it, when the store is opened again. Each round imports into a new store and kills
/// the child after a different number of batches. `KOPPEL_IMPORT_KILL_ROUNDS=<n>` runs more.
#[test]
fn an_import_killed_between_batches_leaves_nothing_or_everything() {
    if let (Some(dir), Some(file)) = (
        std::env::var_os(CHILD_STORE),
        std::env::var_os(CHILD_IMPORT),
    ) {
        import_child(Path::new(&dir), Path::new(&file));
        return;
    }
    let rounds: usize = std::env::var("KOPPEL_IMPORT_KILL_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(4);
    let tmp = tempfile::tempdir().expect("temp dir");
    let n = 2 * exchange::IMPORT_BATCH + 300;
    let file = tmp.path().join("all.jsonl");
    let expected = {
        let source = service(Store::open(&tmp.path().join("source")).expect("source"));
        let who = Account {
            name: "kill-test".into(),
            role: Role::Admin,
        };
        demo::fill(&source, &who, n, 5).expect("demo data");
        let mut out = Vec::new();
        source.export_all(&who, &mut out).expect("export");
        std::fs::write(&file, &out).expect("export file");
        exchange::import(
            &Store::open(&tmp.path().join("whole")).expect("whole"),
            &mut out.as_slice(),
            &koppel::config::Config::default().rules(today()),
            &koppel::store::Stamp {
                by: "t".into(),
                at: datetime!(2026-11-27 10:00 UTC),
            },
            false,
            None,
        )
        .expect("the file imports")
        .counts
    };
    let batches = expected.iter().map(|(_, c)| *c).sum::<u64>() as usize / exchange::IMPORT_BATCH;
    let exe = std::env::current_exe().expect("test binary");
    let (mut nothing, mut everything) = (0, 0);
    for round in 0..rounds {
        let kill_after = 1 + round % batches.max(1);
        let dir = tmp.path().join(format!("round-{round}"));
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                IMPORT_TEST_NAME,
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_STORE, &dir)
            .env(CHILD_IMPORT, &file)
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("child starts");
        let stdout = child.stdout.take().expect("child stdout");
        let mut seen = 0;
        for line in BufReader::new(stdout).lines() {
            let line = line.expect("child output");
            if line.contains(BATCH) {
                seen += 1;
                if seen == kill_after {
                    child.kill().expect("SIGKILL");
                }
            }
        }
        child.wait().expect("child exits");
        let store = Store::open(&dir).expect("reopens after the kill");
        let report = exchange::check(&store).expect("check runs");
        assert!(
            report.problems.is_empty(),
            "round {round}: {:?}",
            report.problems
        );
        let total: u64 = report.counts.iter().map(|(_, c)| *c).sum();
        if total == 0 {
            nothing += 1;
        } else {
            // Everything: every kind as in the file.
            for ((kind, got), (_, want)) in report.counts.iter().zip(&expected) {
                assert_eq!(
                    got, want,
                    "round {round}: {kind} after a kill: a partial import"
                );
            }
            everything += 1;
        }
        drop(store);
        let _ = std::fs::remove_dir_all(&dir);
    }
    eprintln!("{rounds} import rounds killed: {nothing} left nothing, {everything} everything");
    assert_eq!(nothing + everything, rounds);
}

/// Imports `file` into the store at `dir`, printing a line after every durable batch.
fn import_child(dir: &Path, file: &Path) {
    let store = Store::open(dir).expect("child opens the store");
    let text = std::fs::read(file).expect("the file");
    let mut out = std::io::stdout().lock();
    let result = exchange::import_with_progress(
        &store,
        &mut text.as_slice(),
        &koppel::config::Config::default().rules(today()),
        &koppel::store::Stamp {
            by: "kill-test".into(),
            at: datetime!(2026-11-27 10:00 UTC),
        },
        false,
        None,
        &mut |written| {
            let _ = writeln!(out, "{BATCH}{written}").and_then(|()| out.flush());
        },
    );
    if let Err(e) = result {
        eprintln!("child: import failed: {e}");
        std::process::exit(2);
    }
}
