//! The command palette (`:` / Ctrl+P): every action by name, with its description and the
//! key that runs it in the active keymap, fuzzy-filtered and ranked as you type.
//!
//! Owns: the palette's state ([`PaletteState`]: input, ranking, selection, scroll) and its
//! drawing (frame, input line and hint line are shared with `help`). Ranking uses
//! `nucleo_matcher` over the action's name, short label and description in the interface
//! language, so both `sav` and `opsl` find "save". It runs nothing: on Enter the app takes
//! [`PaletteState::selected`].
//!
//! Only what works under it is offered: the actions bound in its contexts (minus what the
//! screen below cannot do), and, where one can move between screens, every screen by name
//! (choosing one shows that screen). Left out besides: `palette` itself (it is already open)
//! and `yes`/`no`, which only answer a question and a question cannot be open under the
//! palette. Matches scoring under
//! half the best one (letters scattered through a long description) are dropped.

use super::help::{Frame, move_selection, put, start_row, window_top};
use crate::i18n::{Lang, t, tf};
use crate::ui::action::Action;
use crate::ui::keymap::{Context, Keymap, action_label};
use crate::ui::screens::{SCREENS, ScreenId};
use crate::ui::text::fit;
use crate::ui::textedit::edit_line;
use crate::ui::theme::Theme;
use crossterm::event::KeyEvent;
use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;
use std::cell::Cell;
use tui_input::Input;
use unicode_width::UnicodeWidthStr;

/// Actions the palette does not offer (see the module doc).
const HIDDEN: [Action; 3] = [Action::Palette, Action::Yes, Action::No];

/// What a palette entry does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Action(Action),
    /// Show this screen (an entry that names a screen goes to that screen).
    Screen(ScreenId),
}

/// One action or screen as the palette shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PaletteEntry {
    target: Target,
    desc: String,
    keys: Option<String>,
    haystack: String,
}

/// State of the command palette.
#[derive(Debug, Clone)]
pub struct PaletteState {
    /// What the user typed.
    pub input: Input,
    entries: Vec<PaletteEntry>,
    /// Indices into `entries`, best match first.
    ranked: Vec<usize>,
    /// Index into `ranked`.
    selected: usize,
    scroll: Cell<usize>,
    page: Cell<usize>,
    footer: Vec<(String, String)>,
    matcher: Matcher,
}

impl PaletteState {
    /// The palette over a screen whose contexts are `contexts` (innermost first): the keys
    /// shown are those that work there.
    ///
    /// Only what works there is offered: the actions bound in `contexts`, and, where the
    /// screen below moves between screens (the `navigation` context), every screen by name.
    pub fn new(keymap: &Keymap, contexts: &[Context], lang: Lang) -> PaletteState {
        let mut entries: Vec<PaletteEntry> = Action::ALL
            .iter()
            .copied()
            .filter(|a| !HIDDEN.contains(a) && keymap.keys_for(contexts, *a).is_some())
            .map(|action| {
                let desc = action.description(lang);
                let haystack = format!(
                    "{} {} {}",
                    action.name().replace('_', " "),
                    action_label(action, lang),
                    desc
                );
                PaletteEntry {
                    target: Target::Action(action),
                    desc,
                    keys: keymap.keys_for(contexts, action),
                    haystack,
                }
            })
            .collect();
        if contexts.contains(&Context::Navigation) {
            entries.extend(SCREENS.iter().map(|s| {
                let group = t(lang, s.group.key()).to_string();
                let screen = t(lang, s.key).to_string();
                let desc = tf(
                    lang,
                    "palette.go_screen",
                    &[
                        ("group", format!("{} {group}", s.group.index() + 1)),
                        ("screen", screen.to_string()),
                    ],
                );
                PaletteEntry {
                    target: Target::Screen(s.id),
                    haystack: format!("{} {desc}", s.key),
                    desc,
                    keys: None,
                }
            }));
        }
        let mut config = Config::DEFAULT;
        config.prefer_prefix = true;
        let mut state = PaletteState {
            input: Input::default(),
            entries,
            ranked: Vec::new(),
            selected: 0,
            scroll: Cell::new(0),
            page: Cell::new(1),
            footer: keymap.hints(&[Context::Palette, Context::Global], lang),
            matcher: Matcher::new(config),
        };
        state.refilter();
        state
    }

    /// The palette without `actions` (which do nothing on the screen below).
    pub fn without(mut self, actions: &[Action]) -> PaletteState {
        self.entries
            .retain(|e| !matches!(e.target, Target::Action(a) if actions.contains(&a)));
        self.refilter();
        self
    }

    /// Types into the input (the editing keys of `ui::textedit`). Returns whether the key
    /// was used.
    pub fn handle_key(&mut self, key: KeyEvent) -> bool {
        let used = edit_line(&mut self.input, key);
        if used == Some(true) {
            self.refilter();
        }
        used.is_some()
    }

    /// Moves the selection for a movement action; returns whether it was one.
    pub fn handle_action(&mut self, action: Action) -> bool {
        let page = self.page.get();
        move_selection(&mut self.selected, self.ranked.len(), page, action)
    }

    /// Selects the previous entry.
    pub fn up(&mut self) {
        self.handle_action(Action::Up);
    }

    /// Selects the next entry.
    pub fn down(&mut self) {
        self.handle_action(Action::Down);
    }

    /// The action to run on Enter; `None` when nothing matches.
    pub fn selected(&self) -> Option<Action> {
        self.ranked
            .get(self.selected)
            .and_then(|i| self.entries.get(*i))
            .and_then(|e| match e.target {
                Target::Action(a) => Some(a),
                Target::Screen(_) => None,
            })
    }

    /// What Enter does: run an action or show a screen; `None` when nothing matches.
    pub fn selected_target(&self) -> Option<Target> {
        self.ranked
            .get(self.selected)
            .and_then(|i| self.entries.get(*i))
            .map(|e| e.target)
    }

    /// The matching actions, best first.
    pub fn matches(&self) -> Vec<Action> {
        self.ranked
            .iter()
            .filter_map(|i| self.entries.get(*i))
            .filter_map(|e| match e.target {
                Target::Action(a) => Some(a),
                Target::Screen(_) => None,
            })
            .collect()
    }

    fn refilter(&mut self) {
        let pattern = Pattern::new(
            self.input.value(),
            CaseMatching::Ignore,
            Normalization::Smart,
            AtomKind::Fuzzy,
        );
        let mut buf = Vec::new();
        let mut scored: Vec<(u32, usize)> = Vec::with_capacity(self.entries.len());
        for (i, e) in self.entries.iter().enumerate() {
            if let Some(score) =
                pattern.score(Utf32Str::new(&e.haystack, &mut buf), &mut self.matcher)
            {
                scored.push((score, i));
            }
        }
        // Best score first; equal scores keep palette order.
        scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        // Letters scattered through a long description score far below a real match; past
        // half the best score they are noise, not choices.
        let cutoff = scored.first().map_or(0, |(best, _)| best / 2);
        scored.retain(|(score, _)| *score >= cutoff);
        self.ranked = scored.into_iter().map(|(_, i)| i).collect();
        self.selected = 0;
        self.scroll.set(0);
    }

    /// Draws the palette centred in `area`.
    pub fn render(&self, area: Rect, buf: &mut Buffer, theme: &Theme, lang: Lang) {
        let frame = Frame::new(lang, "palette", &self.input, &self.footer);
        let Some(list) = frame.draw(area, buf, theme, self.ranked.len()) else {
            return;
        };
        let h = usize::from(list.height);
        let top = window_top(
            self.scroll.get(),
            self.selected,
            h,
            self.ranked.len(),
            |_| false,
        );
        self.scroll.set(top);
        self.page.set(h.max(1));
        for (dy, (n, i)) in self.ranked.iter().enumerate().skip(top).take(h).enumerate() {
            let Some(e) = self.entries.get(*i) else {
                continue;
            };
            let y = dy as u16;
            let (x, row_style, key_style) = start_row(buf, list, y, n == self.selected, theme);
            // Keys right-aligned; the description takes the rest.
            let keys = e.keys.as_deref().unwrap_or("");
            let key_w = keys.width() as u16;
            let key_x = list.width.saturating_sub(key_w);
            let desc_room = key_x.saturating_sub(x).saturating_sub(1);
            put(
                buf,
                list,
                x,
                y,
                &fit(&e.desc, usize::from(desc_room)),
                row_style,
            );
            if !keys.is_empty() && key_x > x {
                put(buf, list, key_x, y, keys, key_style);
            }
        }
    }
}

/// A `Widget` view of the palette, for `frame.render_widget(PaletteView { … }, area)`.
pub struct PaletteView<'a> {
    pub state: &'a PaletteState,
    pub theme: &'a Theme,
    pub lang: Lang,
}

impl Widget for PaletteView<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        self.state.render(area, buf, self.theme, self.lang);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::keys::parse_keys;
    use crate::ui::widgets::help::buffer_text;

    fn list_contexts() -> [Context; 3] {
        [Context::List, Context::Navigation, Context::Global]
    }

    fn typed(lang: Lang, contexts: &[Context], text: &str) -> PaletteState {
        let km = Keymap::default();
        let mut p = PaletteState::new(&km, contexts, lang);
        for k in parse_keys(text).unwrap() {
            assert!(p.handle_key(k));
        }
        p
    }

    #[test]
    fn offers_only_what_works_here() {
        let p = typed(Lang::En, &list_contexts(), "");
        let m = p.matches();
        assert_eq!(m[0], Action::ALL[0], "palette order without a filter");
        for a in [
            Action::Search,
            Action::FilterStatus,
            Action::NewIntake,
            Action::Quit,
        ] {
            assert!(m.contains(&a), "{a:?} works in a list");
        }
        for a in [
            Action::Save,
            Action::NextField,
            Action::Palette,
            Action::Yes,
        ] {
            assert!(!m.contains(&a), "{a:?} does nothing in a list");
        }
        let form = typed(Lang::En, &[Context::Form, Context::Global], "").matches();
        assert!(form.contains(&Action::Save) && form.contains(&Action::NextField));
        assert!(!form.contains(&Action::Search) && !form.contains(&Action::FilterStatus));
        // What the screen below cannot do is left out too.
        let queue = PaletteState::new(&Keymap::default(), &list_contexts(), Lang::En)
            .without(&[Action::FilterStatus]);
        assert!(!queue.matches().contains(&Action::FilterStatus));
    }

    #[test]
    fn an_entry_that_names_a_screen_goes_to_that_screen() {
        for (lang, typed_text) in [(Lang::En, "caseload"), (Lang::Nl, "caseload")] {
            let p = typed(lang, &list_contexts(), typed_text);
            assert_eq!(
                p.selected_target(),
                Some(Target::Screen(ScreenId::Caseloads)),
                "{lang:?}"
            );
        }
        // Screens are offered only where one can move between them.
        let p = typed(Lang::En, &[Context::Form, Context::Global], "caseload");
        assert_eq!(p.selected_target(), None);
    }

    #[test]
    fn sav_ranks_save_first_in_both_languages() {
        for lang in [Lang::En, Lang::Nl] {
            let p = typed(lang, &[Context::Form, Context::Global], "sav");
            assert_eq!(
                p.selected(),
                Some(Action::Save),
                "{lang:?}: {:?}",
                p.matches()
            );
        }
        let p = typed(Lang::Nl, &[Context::Form, Context::Global], "opsl");
        assert_eq!(p.selected(), Some(Action::Save));
        let p = typed(Lang::En, &list_contexts(), "intake");
        assert_eq!(p.selected(), Some(Action::NewIntake));
    }

    #[test]
    fn narrowing_and_no_match() {
        let mut p = typed(Lang::En, &list_contexts(), "filter");
        let m = p.matches();
        assert!(m.contains(&Action::FilterStatus) && m.contains(&Action::FilterMunicipality));
        assert!(m.len() < 10);
        // Scattered letters ("go to 1 vertalen … targets") do not make the list.
        assert_eq!(
            typed(Lang::En, &list_contexts(), "new").matches(),
            [Action::NewIntake, Action::New]
        );
        for k in parse_keys("qqqqzz").unwrap() {
            p.handle_key(k);
        }
        assert_eq!(p.selected(), None);
        assert!(p.matches().is_empty());
    }

    #[test]
    fn movement_stays_in_bounds() {
        let mut p = typed(Lang::En, &list_contexts(), "");
        p.up();
        assert_eq!(p.selected(), Some(Action::ALL[0]));
        p.down();
        assert_eq!(p.selected(), Some(Action::ALL[1]));
        p.handle_action(Action::End);
        let last = p.selected_target();
        assert!(last.is_some());
        p.down();
        assert_eq!(p.selected_target(), last);
    }

    #[test]
    fn renders_actions_with_their_keys_at_80x24() {
        let p = typed(Lang::En, &[Context::Form, Context::Global], "sav");
        let mut buf = Buffer::empty(Rect::new(0, 0, 80, 24));
        p.render(buf.area, &mut buf, &Theme::mono(), Lang::En);
        let text = buffer_text(&buf);
        assert!(text.contains(" Commands "), "{text}");
        assert!(text.contains("Command: sav"), "{text}");
        assert!(text.contains("▶ Save the form"), "{text}");

        let p = typed(Lang::Nl, &list_contexts(), "");
        let mut buf = Buffer::empty(Rect::new(0, 0, 80, 24));
        p.render(buf.area, &mut buf, &Theme::color(), Lang::Nl);
        let text = buffer_text(&buf);
        assert!(text.contains("Opdrachten"), "{text}");
        let intake_line = text
            .lines()
            .find(|l| l.contains("Nieuwe intake starten"))
            .unwrap_or_default();
        assert!(
            intake_line
                .trim_end()
                .trim_end_matches('│')
                .trim_end()
                .ends_with('i'),
            "{text}"
        );
        assert!(text.contains("Ctrl+F"), "{text}");
    }

    #[test]
    fn tiny_sizes_do_not_panic() {
        let p = typed(Lang::En, &list_contexts(), "e");
        let mut buf = Buffer::empty(Rect::new(0, 0, 10, 3));
        p.render(buf.area, &mut buf, &Theme::mono(), Lang::En);
        let text = buffer_text(&buf);
        assert!(text.starts_with("Commands:"), "{text}");
        assert!(text.contains("▶"), "{text}");
        for (w, h) in [
            (0, 0),
            (1, 1),
            (3, 2),
            (19, 4),
            (20, 5),
            (25, 9),
            (300, 100),
        ] {
            let mut buf = Buffer::empty(Rect::new(2, 1, w, h));
            p.render(buf.area, &mut buf, &Theme::mono(), Lang::Nl);
        }
    }
}
