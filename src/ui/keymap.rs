//! Keymap files → actions, per context.
//!
//! Owns: the shipped keymaps (`keymaps/default.toml` for office staff, `keymaps/vim.toml` on
//! top of it), embedded in the binary; loading a keymap by name or path (serde derives with
//! `toml::Spanned`, see "Parsing" below); merging the user's override file on top; the
//! load-time checks (unknown context, key, action or field, missing `on`/`run`, conflicting
//! bindings), every mistake of a file reported with file and line, never a panic; the lookup
//! of a key
//! sequence in a stack of contexts ([`KeySequencer`]); and the text derived from a keymap
//! (bottom-bar hints, `koppel keys`). The help overlay and the palette read their rows from
//! here, so none of them can disagree with the keys that really work. It holds no per-user
//! state: one [`Keymap`] can be shared by every SSH session behind an `Arc`, while each
//! session owns its [`KeySequencer`].
//!
//! # File format
//! One array of tables per context (yazi's layout):
//! ```toml
//! [[list]]
//! on = "<down>"      # a key or a sequence ("gg", "<c-x><c-s>"), see `ui::keys`
//! run = "down"       # an action name (`ui::action`)
//! desc = "…"         # optional: replaces the catalog description
//! hint = true        # optional: show in the bottom bar
//! ```
//! Within one file a sequence may be bound once per context, and no sequence may be the start
//! of another in the same context (`g` and `gg`): the first would always win.
//!
//! # Overrides
//! The user file has the same format, and so has a shipped keymap built on another one
//! (`vim.toml` holds only what differs from `default.toml`). Each of its bindings replaces, in
//! its context, the binding with the same sequence and any binding it would make unreachable
//! (one sequence the start of the other), in the place of the first one it replaces;
//! `run = "noop"` only removes them, which is how a key is unbound. A replacement keeps the
//! `hint` of the binding it replaces unless it sets its own. A binding that replaces nothing
//! goes right after the binding the same file placed before it in that context, or first in
//! the context: an override's own keys come before the keys they add to (they are the ones
//! the palette and the bottom bar show), and restating a binding unchanged marks where the
//! next new ones go.
//!
//! # Lookup
//! Contexts are searched innermost first (`[Form, Global]`, `[List, Navigation, Global]`); the
//! first context that binds the sequence, or a longer sequence starting with it, decides. A
//! pending prefix ends only by the next key (there are no clocks): a key that continues no
//! binding drops the prefix and is then looked up on its own, except `Esc`, which only
//! cancels the prefix.

use super::action::Action;
use super::keys::{self, KeyParseError};
use crate::i18n::{Lang, t, tf};
use crate::toml_lines::{LineStarts, error_line};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use serde::de::{Deserializer, IgnoredAny};
use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::Path;
use strum::{EnumCount, EnumString, IntoStaticStr, VariantArray};
use toml::Spanned;

/// Where a binding applies. The app passes a stack of these, innermost first.
///
/// The declaration order is the order `koppel keys` prints them; the snake_case names (from
/// strum) are the table names of keymap files.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    IntoStaticStr,
    EnumString,
    VariantArray,
    EnumCount,
)]
#[strum(serialize_all = "snake_case")]
pub enum Context {
    /// Everywhere, even while typing in a form: only non-printable keys.
    Global,
    /// Lists and views (never while typing): groups, screens, new intake, help, quit.
    Navigation,
    /// A list of records.
    List,
    /// The detail view of one record.
    View,
    /// A person's detail, on top of `view`: what only a person has (a trajectory, the
    /// privacy tools), so the other details neither list nor take these keys.
    Person,
    /// A trajectory, in its list or its detail: what a consultant logs on it.
    Trajectory,
    /// A form being filled in.
    Form,
    /// A question (yes/no, discard changes?).
    Dialog,
    /// Typing a search in a list.
    Filter,
    /// The help overlay.
    Help,
    /// The command palette.
    Palette,
    /// The Reports screen: stepping through periods and exporting.
    Report,
    /// 5 Verankeren › Beheer: anonymising what is past its retention period.
    Retention,
}

impl Context {
    /// Every context, in the order `koppel keys` prints them.
    pub const ALL: &'static [Context] = <Context as VariantArray>::VARIANTS;

    /// The snake_case name used as table name in keymap files.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The context with this name.
    pub fn from_name(name: &str) -> Option<Context> {
        name.parse().ok()
    }

    /// Heading for the help overlay and `koppel keys` (catalog `context.<name>`).
    pub fn title(self, lang: Lang) -> String {
        t(lang, &format!("context.{}", self.name())).to_string()
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// One list per context, indexed by [`Context::index`].
type PerContext<T> = [Vec<T>; Context::COUNT];

/// One key sequence bound to an action.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Binding {
    /// The keys to press, normalised (see `keys::normalize`).
    pub keys: Vec<KeyEvent>,
    /// What they do.
    pub action: Action,
    /// A description from the keymap file, replacing the catalog's.
    pub desc: Option<String>,
    /// Whether the bottom bar shows this binding.
    pub hint: bool,
}

impl Binding {
    /// The keys as people read them (`Ctrl+S`, `gg`).
    pub fn keys_text(&self) -> String {
        keys::format_keys(&self.keys)
    }

    /// The keys in keymap notation (`<c-s>`).
    pub fn notation(&self) -> String {
        keys::format_notation_seq(&self.keys)
    }

    /// The file's `desc`, else the action's description from the catalog.
    pub fn description(&self, lang: Lang) -> String {
        match &self.desc {
            Some(d) => d.clone(),
            None => self.action.description(lang),
        }
    }

    /// The short text for the bottom bar: the file's `desc`, else the catalog's
    /// `action_label.<name>`.
    pub fn label(&self, lang: Lang) -> String {
        match &self.desc {
            Some(d) => d.clone(),
            None => action_label(self.action, lang),
        }
    }
}

/// The short label of an action (catalog `action_label.<name>`).
pub fn action_label(action: Action, lang: Lang) -> String {
    t(lang, &format!("action_label.{}", action.name())).to_string()
}

/// What a key sequence means in a stack of contexts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    /// The sequence is bound to this action.
    Action(Action),
    /// The sequence is the start of a longer binding.
    Prefix,
    /// Nothing.
    None,
}

/// A loaded keymap: bindings per context. Immutable once loaded; share it with `Arc`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keymap {
    name: String,
    by_context: PerContext<Binding>,
}

/// A keymap built into the binary.
struct Shipped {
    name: &'static str,
    /// The shipped keymap this one is merged on top of, like a user file: the file then holds
    /// only what differs from its base.
    base: Option<&'static str>,
    src: &'static str,
}

/// The shipped keymaps. `vim` is `default` with vim habits on top.
const SHIPPED: [Shipped; 2] = [
    Shipped {
        name: "default",
        base: None,
        src: include_str!("../../keymaps/default.toml"),
    },
    Shipped {
        name: "vim",
        base: Some("default"),
        src: include_str!("../../keymaps/vim.toml"),
    },
];

/// Names of the shipped keymaps, for `--keymap` help and error messages.
const SHIPPED_NAMES: [&str; 2] = ["default", "vim"];

impl Default for Keymap {
    /// The shipped `default` keymap. A test proves it loads; should that ever fail, the
    /// result is an empty keymap rather than a panic.
    fn default() -> Self {
        Keymap::shipped("default").unwrap_or_else(|_| Keymap::empty("default"))
    }
}

impl Keymap {
    /// A keymap without bindings.
    pub fn empty(name: &str) -> Keymap {
        Keymap {
            name: name.to_string(),
            by_context: std::array::from_fn(|_| Vec::new()),
        }
    }

    /// Names of the keymaps embedded in the binary (`default`, `vim`).
    pub fn shipped_names() -> &'static [&'static str] {
        &SHIPPED_NAMES
    }

    /// A shipped keymap by name (merged on its base, if it has one).
    pub fn shipped(name: &str) -> Result<Keymap, KeymapErrors> {
        let Some(shipped) = SHIPPED.iter().find(|s| s.name == name) else {
            return Err(KeymapError::new(
                name,
                0,
                KeymapProblem::UnknownKeymap {
                    name: name.to_string(),
                },
            )
            .into());
        };
        let file = format!("keymaps/{}.toml", shipped.name);
        match shipped.base {
            None => Keymap::from_toml(shipped.name, &file, shipped.src),
            Some(base) => {
                let mut keymap = Keymap::shipped(base)?;
                keymap.name = shipped.name.to_string();
                keymap.merge_toml(&file, shipped.src)?;
                Ok(keymap)
            }
        }
    }

    /// Loads the keymap named by `spec` (a shipped name or a path; `None` is `default`) and
    /// merges the user's override file on top. A user file that does not exist is no
    /// override; one that cannot be read or is wrong is an error.
    pub fn load(spec: Option<&str>, user_file: Option<&Path>) -> Result<Keymap, KeymapErrors> {
        let spec = spec.unwrap_or("default");
        let mut keymap = if SHIPPED_NAMES.contains(&spec) {
            Keymap::shipped(spec)?
        } else {
            match crate::toml_lines::read_text_file(Path::new(spec)) {
                Ok(src) => Keymap::from_toml(spec, spec, &src)?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound && looks_like_name(spec) => {
                    return Err(KeymapError::new(
                        spec,
                        0,
                        KeymapProblem::UnknownKeymap {
                            name: spec.to_string(),
                        },
                    )
                    .into());
                }
                Err(e) => return Err(KeymapError::unreadable(spec, &e).into()),
            }
        };
        if let Some(path) = user_file {
            let label = path.display().to_string();
            match crate::toml_lines::read_text_file(path) {
                Ok(src) => keymap.merge_toml(&label, &src)?,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(KeymapError::unreadable(&label, &e).into()),
            }
        }
        keymap.check_reachable(user_file.map_or(spec.to_string(), |p| p.display().to_string()))?;
        Ok(keymap)
    }

    /// Refuses a keymap without a `[[global]]` key for quit, help or the palette: those must
    /// work everywhere, also while typing in a field. `file` names the file last merged.
    fn check_reachable(&self, file: String) -> Result<(), KeymapErrors> {
        let global = &self.by_context[Context::Global.index()];
        let errors: Vec<KeymapError> = [Action::Quit, Action::Help, Action::Palette]
            .into_iter()
            .filter(|a| !global.iter().any(|b| b.action == *a))
            .map(|action| KeymapError::new(&file, 0, KeymapProblem::Unreachable { action }))
            .collect();
        if errors.is_empty() {
            Ok(())
        } else {
            Err(KeymapErrors { errors })
        }
    }

    /// Reads a keymap from TOML text; `file` names it in error messages.
    pub fn from_toml(name: &str, file: &str, src: &str) -> Result<Keymap, KeymapErrors> {
        let mut keymap = Keymap::empty(name);
        keymap.merge_toml(file, src)?;
        Ok(keymap)
    }

    /// Merges an override file on top (see the module doc). On error the keymap is unchanged
    /// and every mistake in the file is reported, by line.
    pub fn merge_toml(&mut self, file: &str, src: &str) -> Result<(), KeymapErrors> {
        let parsed = parse_file(file, src)?;
        for ctx in Context::ALL {
            let base = std::mem::take(&mut self.by_context[ctx.index()]);
            self.by_context[ctx.index()] = merge_bindings(base, &parsed[ctx.index()]);
        }
        Ok(())
    }

    /// The keymap's name: a shipped name or the path it was read from.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The bindings of one context, in file order.
    pub fn bindings(&self, context: Context) -> &[Binding] {
        &self.by_context[context.index()]
    }

    /// What `keys` mean in `contexts` (innermost first).
    pub fn lookup(&self, contexts: &[Context], keys: &[KeyEvent]) -> Lookup {
        if keys.is_empty() {
            return Lookup::None;
        }
        for ctx in contexts {
            let mut prefix = false;
            for b in self.bindings(*ctx) {
                if b.keys == keys {
                    return Lookup::Action(b.action);
                }
                if b.keys.len() > keys.len() && b.keys.starts_with(keys) {
                    prefix = true;
                }
            }
            if prefix {
                return Lookup::Prefix;
            }
        }
        Lookup::None
    }

    /// Whether pressing `keys` in `contexts` runs `action` (not shadowed by an inner context).
    fn reachable(&self, contexts: &[Context], keys: &[KeyEvent], action: Action) -> bool {
        (1..keys.len()).all(|n| self.lookup(contexts, &keys[..n]) == Lookup::Prefix)
            && self.lookup(contexts, keys) == Lookup::Action(action)
    }

    /// The bindings that work in `contexts`: innermost context first, file order within a
    /// context, without those an inner context shadows.
    pub fn effective(&self, contexts: &[Context]) -> Vec<(Context, &Binding)> {
        let mut out = Vec::new();
        for (i, ctx) in contexts.iter().enumerate() {
            if contexts[..i].contains(ctx) {
                continue;
            }
            for b in self.bindings(*ctx) {
                if self.reachable(contexts, &b.keys, b.action) {
                    out.push((*ctx, b));
                }
            }
        }
        out
    }

    /// The keys of the first working binding of `action` in `contexts`, for display.
    pub fn keys_for(&self, contexts: &[Context], action: Action) -> Option<String> {
        self.effective(contexts)
            .into_iter()
            .find(|(_, b)| b.action == action)
            .map(|(_, b)| b.keys_text())
    }

    /// The bottom-bar hints for `contexts`: `(keys, label)` of the bindings marked `hint`,
    /// innermost context first, in file order, one per action.
    ///
    /// Where the language names its own key for an action (catalog `hint_key.<action>`, such
    /// as `j` for yes in Dutch) and that key is bound to it here, the hint shows that key.
    pub fn hints(&self, contexts: &[Context], lang: Lang) -> Vec<(String, String)> {
        self.hint_actions(contexts, lang)
            .into_iter()
            .map(|(_, keys, label)| (keys, label))
            .collect()
    }

    /// [`Self::hints`] with the action of each.
    pub fn hint_actions(&self, contexts: &[Context], lang: Lang) -> Vec<(Action, String, String)> {
        let effective = self.effective(contexts);
        let mut seen: Vec<Action> = Vec::new();
        let mut out = Vec::new();
        for (_, b) in &effective {
            if b.hint && !seen.contains(&b.action) {
                seen.push(b.action);
                let key = format!("hint_key.{}", b.action.name());
                let own = t(lang, &key);
                let keys = effective
                    .iter()
                    .find(|(_, o)| o.action == b.action && own != key && o.notation() == own)
                    .map_or_else(|| b.keys_text(), |(_, o)| o.keys_text());
                out.push((b.action, keys, b.label(lang)));
            }
        }
        out
    }
}

/// Whether two sequences clash: equal, or one the start of the other.
#[cfg(test)]
fn overlaps(a: &[KeyEvent], b: &[KeyEvent]) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

/// The key sequences of a list of bindings, indexed to find those that clash with a sequence
/// ([`overlaps`]) in time that grows with the sequence's length, not the list's: loading a
/// keymap stays linear in its number of bindings.
#[derive(Default)]
struct Clashes {
    /// Each sequence → the positions that hold it.
    whole: HashMap<Vec<KeyEvent>, Vec<usize>>,
    /// Each proper start of a sequence → the positions whose sequence starts so.
    starts: HashMap<Vec<KeyEvent>, Vec<usize>>,
}

impl Clashes {
    fn add(&mut self, position: usize, keys: &[KeyEvent]) {
        self.whole.entry(keys.to_vec()).or_default().push(position);
        for n in 1..keys.len() {
            self.starts
                .entry(keys[..n].to_vec())
                .or_default()
                .push(position);
        }
    }

    /// The positions whose sequence clashes with `keys` (some may be listed twice).
    fn with<'a>(&'a self, keys: &'a [KeyEvent]) -> impl Iterator<Item = usize> + 'a {
        let shorter_or_equal = (1..=keys.len())
            .filter_map(|n| self.whole.get(&keys[..n]))
            .flatten();
        let longer = self.starts.get(keys).into_iter().flatten();
        shorter_or_equal.chain(longer).copied()
    }
}

/// The bindings of one context after a file's bindings of it are merged on top of `base` (see
/// the module doc): each file binding removes the bindings its keys clash with and takes the
/// place of the first of them; one that replaces nothing follows the file binding placed
/// before it (or goes first); `noop` only removes. In time linear in the number of bindings:
/// new bindings are gathered in groups, each anchored at a base binding it replaced (or at
/// the front), and the list is put together once at the end.
fn merge_bindings(base: Vec<Binding>, file: &[FileBinding]) -> Vec<Binding> {
    let mut index = Clashes::default();
    for (i, b) in base.iter().enumerate() {
        index.add(i, &b.keys);
    }
    let mut removed = vec![false; base.len()];
    // The groups of new bindings: anchored at the base position they replaced, or `None`
    // for the front. The last group is where a binding that replaces nothing goes.
    let mut groups: Vec<(Option<usize>, Vec<Binding>)> = Vec::new();
    for fb in file {
        let mut first: Option<usize> = None;
        let mut inherited_hint = false;
        let mut clashing: Vec<usize> = index.with(&fb.keys).filter(|&i| !removed[i]).collect();
        clashing.sort_unstable();
        clashing.dedup();
        for i in clashing {
            removed[i] = true;
            if base[i].keys == fb.keys {
                inherited_hint = base[i].hint;
            }
            first.get_or_insert(i);
        }
        let Run::Action(action) = fb.run else {
            continue;
        };
        let binding = Binding {
            keys: fb.keys.clone(),
            action,
            desc: fb.desc.clone(),
            hint: fb.hint.unwrap_or(inherited_hint),
        };
        match (first, groups.last_mut()) {
            (Some(at), _) => groups.push((Some(at), vec![binding])),
            (None, Some((_, group))) => group.push(binding),
            (None, None) => groups.push((None, vec![binding])),
        }
    }
    let mut at_base: HashMap<usize, Vec<Binding>> = HashMap::new();
    let mut out = Vec::with_capacity(base.len() + file.len());
    for (anchor, group) in groups {
        match anchor {
            None => out.extend(group),
            Some(i) => {
                at_base.insert(i, group);
            }
        }
    }
    for (i, b) in base.into_iter().enumerate() {
        if let Some(group) = at_base.remove(&i) {
            out.extend(group);
        }
        if !removed[i] {
            out.push(b);
        }
    }
    out
}

/// A spec without a path separator or `.toml` is meant as a shipped name.
fn looks_like_name(spec: &str) -> bool {
    !spec.contains('/') && !spec.contains('\\') && !spec.ends_with(".toml")
}

/// Per user session: the keys typed so far of a multi-key sequence.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeySequencer {
    pending: Vec<KeyEvent>,
}

/// What one key did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feed {
    /// Run this action.
    Action(Action),
    /// The key started or continued a sequence; wait for the next key.
    Pending,
    /// The key is bound to nothing here (a form may type it).
    Unbound,
    /// Not a key press to act on: a release, a lone modifier, or an `Esc` that cancelled a
    /// pending sequence. Do nothing.
    Ignored,
}

impl KeySequencer {
    /// A sequencer with nothing pending.
    pub fn new() -> KeySequencer {
        KeySequencer::default()
    }

    /// The keys of the sequence typed so far (empty when nothing is pending).
    pub fn pending(&self) -> &[KeyEvent] {
        &self.pending
    }

    /// Forgets a pending sequence (e.g. when a screen changes underneath it).
    pub fn reset(&mut self) {
        self.pending.clear();
    }

    /// Feeds one key event; `contexts` innermost first.
    pub fn feed(&mut self, keymap: &Keymap, contexts: &[Context], key: KeyEvent) -> Feed {
        let Some(key) = keys::normalize(key) else {
            return Feed::Ignored;
        };
        self.pending.push(key);
        match keymap.lookup(contexts, &self.pending) {
            Lookup::Action(a) => {
                self.pending.clear();
                return Feed::Action(a);
            }
            Lookup::Prefix => return Feed::Pending,
            Lookup::None => {}
        }
        let had_prefix = self.pending.len() > 1;
        self.pending.clear();
        if !had_prefix {
            return Feed::Unbound;
        }
        if key.code == KeyCode::Esc && key.modifiers == KeyModifiers::NONE {
            return Feed::Ignored;
        }
        // The prefix is dropped; the key counts on its own.
        self.pending.push(key);
        match keymap.lookup(contexts, &self.pending) {
            Lookup::Action(a) => {
                self.pending.clear();
                Feed::Action(a)
            }
            Lookup::Prefix => Feed::Pending,
            Lookup::None => {
                self.pending.clear();
                Feed::Unbound
            }
        }
    }
}

/// The effective keymap as text, per context, for `koppel keys`: keys as people read them,
/// the notation to write in an override file, the action name and its description.
pub fn print_keymap(keymap: &Keymap, lang: Lang) -> String {
    use std::fmt::Write as _;
    use unicode_width::UnicodeWidthStr;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}",
        tf(
            lang,
            "keymap.print.title",
            &[("name", keymap.name().to_string())]
        )
    );
    let _ = writeln!(out, "{}", t(lang, "keymap.print.note"));
    let rows: Vec<(Context, String, String, &str, String)> = Context::ALL
        .iter()
        .flat_map(|ctx| {
            keymap.bindings(*ctx).iter().map(move |b| {
                (
                    *ctx,
                    b.keys_text(),
                    b.notation(),
                    b.action.name(),
                    b.description(lang),
                )
            })
        })
        .collect();
    let w_keys = rows.iter().map(|r| r.1.width()).max().unwrap_or(0);
    let w_not = rows.iter().map(|r| r.2.width()).max().unwrap_or(0);
    let w_act = rows.iter().map(|r| r.3.width()).max().unwrap_or(0);
    for &ctx in Context::ALL {
        let _ = writeln!(out);
        let _ = writeln!(out, "[{}] {}", ctx.name(), ctx.title(lang));
        if keymap.bindings(ctx).is_empty() {
            let _ = writeln!(out, "  {}", t(lang, "keymap.print.none"));
        }
        for (_, keys_text, notation, action, desc) in rows.iter().filter(|r| r.0 == ctx) {
            let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(s.width())));
            let _ = writeln!(
                out,
                "  {}  {}  {}  {}",
                pad(keys_text, w_keys),
                pad(notation, w_not),
                pad(action, w_act),
                desc
            );
        }
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Errors

/// What is wrong in a keymap file.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeymapProblem {
    /// The file could not be read.
    Read { reason: String },
    /// Neither a shipped keymap nor an existing file.
    UnknownKeymap { name: String },
    /// Not valid TOML (the detail is the TOML parser's, in English).
    Syntax { detail: String },
    /// A table name that is not a context.
    UnknownContext {
        name: String,
        suggestion: Option<String>,
    },
    /// A context not written as `[[context]]` tables.
    NotAList { context: String },
    /// An entry of a context that is not a table.
    NotATable { context: String },
    /// A field other than `on`, `run`, `desc`, `hint`.
    UnknownField { field: String },
    /// A field of the wrong type.
    WrongType { field: String, expected: Expected },
    /// A binding without `on`.
    MissingOn,
    /// A binding without `run`.
    MissingRun,
    /// `on = ""`.
    EmptyOn,
    /// A key notation that cannot be read.
    BadKey {
        notation: String,
        error: KeyParseError,
    },
    /// A `run` that names no action.
    UnknownAction {
        name: String,
        suggestion: Option<String>,
    },
    /// The same sequence twice in one context.
    Duplicate {
        keys: String,
        context: Context,
        other_line: usize,
    },
    /// One sequence the start of another in one context.
    Prefix {
        keys: String,
        other: String,
        context: Context,
        other_line: usize,
    },
    /// A `[[global]]` key that types text: it would fire while typing in a field.
    TypesText { keys: String },
    /// The keymap leaves no key in `[[global]]` for an action that must always be reachable
    /// (quit, help, the palette).
    Unreachable { action: Action },
}

/// The type a field should have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expected {
    /// A string.
    Text,
    /// A string or an array of strings.
    TextOrList,
    /// `true` or `false`.
    Bool,
}

impl KeymapProblem {
    /// The sentence in `lang`.
    pub fn text(&self, lang: Lang) -> String {
        let s = |v: &str| v.to_string();
        match self {
            KeymapProblem::Read { reason } => {
                tf(lang, "keymap.error.read", &[("reason", s(reason))])
            }
            KeymapProblem::UnknownKeymap { name } => tf(
                lang,
                "keymap.error.unknown_keymap",
                &[("name", s(name)), ("shipped", SHIPPED_NAMES.join(", "))],
            ),
            KeymapProblem::Syntax { detail } => {
                tf(lang, "keymap.error.syntax", &[("detail", s(detail))])
            }
            KeymapProblem::UnknownContext { name, suggestion } => {
                let all: Vec<&str> = Context::ALL.iter().map(|c| c.name()).collect();
                let names = [("names", all.join(", "))];
                with_suggestion(
                    lang,
                    tf(lang, "keymap.error.unknown_context", &[("name", s(name))]),
                    suggestion,
                    Some(tf(lang, "keymap.error.contexts_are", &names)),
                )
            }
            KeymapProblem::NotAList { context } => {
                tf(lang, "keymap.error.not_a_list", &[("context", s(context))])
            }
            KeymapProblem::NotATable { context } => {
                tf(lang, "keymap.error.not_a_table", &[("context", s(context))])
            }
            KeymapProblem::UnknownField { field } => {
                tf(lang, "keymap.error.unknown_field", &[("field", s(field))])
            }
            KeymapProblem::WrongType { field, expected } => {
                let key = match expected {
                    Expected::Text => "keymap.error.expected_text",
                    Expected::TextOrList => "keymap.error.expected_text_or_list",
                    Expected::Bool => "keymap.error.expected_bool",
                };
                tf(lang, key, &[("field", s(field))])
            }
            KeymapProblem::MissingOn => t(lang, "keymap.error.missing_on").to_string(),
            KeymapProblem::MissingRun => t(lang, "keymap.error.missing_run").to_string(),
            KeymapProblem::EmptyOn => t(lang, "keymap.error.empty_on").to_string(),
            KeymapProblem::BadKey { notation, error } => tf(
                lang,
                "keymap.error.bad_key",
                &[("notation", s(notation)), ("reason", error.to_text(lang))],
            ),
            KeymapProblem::UnknownAction { name, suggestion } => with_suggestion(
                lang,
                tf(lang, "keymap.error.unknown_action", &[("name", s(name))]),
                suggestion,
                None,
            ),
            KeymapProblem::Duplicate {
                keys,
                context,
                other_line,
            } => tf(
                lang,
                "keymap.error.duplicate",
                &[
                    ("keys", s(keys)),
                    ("context", s(context.name())),
                    ("line", other_line.to_string()),
                ],
            ),
            KeymapProblem::TypesText { keys } => {
                tf(lang, "keymap.error.types_text", &[("keys", s(keys))])
            }
            KeymapProblem::Unreachable { action } => tf(
                lang,
                "keymap.error.unreachable",
                &[("action", s(action.name()))],
            ),
            KeymapProblem::Prefix {
                keys,
                other,
                context,
                other_line,
            } => tf(
                lang,
                "keymap.error.prefix",
                &[
                    ("keys", s(keys)),
                    ("other", s(other)),
                    ("context", s(context.name())),
                    ("line", other_line.to_string()),
                ],
            ),
        }
    }
}

/// A keymap file that cannot be used: which file, which line (0 when the problem is not on a
/// line, such as a missing file), and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapError {
    /// The file as the user named it (`keymaps/vim.toml` for a shipped one).
    pub file: String,
    /// 1-based line, or 0.
    pub line: usize,
    /// The problem in English (`unknown action "sav"`).
    pub message: String,
    /// The problem, for [`KeymapError::to_text`].
    pub problem: KeymapProblem,
}

impl KeymapError {
    fn new(file: &str, line: usize, problem: KeymapProblem) -> KeymapError {
        KeymapError {
            file: file.to_string(),
            line,
            message: problem.text(Lang::En),
            problem,
        }
    }

    /// A file that exists (or should) but cannot be read.
    fn unreadable(file: &str, e: &std::io::Error) -> KeymapError {
        KeymapError::new(
            file,
            0,
            KeymapProblem::Read {
                reason: e.to_string(),
            },
        )
    }

    /// The whole sentence in `lang`: `keymaps/my.toml, regel 12: onbekende actie "sav"`.
    pub fn to_text(&self, lang: Lang) -> String {
        let message = self.problem.text(lang);
        if self.line == 0 {
            tf(
                lang,
                "keymap.error.in_file",
                &[("file", self.file.clone()), ("message", message)],
            )
        } else {
            tf(
                lang,
                "keymap.error.at_line",
                &[
                    ("file", self.file.clone()),
                    ("line", self.line.to_string()),
                    ("message", message),
                ],
            )
        }
    }
}

impl fmt::Display for KeymapError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text(Lang::En))
    }
}

impl std::error::Error for KeymapError {}

/// Everything wrong in a keymap file: one [`KeymapError`] per mistake, by line (never empty).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeymapErrors {
    errors: Vec<KeymapError>,
}

impl KeymapErrors {
    /// Every mistake, by line; among equal lines in the order they were found.
    pub fn errors(&self) -> &[KeymapError] {
        &self.errors
    }

    /// The first mistake by line.
    pub fn first(&self) -> &KeymapError {
        // Invariant: built only from at least one error (`From<KeymapError>` and
        // `parse_file`, which returns `Ok` when it found none).
        &self.errors[0]
    }

    /// Every mistake as a sentence in `lang`, one per line.
    pub fn to_text(&self, lang: Lang) -> String {
        let lines: Vec<String> = self.errors.iter().map(|e| e.to_text(lang)).collect();
        lines.join("\n")
    }
}

impl From<KeymapError> for KeymapErrors {
    fn from(e: KeymapError) -> Self {
        KeymapErrors { errors: vec![e] }
    }
}

impl fmt::Display for KeymapErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text(Lang::En))
    }
}

impl std::error::Error for KeymapErrors {}

/// `base` followed by "did you mean …?" when there is a suggestion, else by `otherwise`.
fn with_suggestion(
    lang: Lang,
    base: String,
    suggestion: &Option<String>,
    otherwise: Option<String>,
) -> String {
    let tail = match suggestion {
        Some(m) => Some(tf(
            lang,
            "keymap.error.did_you_mean",
            &[("name", m.clone())],
        )),
        None => otherwise,
    };
    match tail {
        Some(tail) => format!("{base} {tail}"),
        None => base,
    }
}

/// The closest of `candidates` to `word`, when it is near enough to be a typo.
fn suggest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let word: Vec<char> = word.to_lowercase().chars().collect();
    if word.is_empty() || word.len() > 64 {
        return None;
    }
    let mut best: Option<(usize, &str)> = None;
    for c in candidates {
        let d = edit_distance(&word, &c.chars().collect::<Vec<_>>());
        let limit = if word.len() <= 4 { 1 } else { 2 };
        if d <= limit && best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.map(|(_, c)| c.to_string())
}

fn edit_distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

// ---------------------------------------------------------------------------------------------
// Parsing
//
// serde reads the file into derived types with spans. Every value whose shape may be wrong is
// read leniently (`Lenient`), so one mistake does not stop the reading and the checks below
// can report all of them. Unknown field names come from a second, names-only reading of the
// same text, since the typed one skips them.

/// What a binding runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Run {
    Action(Action),
    /// `run = "noop"`: unbinds in an override file.
    Noop,
}

/// A checked binding of a file, before it is merged.
#[derive(Debug, Clone)]
struct FileBinding {
    keys: Vec<KeyEvent>,
    run: Run,
    desc: Option<String>,
    hint: Option<bool>,
    /// Line of `on`.
    line: usize,
}

/// A value read leniently: one of the wrong shape becomes `Lenient(None)` instead of failing
/// the whole file, so that the checks after parsing can report every mistake with its line.
/// (The TOML deserializer hands out every value on its own, so skipping one is safe.)
struct Lenient<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Lenient<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Lenient(T::deserialize(d).ok()))
    }
}

/// A value with the span of its text in the file.
type Sp<T> = Spanned<Lenient<T>>;

/// A keymap file as serde reads it: each context name with its `[[context]]` tables. A
/// context that is not a list of tables, or an entry that is not a table, is `None`.
type RawFile<B> = BTreeMap<Spanned<String>, Sp<Vec<Sp<B>>>>;

/// The fields of one `[[context]]` table; each may be missing or of the wrong type.
#[derive(Deserialize)]
struct RawBinding {
    on: Option<Sp<OnKeys>>,
    run: Option<Sp<String>>,
    desc: Option<Sp<String>>,
    hint: Option<Sp<bool>>,
}

/// The field names of [`RawBinding`]; any other name in a table is a mistake.
const FIELDS: [&str; 4] = ["on", "run", "desc", "hint"];

/// The names in one `[[context]]` table, read in a second pass to find unknown fields with
/// their lines (the typed pass skips them).
type RawNames = BTreeMap<Spanned<String>, IgnoredAny>;

/// `on`: a notation string, or an array of them pressed one after the other.
#[derive(Deserialize)]
#[serde(untagged)]
enum OnKeys {
    One(String),
    Seq(Vec<String>),
}

/// Parses and checks one file; on error, every mistake found, by line.
fn parse_file(file: &str, src: &str) -> Result<PerContext<FileBinding>, KeymapErrors> {
    let syntax = |e: toml::de::Error| {
        let detail = e.message().lines().next().unwrap_or("").trim().to_string();
        let line = error_line(src, &e).unwrap_or(0);
        KeymapErrors::from(KeymapError::new(
            file,
            line,
            KeymapProblem::Syntax { detail },
        ))
    };
    let raw: RawFile<RawBinding> = toml::from_str(src).map_err(syntax)?;
    let lines = LineStarts::new(src);
    // The same text once more for the names only; it parsed above, so it parses here.
    let names: RawFile<RawNames> = toml::from_str(src).map_err(syntax)?;

    let mut problems: Vec<(usize, KeymapProblem)> = Vec::new();
    let mut bindings: PerContext<FileBinding> = std::array::from_fn(|_| Vec::new());
    // Both maps hold the same keys, in the same (sorted) order.
    for ((name, value), (_, name_value)) in raw.into_iter().zip(names) {
        let line = lines.line(name.span().start);
        let Some(ctx) = Context::from_name(name.get_ref()) else {
            let suggestion = suggest(name.get_ref(), Context::ALL.iter().map(|c| c.name()));
            let name = name.into_inner();
            problems.push((line, KeymapProblem::UnknownContext { name, suggestion }));
            continue;
        };
        let context = ctx.name().to_string();
        let (Some(entries), Some(entry_names)) = (value.into_inner().0, name_value.into_inner().0)
        else {
            problems.push((line, KeymapProblem::NotAList { context }));
            continue;
        };
        for (entry, entry_names) in entries.into_iter().zip(entry_names) {
            let entry_line = lines.line(entry.span().start);
            let (Some(fields), Some(field_names)) =
                (entry.into_inner().0, entry_names.into_inner().0)
            else {
                let context = context.clone();
                problems.push((entry_line, KeymapProblem::NotATable { context }));
                continue;
            };
            if let Some(b) = check_binding(&lines, fields, field_names, entry_line, &mut problems) {
                if ctx == Context::Global && types_text(&b.keys) {
                    let keys = keys::format_notation_seq(&b.keys);
                    problems.push((b.line, KeymapProblem::TypesText { keys }));
                    continue;
                }
                bindings[ctx.index()].push(b);
            }
        }
    }

    for ctx in Context::ALL {
        let list = &bindings[ctx.index()];
        let mut earlier = Clashes::default();
        for (j, b) in list.iter().enumerate() {
            let first = earlier.with(&b.keys).min();
            earlier.add(j, &b.keys);
            if let Some(a) = first.map(|i| &list[i]) {
                let (keys, other) = (
                    keys::format_notation_seq(&b.keys),
                    keys::format_notation_seq(&a.keys),
                );
                let (context, other_line) = (*ctx, a.line);
                let problem = if a.keys == b.keys {
                    KeymapProblem::Duplicate {
                        keys,
                        context,
                        other_line,
                    }
                } else {
                    KeymapProblem::Prefix {
                        keys,
                        other,
                        context,
                        other_line,
                    }
                };
                problems.push((b.line, problem));
            }
        }
    }

    if problems.is_empty() {
        return Ok(bindings);
    }
    // By line; among equal lines in the order found (the sort is stable).
    problems.sort_by_key(|(line, _)| *line);
    let errors = problems
        .into_iter()
        .map(|(line, problem)| KeymapError::new(file, line, problem))
        .collect();
    Err(KeymapErrors { errors })
}

/// Whether a key sequence starts with a key that types text (a character without Ctrl or
/// Alt).
fn types_text(keys: &[KeyEvent]) -> bool {
    use crossterm::event::{KeyCode, KeyModifiers};
    keys.first().is_some_and(|k| {
        matches!(k.code, KeyCode::Char(_))
            && !k
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
    })
}

/// Checks the fields of one table (`names` are all its field names); pushes each mistake and
/// returns the binding when nothing is wrong with it.
fn check_binding(
    lines: &LineStarts,
    fields: RawBinding,
    names: RawNames,
    entry_line: usize,
    problems: &mut Vec<(usize, KeymapProblem)>,
) -> Option<FileBinding> {
    let before = problems.len();
    for name in names.into_keys() {
        if !FIELDS.contains(&name.get_ref().as_str()) {
            let line = lines.line(name.span().start);
            let field = name.into_inner();
            problems.push((line, KeymapProblem::UnknownField { field }));
        }
    }
    let on = field_value(lines, "on", Expected::TextOrList, fields.on, problems);
    let run = field_value(lines, "run", Expected::Text, fields.run, problems);
    let desc = field_value(lines, "desc", Expected::Text, fields.desc, problems);
    let hint = field_value(lines, "hint", Expected::Bool, fields.hint, problems);
    let keys = on.and_then(|(on, line)| match on_keys(on) {
        Err((notation, error)) => {
            problems.push((line, KeymapProblem::BadKey { notation, error }));
            None
        }
        Ok(k) if k.is_empty() => {
            problems.push((line, KeymapProblem::EmptyOn));
            None
        }
        Ok(k) => Some((k, line)),
    });
    let run = run.and_then(|(name, line)| {
        if name == "noop" {
            return Some(Run::Noop);
        }
        if let Some(a) = Action::from_name(&name) {
            return Some(Run::Action(a));
        }
        let suggestion = suggest(&name, Action::ALL.iter().map(|a| a.name()));
        problems.push((line, KeymapProblem::UnknownAction { name, suggestion }));
        None
    });
    if problems.len() > before {
        return None;
    }
    let Some((keys, line)) = keys else {
        problems.push((entry_line, KeymapProblem::MissingOn));
        return None;
    };
    let Some(run) = run else {
        problems.push((entry_line, KeymapProblem::MissingRun));
        return None;
    };
    Some(FileBinding {
        keys,
        run,
        desc: desc
            .map(|(d, _)| d.trim().to_string())
            .filter(|d| !d.is_empty()),
        hint: hint.map(|(h, _)| h),
        line,
    })
}

/// A field's value with its line; `None` when it is missing or of the wrong type (reported).
fn field_value<T>(
    lines: &LineStarts,
    field: &str,
    expected: Expected,
    value: Option<Sp<T>>,
    problems: &mut Vec<(usize, KeymapProblem)>,
) -> Option<(T, usize)> {
    let value = value?;
    let line = lines.line(value.span().start);
    match value.into_inner().0 {
        Some(v) => Some((v, line)),
        None => {
            let field = field.to_string();
            problems.push((line, KeymapProblem::WrongType { field, expected }));
            None
        }
    }
}

/// The keys of `on`, or the notation that cannot be read and why.
fn on_keys(on: OnKeys) -> Result<Vec<KeyEvent>, (String, KeyParseError)> {
    let parse = |s: &str| keys::parse_keys(s).map_err(|e| (s.to_string(), e));
    match on {
        OnKeys::One(s) => parse(&s),
        OnKeys::Seq(items) => {
            let mut out = Vec::new();
            for item in items {
                out.extend(parse(&item)?);
            }
            Ok(out)
        }
    }
}

#[cfg(test)]
mod tests;
