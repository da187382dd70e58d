//! Fixture tests of the Go-aware editor features, against the workspace
//! `tests/fixtures/workspaces/editor` (a module with two main packages, a buildinfo package for
//! `-X`, files behind build tags, and a `.dockerignore`). Each
//! `tests/fixtures/ide-go/<feature>/<case>.Dockerfile` has one `$0` cursor and one snapshot:
//! - `definition`: where go to definition leads (a place in the Dockerfile, or a file of the
//!   workspace with the text and line:column of the range);
//! - `completion`: the items, as `tests/ide.rs` shows them;
//! - `signature`: the synopsis, the active parameter and its description.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use gantry_ls::ide::{self, CompletionOptions, Completions, DefinitionTarget};
use gantry_ls::rules::GoFacts;
use gantry_ls::syntax;
use gantry_ls::workspace::Workspace;

fn fixture_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn workspace_dir() -> PathBuf {
    fixture_root().join("workspaces/editor")
}

fn cases(feature: &str) -> Vec<(String, String, usize)> {
    let dir = fixture_root().join("ide-go").join(feature);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let name = path.file_stem().and_then(|s| s.to_str()).expect("a UTF-8 name").to_string();
            let marked = std::fs::read_to_string(&path).expect("read the fixture");
            let at = marked.find("$0").unwrap_or_else(|| panic!("{name}: no $0 marker"));
            assert!(!marked[at + 2..].contains("$0"), "{name}: more than one $0 marker");
            (name, format!("{}{}", &marked[..at], &marked[at + 2..]), at)
        })
        .collect()
}

fn editor_facts() -> GoFacts {
    let workspace = Arc::new(Workspace::open(&workspace_dir()).expect("open the editor workspace"));
    workspace.index_now();
    // Read every package in full now, as the first requests would over time: the snapshots then
    // never depend on how fast this machine parses.
    assert!(workspace.full_packages(Duration::from_secs(60)).complete);
    GoFacts::for_dockerfile(workspace, "Dockerfile")
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

fn render_definition(text: &str, target: Option<DefinitionTarget>) -> String {
    match target {
        None => "(no definition)\n".to_string(),
        Some(DefinitionTarget::InDocument(range)) => format!("in the Dockerfile: {:?}\n", &text[range.as_range()]),
        Some(DefinitionTarget::InFile { path, range }) => {
            let relative = path.strip_prefix(workspace_dir()).expect("a file of the workspace");
            let mut out = format!("file: {}\n", relative.display());
            if let Some(range) = range {
                let file = std::fs::read_to_string(&path).expect("read the target file");
                let (line, column) = line_column(&file, range.start);
                writeln!(out, "at {line}:{column}: {:?}", &file[range.as_range()]).unwrap();
            }
            out
        }
    }
}

#[test]
fn definition_fixtures() {
    let facts = editor_facts();
    let cases = cases("definition");
    assert!(cases.len() >= 15, "definition fixtures: {}", cases.len());
    for (name, text, offset) in cases {
        let parse = syntax::parse(&text);
        let target = ide::definition(&parse, offset, Some(&facts));
        insta::assert_snapshot!(format!("definition-{name}"), render_definition(&text, target), &text);
    }
}

/// One line per item: kind, label, what is inserted (when it differs), over which text, detail.
fn render_completions(text: &str, completions: &Completions) -> String {
    let mut out = String::new();
    if completions.incomplete {
        out += "(incomplete: more items as more is typed)\n";
    }
    for item in &completions.items {
        write!(out, "{:?} {}", item.kind, item.label).unwrap();
        if item.insert_text != item.label {
            write!(out, " => {:?}", item.insert_text).unwrap();
        }
        let replaced = &text[item.range.as_range()];
        if !replaced.is_empty() {
            write!(out, " replacing {replaced:?}").unwrap();
        }
        if let Some(detail) = &item.detail {
            write!(out, " · {detail}").unwrap();
        }
        if let Some(documentation) = &item.documentation {
            write!(out, "\n    {documentation}").unwrap();
        }
        out += "\n";
    }
    if completions.items.is_empty() {
        out += "(nothing)\n";
    }
    out
}

#[test]
fn completion_fixtures() {
    let facts = editor_facts();
    let cases = cases("completion");
    assert!(cases.len() >= 15, "completion fixtures: {}", cases.len());
    for (name, text, offset) in cases {
        let parse = syntax::parse(&text);
        let completions = ide::completions(&parse, offset, Some(&facts), CompletionOptions { snippets: true });
        for item in &completions.items {
            assert!(item.range.start <= offset && item.range.end == offset, "{name}: {item:?}");
        }
        insta::assert_snapshot!(format!("completion-{name}"), render_completions(&text, &completions), &text);
    }
}

#[test]
fn signature_fixtures() {
    let cases = cases("signature");
    assert!(cases.len() >= 10, "signature fixtures: {}", cases.len());
    for (name, text, offset) in cases {
        let parse = syntax::parse(&text);
        let shown = match ide::signature_help(&parse, offset) {
            None => "(no signature)\n".to_string(),
            Some(signature) => {
                let active = signature
                    .active_parameter
                    .and_then(|i| signature.parameters.get(i))
                    .map(|&(start, end)| &signature.label[start..end]);
                for &(start, end) in &signature.parameters {
                    assert!(start <= end && end <= signature.label.len(), "{name}: a parameter outside the label");
                }
                format!("{}\nactive: {active:?}\ndocumentation: {:?}\n", signature.label, signature.documentation)
            }
        };
        insta::assert_snapshot!(format!("signature-{name}"), shown, &text);
    }
}

/// Before the index is built, completion answers with what is known: the context's files (read
/// on demand), no `-X` targets yet, and an answer marked incomplete so the client asks again.
#[test]
fn before_indexing_completion_returns_what_is_known() {
    let workspace = Arc::new(Workspace::open(&workspace_dir()).expect("open the editor workspace"));
    let facts = GoFacts::for_dockerfile(Arc::clone(&workspace), "Dockerfile");
    let text = "FROM golang:1.23\nCOPY con\nRUN go build -ldflags \"-X \" ./cmd/shop\n";
    let parse = syntax::parse(text);
    let copy = ide::completions(&parse, text.find("con\n").unwrap() + 3, Some(&facts), CompletionOptions::default());
    let labels: Vec<&str> = copy.items.iter().map(|i| i.label.as_str()).collect();
    assert!(labels.contains(&"configs/") && labels.contains(&"go.mod"), "{labels:?}");
    // Left out by the .dockerignore: never offered.
    assert!(!labels.iter().any(|l| ["NOTES.md", "docs/", "secrets/"].contains(l)), "{labels:?}");
    let x = ide::completions(&parse, text.find("-X ").unwrap() + 3, Some(&facts), CompletionOptions::default());
    assert!(x.items.is_empty() && x.incomplete, "{x:?}");
    workspace.index_now();
    // As a client does while the answer is incomplete: ask again.
    let x = ask_until_complete(|| {
        ide::completions(&parse, text.find("-X ").unwrap() + 3, Some(&facts), CompletionOptions::default())
    });
    assert!(x.items.iter().any(|i| i.label == "main.version"), "{x:?}");
}

/// Repeats a completion request until the answer is complete (or 10 s have passed).
fn ask_until_complete(request: impl Fn() -> Completions) -> Completions {
    let started = std::time::Instant::now();
    loop {
        let answer = request();
        if !answer.incomplete || started.elapsed() > Duration::from_secs(10) {
            assert!(!answer.incomplete, "still incomplete after 10 s");
            return answer;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// `full_packages` reads within its budget and leaves the rest to a background thread, whose
/// progress later calls see.
#[test]
fn full_packages_resume_after_an_exhausted_budget() {
    let workspace = Arc::new(Workspace::open(&workspace_dir()).expect("open the editor workspace"));
    let indexed = workspace.index_now();
    let none = workspace.full_packages(Duration::ZERO);
    assert!(!none.complete && none.packages.len() < indexed.packages.len());
    let started = std::time::Instant::now();
    let all = loop {
        let found = workspace.full_packages(Duration::ZERO);
        if found.complete || started.elapsed() > Duration::from_secs(10) {
            break found;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    assert!(all.complete && all.packages.len() == indexed.packages.len());
    assert!(all.packages.iter().all(|p| p.files.iter().all(|f| f.facts.body_facts)));
    // Nothing changed: the same packages, without reading again.
    let again = workspace.full_packages(Duration::ZERO);
    assert!(again.complete && again.packages.iter().zip(&all.packages).all(|(a, b)| Arc::ptr_eq(a, b)));
}

/// Every offset of every fixture, with and without the Go facts: no panic, ranges in bounds.
#[test]
fn no_panic_at_any_offset() {
    let facts = editor_facts();
    for feature in ["definition", "completion", "signature"] {
        for (name, text, _) in cases(feature) {
            let parse = syntax::parse(&text);
            for offset in (0..=text.len()).filter(|&i| text.is_char_boundary(i)) {
                for go in [None, Some(&facts)] {
                    if let Some(DefinitionTarget::InDocument(range)) = ide::definition(&parse, offset, go) {
                        assert!(text.get(range.as_range()).is_some(), "{name} at {offset}");
                    }
                    let completions = ide::completions(&parse, offset, go, CompletionOptions::default());
                    assert!(completions.items.iter().all(|i| i.range.end <= text.len()), "{name} at {offset}");
                }
                let _ = ide::signature_help(&parse, offset);
            }
        }
    }
}
