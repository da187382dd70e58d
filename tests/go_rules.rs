//! The Go rules on whole workspaces: `tests/fixtures/go/<CODE>/<case>/` holds a Dockerfile and
//! the Go project around it (go.mod, go.sum, Go sources, .dockerignore …). Each case runs with only
//! that rule enabled, the workspace loaded from disk as the editor and the CLI load it; the snapshot
//! shows the findings, their related places, and the Dockerfile after each fix.
//!
//! Every rule needs at least one case that triggers it and one that stays silent.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::sync::Arc;

use gantry_ls::rules::{self, Config, Diagnostic, GoFacts, Selection};
use gantry_ls::syntax::{self, LineIndex, TextRange};
use gantry_ls::workspace::Workspace;

fn position(text: &str, range: TextRange) -> String {
    let index = LineIndex::new(text);
    let start = index.line_col(text, range.start);
    let end = index.line_col(text, range.end);
    format!("{}:{}-{}:{}", start.line + 1, start.col + 1, end.line + 1, end.col + 1)
}

fn render(root: &Path, text: &str, diagnostics: &[Diagnostic]) -> String {
    let mut out = String::new();
    for diagnostic in diagnostics {
        out += &format!(
            "{}[{}] {} {}\n  | {}\n",
            diagnostic.severity,
            diagnostic.code,
            position(text, diagnostic.range),
            diagnostic.message,
            text.get(diagnostic.range.as_range()).unwrap_or("<bad range>")
        );
        for related in &diagnostic.related {
            let (label, other) = match &related.path {
                Some(path) => (path.clone(), fs::read_to_string(root.join(path)).unwrap_or_default()),
                None => ("Dockerfile".to_string(), text.to_string()),
            };
            out += &format!(
                "  related {label} {}: {} ({:?})\n",
                position(&other, related.range),
                related.message,
                other.get(related.range.as_range()).unwrap_or("<bad range>")
            );
        }
        for fix in &diagnostic.fixes {
            let mut fixed = text.to_string();
            let mut edits = fix.edits.clone();
            edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
            for edit in edits {
                fixed.replace_range(edit.range.as_range(), &edit.new_text);
            }
            assert!(syntax::parse(&fixed).errors().is_empty(), "fix `{}` leaves a syntax error", fix.title);
            out += &format!("  fix ({}): {}\n", if fix.safe { "safe" } else { "unsafe" }, fix.title);
            for line in fixed.lines().filter(|line| !text.lines().any(|old| old == *line)) {
                out += &format!("  + {line}\n");
            }
        }
    }
    if out.is_empty() { "no findings\n".to_string() } else { out }
}

/// Runs the rule of a case directory and renders its findings.
fn run_case(case: &Path) -> (String, usize) {
    let code = case.parent().and_then(|p| p.file_name()).and_then(|n| n.to_str()).expect("fixtures/go/<CODE>/<case>");
    let workspace = Arc::new(Workspace::open(case).expect("open the fixture workspace"));
    workspace.index_now();
    let facts = GoFacts::for_dockerfile(workspace, "Dockerfile");
    let text = fs::read_to_string(case.join("Dockerfile")).expect("the case's Dockerfile");
    let parse = syntax::parse(&text);
    assert!(parse.errors().is_empty(), "{}: syntax errors {:?}", case.display(), parse.errors());
    let selection = Selection { only: Some(vec![code.to_string()]), ..Selection::default() };
    let config = Config { selection, ..Config::default() };
    let diagnostics = rules::check_with_facts(&parse, &config, Some(&facts));
    assert!(diagnostics.iter().all(|d| d.code == code), "{diagnostics:?}");
    (render(case, &text, &diagnostics), diagnostics.len())
}

#[test]
fn every_go_rule_case() {
    let mut counts: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/go");
    let mut cases: Vec<_> = fs::read_dir(&root)
        .expect("tests/fixtures/go")
        .flatten()
        .flat_map(|code| fs::read_dir(code.path()).into_iter().flatten().flatten())
        .map(|case| case.path())
        .filter(|case| case.join("Dockerfile").is_file())
        .collect();
    cases.sort();
    for case in cases {
        let code = case.parent().unwrap().file_name().unwrap().to_string_lossy().into_owned();
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let (rendered, found) = run_case(&case);
        let entry = counts.entry(code.clone()).or_default();
        if found > 0 {
            entry.0 += 1
        } else {
            entry.1 += 1
        }
        insta::assert_snapshot!(format!("{code}@{name}"), rendered);
    }
    for rule in rules::ALL.iter().filter(|r| r.code.starts_with("GO")) {
        let (triggering, silent) = counts.get(rule.code).copied().unwrap_or_default();
        assert!(triggering > 0, "{}: no case under tests/fixtures/go/{} triggers it", rule.code, rule.code);
        assert!(silent > 0, "{}: no case under tests/fixtures/go/{} stays silent", rule.code, rule.code);
    }
}

#[test]
fn go_rules_are_silent_without_a_workspace() {
    let text = "FROM golang:1.21\nRUN go build -o /app .\n";
    let go_codes: Vec<String> =
        rules::ALL.iter().filter(|r| r.code.starts_with("GO")).map(|r| r.code.to_string()).collect();
    let config = Config { selection: Selection { only: Some(go_codes), ..Selection::default() }, ..Config::default() };
    assert_eq!(rules::check_with_facts(&syntax::parse(text), &config, None), []);
}
