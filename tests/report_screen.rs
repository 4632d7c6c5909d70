//! 5 Verankeren › Reports driven by keys on deterministic demo data (clock: Friday 27
//! November 2026): it opens on the last completed week, ←/→ step, `t` goes to this week, `p`
//! switches the length, the figures are the read model's, help lists the keys, and `x` offers
//! the export with the suggested name. Snapshots at 80×24 in both languages.

mod common;

use common::harness_as;
use koppel::domain::period::Period;
use koppel::i18n::Lang;
use koppel::service::Role;
use koppel::ui::screens::ScreenId;
use koppel::ui::screens::reports::Reports;

#[test]
fn the_summary_steps_through_periods_in_both_languages() {
    for (lang, name, title47, title48, month, this_period) in [
        (
            Lang::Nl,
            "reports_nl_80x24",
            "Weekoverzicht week 47, 2026",
            "Weekoverzicht week 48, 2026",
            "Maandoverzicht november 2026",
            "Nieuwe aanmeldingen",
        ),
        (
            Lang::En,
            "reports_en_80x24",
            "Weekly summary week 47, 2026",
            "Weekly summary week 48, 2026",
            "Monthly summary November 2026",
            "New registrations",
        ),
    ] {
        let mut h = harness_as(Role::Coordinator, 300, lang, 80, 24);
        h.go(ScreenId::Reports);
        let s = h.screen();
        assert!(s.contains(title47), "{s}");
        assert!(s.contains("16-11-2026"), "{s}");
        // The intakes of week 47, counted here from the rows, are on screen.
        let week = Period::parse_week("2026-W47").unwrap();
        let n = h
            .model()
            .volunteers()
            .all()
            .iter()
            .filter(|r| week.contains(r.intake_date))
            .count();
        let line = s
            .lines()
            .find(|l| l.starts_with(&format!("  {this_period} ")))
            .unwrap_or_else(|| panic!("{s}"));
        assert_eq!(
            line.split_whitespace().rev().nth(2),
            Some(n.to_string().as_str()),
            "{line}"
        );
        insta::assert_snapshot!(name, s);

        h.keys("<right>");
        assert!(h.screen().contains(title48));
        h.keys("<left><left>");
        let r: &Reports = h.screen_as(ScreenId::Reports);
        assert_eq!(r.period.map(|p| p.label()).as_deref(), Some("2026-W46"));
        h.keys("t");
        assert!(h.screen().contains(title48));
        h.keys("p");
        assert!(h.screen().contains(month), "{}", h.screen());
        h.keys("<right>");
        let r: &Reports = h.screen_as(ScreenId::Reports);
        assert_eq!(r.period.map(|p| p.label()).as_deref(), Some("2026-12"));
        h.keys("ppp");
        let r: &Reports = h.screen_as(ScreenId::Reports);
        assert_eq!(r.period.map(|p| p.label()).as_deref(), Some("2026-W48"));

        // Help lists the screen's keys.
        h.keys("?");
        let help = h.screen();
        let (this_week, export) = match lang {
            Lang::Nl => ("Naar de huidige week", "Het overzicht exporteren"),
            Lang::En => ("Go to the current week", "Export the summary"),
        };
        assert!(help.contains(this_week), "{help}");
        assert!(help.contains(export), "{help}");
        h.keys("<esc>");

        // The export dialog suggests the period's name; ↓ switches to CSV.
        h.keys("x");
        assert!(
            h.screen().contains("> koppel-2026-W48.md"),
            "{}",
            h.screen()
        );
        h.keys("<down>");
        assert!(
            h.screen().contains("> koppel-2026-W48.csv"),
            "{}",
            h.screen()
        );
        h.keys("<esc>");
    }
}

#[test]
fn the_front_desk_is_told_reports_are_for_coordinators() {
    let mut h = common::harness(30, Lang::En, 80, 24);
    h.go(ScreenId::Reports);
    let s = h.screen();
    assert!(
        s.contains("Reports are for coordinators and administrators"),
        "{s}"
    );
    assert!(!s.contains("Intakes"), "{s}");
}
