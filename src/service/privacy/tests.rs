//! Anonymisation and erasure as the administrator relies on them: reports stay the same,
//! nothing that identifies the person is left, the audit chain still verifies, and nobody
//! else's data changes.

use super::*;
use crate::clock::FixedClock;
use crate::config::Config;
use crate::domain::audit::AuditEvent;
use crate::domain::note::Note;
use crate::domain::placement::Placement;
use crate::domain::privacy::REMOVED;
use crate::domain::trajectory::Trajectory;
use crate::domain::volunteer::Status;
use crate::readmodel::SharedModel;
use crate::report::Report;
use crate::report::render::{CsvOptions, Format, render};
use crate::service::Role;
use crate::store::{Store, Stored};
use std::sync::Arc;
use time::macros::datetime;

struct Fx {
    s: Service,
    _dir: tempfile::TempDir,
}

fn admin() -> Account {
    Account {
        name: "beheer".into(),
        role: Role::Admin,
    }
}

fn fixture() -> Fx {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("s")).unwrap();
    let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)));
    let s = Service::new(store, clock, Config::default());
    crate::demo::fill(&s, &admin(), 200, 7).unwrap();
    Fx { s, _dir: dir }
}

impl Fx {
    /// A person with a trajectory and a placement (the most there is about anyone), whose
    /// record was changed once since (an audit entry about them).
    fn busy_person(&self) -> u64 {
        let id = self.busy_person_as_filled();
        let v = self.person(id);
        // Unlike anyone else in the demo data.
        let mut data = v.data.clone();
        data.name = crate::domain::PersonName::new("Zwaantje", "ter", "Quist-Oudeboom");
        data.address = "Pottenbakkerssingel 731".into();
        data.email = "zwaantje.quist@voorbeeld.nl".into();
        data.phone = "0612349876".into();
        data.notes = format!("{} Belt liever na vijven.", data.notes);
        self.s
            .update_volunteer(&admin(), id, v.meta.revision, data)
            .unwrap();
        id
    }

    fn busy_person_as_filled(&self) -> u64 {
        let placed: std::collections::BTreeSet<u64> = self
            .s
            .store
            .scan::<Placement>()
            .map(|p| p.unwrap().data.volunteer)
            .collect();
        self.s
            .store
            .scan::<Trajectory>()
            .map(|t| t.unwrap().data.person)
            .find(|p| placed.contains(p))
            .expect("a demo person with a trajectory and a placement")
    }

    fn person(&self, id: u64) -> Stored<Volunteer> {
        self.s.store.get::<Volunteer>(id).unwrap().unwrap()
    }

    fn export(&self) -> String {
        let mut out = Vec::new();
        self.s.export_all(&admin(), &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    /// Every report the centre may have sent, as JSON: the weeks of this year so far, the
    /// months, quarters and years.
    fn reports(&self) -> Vec<Vec<u8>> {
        let model = SharedModel::load_now(&self.s.store);
        let mut periods: Vec<Period> = (1..=48).map(|w| Period::week(2026, w).unwrap()).collect();
        periods.extend((1..=4).map(|q| Period::Quarter {
            year: 2026,
            quarter: q,
        }));
        periods.extend([Period::Year(2024), Period::Year(2025), Period::Year(2026)]);
        let out = periods
            .into_iter()
            .map(|p| {
                let r = Report::compute(&model.read(), p);
                render(
                    &r,
                    Format::Json,
                    crate::i18n::Lang::Nl,
                    CsvOptions::default(),
                )
            })
            .collect();
        model.shutdown();
        out
    }
}

use crate::domain::period::Period;

/// What identifies `v`, as stored and as exported.
fn identifying(v: &Volunteer) -> Vec<String> {
    let mut out = vec![
        v.name.full(),
        v.name.filed(),
        v.birth_date.to_string(),
        v.address.clone(),
        v.postcode.clone(),
    ];
    out.extend(
        [v.phone.clone(), v.email.clone()]
            .into_iter()
            .filter(|s| !s.is_empty()),
    );
    out
}

#[test]
fn anonymising_a_person_keeps_every_report_byte_for_byte() {
    let f = fixture();
    let person = f.busy_person();
    let before = f.reports();
    let done =
        f.s.anonymise_person(&admin(), person, "Bewaartermijn verstreken")
            .unwrap();
    assert!(done.records.contains(&(Kind::Volunteer, person)));
    assert!(done.records.iter().any(|(k, _)| *k == Kind::Trajectory));
    assert!(done.records.iter().any(|(k, _)| *k == Kind::Placement));
    assert!(done.redacted > 0);
    let after = f.reports();
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(String::from_utf8_lossy(b), String::from_utf8_lossy(a));
    }
}

#[test]
fn anonymising_every_person_keeps_every_report_byte_for_byte() {
    let f = fixture();
    let before = f.reports();
    let ids: Vec<u64> =
        f.s.store
            .scan::<Volunteer>()
            .map(|v| v.unwrap().meta.id)
            .collect();
    for id in ids {
        f.s.anonymise_person(&admin(), id, "test").unwrap();
    }
    assert_eq!(f.reports(), before);
    // Nothing is left to list or search, everything is still counted.
    let model = SharedModel::load_now(&f.s.store);
    assert!(model.read().volunteers().all().iter().all(|r| r.anonymised));
    assert!(model.read().volunteers().haystacks().parts().0.is_empty());
    model.shutdown();
}

#[test]
fn erasure_leaves_nothing_that_identifies_the_person_and_the_chain_verifies() {
    let f = fixture();
    let person = f.busy_person();
    let v = f.person(person).data;
    let other_id = if person == 1 { 2 } else { 1 };
    let other = f.person(other_id);
    // A knowledge note that names them, written by a colleague.
    let note = Note {
        title: format!("Gesprek met {}", v.name.full()),
        body: format!("Bel {} terug op {}.", v.name.given, v.email),
        tags: vec!["nazorg".into()],
        basic_function: crate::domain::contact::BasicFunction::Verbinden,
    };
    let note = f.s.write_note(&admin(), note).unwrap();
    // Reading the case notes logs a read with the reason.
    let before_export = f.export();
    for s in [
        &v.name.family,
        &v.email,
        &v.phone,
        &v.address,
        &v.birth_date.to_string(),
    ] {
        assert!(
            before_export.contains(s.as_str()),
            "{s} is in the export before"
        );
    }

    let done =
        f.s.erase_person(&admin(), person, "Verzoek van betrokkene (AVG art. 17)")
            .unwrap();
    assert!(done.scrubbed.contains(&(Kind::Note, note.meta.id)));

    let export = f.export();
    for s in identifying(&v) {
        assert!(!export.contains(&s), "{s} is still in the export");
    }
    let note = f.s.store.get::<Note>(note.meta.id).unwrap().unwrap().data;
    assert_eq!(note.title, format!("Gesprek met {REMOVED}"));
    assert!(note.body.contains(REMOVED));
    // The chain verifies; the erasure itself is an entry with its reason and no person.
    let chain = f.s.verify_audit(&admin()).unwrap();
    assert!(chain.problems.is_empty(), "{:?}", chain.problems);
    let last: AuditEvent = f.s.store.scan::<AuditEvent>().last().unwrap().unwrap().data;
    assert_eq!(last.action, ERASE_ACTION);
    assert_eq!(last.actor, "beheer");
    assert_eq!(last.detail, "Verzoek van betrokkene (AVG art. 17)");
    assert_eq!(last.person, None);
    // Nothing about them is left in the audit trail but that entry.
    assert!(
        f.s.store
            .about_person(person)
            .unwrap()
            .iter()
            .all(|(k, _)| *k != Kind::Audit)
    );
    // The person is kept anonymous for the counts; the other person is untouched.
    let stub = f.person(person).data;
    assert_eq!(stub.anonymised, Some(time::macros::date!(2026 - 11 - 27)));
    assert_eq!(stub.municipality, v.municipality);
    assert_eq!(stub.target_groups(), v.target_groups());
    assert_eq!(f.person(other_id), other);
    // A clean check: indexes, references and summaries follow.
    let report = f.s.check(&admin()).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
}

#[test]
fn erasing_a_person_removes_the_access_exports_kept_about_them_and_no_others() {
    let f = fixture();
    let person = f.busy_person();
    let dir = f.s.access_export_dir().unwrap();
    // Theirs, and those of a person whose number starts with theirs.
    let theirs = [
        format!("access-{person}-2026-11-27-103000.md"),
        format!("access-{person}-2026-11-27-103000.json"),
    ];
    let others = [format!("access-{person}0-2026-11-27-103000.md")];
    for name in theirs.iter().chain(&others) {
        std::fs::write(dir.join(name), "Zwaantje ter Quist-Oudeboom").unwrap();
    }
    f.s.erase_person(&admin(), person, "verzoek van betrokkene")
        .unwrap();
    for name in &theirs {
        assert!(!dir.join(name).exists(), "{name} is still there");
    }
    for name in &others {
        assert!(dir.join(name).exists(), "{name} went too");
    }
}

#[test]
fn a_wrong_person_or_no_reason_is_refused_and_nothing_is_written() {
    let f = fixture();
    let before = f.export();
    let r = f.s.erase_person(&admin(), 999_999, "reden");
    assert!(
        matches!(r, Err(ServiceError::NoPerson { id: 999_999 })),
        "{r:?}"
    );
    let r = f.s.anonymise_person(&admin(), 1, "   ");
    assert!(matches!(r, Err(ServiceError::Invalid(_))), "{r:?}");
    let r =
        f.s.anonymise_record(&admin(), Kind::Trajectory, 999_999, "reden");
    assert!(matches!(r, Err(ServiceError::NotFound { .. })), "{r:?}");
    assert_eq!(f.export(), before);
}

#[test]
fn only_administrators_erase_and_anonymise() {
    let f = fixture();
    let before = f.export();
    for role in [Role::Intake, Role::Consultant, Role::Coordinator] {
        let who = Account {
            name: "x".into(),
            role,
        };
        assert!(matches!(
            f.s.erase_person(&who, 1, "reden"),
            Err(ServiceError::Forbidden { .. })
        ));
        assert!(matches!(
            f.s.anonymise_person(&who, 1, "reden"),
            Err(ServiceError::Forbidden { .. })
        ));
    }
    assert_eq!(f.export(), before);
}

#[test]
fn an_anonymised_person_cannot_be_edited_and_anonymising_again_changes_nothing() {
    let f = fixture();
    let person = f.busy_person();
    f.s.anonymise_person(&admin(), person, "reden").unwrap();
    let v = f.person(person);
    let r =
        f.s.change_status(&admin(), person, v.meta.revision, Status::Inactive);
    assert!(matches!(r, Err(ServiceError::Anonymised { .. })), "{r:?}");
    let again = f.s.anonymise_person(&admin(), person, "reden").unwrap();
    assert!(again.records.is_empty() && again.redacted == 0, "{again:?}");
    assert_eq!(f.person(person), v);
}

#[test]
fn one_closed_trajectory_is_anonymised_on_its_own() {
    let f = fixture();
    let t =
        f.s.store
            .scan::<Trajectory>()
            .map(|t| t.unwrap())
            .find(|t| t.data.closed_on.is_some())
            .expect("a closed demo trajectory");
    let before = f.reports();
    let done =
        f.s.anonymise_record(
            &admin(),
            Kind::Trajectory,
            t.meta.id,
            "Twee jaar na afsluiten",
        )
        .unwrap();
    assert_eq!(done.records, vec![(Kind::Trajectory, t.meta.id)]);
    let after =
        f.s.store
            .get::<Trajectory>(t.meta.id)
            .unwrap()
            .unwrap()
            .data;
    assert!(after.person_name.is_empty());
    assert!(after.meetings.iter().all(|m| m.summary.is_empty()));
    assert_eq!(after.outcome, t.data.outcome);
    assert_eq!(after.ladder.len(), t.data.ladder.len());
    assert_eq!(f.reports(), before);
    // Again: nothing to do, nothing written.
    let n = f.s.store.count::<AuditEvent>();
    let again =
        f.s.anonymise_record(&admin(), Kind::Trajectory, t.meta.id, "nogmaals")
            .unwrap();
    assert!(again.is_empty());
    assert_eq!(f.s.store.count::<AuditEvent>(), n);
}

#[test]
fn an_anonymised_store_exports_and_imports_whole() {
    let f = fixture();
    let person = f.busy_person();
    f.s.erase_person(&admin(), person, "reden").unwrap();
    let export = f.export();
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("t")).unwrap();
    let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)));
    let t = Service::new(store, clock, Config::default());
    t.import(&admin(), &mut export.as_bytes(), false).unwrap();
    let v = t.store.get::<Volunteer>(person).unwrap().unwrap();
    assert!(v.data.anonymised.is_some());
    let chain = t.verify_audit(&admin()).unwrap();
    assert!(chain.problems.is_empty(), "{:?}", chain.problems);
}

/// Every file under `dir`, read whole.
fn raw_files(dir: &std::path::Path) -> Vec<(std::path::PathBuf, Vec<u8>)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() {
            out.extend(raw_files(&p));
        } else {
            out.push((p.clone(), std::fs::read(&p).unwrap()));
        }
    }
    out
}

fn raw_has(files: &[(std::path::PathBuf, Vec<u8>)], needle: &str) -> Option<std::path::PathBuf> {
    files
        .iter()
        .find(|(_, bytes)| memchr::memmem::find(bytes, needle.as_bytes()).is_some())
        .map(|(p, _)| p.clone())
}

#[test]
fn after_erasure_and_compaction_no_file_of_the_store_holds_the_person() {
    let f = fixture();
    let person = f.busy_person();
    let v = f.person(person).data;
    let dir = f.s.store.path().to_path_buf();
    // As stored: the name as the name index folds it, the birth date as the duplicate check
    // indexes it, the contact details.
    let needles = vec![
        v.name.normalised(),
        v.name.family.clone(),
        v.name_birth_key(),
        v.address.clone(),
        v.email.clone(),
        v.phone.clone(),
    ];
    f.s.backup_now(&admin()).unwrap();
    let files = raw_files(&dir);
    for n in &needles {
        assert!(
            raw_has(&files, n).is_some(),
            "{n} is in the store's files before"
        );
    }
    f.s.erase_person(&admin(), person, "Verzoek van betrokkene")
        .unwrap();
    let done = f.s.compact(&admin()).unwrap();
    assert!(done.entries > 0);
    // Writes after the compaction go nowhere: this handle is closed.
    assert!(matches!(
        f.s.anonymise_person(&admin(), 1, "x"),
        Err(ServiceError::Closed)
    ));
    let files: Vec<_> = raw_files(&dir)
        .into_iter()
        // The backup written before the erasure keeps them until it expires (README).
        .filter(|(p, _)| !p.starts_with(dir.join("backups")))
        .collect();
    for n in &needles {
        assert_eq!(
            raw_has(&files, n),
            None,
            "{n} is still in the store's files"
        );
    }
    // The backups came along; nothing is left beside the store.
    assert!(dir.join("backups").read_dir().unwrap().next().is_some());
    let parent = dir.parent().unwrap();
    let beside: Vec<_> = std::fs::read_dir(parent)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, vec!["s".to_string()]);
    // The compacted store opens, checks clean and still holds everyone else.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let store = loop {
        match Store::open(&dir) {
            Ok(s) => break s,
            Err(_) if std::time::Instant::now() < deadline => std::thread::yield_now(),
            Err(e) => panic!("{e}"),
        }
    };
    let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)));
    let s = Service::new(store, clock, Config::default());
    let report = s.check(&admin()).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    assert_eq!(s.store.count::<Volunteer>(), 200);
    let last = s.store.scan::<AuditEvent>().last().unwrap().unwrap().data;
    assert_eq!(last.action, COMPACT_ACTION);
}

/// Opens the store at `dir` again (waiting while the handle just dropped still holds sled's
/// lock) as a service.
fn reopen(dir: &std::path::Path) -> Service {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    let store = loop {
        match Store::open(dir) {
            Ok(s) => break s,
            Err(_) if std::time::Instant::now() < deadline => std::thread::yield_now(),
            Err(e) => panic!("{e}"),
        }
    };
    let clock = Arc::new(FixedClock(datetime!(2026-11-27 10:30 +01:00)));
    Service::new(store, clock, Config::default())
}

#[test]
fn an_erasure_leaves_a_compaction_due_that_outlives_the_process_until_one_runs() {
    let f = fixture();
    let dir = f.s.store.path().to_path_buf();
    assert!(!f.s.compaction_due().unwrap(), "a fresh store owes nothing");
    // Nothing due: nothing is compacted and nothing written.
    let audit = f.s.store.count::<AuditEvent>();
    assert_eq!(f.s.compact_if_due(&admin()).unwrap(), None);
    assert_eq!(f.s.store.count::<AuditEvent>(), audit);
    let person = f.busy_person();
    f.s.erase_person(&admin(), person, "Verzoek van betrokkene")
        .unwrap();
    assert!(f.s.compaction_due().unwrap());
    // The mark is in the store, not in this process: it is there after a reopen.
    f.s.store.close().unwrap();
    let Fx { s, _dir } = f;
    drop(s);
    let s = reopen(&dir);
    assert!(s.compaction_due().unwrap());
    // Any account finishes it (an intake worker owning the server, say).
    let intake = Account {
        name: "fatima".into(),
        role: Role::Intake,
    };
    let done = s.compact_if_due(&intake).unwrap().expect("compacted");
    assert!(done.entries > 0);
    drop(s);
    let s = reopen(&dir);
    assert!(
        !s.compaction_due().unwrap(),
        "the compacted store owes nothing"
    );
    let report = s.check(&admin()).unwrap();
    assert!(report.problems.is_empty(), "{:?}", report.problems);
    let last = s.store.scan::<AuditEvent>().last().unwrap().unwrap().data;
    assert_eq!(
        (last.action.as_str(), last.actor.as_str()),
        (COMPACT_ACTION, "fatima")
    );
}

#[test]
fn anonymising_leaves_a_compaction_due_and_anonymising_nothing_does_not() {
    let f = fixture();
    let person = f.busy_person();
    f.s.anonymise_person(&admin(), person, "Bewaartermijn verstreken")
        .unwrap();
    assert!(f.s.compaction_due().unwrap());

    let g = fixture();
    let (kind, id) = (Kind::Contact, 1);
    g.s.anonymise_record(&admin(), kind, id, "Bewaartermijn verstreken")
        .unwrap();
    assert!(g.s.compaction_due().unwrap());
    let h = fixture();
    // A kind without personal data: nothing written, nothing due.
    let done =
        h.s.anonymise_record(&admin(), Kind::Organisation, 1, "Bewaartermijn verstreken")
            .unwrap();
    assert!(done.is_empty());
    assert!(!h.s.compaction_due().unwrap());
}

#[test]
fn a_compaction_cut_off_after_the_swap_leaves_one_due() {
    let f = fixture();
    let dir = f.s.store.path().to_path_buf();
    assert!(!f.s.compaction_due().unwrap());
    // What a compaction killed after the swap leaves beside the store: the old store's
    // folder, without the copy marker, still holding what was erased.
    let old = dir
        .parent()
        .unwrap()
        .join(format!("{}s-killed", crate::store::compact::PREFIX));
    std::fs::create_dir(&old).unwrap();
    std::fs::write(old.join("db"), b"old versions").unwrap();
    assert!(f.s.compaction_due().unwrap());
    f.s.compact_if_due(&admin()).unwrap().expect("compacted");
    assert!(!old.exists(), "the leftover is cleared up");
}
