//! `koppel user …` on the real binary: staff accounts, their keys, who the local user is, in
//! both languages, with the exit codes of the README.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

const KEY: &str =
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDrtXW3WxbjKmUTFNmY84ofxf0A8Ec9dYAsulAVo0TVb test@example";
/// What `ssh-keygen -lf` says of [`KEY`].
const FINGERPRINT: &str = "SHA256:kaSnovUU9eGiRcFTij60oy8jtQwOro9c/TNgyeA2ig4";

fn koppel(user: &str, lang: &str) -> Command {
    let mut cmd = Command::cargo_bin("koppel").expect("the koppel binary is built by cargo test");
    cmd.env("LANG", lang)
        .env("USER", user)
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("KOPPEL_DATA")
        .env("KOPPEL_CONFIG", "/nonexistent/koppel-config.toml");
    cmd
}

fn en(user: &str) -> Command {
    koppel(user, "C.UTF-8")
}

fn init(dir: &Path) {
    en("beheer")
        .arg("init")
        .arg("--data")
        .arg(dir)
        .assert()
        .success();
}

fn user(who: &str, dir: &Path, args: &[&str]) -> assert_cmd::assert::Assert {
    en(who)
        .arg("user")
        .args(args)
        .arg("--data")
        .arg(dir)
        .assert()
}

#[test]
fn an_administrator_adds_lists_and_changes_accounts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    init(&dir);
    let keyfile = tmp.path().join("anna.pub");
    std::fs::write(&keyfile, format!("{KEY}\n")).unwrap();
    user(
        "beheer",
        &dir,
        &[
            "add",
            "anna",
            "--role",
            "consultant",
            "--display",
            "Anna de Vries",
        ],
    )
    .success()
    .stdout(predicate::str::contains(
        "Added anna (Anna de Vries) as consultant.",
    ));
    user("beheer", &dir, &["add-key", "anna"])
        .code(2)
        .stderr(predicate::str::contains("Something is missing"));
    user(
        "beheer",
        &dir,
        &["add-key", "anna", keyfile.to_str().unwrap()],
    )
    .success()
    .stdout(predicate::str::contains(format!(
        "Added the key {FINGERPRINT} to anna."
    )));
    // The first user of the store became its administrator; the list shows both, the key's
    // fingerprint under anna.
    user("beheer", &dir, &["list"])
        .success()
        .stdout(predicate::str::contains(
            "beheer  beheer  (administrator; no SSH keys)",
        ))
        .stdout(predicate::str::contains(
            "anna    Anna de Vries  (consultant; 1 SSH key)",
        ))
        .stdout(predicate::str::contains(format!(
            "{FINGERPRINT} ssh-ed25519 test@example"
        )));
    user("beheer", &dir, &["set-role", "anna", "coordinator"])
        .success()
        .stdout(predicate::str::contains("anna is now coordinator."));
    user("beheer", &dir, &["remove-key", "anna", "test@example"])
        .success()
        .stdout(predicate::str::contains(format!(
            "Removed the key {FINGERPRINT} from anna."
        )));
    // anna acts as herself now: a coordinator, who may check the store but not add people.
    en("anna")
        .arg("check")
        .arg("--data")
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("2 staff accounts"));
    user("anna", &dir, &["add", "bert", "--role", "intake"])
        .code(1)
        .stderr(predicate::str::contains(
            "Your role (coordinator) is not allowed to manage staff accounts.",
        ));
    user("beheer", &dir, &["deactivate", "anna"])
        .success()
        .stdout(predicate::str::contains("anna is deactivated"));
    en("anna")
        .arg("check")
        .arg("--data")
        .arg(&dir)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "Your staff account anna is deactivated.",
        ));
    user("beheer", &dir, &["list"])
        .success()
        .stdout(predicate::str::contains(
            "(coordinator; no SSH keys) — deactivated",
        ));
}

#[test]
fn mistakes_are_one_clear_sentence_and_change_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    init(&dir);
    user("beheer", &dir, &["add", "Anna Smit", "--role", "intake"])
        .code(1)
        .stderr(predicate::str::contains(
            "A login name has only lowercase letters",
        ));
    user("beheer", &dir, &["add", "anna", "--role", "boss"])
        .code(2)
        .stderr(predicate::str::contains(
            "\"boss\" is not a role; use intake, consultant, coordinator or admin.",
        ));
    user(
        "beheer",
        &dir,
        &[
            "add",
            "anna",
            "--role",
            "intake",
            "--key",
            "ssh-ed25519 AAAAnope x",
        ],
    )
    .code(1)
    .stderr(predicate::str::contains("This is not an SSH public key."));
    user(
        "beheer",
        &dir,
        &[
            "add",
            "anna",
            "--role",
            "intake",
            "--key",
            "/nonexistent/anna.pub",
        ],
    )
    .code(1)
    .stderr(predicate::str::contains(
        "The key file /nonexistent/anna.pub cannot be read",
    ));
    user(
        "beheer",
        &dir,
        &["add", "anna", "--role", "intake", "--key", KEY],
    )
    .success();
    user("beheer", &dir, &["add", "anna", "--role", "intake"])
        .code(1)
        .stderr(predicate::str::contains(
            "There is already an account with this login name.",
        ));
    user(
        "beheer",
        &dir,
        &["add", "bert", "--role", "intake", "--key", KEY],
    )
    .code(1)
    .stderr(predicate::str::contains(
        "The account anna already logs in with this key",
    ));
    user("beheer", &dir, &["set-role", "nobody", "admin"])
        .code(1)
        .stderr(predicate::str::contains(
            "There is no account named nobody.",
        ));
    user("beheer", &dir, &["remove-key", "anna", "SHA256:abc"])
        .code(1)
        .stderr(predicate::str::contains("The account has no key with that"));
    user("beheer", &dir, &["deactivate", "beheer"])
        .code(1)
        .stderr(predicate::str::contains(
            "This is the last active administrator",
        ));
    // Someone the store does not know is told how to get an account.
    user("carla", &dir, &["list"])
        .code(1)
        .stderr(predicate::str::contains(
            "There is no staff account named carla in this store",
        ))
        .stderr(predicate::str::contains(
            "koppel user add carla --role ROLE",
        ));
    // None of it changed the accounts.
    user("beheer", &dir, &["list"])
        .success()
        .stdout(predicate::str::contains("beheer").and(predicate::str::contains("anna")))
        .stdout(predicate::str::contains("bert").not());
    // A mistyped store path creates nothing.
    let wrong = tmp.path().join("nope");
    user("beheer", &wrong, &["list"]).code(1);
    assert!(!wrong.exists());
}

#[test]
fn the_user_commands_speak_dutch_too() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    init(&dir);
    let nl = |args: &[&str]| {
        koppel("beheer", "nl_NL.UTF-8")
            .arg("user")
            .args(args)
            .arg("--data")
            .arg(&dir)
            .assert()
    };
    nl(&["add", "anna", "--role", "consultant"])
        .success()
        .stdout(predicate::str::contains(
            "anna (anna) is toegevoegd als trajectbegeleider.",
        ));
    nl(&["add", "anna", "--role", "intake"])
        .code(1)
        .stderr(predicate::str::contains(
            "Er is al een account met deze inlognaam.",
        ));
    nl(&["list"])
        .success()
        .stdout(predicate::str::contains("(beheerder; geen SSH-sleutels)"));
    koppel("beheer", "nl_NL.UTF-8")
        .args(["user", "add", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Een medewerkersaccount toevoegen"))
        .stdout(predicate::str::contains("De naam die collega's zien"));
    en("beheer")
        .args(["user", "remove-key", "--help"])
        .assert()
        .success()
        .stdout(predicate::str::contains("The key's fingerprint (SHA256:…)"));
}

#[test]
fn an_export_carries_the_accounts_into_a_new_store() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    en("beheer")
        .args(["demo", "--no-tui", "--volunteers", "3", "--data"])
        .arg(&dir)
        .assert()
        .success();
    user("beheer", &dir, &["add-key", "marloes", KEY]).success();
    let file = tmp.path().join("out.jsonl");
    en("beheer")
        .args(["export", "--output"])
        .arg(&file)
        .arg("--data")
        .arg(&dir)
        .assert()
        .success()
        .stdout(predicate::str::contains("14 staff accounts"));
    let text = std::fs::read_to_string(&file).unwrap();
    let staff: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap())
        .filter(|v| v["kind"] == "staff")
        .collect();
    assert_eq!(staff[0]["data"]["login"], "beheer");
    assert_eq!(staff[0]["data"]["role"], "admin");
    let marloes = staff
        .iter()
        .find(|s| s["data"]["login"] == "marloes")
        .unwrap();
    assert_eq!(marloes["data"]["role"], "consultant");
    assert_eq!(marloes["data"]["keys"][0]["fingerprint"], FINGERPRINT);
    // Imported elsewhere, the accounts come along and beheer is still the administrator.
    let other = tmp.path().join("t");
    en("beheer")
        .arg("import")
        .arg(&file)
        .arg("--data")
        .arg(&other)
        .assert()
        .success()
        .stdout(predicate::str::contains("14 staff accounts"));
    user("beheer", &other, &["list"])
        .success()
        .stdout(predicate::str::contains("marloes"))
        .stdout(predicate::str::contains(FINGERPRINT));
    en("beheer")
        .arg("check")
        .arg("--data")
        .arg(&other)
        .assert()
        .success();
    // A staff line whose key another account has is refused, naming the line.
    let twice = text.replace(
        "\"keys\":[],\"login\":\"sander\"",
        &format!("\"keys\":{},\"login\":\"sander\"", marloes["data"]["keys"]),
    );
    assert_ne!(twice, text, "the demo has sander without keys");
    let bad = tmp.path().join("bad.jsonl");
    std::fs::write(&bad, twice).unwrap();
    en("beheer")
        .arg("import")
        .arg(&bad)
        .arg("--data")
        .arg(tmp.path().join("u"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!(
            "Another staff account already has {FINGERPRINT}."
        )));
}
