//! Fixture tests of the editor features in `gantry_ls::ide`: completion at a `$0` cursor in each
//! `tests/fixtures/completion/<context>.Dockerfile` (a `workspace-` fixture gets the Go facts of
//! `tests/fixtures/workspaces/service`; a `-plain` one a client without snippets), with one
//! snapshot per context.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gantry_ls::ide::{self, CompletionOptions, Completions};
use gantry_ls::rules::GoFacts;
use gantry_ls::syntax;
use gantry_ls::workspace::Workspace;

fn fixtures(dir: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(dir);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    files.sort();
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
}

fn stem(path: &Path) -> String {
    path.file_stem().and_then(|s| s.to_str()).expect("a UTF-8 file name").to_string()
}

/// Removes the one `$0` marker; returns the text and the marker's byte offset.
fn cursor(marked: &str) -> (String, usize) {
    let at = marked.find("$0").expect("a $0 marker");
    assert!(!marked[at + 2..].contains("$0"), "more than one $0 marker");
    (format!("{}{}", &marked[..at], &marked[at + 2..]), at)
}

fn service_facts() -> GoFacts {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workspaces/service");
    let workspace = Arc::new(Workspace::open(&root).expect("open the service workspace"));
    workspace.index_now();
    GoFacts::for_dockerfile(workspace, "Dockerfile")
}

/// How many items a snapshot shows; long lists (rule codes, tags) are cut with a count.
const SHOWN: usize = 40;

/// One line per item: kind, label, what is inserted (when it differs) and over which text.
fn render(text: &str, completions: &Completions) -> String {
    let mut out = String::new();
    if completions.incomplete {
        out += "(incomplete: more items as more is typed)\n";
    }
    for item in completions.items.iter().take(SHOWN) {
        let replaced = &text[item.range.as_range()];
        write!(out, "{:?} {}", item.kind, item.label).unwrap();
        if item.insert_text != item.label {
            write!(out, " => {:?}", item.insert_text).unwrap();
        }
        if item.snippet {
            out += " (snippet)";
        }
        if !replaced.is_empty() {
            write!(out, " replacing {replaced:?}").unwrap();
        }
        if let Some(detail) = &item.detail {
            write!(out, " · {detail}").unwrap();
        }
        if item.preselect {
            out += " · preselected";
        }
        if item.deprecated {
            out += " · deprecated";
        }
        out += "\n";
    }
    if completions.items.len() > SHOWN {
        writeln!(out, "… and {} more", completions.items.len() - SHOWN).unwrap();
    }
    if completions.items.is_empty() {
        out += "(nothing)\n";
    }
    out
}

#[test]
fn completion_contexts() {
    let facts = service_facts();
    let files = fixtures("completion");
    assert!(files.len() >= 40, "completion fixtures: {}", files.len());
    for path in files {
        let name = stem(&path);
        let (text, offset) = cursor(&read(&path));
        let parse = syntax::parse(&text);
        let go = name.starts_with("workspace-").then_some(&facts);
        let options = CompletionOptions { snippets: !name.ends_with("-plain") };
        let completions = ide::completions(&parse, offset, go, options);
        for item in &completions.items {
            let whole_keyword = item.kind == ide::CompletionKind::Keyword && item.range.end > offset;
            assert!(item.range.end == offset || whole_keyword, "{name}: {item:?} does not end at the cursor");
            assert!(item.range.start <= offset, "{name}: {item:?} starts after the cursor");
        }
        insta::assert_snapshot!(format!("completion-{name}"), render(&text, &completions), &text);
    }
}
