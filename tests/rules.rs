//! The rule suite: one fixture per rule under `tests/fixtures/rules/<CODE>.Dockerfile`, run with
//! only that rule enabled, snapshotting the diagnostics and the text after each fix.

use std::fs;
use std::path::Path;

use gantry_ls::rules::{self, Diagnostic, Selection};
use gantry_ls::syntax::{self, LineIndex, TextRange};

fn fixture_path(code: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules").join(format!("{code}.Dockerfile"))
}

fn caret_line(text: &str, index: &LineIndex, range: TextRange) -> String {
    let start = index.line_col(text, range.start);
    let end = index.line_col(text, range.end);
    let line = index.line_text(text, start.line);
    let width = if end.line == start.line { (end.col - start.col).max(1) } else { line.chars().count() - start.col };
    format!("{line}\n{}{}", " ".repeat(start.col), "^".repeat(width.max(1)))
}

fn apply(text: &str, fix: &rules::Fix) -> String {
    let mut edits = fix.edits.clone();
    edits.sort_by_key(|e| std::cmp::Reverse(e.range.start));
    let mut out = text.to_string();
    for edit in edits {
        out.replace_range(edit.range.as_range(), &edit.new_text);
    }
    out
}

fn render(text: &str, diagnostics: &[Diagnostic]) -> String {
    let index = LineIndex::new(text);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let start = index.line_col(text, diagnostic.range.start);
        let end = index.line_col(text, diagnostic.range.end);
        out += &format!(
            "{}[{}] {}:{}-{}:{} {}\n{}\n",
            diagnostic.severity,
            diagnostic.code,
            start.line + 1,
            start.col + 1,
            end.line + 1,
            end.col + 1,
            diagnostic.message,
            caret_line(text, &index, diagnostic.range)
        );
        for fix in &diagnostic.fixes {
            let fixed = apply(text, fix);
            let changed = LineIndex::new(&fixed).line_text(&fixed, start.line).to_string();
            out += &format!("  fix ({}): {}\n  -> {changed}\n", if fix.safe { "safe" } else { "unsafe" }, fix.title);
            assert!(syntax::parse(&fixed).errors().is_empty(), "fix `{}` leaves a syntax error", fix.title);
        }
        out.push('\n');
    }
    out
}

/// The configuration a fixture runs with: `<CODE>.toml` beside it (gantry.toml syntax), for rules
/// that need options such as trusted registries or a label schema.
fn fixture_config(code: &str) -> rules::Config {
    let mut config = rules::Config::default();
    if let Ok(text) = fs::read_to_string(fixture_path(code).with_extension("toml")) {
        let (layer, problems) = rules::config::parse_gantry_toml(&text);
        assert!(problems.is_empty(), "{code}: the fixture's configuration has problems: {problems:?}");
        config.merge(layer);
    }
    config
}

#[test]
fn every_rule_has_a_fixture_and_a_snapshot() {
    // The Go rules, and rules whose fixtures are workspaces under tests/fixtures/go/, need a
    // workspace around the Dockerfile: tests/go_rules.rs runs them.
    let workspace_fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/go");
    let single_file = |code: &str| !code.starts_with("GO") && !workspace_fixtures.join(code).is_dir();
    for rule in rules::ALL.iter().filter(|rule| single_file(rule.code)) {
        let path = fixture_path(rule.code);
        let text = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: no fixture at {}: {e}", rule.code, path.display()));
        let parse = syntax::parse(&text);
        assert!(parse.errors().is_empty(), "{}: the fixture has syntax errors: {:?}", rule.code, parse.errors());
        let selection = Selection { only: Some(vec![rule.code.to_string()]), ..Selection::default() };
        let mut config = fixture_config(rule.code);
        config.selection = selection;
        let diagnostics = rules::check_with_config(&parse, &config);
        assert!(!diagnostics.is_empty(), "{}: the fixture does not trigger the rule", rule.code);
        assert!(diagnostics.iter().all(|d| d.code == rule.code));
        insta::assert_snapshot!(rule.code, render(&text, &diagnostics));
    }
}

#[test]
fn gantry_rule_codes_are_found_case_insensitively() {
    assert_eq!(rules::find("stagenamecasing").map(|r| r.code), Some("StageNameCasing"));
    assert!(rules::find("DL9999").is_none());
}
