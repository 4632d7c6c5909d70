//! Tests of keymap loading, checking, merging and lookup. The core-binding test is the
//! contract of product.md's keyboard table.

use super::*;
use crate::ui::keys::parse_keys;
use proptest::prelude::*;

const LIST: [Context; 3] = [Context::List, Context::Navigation, Context::Global];
const VIEW: [Context; 3] = [Context::View, Context::Navigation, Context::Global];
const FORM: [Context; 2] = [Context::Form, Context::Global];
const DIALOG: [Context; 2] = [Context::Dialog, Context::Global];
const FILTER: [Context; 2] = [Context::Filter, Context::Global];
const HELP: [Context; 2] = [Context::Help, Context::Global];
const PALETTE: [Context; 2] = [Context::Palette, Context::Global];

/// Feeds `keys` with a fresh sequencer; the result of the last key.
fn press(km: &Keymap, contexts: &[Context], keys: &str) -> Feed {
    let mut seq = KeySequencer::new();
    let mut last = Feed::Unbound;
    for k in parse_keys(keys).unwrap() {
        last = seq.feed(km, contexts, k);
    }
    last
}

/// Asserts that each `(contexts, keys, action)`: pressing the keys there runs the action.
fn expect_actions(km: &Keymap, cases: &[(&[Context], &str, Action)]) {
    for (contexts, keys, action) in cases {
        assert_eq!(
            press(km, contexts, keys),
            Feed::Action(*action),
            "{keys} in {contexts:?}"
        );
    }
}

fn shipped(name: &str) -> Keymap {
    Keymap::shipped(name).unwrap_or_else(|e| panic!("{e}"))
}

/// Every mistake found in `src`, by line.
fn errors(src: &str) -> Vec<KeymapError> {
    match Keymap::from_toml("my", "keymaps/my.toml", src) {
        Ok(_) => panic!("accepted:\n{src}"),
        Err(e) => e.errors().to_vec(),
    }
}

/// The one mistake in `src`.
fn error(src: &str) -> KeymapError {
    let mut all = errors(src);
    assert_eq!(all.len(), 1, "{all:?}");
    all.remove(0)
}

#[test]
fn every_shipped_keymap_loads_without_conflicts() {
    assert_eq!(Keymap::shipped_names(), &["default", "vim"]);
    for name in Keymap::shipped_names() {
        let km = shipped(name);
        assert_eq!(km.name(), *name);
        for &ctx in Context::ALL {
            assert!(
                !km.bindings(ctx).is_empty(),
                "{name}: [{}] is empty",
                ctx.name()
            );
        }
        assert_eq!(Keymap::load(Some(name), None).as_ref(), Ok(&km));
    }
    assert_eq!(Keymap::load(None, None), Ok(shipped("default")));
    assert_eq!(Keymap::default(), shipped("default"));
}

#[test]
fn global_and_form_keys_never_type_text() {
    for name in Keymap::shipped_names() {
        let km = shipped(name);
        for ctx in [
            Context::Global,
            Context::Form,
            Context::Filter,
            Context::Help,
            Context::Palette,
        ] {
            for b in km.bindings(ctx) {
                assert!(
                    !b.keys.iter().any(keys::is_printable),
                    "{name}: [{}] {} would swallow typed text",
                    ctx.name(),
                    b.notation()
                );
            }
        }
    }
}

#[test]
fn every_action_is_bound_in_every_shipped_keymap() {
    for name in Keymap::shipped_names() {
        let km = shipped(name);
        for &a in Action::ALL {
            let bound = Context::ALL
                .iter()
                .any(|c| km.bindings(*c).iter().any(|b| b.action == a));
            assert!(bound, "{name}: {} has no key", a.name());
        }
    }
}

/// product.md, "Core bindings of default.toml".
#[test]
fn default_binds_the_core_bindings_of_the_product() {
    let km = shipped("default");
    let act = Feed::Action;
    for (key, action) in [
        ("1", Action::GoVertalen),
        ("2", Action::GoVerbinden),
        ("3", Action::GoVersterken),
        ("4", Action::GoVerbreiden),
        ("5", Action::GoVerankeren),
    ] {
        assert_eq!(press(&km, &LIST, key), act(action), "{key} in a list");
        assert_eq!(press(&km, &VIEW, key), act(action), "{key} in a view");
        assert_eq!(
            press(&km, &FORM, key),
            Feed::Unbound,
            "{key} types in a form"
        );
        assert_eq!(
            press(&km, &FILTER, key),
            Feed::Unbound,
            "{key} types in a search"
        );
    }
    expect_actions(
        &km,
        &[
            (&FORM, "<tab>", Action::NextField),
            (&FORM, "<s-tab>", Action::PrevField),
            (&LIST, "<tab>", Action::NextScreen),
            (&LIST, "<s-tab>", Action::PrevScreen),
            (&VIEW, "<tab>", Action::NextScreen),
            (&LIST, "]", Action::NextScreen),
            (&LIST, "[", Action::PrevScreen),
        ],
    );
    for (key, action) in [
        ("<up>", Action::Up),
        ("<down>", Action::Down),
        ("<pageup>", Action::PageUp),
        ("<pagedown>", Action::PageDown),
        ("<home>", Action::Home),
        ("<end>", Action::End),
        ("<enter>", Action::Open),
        ("<esc>", Action::Back),
        ("n", Action::New),
        ("i", Action::NewIntake),
        ("e", Action::Edit),
        ("/", Action::Search),
        ("<c-f>", Action::FindAnywhere),
        ("?", Action::Help),
        ("<f1>", Action::Help),
        (":", Action::Palette),
        ("<c-p>", Action::Palette),
        ("q", Action::Quit),
    ] {
        assert_eq!(press(&km, &LIST, key), act(action), "{key} in a list");
    }
    for (key, action) in [
        ("i", Action::NewIntake),
        ("e", Action::Edit),
        ("q", Action::Quit),
        ("<esc>", Action::Back),
    ] {
        assert_eq!(press(&km, &VIEW, key), act(action), "{key} in a view");
    }
    assert_eq!(
        press(&km, &DIALOG, "<enter>"),
        act(Action::Open),
        "Enter confirms"
    );
    for ctx in [&FORM[..], &DIALOG, &FILTER, &HELP, &PALETTE] {
        assert_eq!(
            press(&km, ctx, "<esc>"),
            act(Action::Back),
            "Esc in {ctx:?}"
        );
        assert_eq!(
            press(&km, ctx, "<c-f>"),
            act(Action::FindAnywhere),
            "Ctrl+F in {ctx:?}"
        );
        assert_eq!(press(&km, ctx, "<f1>"), act(Action::Help), "F1 in {ctx:?}");
    }
    assert_eq!(press(&km, &FORM, "<c-s>"), act(Action::Save));
    // Never while typing: q, i and ? are text in a form.
    for key in ["q", "i", "?", ":", "n", "e", "/"] {
        assert_eq!(
            press(&km, &FORM, key),
            Feed::Unbound,
            "{key} types in a form"
        );
    }
}

#[test]
fn vim_keeps_form_keys_and_adds_vim_habits() {
    let km = shipped("vim");
    expect_actions(
        &km,
        &[
            (&LIST, "j", Action::Down),
            (&LIST, "k", Action::Up),
            (&LIST, "gg", Action::Home),
            (&LIST, "G", Action::End),
            (&LIST, "<c-d>", Action::PageDown),
            (&LIST, "<c-u>", Action::PageUp),
            (&LIST, "L", Action::NextScreen),
            (&LIST, "H", Action::PrevScreen),
            // g is pending in a list, gt is navigation's.
            (&LIST, "gt", Action::NextScreen),
            (&LIST, ":", Action::Palette),
            (&LIST, "/", Action::Search),
            (&LIST, "q", Action::Quit),
            (&FORM, "<tab>", Action::NextField),
            (&FORM, "<s-tab>", Action::PrevField),
            (&FORM, "<c-s>", Action::Save),
            (&FORM, "<esc>", Action::Back),
        ],
    );
    assert_eq!(press(&km, &FORM, "j"), Feed::Unbound);
}

#[test]
fn sequencer_waits_for_a_sequence_and_drops_a_broken_one() {
    let km = shipped("vim");
    let mut seq = KeySequencer::new();
    let g = parse_keys("g").unwrap()[0];
    assert_eq!(seq.feed(&km, &LIST, g), Feed::Pending);
    assert_eq!(seq.pending(), &[g]);
    assert_eq!(seq.feed(&km, &LIST, g), Feed::Action(Action::Home));
    assert!(seq.pending().is_empty());

    // A key that continues nothing drops the prefix and counts on its own.
    assert_eq!(seq.feed(&km, &LIST, g), Feed::Pending);
    assert_eq!(
        seq.feed(&km, &LIST, parse_keys("j").unwrap()[0]),
        Feed::Action(Action::Down)
    );
    assert_eq!(seq.feed(&km, &LIST, g), Feed::Pending);
    assert_eq!(
        seq.feed(&km, &LIST, parse_keys("z").unwrap()[0]),
        Feed::Unbound
    );
    assert!(seq.pending().is_empty());
    // … and may start a new sequence.
    assert_eq!(seq.feed(&km, &LIST, g), Feed::Pending);
    assert_eq!(
        seq.feed(&km, &LIST, parse_keys("<c-l>").unwrap()[0]),
        Feed::Action(Action::Redraw)
    );
    // Esc only cancels a pending sequence; with nothing pending it is "back".
    assert_eq!(seq.feed(&km, &LIST, g), Feed::Pending);
    let esc = parse_keys("<esc>").unwrap()[0];
    assert_eq!(seq.feed(&km, &LIST, esc), Feed::Ignored);
    assert!(seq.pending().is_empty());
    assert_eq!(seq.feed(&km, &LIST, esc), Feed::Action(Action::Back));
    // A release in the middle of a sequence changes nothing.
    assert_eq!(seq.feed(&km, &LIST, g), Feed::Pending);
    let release = KeyEvent::new_with_kind(
        KeyCode::Char('g'),
        KeyModifiers::NONE,
        crossterm::event::KeyEventKind::Release,
    );
    assert_eq!(seq.feed(&km, &LIST, release), Feed::Ignored);
    assert_eq!(seq.feed(&km, &LIST, g), Feed::Action(Action::Home));
    seq.feed(&km, &LIST, g);
    seq.reset();
    assert!(seq.pending().is_empty());
}

#[test]
fn release_events_never_act_and_repeats_do() {
    let km = shipped("default");
    let mut seq = KeySequencer::new();
    let kinds = crossterm::event::KeyEventKind::Release;
    let release = KeyEvent::new_with_kind(KeyCode::Char('q'), KeyModifiers::NONE, kinds);
    assert_eq!(seq.feed(&km, &LIST, release), Feed::Ignored);
    let release_typing = KeyEvent::new_with_kind(KeyCode::Char('a'), KeyModifiers::NONE, kinds);
    assert_eq!(
        seq.feed(&km, &FORM, release_typing),
        Feed::Ignored,
        "a form must not type it twice"
    );
    let repeat = KeyEvent::new_with_kind(
        KeyCode::Down,
        KeyModifiers::NONE,
        crossterm::event::KeyEventKind::Repeat,
    );
    assert_eq!(seq.feed(&km, &LIST, repeat), Feed::Action(Action::Down));
    // Shift as the terminal reports it.
    assert_eq!(
        seq.feed(
            &km,
            &LIST,
            KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)
        ),
        Feed::Action(Action::PrevScreen)
    );
    assert_eq!(
        seq.feed(
            &km,
            &LIST,
            KeyEvent::new(KeyCode::Char('?'), KeyModifiers::SHIFT)
        ),
        Feed::Action(Action::Help)
    );
}

#[test]
fn the_innermost_context_wins() {
    let km = shipped("default");
    // `n` is "no" in a question, "new" in a list; Tab moves fields in a form.
    assert_eq!(
        press(
            &km,
            &[
                Context::Dialog,
                Context::List,
                Context::Navigation,
                Context::Global
            ],
            "n"
        ),
        Feed::Action(Action::No)
    );
    assert_eq!(press(&km, &LIST, "n"), Feed::Action(Action::New));
    assert_eq!(
        press(
            &km,
            &[Context::Form, Context::Navigation, Context::Global],
            "<tab>"
        ),
        Feed::Action(Action::NextField)
    );
    // An inner single key shadows an outer sequence starting with it, and vice versa.
    let mut km = Keymap::empty("t");
    km.merge_toml("u", "[[list]]\non = \"g\"\nrun = \"home\"\n[[navigation]]\non = \"gt\"\nrun = \"next_screen\"\n")
        .unwrap();
    assert_eq!(press(&km, &LIST, "g"), Feed::Action(Action::Home));
    assert_eq!(
        press(&km, &[Context::Navigation], "gt"),
        Feed::Action(Action::NextScreen)
    );
    assert_eq!(
        km.keys_for(&LIST, Action::NextScreen),
        None,
        "gt cannot be typed in a list"
    );
    assert_eq!(km.effective(&LIST).len(), 1);
}

#[test]
fn keys_and_hints_come_from_the_active_keymap() {
    let km = shipped("default");
    assert_eq!(km.keys_for(&FORM, Action::Save).as_deref(), Some("Ctrl+S"));
    assert_eq!(km.keys_for(&LIST, Action::Help).as_deref(), Some("?"));
    assert_eq!(km.keys_for(&FORM, Action::Help).as_deref(), Some("F1"));
    assert_eq!(km.keys_for(&LIST, Action::Save), None);
    assert_eq!(
        shipped("vim").keys_for(&LIST, Action::Home).as_deref(),
        Some("gg")
    );

    let hints = km.hints(&LIST, Lang::En);
    let keys: Vec<&str> = hints.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(
        keys,
        ["Enter", "/", "n", "i", "?", "q", "Ctrl+F"],
        "{hints:?}"
    );
    assert_eq!(hints[0].1, "open");
    let nl = km.hints(&FORM, Lang::Nl);
    assert_eq!(nl[0], ("Ctrl+S".to_string(), "opslaan".to_string()));
    // One hint per action, even when two keys are marked.
    let mut actions: Vec<_> = km
        .hints(&DIALOG, Lang::En)
        .into_iter()
        .map(|(_, l)| l)
        .collect();
    let n = actions.len();
    actions.dedup();
    assert_eq!(actions.len(), n);
}

#[test]
fn every_action_and_context_has_text_in_both_languages() {
    for lang in [Lang::Nl, Lang::En] {
        for &a in Action::ALL {
            let d = a.description(lang);
            assert!(
                !d.trim().is_empty() && d != a.description_key(),
                "{lang:?} {}",
                a.name()
            );
            let l = action_label(a, lang);
            assert!(
                !l.trim().is_empty() && !l.starts_with("action_label."),
                "{lang:?} label {}",
                a.name()
            );
        }
        for &c in Context::ALL {
            assert!(
                !c.title(lang).starts_with("context."),
                "{lang:?} {}",
                c.name()
            );
        }
        for key in [
            "keymap.print.title",
            "keymap.print.note",
            "keymap.print.none",
            "keymap.error.at_line",
        ] {
            assert_ne!(t(lang, key), key);
        }
    }
    assert_ne!(
        Action::Save.description(Lang::Nl),
        Action::Save.description(Lang::En)
    );
}

#[test]
fn errors_name_file_line_and_problem() {
    // Unknown action, with a suggestion; English and Dutch.
    let e = error("# my keys\n\n[[form]]\non = \"<c-s>\"\nrun = \"sav\"\n");
    assert_eq!((e.file.as_str(), e.line), ("keymaps/my.toml", 5));
    assert_eq!(e.message, "unknown action \"sav\" (did you mean \"save\"?)");
    assert_eq!(
        e.to_string(),
        "keymaps/my.toml, line 5: unknown action \"sav\" (did you mean \"save\"?)"
    );
    assert_eq!(
        e.to_text(Lang::Nl),
        "keymaps/my.toml, regel 5: onbekende actie \"sav\" (bedoel je \"save\"?)"
    );
    let e = error("[[form]]\non = \"<c-s>\"\nrun = \"explode\"\n");
    assert_eq!(e.message, "unknown action \"explode\"");

    // TOML syntax: the line of the mistake.
    let e = error("[[list]]\non = \"j\"\nrun = \"down\n");
    assert_eq!(e.line, 3);
    assert!(matches!(e.problem, KeymapProblem::Syntax { .. }), "{e}");
    assert!(
        e.to_text(Lang::Nl)
            .starts_with("keymaps/my.toml, regel 3: dit is geen geldige TOML"),
        "{e}"
    );

    // Unknown context.
    let e = error("[[list]]\non = \"j\"\nrun = \"down\"\n\n[[lijst]]\non = \"k\"\nrun = \"up\"\n");
    assert_eq!(e.line, 5);
    assert_eq!(
        e.message,
        "unknown context \"lijst\" (did you mean \"list\"?)"
    );
    let e = error("[[zzzzzz]]\non = \"k\"\nrun = \"up\"\n");
    assert!(e.message.contains("global, navigation, list"), "{e}");

    // A context as a plain table.
    let e = error("[list]\non = \"k\"\nrun = \"up\"\n");
    assert_eq!(e.line, 1);
    assert_eq!(
        e.problem,
        KeymapProblem::NotAList {
            context: "list".into()
        }
    );

    // Unknown key notation, with the reason.
    let e =
        error("[[list]]\non = \"j\"\nrun = \"down\"\n[[list]]\non = \"<cntrl-k>\"\nrun = \"up\"\n");
    assert_eq!(e.line, 5);
    assert_eq!(
        e.message,
        "unknown key notation \"<cntrl-k>\": there is no key <cntrl-k>"
    );
    assert_eq!(
        e.to_text(Lang::Nl),
        "keymaps/my.toml, regel 5: onbekende toetsnotatie \"<cntrl-k>\": er bestaat geen toets <cntrl-k>"
    );

    // The same sequence twice, and a sequence that is the start of another.
    let e = error("[[list]]\non = \"x\"\nrun = \"down\"\n\n[[list]]\non = \"x\"\nrun = \"up\"\n");
    assert_eq!(e.line, 6);
    assert_eq!(e.message, "x is bound twice in [list] (also on line 2)");
    let e = error("[[list]]\non = \"gg\"\nrun = \"home\"\n[[list]]\non = \"g\"\nrun = \"end\"\n");
    assert_eq!(e.line, 5);
    assert!(
        matches!(e.problem, KeymapProblem::Prefix { other_line: 2, .. }),
        "{e}"
    );
    // … but the same key in two contexts is fine.
    assert!(
        Keymap::from_toml(
            "ok",
            "ok",
            "[[list]]\non = \"x\"\nrun = \"down\"\n[[view]]\non = \"x\"\nrun = \"up\"\n"
        )
        .is_ok()
    );
    // Shift+Tab written two ways is one key.
    let e = error(
        "[[form]]\non = \"<s-tab>\"\nrun = \"prev_field\"\n[[form]]\non = \"<S-Tab>\"\nrun = \"up\"\n",
    );
    assert!(matches!(e.problem, KeymapProblem::Duplicate { .. }), "{e}");

    // Missing on / run: the line of the table.
    let e = error("[[list]]\non = \"j\"\nrun = \"down\"\n\n[[list]]\nrun = \"up\"\n");
    assert_eq!(
        (e.line, e.problem.clone()),
        (5, KeymapProblem::MissingOn),
        "{e}"
    );
    let e = error("[[list]]\non = \"k\"\n");
    assert_eq!(
        (e.line, e.problem.clone()),
        (1, KeymapProblem::MissingRun),
        "{e}"
    );
    assert_eq!(
        e.to_text(Lang::Nl),
        "keymaps/my.toml, regel 1: sneltoets zonder \"run\" (de actie die moet gebeuren)"
    );

    // Fields: unknown, wrong type, empty.
    let e = error("[[list]]\non = \"k\"\nrn = \"up\"\n");
    assert_eq!(
        (e.line, e.problem.clone()),
        (3, KeymapProblem::UnknownField { field: "rn".into() })
    );
    let e = error("[[list]]\non = 3\nrun = \"up\"\n");
    assert_eq!(e.line, 2);
    assert!(
        matches!(
            e.problem,
            KeymapProblem::WrongType {
                expected: Expected::TextOrList,
                ..
            }
        ),
        "{e}"
    );
    let e = error("[[list]]\non = \"k\"\nrun = \"up\"\nhint = \"yes\"\n");
    assert_eq!(e.line, 4);
    let e = error("[[list]]\non = \"\"\nrun = \"up\"\n");
    assert_eq!((e.line, e.problem.clone()), (2, KeymapProblem::EmptyOn));
    let all = errors("list = [1, 2]\n");
    assert_eq!(all.len(), 2, "one per entry: {all:?}");
    assert!(
        all.iter()
            .all(|e| matches!(e.problem, KeymapProblem::NotATable { .. })),
        "{all:?}"
    );
}

#[test]
fn every_mistake_of_a_file_is_reported_by_line() {
    let src = "[[list]]\non = \"<nope>\"\nrun = \"nope\"\n\n[[lijst]]\non = \"k\"\nrun = \"up\"\n\n\
               [[form]]\non = \"<c-s>\"\nrun = \"sav\"\nrn = 1\n\n[[form]]\non = \"<c-s>\"\nrun = \"save\"\n\
               [[view]]\nrun = \"up\"\n";
    let found: Vec<(usize, String)> = errors(src)
        .into_iter()
        .map(|e| (e.line, e.message))
        .collect();
    assert_eq!(
        found,
        [
            (
                2,
                "unknown key notation \"<nope>\": there is no key <nope>".to_string()
            ),
            (3, "unknown action \"nope\"".to_string()),
            (
                5,
                "unknown context \"lijst\" (did you mean \"list\"?)".to_string()
            ),
            (
                11,
                "unknown action \"sav\" (did you mean \"save\"?)".to_string()
            ),
            (
                12,
                "unknown field \"rn\" (a binding has on, run, desc and hint)".to_string()
            ),
            (17, "binding without \"on\" (the key to press)".to_string()),
        ],
    );
    // The CLI prints them all, one per line, in the user's language.
    let all = Keymap::from_toml("my", "keymaps/my.toml", src).unwrap_err();
    let nl = all.to_text(Lang::Nl);
    assert_eq!(nl.lines().count(), 6, "{nl}");
    assert!(
        nl.lines().all(|l| l.starts_with("keymaps/my.toml, regel ")),
        "{nl}"
    );
    assert!(
        nl.contains("regel 11: onbekende actie \"sav\" (bedoel je \"save\"?)"),
        "{nl}"
    );
}

#[test]
fn on_may_be_a_list_of_keys() {
    let km = Keymap::from_toml(
        "t",
        "t",
        "[[form]]\non = [\"<c-x>\", \"<c-s>\"]\nrun = \"save\"\n",
    )
    .unwrap();
    assert_eq!(
        km.bindings(Context::Form)[0].keys,
        parse_keys("<c-x><c-s>").unwrap()
    );
    assert_eq!(press(&km, &FORM, "<c-x><c-s>"), Feed::Action(Action::Save));
}

#[test]
fn a_user_file_is_merged_on_top() {
    let dir = tempfile::tempdir().unwrap();
    let user = dir.path().join("keymap.toml");
    std::fs::write(
        &user,
        r#"
# Ctrl+N for a new item, n no longer does anything.
[[list]]
on = "<c-n>"
run = "new"
hint = true

[[list]]
on = "n"
run = "noop"

# Replace Ctrl+S with my own text; it keeps its hint.
[[form]]
on = "<c-s>"
run = "save"
desc = "Bewaren"

# In vim, a single g goes to the top: gg is gone.
[[list]]
on = "g"
run = "home"
"#,
    )
    .unwrap();
    let km = Keymap::load(Some("vim"), Some(&user)).unwrap();
    assert_eq!(press(&km, &LIST, "<c-n>"), Feed::Action(Action::New));
    assert_eq!(press(&km, &LIST, "n"), Feed::Unbound);
    assert_eq!(press(&km, &LIST, "g"), Feed::Action(Action::Home));
    assert!(
        !km.bindings(Context::List)
            .iter()
            .any(|b| b.keys.len() == 2 && b.action == Action::Home)
    );
    assert_eq!(
        press(&km, &LIST, "gt"),
        Feed::Unbound,
        "the list's g wins at once; t is unbound"
    );
    let save = &km.bindings(Context::Form)[0];
    assert_eq!(
        (save.action, save.desc.as_deref(), save.hint),
        (Action::Save, Some("Bewaren"), true)
    );
    assert_eq!(
        km.hints(&FORM, Lang::En)[0],
        ("Ctrl+S".into(), "Bewaren".into())
    );
    // Everything else is untouched.
    assert_eq!(press(&km, &LIST, "j"), Feed::Action(Action::Down));
    assert_eq!(
        km.bindings(Context::Global),
        shipped("vim").bindings(Context::Global)
    );

    // A missing user file is no override; a broken one is an error naming it.
    assert_eq!(
        Keymap::load(None, Some(&dir.path().join("none.toml"))),
        Ok(shipped("default"))
    );
    std::fs::write(&user, "[[list]]\non = \"x\"\nrun = \"clear_filter\"\n").unwrap();
    let e = Keymap::load(None, Some(&user)).unwrap_err().first().clone();
    assert_eq!(
        (e.file.as_str(), e.line),
        (user.display().to_string().as_str(), 3)
    );
    assert!(e.message.contains("did you mean \"clear_filters\""), "{e}");
    // A directory cannot be read.
    let e = Keymap::load(None, Some(dir.path()))
        .unwrap_err()
        .first()
        .clone();
    assert!(matches!(e.problem, KeymapProblem::Read { .. }), "{e}");
}

#[test]
fn a_keymap_by_path_or_an_unknown_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("mine.toml");
    std::fs::write(
        &path,
        "[[global]]\non = \"<c-q>\"\nrun = \"quit\"\n\n[[global]]\non = \"<f1>\"\nrun = \"help\"\n\n\
         [[global]]\non = \"<c-p>\"\nrun = \"palette\"\n",
    )
    .unwrap();
    let spec = path.display().to_string();
    let km = Keymap::load(Some(&spec), None).unwrap();
    assert_eq!(km.name(), spec);
    assert_eq!(press(&km, &LIST, "<c-q>"), Feed::Action(Action::Quit));
    assert_eq!(press(&km, &LIST, "q"), Feed::Unbound);

    let e = Keymap::load(Some("emacs"), None)
        .unwrap_err()
        .first()
        .clone();
    assert_eq!(e.line, 0);
    assert_eq!(
        e.to_string(),
        "emacs: no keymap named \"emacs\" and no such file (built in: default, vim)"
    );
    assert!(e.to_text(Lang::Nl).contains("ingebouwd: default, vim"));
    let missing = dir.path().join("gone.toml").display().to_string();
    let e = Keymap::load(Some(&missing), None)
        .unwrap_err()
        .first()
        .clone();
    assert!(matches!(e.problem, KeymapProblem::Read { .. }), "{e}");
    assert!(Keymap::shipped("emacs").is_err());
}

#[test]
fn print_keymap_lists_every_context_with_keys_notation_and_action() {
    let km = shipped("default");
    let text = print_keymap(&km, Lang::En);
    assert!(text.starts_with("Keymap: default\n"), "{text}");
    for &ctx in Context::ALL {
        assert!(
            text.contains(&format!("[{}] {}", ctx.name(), ctx.title(Lang::En))),
            "{text}"
        );
    }
    let save = text
        .lines()
        .find(|l| l.contains(" save "))
        .unwrap_or_default();
    assert!(save.trim_start().starts_with("Ctrl+S"), "{save}");
    assert!(
        save.contains("<c-s>") && save.ends_with("Save the form"),
        "{save}"
    );
    let nl = print_keymap(&km, Lang::Nl);
    assert!(
        nl.contains("[form] Formulier") && nl.contains("Formulier opslaan"),
        "{nl}"
    );
    let lines = text.lines().filter(|l| l.starts_with("  ")).count();
    let total: usize = Context::ALL.iter().map(|c| km.bindings(*c).len()).sum();
    assert_eq!(lines, total);
}

fn fragment() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "[[list]]",
        "[[form]]",
        "[[global]]",
        "[[nope]]",
        "[list]",
        "list = 1",
        "on = \"j\"",
        "on = \"gg\"",
        "on = \"g\"",
        "on = \"<c-s>\"",
        "on = \"<\"",
        "on = []",
        "on = [\"g\", 1]",
        "on = 5",
        "run = \"down\"",
        "run = \"noop\"",
        "run = \"sav\"",
        "run = 1",
        "desc = \"x\"",
        "hint = true",
        "hint = 2",
        "x = 1",
        "\"",
        "[[list.x]]",
        "on = \"\"",
        "[[list]]\non = \"j\"\nrun = \"up\"",
        "= =",
        "on = { a = 1 }",
        "d = 1979-05-27",
        "[[list]] # c",
    ])
    .prop_map(str::to_string)
}

proptest! {
    #[test]
    fn no_file_makes_loading_panic(lines in prop::collection::vec(fragment(), 0..12)) {
        let src = lines.join("\n");
        let mut km = shipped("vim");
        let before = km.clone();
        match km.merge_toml("u", &src) {
            Ok(()) => {
                // A merged keymap still has no conflicts within a context.
                for &ctx in Context::ALL {
                    let b = km.bindings(ctx);
                    for (i, x) in b.iter().enumerate() {
                        for y in &b[..i] {
                            prop_assert!(!overlaps(&x.keys, &y.keys), "{}", src);
                        }
                    }
                }
            }
            Err(all) => {
                prop_assert_eq!(&km, &before);
                prop_assert!(!all.errors().is_empty());
                for e in all.errors() {
                    prop_assert!(e.line <= src.lines().count().max(1), "{}: {}", src, e);
                    prop_assert!(!e.to_text(Lang::Nl).is_empty());
                }
            }
        }
    }

    #[test]
    fn arbitrary_text_never_panics(src in "\\PC{0,200}") {
        let _ = Keymap::from_toml("x", "x", &src);
    }
}

/// The effective `vim` keymap as the full `keymaps/vim.toml` gave it before that file was cut
/// down to its differences from `default.toml`: (context, keys, action, hint), in order.
const VIM_BEFORE_OVERRIDE: [(&str, &str, &str, bool); 139] = [
    ("global", "<c-f>", "find_anywhere", true),
    ("global", "<c-p>", "palette", false),
    ("global", "<f1>", "help", false),
    ("global", "<c-l>", "redraw", false),
    ("global", "<c-c>", "quit", false),
    ("navigation", "i", "new_intake", true),
    ("navigation", "1", "go_vertalen", false),
    ("navigation", "2", "go_verbinden", false),
    ("navigation", "3", "go_versterken", false),
    ("navigation", "4", "go_verbreiden", false),
    ("navigation", "5", "go_verankeren", false),
    ("navigation", "L", "next_screen", false),
    ("navigation", "H", "prev_screen", false),
    ("navigation", "gt", "next_screen", false),
    ("navigation", "gT", "prev_screen", false),
    ("navigation", "<tab>", "next_screen", false),
    ("navigation", "<s-tab>", "prev_screen", false),
    ("navigation", "]", "next_screen", false),
    ("navigation", "[", "prev_screen", false),
    ("navigation", "?", "help", true),
    ("navigation", ":", "palette", true),
    ("navigation", "q", "quit", true),
    ("list", "j", "down", true),
    ("list", "k", "up", true),
    ("list", "<enter>", "open", true),
    ("list", "l", "open", false),
    ("list", "/", "search", true),
    ("list", "n", "new", true),
    ("list", "e", "edit", false),
    ("list", "s", "change_status", false),
    ("list", "f", "filter_status", false),
    ("list", "m", "filter_municipality", false),
    ("list", "x", "clear_filters", false),
    ("list", "gg", "home", false),
    ("list", "G", "end", false),
    ("list", "<c-d>", "page_down", false),
    ("list", "<c-u>", "page_up", false),
    ("list", "<c-e>", "export_csv", false),
    ("list", "<up>", "up", false),
    ("list", "<down>", "down", false),
    ("list", "<pageup>", "page_up", false),
    ("list", "<pagedown>", "page_down", false),
    ("list", "<home>", "home", false),
    ("list", "<end>", "end", false),
    ("list", "<esc>", "back", false),
    ("view", "e", "edit", true),
    ("view", "s", "change_status", true),
    ("view", "v", "new_vacancy", false),
    ("view", "c", "log_contact", false),
    ("view", "m", "match", true),
    ("view", "<esc>", "back", true),
    ("view", "h", "back", false),
    ("view", "j", "down", false),
    ("view", "k", "up", false),
    ("view", "gg", "home", false),
    ("view", "G", "end", false),
    ("view", "<c-d>", "page_down", false),
    ("view", "<c-u>", "page_up", false),
    ("view", "<up>", "up", false),
    ("view", "<down>", "down", false),
    ("view", "<pageup>", "page_up", false),
    ("view", "<pagedown>", "page_down", false),
    ("view", "<home>", "home", false),
    ("view", "<end>", "end", false),
    ("person", "t", "start_trajectory", false),
    ("person", "X", "erase_person", false),
    ("person", "W", "withdraw_consent", false),
    ("person", "A", "access_export", false),
    ("trajectory", "o", "log_meeting", true),
    ("trajectory", "p", "ladder_step", true),
    ("trajectory", "d", "add_goal", false),
    ("trajectory", "D", "finish_goal", false),
    ("trajectory", "a", "change_phase", true),
    ("trajectory", "r", "reassign", false),
    ("trajectory", "z", "close_trajectory", false),
    ("trajectory", "u", "log_hours", false),
    ("trajectory", "t", "filter_kind", false),
    ("trajectory", "c", "filter_consultant", false),
    ("trajectory", "O", "filter_overdue", false),
    ("form", "<c-s>", "save", true),
    ("form", "<tab>", "next_field", true),
    ("form", "<s-tab>", "prev_field", false),
    ("form", "<c-j>", "next_field", false),
    ("form", "<c-k>", "prev_field", false),
    ("form", "<down>", "next_field", false),
    ("form", "<up>", "prev_field", false),
    ("form", "<esc>", "back", true),
    ("dialog", "y", "yes", true),
    ("dialog", "n", "no", true),
    ("dialog", "<enter>", "open", true),
    ("dialog", "<esc>", "back", true),
    ("dialog", "h", "up", false),
    ("dialog", "l", "down", false),
    ("dialog", "<left>", "up", false),
    ("dialog", "<right>", "down", false),
    ("dialog", "<tab>", "down", false),
    ("dialog", "<s-tab>", "up", false),
    ("dialog", "<up>", "up", false),
    ("dialog", "<down>", "down", false),
    ("dialog", "k", "up", false),
    ("dialog", "j", "down", false),
    ("filter", "<enter>", "open", true),
    ("filter", "<esc>", "back", true),
    ("filter", "<c-n>", "down", false),
    ("filter", "<c-p>", "up", false),
    ("filter", "<up>", "up", false),
    ("filter", "<down>", "down", false),
    ("filter", "<pageup>", "page_up", false),
    ("filter", "<pagedown>", "page_down", false),
    ("help", "<esc>", "back", true),
    ("help", "<enter>", "open", true),
    ("help", "<c-n>", "down", false),
    ("help", "<c-p>", "up", false),
    ("help", "<up>", "up", false),
    ("help", "<down>", "down", false),
    ("help", "<pageup>", "page_up", false),
    ("help", "<pagedown>", "page_down", false),
    ("palette", "<esc>", "back", true),
    ("palette", "<enter>", "open", true),
    ("palette", "<c-n>", "down", false),
    ("palette", "<c-p>", "up", false),
    ("palette", "<up>", "up", false),
    ("palette", "<down>", "down", false),
    ("palette", "<pageup>", "page_up", false),
    ("palette", "<pagedown>", "page_down", false),
    ("report", "<left>", "prev_period", true),
    ("report", "<right>", "next_period", true),
    ("report", "t", "this_week", true),
    ("report", "p", "period_length", true),
    ("report", "x", "export_report", true),
    ("report", "<c-e>", "export_report", false),
    ("report", "<up>", "up", false),
    ("report", "<down>", "down", false),
    ("report", "<pageup>", "page_up", false),
    ("report", "<pagedown>", "page_down", false),
    ("report", "<home>", "home", false),
    ("report", "<end>", "end", false),
    ("retention", "a", "anonymise_selected", true),
    ("retention", "A", "anonymise_listed", true),
];

/// `vim.toml` holds only what differs from `default.toml`; merged on it, it gives the keymap
/// the full file gave, binding for binding and in the same order (the help overlay, the
/// bottom bar and the palette's keys depend on the order). One exception: in a question, `j`
/// (now "down" instead of "yes") keeps the place of default's `j`.
#[test]
fn vim_on_default_is_the_old_full_vim_keymap() {
    let km = shipped("vim");
    let now: Vec<(&str, String, &str, bool)> = Context::ALL
        .iter()
        .flat_map(|c| {
            km.bindings(*c)
                .iter()
                .map(move |b| (c.name(), b.notation(), b.action.name(), b.hint))
        })
        .collect();
    let mut before: Vec<(&str, String, &str, bool)> = VIM_BEFORE_OVERRIDE
        .iter()
        .map(|(c, k, a, h)| (*c, k.to_string(), *a, *h))
        .collect();
    let j = before
        .iter()
        .position(|(c, k, _, _)| *c == "dialog" && k == "j")
        .unwrap();
    let moved = before.remove(j);
    let y = before
        .iter()
        .position(|(c, k, _, _)| *c == "dialog" && k == "y")
        .unwrap();
    before.insert(y + 1, moved);
    assert_eq!(now, before);
    assert!(
        km.bindings(Context::Global)
            .iter()
            .all(|b| b.desc.is_none())
    );
    // The shipped file really is short: no binding of default restated without need.
    let src = include_str!("../../../keymaps/vim.toml");
    assert!(
        src.matches("[[").count() < 50,
        "{}",
        src.matches("[[").count()
    );
}

#[test]
fn a_keymap_without_a_way_to_quit_or_with_a_typing_key_in_global_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.toml");
    std::fs::write(&empty, "").unwrap();
    let errors = Keymap::load(Some(&empty.display().to_string()), None).unwrap_err();
    let missing: Vec<Action> = errors
        .errors
        .iter()
        .filter_map(|e| match e.problem {
            KeymapProblem::Unreachable { action } => Some(action),
            _ => None,
        })
        .collect();
    assert_eq!(missing, [Action::Quit, Action::Help, Action::Palette]);
    // The user's keymap.toml cannot take quit away either.
    let user = dir.path().join("keymap.toml");
    std::fs::write(&user, "[[global]]\non = \"<c-c>\"\nrun = \"noop\"\n").unwrap();
    let e = Keymap::load(None, Some(&user)).unwrap_err();
    assert!(matches!(
        e.first().problem,
        KeymapProblem::Unreachable {
            action: Action::Quit
        }
    ));
    // A key that types text in [global] would fire while typing in a field.
    let typing = dir.path().join("typing.toml");
    std::fs::write(&typing, "[[global]]\non = \"x\"\nrun = \"quit\"\n").unwrap();
    let e = Keymap::load(Some(&typing.display().to_string()), None).unwrap_err();
    assert!(
        e.errors
            .iter()
            .any(|e| matches!(e.problem, KeymapProblem::TypesText { .. }) && e.line == 2),
        "{e:?}"
    );
}

/// The merge as it was first written (quadratic): each file binding scans the whole list.
/// The linear [`merge_bindings`] must give exactly what it gives.
fn merge_by_scanning(mut list: Vec<Binding>, file: &[FileBinding]) -> Vec<Binding> {
    let mut last: Option<&[KeyEvent]> = None;
    for fb in file {
        let mut replaced_at = None;
        let mut inherited_hint = false;
        let mut kept = Vec::with_capacity(list.len());
        for b in list.drain(..) {
            if overlaps(&b.keys, &fb.keys) {
                if b.keys == fb.keys {
                    inherited_hint = b.hint;
                }
                replaced_at.get_or_insert(kept.len());
            } else {
                kept.push(b);
            }
        }
        list = kept;
        let Run::Action(action) = fb.run else {
            continue;
        };
        let at = replaced_at.unwrap_or_else(|| {
            last.and_then(|keys| list.iter().position(|b| b.keys == keys))
                .map_or(0, |i| i + 1)
        });
        list.insert(
            at,
            Binding {
                keys: fb.keys.clone(),
                action,
                desc: fb.desc.clone(),
                hint: fb.hint.unwrap_or(inherited_hint),
            },
        );
        last = Some(&fb.keys);
    }
    list
}

/// Key sequences over a small alphabet, so that many of them clash.
fn small_seq() -> impl Strategy<Value = Vec<KeyEvent>> {
    proptest::collection::vec(0u8..4, 1..4).prop_map(|v| {
        v.into_iter()
            .map(|c| KeyEvent::new(KeyCode::Char((b'a' + c) as char), KeyModifiers::NONE))
            .collect()
    })
}

proptest! {
    #[test]
    fn the_linear_merge_gives_what_scanning_gives(
        base in proptest::collection::vec((small_seq(), 0usize..5, any::<bool>()), 0..30),
        file in proptest::collection::vec((small_seq(), 0usize..6, proptest::option::of(any::<bool>())), 0..30),
    ) {
        let base: Vec<Binding> = base
            .into_iter()
            .map(|(keys, a, hint)| Binding { keys, action: Action::ALL[a], desc: None, hint })
            .collect();
        // A file never holds two clashing bindings (parse_file refuses them).
        let mut bindings: Vec<FileBinding> = Vec::new();
        for (line, (keys, a, hint)) in file.into_iter().enumerate() {
            if bindings.iter().any(|b| overlaps(&b.keys, &keys)) {
                continue;
            }
            let run = if a == 5 { Run::Noop } else { Run::Action(Action::ALL[a]) };
            bindings.push(FileBinding { keys, run, desc: Some(format!("{line}")), hint, line });
        }
        let want = merge_by_scanning(base.clone(), &bindings);
        let got = merge_bindings(base, &bindings);
        let show = |l: &[Binding]| l.iter().map(|b| format!("{}={:?}/{:?}/{}", keys::format_notation_seq(&b.keys), b.action, b.desc, b.hint)).collect::<Vec<_>>();
        prop_assert_eq!(show(&got), show(&want));
    }
}

/// A keymap file of `n` bindings in the list context, each on its own four-key sequence
/// (`<f2>abc` …) so none clashes; the last one repeats the first when `duplicate`.
fn large_keymap(n: usize, duplicate: bool) -> String {
    let keys: Vec<String> = [
        "<f2>", "<f3>", "<f4>", "<f5>", "<f6>", "<f7>", "<f8>", "<f9>",
    ]
    .iter()
    .flat_map(|a| {
        ('a'..='z')
            .chain('A'..='Z')
            .chain('0'..='9')
            .flat_map(move |b| ('a'..='z').map(move |c| format!("{a}{b}{c}")))
            .flat_map(|abc| ('a'..='z').map(move |d| format!("{abc}{d}")))
    })
    .take(n)
    .collect();
    assert_eq!(keys.len(), n, "enough distinct sequences");
    let mut src = String::from(
        "[[global]]\non = \"<c-c>\"\nrun = \"quit\"\n\n[[global]]\non = \"<f1>\"\nrun = \"help\"\n\n[[global]]\non = \"<c-p>\"\nrun = \"palette\"\n\n",
    );
    for (i, k) in keys.iter().enumerate() {
        let action = if i % 2 == 0 { "down" } else { "up" };
        src.push_str(&format!("[[list]]\non = \"{k}\"\nrun = \"{action}\"\n\n"));
    }
    if duplicate {
        src.push_str(&format!("[[list]]\non = \"{}\"\nrun = \"up\"\n", keys[0]));
    }
    src
}

#[test]
fn a_keymap_of_forty_thousand_bindings_loads_whole() {
    let n = 40_000;
    let src = large_keymap(n, false);
    let km = Keymap::from_toml("big", "big.toml", &src).expect("loads");
    assert_eq!(km.bindings(Context::List).len(), n);
    // The first, a middle and the last binding each run their own action, in file order.
    let list = km.bindings(Context::List);
    for i in [0, n / 2 + 1, n - 1] {
        let want = if i % 2 == 0 { Action::Down } else { Action::Up };
        assert_eq!(list[i].action, want, "binding {i}");
        assert_eq!(km.lookup(&LIST, &list[i].keys), Lookup::Action(want));
    }
    // Merged on top of the shipped keymap, the shipped list bindings stay and come first.
    let mut merged = Keymap::default();
    let shipped = merged.bindings(Context::List).len();
    merged.merge_toml("big.toml", &src).expect("merges");
    assert_eq!(merged.bindings(Context::List).len(), shipped + n);
    // A duplicate at the end is found and names the line of the first.
    let Err(err) = Keymap::from_toml("big", "big.toml", &large_keymap(n, true)) else {
        panic!("a duplicate is refused");
    };
    assert_eq!(err.errors().len(), 1, "{}", err.to_text(Lang::En));
    let e = err.first();
    assert_eq!(e.line, 12 + 4 * n + 2, "the duplicate's own line");
    match &e.problem {
        KeymapProblem::Duplicate { other_line, .. } => assert_eq!(*other_line, 14),
        other => panic!("expected a duplicate, got {other:?}"),
    }
}
