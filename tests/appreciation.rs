//! 4 Verbreiden › Waardering driven by keys on deterministic demo data: who to thank, the
//! not yet thanked first; Enter asks and `y` logs the thank-you as an appreciation activity
//! that says who and why; the line then says when, and Enter opens that activity.

mod common;

use common::harness;
use koppel::domain::activity::ActivityKind;
use koppel::i18n::Lang;
use koppel::ui::screens::ScreenId;
use koppel::ui::screens::activities::DetailView;
use koppel::ui::screens::appreciation::Appreciation;
use time::macros::date;

#[test]
fn thank_someone_with_keys_and_see_it_logged_as_an_activity() {
    let mut h = harness(1200, Lang::En, 100, 30);
    h.go(ScreenId::Appreciation);
    let s = h.screen();
    assert!(s.contains("To thank:"), "{s}");
    let first = {
        let screen = h.screen_as::<Appreciation>(ScreenId::Appreciation);
        assert!(!screen.rows.is_empty(), "the demo has people to thank\n{s}");
        assert!(screen.rows[0].thanked.is_none());
        screen.rows[0].clone()
    };
    // Everyone listed is counted from the records: a MaS pupil whose hours are done, or a
    // running placement whose anniversary lies within a month of today.
    let today = date!(2026 - 11 - 27);
    assert!(first.due >= today - time::Duration::days(30));
    assert!(first.due <= today + time::Duration::days(30));
    let activities = h.model().activities().len();
    // Enter asks first; Esc keeps things as they were.
    h.keys("<enter>");
    assert!(h.screen().contains(&first.name), "{}", h.screen());
    h.keys("<esc>");
    assert_eq!(h.model().activities().len(), activities);
    // Enter, then yes.
    h.keys("<enter>y");
    let s = h.screen();
    assert!(
        s.contains(&format!("Thank-you logged for {}", first.name)),
        "{s}"
    );
    assert_eq!(h.model().activities().len(), activities + 1);
    let logged = h
        .model()
        .activities()
        .iter()
        .find(|a| a.thanks == Some(first.thanks))
        .cloned()
        .expect("the thank-you is an activity");
    assert_eq!(logged.kind, ActivityKind::Appreciation);
    assert!(logged.held);
    assert_eq!(logged.date, today);
    // The line moved down and says when; the selection stayed with the person.
    let screen = h.screen_as::<Appreciation>(ScreenId::Appreciation);
    let row = &screen.rows[screen.selected];
    assert_eq!(row.thanks, first.thanks);
    assert_eq!(row.thanked.map(|(d, _)| d), Some(today));
    assert!(h.screen().contains("✓ 27-11-2026"), "{}", h.screen());
    // Enter on it now opens the activity instead of asking again.
    h.keys("<enter>");
    let detail = h
        .session
        .app()
        .view::<DetailView>()
        .unwrap_or_else(|| panic!("{}", h.screen()));
    assert_eq!(detail.record.meta.id, logged.id);
    assert!(detail.record.data.title.contains(&first.name));
    assert_eq!(h.model().activities().len(), activities + 1);
}

#[test]
fn the_appreciation_screen_in_both_languages() {
    for (lang, name, intro, open) in [
        (
            Lang::Nl,
            "appreciation_nl_80x24",
            "Te bedanken:",
            "nog niet",
        ),
        (Lang::En, "appreciation_en_80x24", "To thank:", "not yet"),
    ] {
        let mut h = harness(1200, lang, 80, 24);
        h.go(ScreenId::Appreciation);
        let s = h.screen();
        assert!(s.contains(intro), "{s}");
        assert!(s.contains(open), "{s}");
        insta::assert_snapshot!(name, s);
    }
}
