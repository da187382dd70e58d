//! The Dockerfile targets: parsing, every rule, every editor feature at every position, and
//! incremental reparsing against a fresh parse.

use super::invariants::{assert_debug_ranges, assert_edits, assert_range, positions};
use crate::ide::{self, CompletionOptions, FormatOptions};
use crate::rules::{ALL, Config, Diagnostic, GoFacts, LabelType, RuleOptions, Selection};
use crate::syntax::{self, Parse, TextEdit, TextRange};

/// The position target asks documents up to this many bytes at every character boundary, longer
/// ones at about this many evenly spread offsets.
pub const EVERY_POSITION_UP_TO: usize = 512;

/// The Dockerfile target asks this many offsets: a few tens of microseconds each, so that the
/// fuzzer runs hundreds of inputs a second; the position target covers every offset.
pub const SAMPLED_POSITIONS: usize = 16;

/// Every rule on, with options that wake the configurable ones (label schema, trusted registries).
pub fn all_rules_config() -> Config {
    let label_schema = [
        ("maintainer", LabelType::Email),
        ("org.opencontainers.image.source", LabelType::Url),
        ("version", LabelType::Semver),
        ("created", LabelType::Rfc3339),
        ("license", LabelType::Spdx),
        ("revision", LabelType::Hash),
        ("description", LabelType::Text),
    ];
    Config {
        selection: Selection { only: Some(ALL.iter().map(|r| r.code.to_string()).collect()), ..Selection::default() },
        options: RuleOptions {
            trusted_registries: vec!["docker.io".to_string(), "ghcr.io".to_string()],
            label_schema: label_schema.into_iter().map(|(name, kind)| (name.to_string(), kind)).collect(),
            strict_labels: true,
        },
        ..Config::default()
    }
}

/// Parses `data` (as UTF-8, invalid bytes replaced) and runs everything gantry does with a
/// Dockerfile: all rules (with the Go rules when `go` is given), then every editor feature, those
/// that take a cursor at the offsets [`positions`] picks with `position_limit`.
pub(super) fn dockerfile(data: &[u8], go: Option<&GoFacts>, position_limit: usize) {
    let text = String::from_utf8_lossy(data);
    let parse = syntax::parse(&text);
    check_model(&parse);
    let config = all_rules_config();
    let diagnostics = ide::diagnostics_for(&parse, &config, go);
    check_diagnostics(&parse, &diagnostics);
    whole_document(&parse, &config, &diagnostics, go);
    for offset in positions(parse.text(), position_limit) {
        at_position(&parse, &diagnostics, offset, go);
    }
}

/// The typed model, the syntax errors and the tree stay inside the text.
fn check_model(parse: &Parse) {
    let text = parse.text();
    let dockerfile = parse.dockerfile();
    assert_debug_ranges(text, &format!("{dockerfile:?}"), &["instructions"], "model");
    for error in parse.errors() {
        assert_range(text, error.range, "syntax error");
    }
    for pair in dockerfile.instructions.windows(2) {
        assert!(pair[0].range.end <= pair[1].range.start, "instructions overlap: {:?}", (pair[0].range, pair[1].range));
    }
    for stage in &dockerfile.stages {
        assert!(stage.instructions.end <= dockerfile.instructions.len(), "stage past the last instruction");
    }
    let root = parse.tree().root_node();
    assert!(root.end_byte() <= text.len(), "tree ends at {} past the text ({})", root.end_byte(), text.len());
}

fn check_diagnostics(parse: &Parse, diagnostics: &[Diagnostic]) {
    let text = parse.text();
    for diagnostic in diagnostics {
        assert_range(text, diagnostic.range, &diagnostic.code);
        for related in diagnostic.related.iter().filter(|r| r.path.is_none()) {
            assert_range(text, related.range, &format!("{} related", diagnostic.code));
        }
        for fix in &diagnostic.fixes {
            assert_edits(text, &fix.edits, &format!("{} fix `{}`", diagnostic.code, fix.title));
            let fixed = ide::apply_edits(text, &fix.edits);
            check_model(&syntax::parse(&fixed));
        }
    }
}

/// The features that take the whole document.
fn whole_document(parse: &Parse, config: &Config, diagnostics: &[Diagnostic], go: Option<&GoFacts>) {
    let text = parse.text();
    let whole = TextRange::new(0, text.len());
    let middle = TextRange::new(floor_boundary(text, text.len() / 3), floor_boundary(text, text.len() * 2 / 3));
    for symbol in ide::document_symbols(parse) {
        assert_debug_ranges(text, &format!("{symbol:?}"), &[], "document symbol");
    }
    for fold in ide::folding_ranges(parse) {
        assert_range(text, fold.range, "fold");
    }
    for range in [None, Some(whole), Some(middle)] {
        check_semantic_tokens(text, &ide::semantic_tokens(parse, range));
    }
    for link in ide::document_links(parse, &|_| true) {
        assert_range(text, link.range, "document link");
    }
    for hint in ide::inlay_hints(parse, whole, go) {
        assert!(hint.offset <= text.len() && text.is_char_boundary(hint.offset), "inlay hint at {}", hint.offset);
    }
    for (_, symbol) in ide::workspace_symbols(&[parse], "") {
        assert_range(text, symbol.range, "workspace symbol");
    }
    for options in [FormatOptions::default(), FormatOptions { indent: 2, keep_aligned: true }] {
        check_formatting(parse, options, middle);
    }
    for action in ide::code_actions(parse, diagnostics, whole) {
        assert_edits(text, &action.edits, &action.title);
    }
    if let Some(action) = ide::fix_all(parse, config, go) {
        assert_edits(text, &action.edits, &action.title);
    }
    let (fixed, _) = ide::fix_all_text(parse, config, go, true);
    check_model(&syntax::parse(&fixed));
}

fn check_semantic_tokens(text: &str, tokens: &[ide::SemanticToken]) {
    for token in tokens {
        assert_range(text, token.range, "semantic token");
        assert!(!token.range.is_empty(), "empty semantic token at {:?}", token.range);
        let covered = text.get(token.range.as_range()).unwrap_or_default();
        assert!(!covered.contains(['\n', '\r']), "semantic token {:?} spans lines", token.range);
    }
    for pair in tokens.windows(2) {
        assert!(pair[0].range.end <= pair[1].range.start, "semantic tokens out of order: {:?}", (pair[0], pair[1]));
    }
}

/// Formatting edits apply, and formatting what they give changes nothing more.
fn check_formatting(parse: &Parse, options: FormatOptions, range: TextRange) {
    let text = parse.text();
    let edits = ide::format(parse, options);
    assert_edits(text, &edits, "format");
    let formatted = ide::apply_edits(text, &edits);
    let again = ide::format(&syntax::parse(&formatted), options);
    assert!(again.is_empty(), "formatting is not idempotent: {formatted:?} gets {again:?}");
    assert_edits(text, &ide::format_range(parse, range, options), "format range");
}

/// The features that take a cursor.
fn at_position(parse: &Parse, diagnostics: &[Diagnostic], offset: usize, go: Option<&GoFacts>) {
    let text = parse.text();
    for snippets in [true, false] {
        for item in ide::completions(parse, offset, go, CompletionOptions { snippets }).items {
            assert_range(text, item.range, &format!("completion `{}`", item.label));
            assert!(item.range.touches(offset), "completion `{}` at {:?} away from {offset}", item.label, item.range);
        }
    }
    if let Some(hover) = ide::hover(parse, diagnostics, offset, go) {
        assert_range(text, hover.range, "hover");
    }
    if let Some(definition) = ide::goto_definition(parse, offset) {
        assert_range(text, definition, "definition");
    }
    for reference in ide::references(parse, offset, true) {
        assert_range(text, reference, "reference");
    }
    for highlight in ide::document_highlights(parse, offset) {
        assert_range(text, highlight.range, "highlight");
    }
    if let Ok((range, _)) = ide::prepare_rename(parse, offset) {
        assert_range(text, range, "prepare rename");
        for name in ["renamed", "B2", "ünïcode"] {
            if let Ok(edits) = ide::rename(parse, offset, name) {
                assert_edits(text, &edits, "rename");
            }
        }
    }
    let selections = ide::selection_ranges(parse, offset);
    for pair in selections.windows(2) {
        assert!(pair[1].contains_range(pair[0]) && pair[0] != pair[1], "selection ranges not nested: {selections:?}");
    }
    for range in &selections {
        assert_range(text, *range, "selection range");
    }
    if let Some(signature) = ide::signature_help(parse, offset) {
        for &(start, end) in &signature.parameters {
            assert!(start <= end && end <= signature.label.len(), "signature parameter outside its label");
        }
    }
    for typed in ['\n', '\\', '`'] {
        assert_edits(text, &ide::on_type_formatting(parse, offset, typed, FormatOptions::default()), "on type");
    }
    for action in ide::code_actions(parse, diagnostics, TextRange::empty(offset)) {
        assert_edits(text, &action.edits, &action.title);
    }
}

fn floor_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// Replacement texts for the reparse target: the pieces that change how lines join and split.
const EDIT_PIECES: &[&str] = &[
    "",
    "\n",
    "\r\n",
    "\\\n",
    "`\n",
    " \\",
    "<<EOF\n",
    "EOF\n",
    "<<-'EOF'\n",
    "\"",
    "'",
    "[",
    "]",
    "${",
    "}",
    "#",
    "# escape=`\n",
    "# syntax=docker/dockerfile:1\n",
    "RUN ",
    "FROM golang:1.22 AS build\n",
    "--mount=type=cache,",
    "é",
    "😀",
    "\t",
    "\0",
];

/// Applies one edit encoded in the first bytes of `data` to the document made of the rest, and
/// compares the incremental reparse with a parse from scratch.
pub(super) fn reparse(data: &[u8]) {
    let [a, b, c, d, rest @ ..] = data else { return };
    let text = String::from_utf8_lossy(rest);
    let parse = syntax::parse(&text);
    let start = usize::from(u16::from_le_bytes([*a, *b])) % (text.len() + 1);
    let edit = TextEdit {
        range: TextRange::new(start, start + usize::from(*c % 32)),
        new_text: EDIT_PIECES[usize::from(*d) % EDIT_PIECES.len()].to_string(),
    };
    let incremental = parse.reparse(std::slice::from_ref(&edit));
    let fresh = syntax::parse(incremental.text());
    assert_eq!(
        syntax::tree_fingerprint(incremental.tree()),
        syntax::tree_fingerprint(fresh.tree()),
        "incremental tree differs after {edit:?}"
    );
    assert_eq!(incremental.dockerfile(), fresh.dockerfile(), "model differs after {edit:?}");
    assert_eq!(incremental.errors(), fresh.errors(), "errors differ after {edit:?}");
    check_model(&incremental);
}
