//! Suppression comments in every supported dialect: one fixture per form under
//! `tests/fixtures/suppressions/`, checked with a fixed set of rules so that new rules don't churn
//! the snapshots.

use std::fs;
use std::path::Path;

use gantry_ls::rules::{self, Config, Diagnostic, Selection};
use gantry_ls::syntax::{self, LineIndex};

/// Rules whose behaviour the fixtures rely on.
const RULES: &[&str] = &["FromAsCasing", "JSONArgsRecommended", "MaintainerDeprecated", "StageNameCasing"];

fn config() -> Config {
    let only = RULES.iter().map(|code| code.to_string()).collect();
    Config { selection: Selection { only: Some(only), ..Selection::default() }, ..Config::default() }
}

fn render(text: &str, diagnostics: &[Diagnostic]) -> String {
    let index = LineIndex::new(text);
    let mut out = String::new();
    for diagnostic in diagnostics {
        let at = index.line_col(text, diagnostic.range.start);
        let source = &text[diagnostic.range.as_range()];
        out += &format!(
            "{}:{} {} [{}] {} ({source:?})\n",
            at.line + 1,
            at.col + 1,
            diagnostic.severity,
            diagnostic.code,
            diagnostic.message
        );
    }
    out
}

#[test]
fn every_suppression_form() {
    insta::glob!("fixtures/suppressions/*.Dockerfile", |path| {
        let text = fs::read_to_string(path).unwrap();
        let diagnostics = rules::check_with_config(&syntax::parse(&text), &config());
        insta::assert_snapshot!(render(&text, &diagnostics));
    });
}

#[test]
fn disabling_suppressions_brings_every_finding_back() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/suppressions");
    let text = fs::read_to_string(dir.join("gantry-ignore.Dockerfile")).unwrap();
    let parse = syntax::parse(&text);
    let honoured = rules::check_with_config(&parse, &config());
    let disabled = rules::check_with_config(&parse, &Config { honour_suppressions: false, ..config() });
    assert!(disabled.len() > honoured.len(), "{disabled:?}");
    assert!(disabled.iter().any(|d| d.code == "MaintainerDeprecated"));
}

#[test]
fn configured_severities_and_ignores_apply_to_rules_and_syntax_errors() {
    let text = "FROM alpine:3.20 as base\nEXPOSED 80\n";
    let mut config = config();
    config.severities.push(("fromascasing".to_string(), rules::Severity::Hint));
    config.selection.ignore.push("syntax/unknown-instruction".to_string());
    let diagnostics = rules::check_with_config(&syntax::parse(text), &config);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:?}");
    assert_eq!((diagnostics[0].code.as_str(), diagnostics[0].severity), ("FromAsCasing", rules::Severity::Hint));
}

#[test]
fn a_non_posix_shell_pragma_turns_the_shell_rules_off() {
    let only = |codes: &[&str]| Config {
        selection: Selection { only: Some(codes.iter().map(|c| c.to_string()).collect()), ..Selection::default() },
        ..Config::default()
    };
    let body = "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN sudo something\nCMD echo hi\n";
    let codes = |text: &str| -> Vec<String> {
        rules::check_with_config(&syntax::parse(text), &only(&["DL3004", "JSONArgsRecommended"]))
            .into_iter()
            .map(|d| d.code)
            .collect()
    };
    assert_eq!(codes(body), ["DL3004", "JSONArgsRecommended"]);
    // Only the rules that read RUN's shell text are turned off.
    assert_eq!(codes(&format!("# hadolint shell=powershell\n{body}")), ["JSONArgsRecommended"]);
    assert_eq!(codes(&format!("# hadolint shell=bash\n{body}")), ["DL3004", "JSONArgsRecommended"]);
}
