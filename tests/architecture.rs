//! The layering, checked: reads every file under `src/` and fails when a module reaches past
//! its neighbours. Data flows one way:
//!
//! ```text
//! domain ← codec ← store ← service ← readmodel ← ui ← cli
//! ```
//!
//! with `i18n` (sentences for people), `config` and `clock` beside them. The rules that matter
//! most: the UI never touches the store (the service is the only door), the store never speaks
//! to people (no `i18n`, no `ui`), only the codec knows bincode, and the domain does no I/O.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Which top-level modules each module may name with `crate::…`.
fn allowed(module: &str) -> Option<&'static [&'static str]> {
    Some(match module {
        "domain" => &[],
        "codec" => &[],
        "clock" => &[],
        "toml_lines" => &[],
        "safe_file" => &[],
        "config" => &["domain", "toml_lines"],
        "store" => &["domain", "codec"],
        "service" => &["domain", "store", "clock", "config", "safe_file"],
        "readmodel" => &["domain", "store"],
        "i18n" => &["domain", "service"],
        "report" => &["domain", "readmodel", "i18n"],
        "demo" => &["domain", "service", "clock", "config"],
        "ui" => &[
            "domain",
            "service",
            "readmodel",
            "i18n",
            "config",
            "clock",
            "toml_lines",
            "report",
            "safe_file",
        ],
        "server" => &[
            "domain",
            "service",
            "readmodel",
            "ui",
            "i18n",
            "config",
            "clock",
        ],
        "cli" => &[
            "domain",
            "service",
            "readmodel",
            "ui",
            "i18n",
            "config",
            "clock",
            "demo",
            "safe_file",
            "report",
            "server",
        ],
        "lib" | "main" => return None,
        _ => return None,
    })
}

/// Paths the domain may not use: anything that does I/O or draws.
const DOMAIN_FORBIDDEN: &[&str] = &[
    "std::fs",
    "std::net",
    "std::process",
    "std::thread",
    "std::env",
    "std::io",
    "sled",
    "crossterm",
    "ratatui",
    "libc",
];

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src is readable") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The code of a file without comments (so a doc comment may mention anything) and without
/// its test module (tests may reach across layers to set things up).
fn code(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests {") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| match l.find("//") {
            // Not inside a string literal (good enough for this code base: no "//" in
            // strings next to module paths).
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Top-level modules named after `crate::` in `code`, including `crate::{a, b::c}` groups.
fn crate_refs(code: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            let mut at_start = true;
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        at_start = true;
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 && at_start {
                    if c.is_alphanumeric() || c == '_' {
                        item.push(c);
                    } else if !item.is_empty() {
                        out.insert(std::mem::take(&mut item));
                        at_start = false;
                    }
                }
            }
            if !item.is_empty() {
                out.insert(item);
            }
        } else {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

#[test]
fn layers_only_use_their_neighbours() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    assert!(all.len() > 20, "found only {} files", all.len());
    let mut wrong = Vec::new();
    for path in &all {
        let rel = path.strip_prefix(&src).expect("below src");
        let module = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .map(|s| s.trim_end_matches(".rs").to_string())
            .unwrap_or_default();
        if path.file_name().is_some_and(|n| n == "tests.rs")
            || rel.components().any(|c| c.as_os_str() == "tests")
        {
            continue;
        }
        let text = std::fs::read_to_string(path).expect("a source file");
        let code = code(&text);
        if let Some(ok) = allowed(&module) {
            for used in crate_refs(&code) {
                if used != module && !ok.contains(&used.as_str()) {
                    wrong.push(format!("{} uses crate::{used}", rel.display()));
                }
            }
        }
        if module != "codec" && code.contains("bincode") {
            wrong.push(format!(
                "{} uses bincode (only the codec may)",
                rel.display()
            ));
        }
        if module == "domain" {
            for f in DOMAIN_FORBIDDEN {
                if code.contains(&format!("{f}::")) || code.contains(&format!("use {f};")) {
                    wrong.push(format!(
                        "{} uses {f} (the domain does no I/O)",
                        rel.display()
                    ));
                }
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "layers reach past their neighbours:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_checker_sees_grouped_and_plain_paths() {
    let refs = crate_refs(
        "use crate::{store::Stored, ui::{a, b}};\nlet x = crate::codec::encode(1);\nuse crate::i18n;",
    );
    let names: Vec<&str> = refs.iter().map(String::as_str).collect();
    assert_eq!(names, ["codec", "i18n", "store", "ui"]);
    assert_eq!(code("let a = 1; // crate::store"), "let a = 1; ");
}
