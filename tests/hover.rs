//! Fixture tests of hover: each `tests/fixtures/hover/<case>.Dockerfile` has one `$0` cursor; the
//! snapshot shows the hovered text and the markdown. A `workspace-` case gets the Go facts of
//! `tests/fixtures/hover/workspaces/app`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gantry_ls::ide;
use gantry_ls::rules::GoFacts;
use gantry_ls::syntax;
use gantry_ls::workspace::Workspace;

fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/hover")
}

fn cases() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(fixture_dir())
        .expect("read the hover fixtures")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "Dockerfile"))
        .collect();
    files.sort();
    files
}

fn app_facts() -> GoFacts {
    let workspace = Arc::new(Workspace::open(&fixture_dir().join("workspaces/app")).expect("open the app workspace"));
    workspace.index_now();
    GoFacts::for_dockerfile(workspace, "Dockerfile")
}

/// Removes the one `$0` marker; returns the text and the marker's byte offset.
fn cursor(marked: &str) -> (String, usize) {
    let at = marked.find("$0").expect("a $0 marker");
    assert!(!marked[at + 2..].contains("$0"), "more than one $0 marker");
    (format!("{}{}", &marked[..at], &marked[at + 2..]), at)
}

#[test]
fn hover_fixtures() {
    let facts = app_facts();
    let cases = cases();
    assert!(cases.len() >= 20, "the hover fixtures are missing");
    for path in cases {
        let name = path.file_stem().and_then(|s| s.to_str()).expect("a UTF-8 name").to_string();
        let marked = std::fs::read_to_string(&path).expect("read the fixture");
        let (text, offset) = cursor(&marked);
        let parse = syntax::parse(&text);
        let go = name.starts_with("workspace-").then_some(&facts);
        // No diagnostics: these cases are about the element under the cursor, not about findings.
        let hover = ide::hover(&parse, &[], offset, go).unwrap_or_else(|| panic!("{name}: no hover"));
        let hovered = text.get(hover.range.as_range()).expect("a range inside the text");
        assert!(hover.range.touches(offset), "{name}: the range does not cover the cursor");
        let shown = format!("hovered: {hovered:?}\n\n{}\n", hover.markdown);
        insta::assert_snapshot!(name.clone(), shown);
    }
}

#[test]
fn no_hover_on_plain_arguments() {
    let (text, offset) = cursor("FROM alpine:3.20\nRUN echo he$0llo\n");
    let parse = syntax::parse(&text);
    assert_eq!(ide::hover(&parse, &[], offset, None), None);
}

/// Every Dockerfile under `dir`, recursively.
fn dockerfiles_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for path in entries.filter_map(|entry| entry.ok().map(|e| e.path())) {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if path.is_dir() {
            dockerfiles_under(&path, out);
        } else if name == "Dockerfile" || name.ends_with(".Dockerfile") {
            out.push(path);
        }
    }
}

#[test]
fn hover_never_panics_and_stays_on_the_cursor() {
    let facts = app_facts();
    let mut files = Vec::new();
    dockerfiles_under(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/go"), &mut files);
    dockerfiles_under(&fixture_dir(), &mut files);
    assert!(files.len() > 20);
    let mut hovers = 0;
    for path in files {
        let text = std::fs::read_to_string(&path).expect("read the fixture").replace("$0", "");
        let parse = syntax::parse(&text);
        for offset in (0..=text.len()).filter(|&o| text.is_char_boundary(o)) {
            if let Some(hover) = ide::hover(&parse, &[], offset, Some(&facts)) {
                assert!(hover.range.touches(offset), "{}@{offset}: {:?}", path.display(), hover.range);
                assert!(text.get(hover.range.as_range()).is_some());
                hovers += 1;
            }
        }
    }
    assert!(hovers > 1000, "only {hovers} hovers");
}
