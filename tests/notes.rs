//! 5 Verankeren › Kennisnotities driven by keys on deterministic demo data: the notes newest
//! first; a note without a title is refused beside the field and nothing is saved; a written
//! note is found by `/` on a word of its text and by Ctrl+F, and lands in the audit log.

mod common;

use common::{harness, harness_as};
use koppel::domain::contact::BasicFunction;
use koppel::i18n::Lang;
use koppel::service::Role;
use koppel::ui::screens::ScreenId;
use koppel::ui::screens::notes::{DetailView, FormView, NoteList};

#[test]
fn the_notes_list_in_both_languages() {
    for (lang, name, header) in [
        (Lang::Nl, "notes_nl_80x24", "f basisfunctie: alle"),
        (Lang::En, "notes_en_80x24", "f basic function: all"),
    ] {
        let mut h = harness(250, lang, 80, 24);
        h.go(ScreenId::KnowledgeNotes);
        let s = h.screen();
        assert!(s.contains(header), "{s}");
        let total = h.model().notes().len();
        assert!(total >= 12);
        let of = if lang == Lang::Nl { "van" } else { "of" };
        assert!(s.contains(&format!("{total} {of} {total}")), "{s}");
        insta::assert_snapshot!(name, s);
        // f shows one basic function: Vertalen first.
        h.keys("f");
        let vertalen = h
            .model()
            .notes()
            .iter()
            .filter(|n| n.basic_function == BasicFunction::Vertalen)
            .count();
        assert!(vertalen > 0 && vertalen < total);
        assert!(
            h.screen().contains(&format!("{vertalen} {of} {total}")),
            "{}",
            h.screen()
        );
    }
}

#[test]
fn a_note_is_written_with_keys_refused_without_a_title_and_found_again() {
    let mut h = harness_as(Role::Intake, 60, Lang::En, 100, 30);
    h.go(ScreenId::KnowledgeNotes);
    let before = h.model().notes().len();
    h.keys("n");
    assert!(
        h.session.app().view::<FormView>().is_some(),
        "{}",
        h.screen()
    );
    // No title: refused beside the field, nothing saved, the form stays.
    h.keys("<tab>").text("wachtlijst, taal").keys("<c-s>");
    let s = h.screen();
    assert!(s.contains("this field is required"), "{s}");
    assert!(h.session.app().view::<FormView>().is_some(), "{s}");
    assert_eq!(h.model().notes().len(), before);
    // The focus went to the field in error; with a title it is saved and shown.
    h.text("Taalmaatjes in de bibliotheek")
        .keys("<tab><tab><tab>")
        .text("De bibliotheek zoekt zaterdagochtend begeleiders.")
        .keys("<c-s>");
    let detail = h
        .session
        .app()
        .view::<DetailView>()
        .unwrap_or_else(|| panic!("{}", h.screen()));
    assert_eq!(detail.record.data.title, "Taalmaatjes in de bibliotheek");
    assert_eq!(detail.record.data.tags, vec!["wachtlijst", "taal"]);
    assert_eq!(detail.record.meta.created.by, "anouk");
    let id = detail.record.meta.id;
    assert!(h.screen().contains("zaterdagochtend"), "{}", h.screen());
    // `/` finds it on a word of its text, and only it.
    h.keys("<esc>/").text("zaterdagochtend");
    let list: &NoteList = h.screen_as(ScreenId::KnowledgeNotes);
    assert_eq!(list.table.len(), 1);
    assert_eq!(list.table.selected_id(&h.model()), Some(id));
    // Ctrl+F finds it too, and Enter opens it.
    h.keys("<esc><esc><c-f>")
        .text("bibliotheek zaterdagochtend");
    assert!(
        h.screen()
            .contains("knowledge note: Taalmaatjes in de bibliotheek"),
        "{}",
        h.screen()
    );
    h.keys("<enter>");
    let opened = h
        .session
        .app()
        .view::<DetailView>()
        .expect("the note opens");
    assert_eq!(opened.record.meta.id, id);
}
