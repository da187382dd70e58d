//! Rule reference pages: `docs/rules/<CODE>.md`, the index `docs/rules/README.md` and the
//! syntax-error page `docs/rules/syntax.md`, all generated from the rule registry.
//!
//! The pages are plain functions of the registry (no I/O here): `tests/cli.rs` compares them with
//! the files in the repository and rewrites them when asked, and `gantry rule` prints the same text.

use std::fmt::Write as _;

use crate::rules::{self, Rule};
use crate::syntax::SyntaxErrorKind;

/// The command that regenerates the pages; named in their header and in the staleness test.
pub const UPDATE_COMMAND: &str = "GANTRY_UPDATE_DOCS=1 cargo test --test cli reference_pages";

/// The name of the syntax-error page inside `docs/rules`.
pub const SYNTAX_PAGE: &str = "syntax.md";

/// Every reference page as `(file name inside docs/rules, contents)`, sorted by file name.
pub fn reference_pages() -> Vec<(String, String)> {
    let mut pages: Vec<(String, String)> =
        rules::ALL.iter().map(|rule| (format!("{}.md", rule.code), rule_page(rule))).collect();
    pages.push(("README.md".to_string(), index_page()));
    pages.push((SYNTAX_PAGE.to_string(), syntax_page()));
    pages.sort();
    pages
}

fn generated_header() -> String {
    format!(
        "<!-- Generated from the rule registry (src/rules); do not edit. Regenerate with `{UPDATE_COMMAND}`. -->\n\n"
    )
}

/// One rule's page: a title, its settings, how to turn it on or off, then its documentation.
fn rule_page(rule: &Rule) -> String {
    let code = rule.code;
    let mut page = generated_header();
    let _ = writeln!(page, "# {code}\n");
    let enabled = if rule.default_enabled { "enabled by default" } else { "off by default" };
    let _ = writeln!(page, "`{}` · default severity: **{}** · {enabled}\n", rule.name, rule.default_severity);
    if rule.default_enabled {
        let _ = writeln!(
            page,
            "Turn it off with `gantry check --ignore {code}` or `ignore = [\"{code}\"]` in `gantry.toml`.\n"
        );
    } else {
        let _ = writeln!(
            page,
            "Turn it on with `gantry check --enable {code}` or `enable = [\"{code}\"]` in `gantry.toml`.\n"
        );
    }
    page.push_str(rule.docs.trim_end());
    page.push_str("\n\n---\n[All rules](README.md)\n");
    page
}

/// The index: one table row per rule, then a pointer to the syntax-error page.
fn index_page() -> String {
    let mut page = generated_header();
    page.push_str("# Rules\n\n");
    let _ = writeln!(
        page,
        "gantry has {} rules. Each page says what the rule finds, why it matters, and how to fix it; \
         `gantry rule CODE` prints the same text. Syntax errors are not rules: they are listed on \
         [their own page]({SYNTAX_PAGE}).\n",
        rules::ALL.len()
    );
    page.push_str("| Code | Name | Default severity | Default | What it finds |\n|---|---|---|---|---|\n");
    for rule in rules::ALL.iter() {
        let default = if rule.default_enabled { "on" } else { "off" };
        let _ = writeln!(
            page,
            "| [{code}]({code}.md) | `{}` | {} | {default} | {} |",
            rule.name,
            rule.default_severity,
            table_cell(first_sentence(&summary(rule.docs))),
            code = rule.code,
        );
    }
    page.push_str(
        "\n## Not checked\n\n\
         - **InvalidBaseImagePlatform** (a BuildKit build check): whether the base image exists for the \
         platform being built. Answering it needs the image's manifest from its registry, and gantry \
         never makes network requests; `docker buildx build --check` reports it.\n\
         - **ShellCheck** (the `SC` codes hadolint reports for RUN): not run. gantry accepts `SC` codes in \
         suppression comments and configuration, so existing `# hadolint ignore=SC2086` lines stay valid.\n",
    );
    page
}

/// The syntax-error page: one section per kind, its anchor the code without `syntax/`.
fn syntax_page() -> String {
    let mut page = generated_header();
    page.push_str(
        "# Syntax errors\n\n\
         A syntax error is a line that BuildKit cannot parse, or an instruction written in a form it \
         rejects or silently misreads. Syntax errors are not rules: they are always checked, and \
         reported as errors by default, under codes that start with `syntax/`.\n\n",
    );
    for kind in SyntaxErrorKind::ALL {
        let code = kind.code();
        let _ = writeln!(page, "## {}\n\nCode: `{code}`\n", syntax_anchor(code));
        let description = syntax_description(code).unwrap_or("Not described yet.");
        let _ = writeln!(page, "{description}\n");
    }
    page.push_str("---\n[All rules](README.md)\n");
    page
}

/// The heading (and so the anchor) of a syntax code on the syntax page.
pub(crate) fn syntax_anchor(code: &str) -> &str {
    code.strip_prefix("syntax/").unwrap_or(code)
}

/// What each kind of syntax error means, keyed by code. Kept here rather than next to the kinds
/// because it is documentation; a unit test checks that every kind has an entry.
const SYNTAX_DESCRIPTIONS: &[(&str, &str)] = &[
    (
        "syntax/unknown-instruction",
        "A line starts with a word that is not a Dockerfile instruction, often a typo such as `COPPY`. \
         BuildKit stops at it. The message suggests the closest instruction.",
    ),
    (
        "syntax/missing-argument",
        "An instruction lacks an argument it needs: `FROM` without an image, `COPY` with only a \
         source, `WORKDIR` without a path.",
    ),
    (
        "syntax/extra-argument",
        "An instruction has more arguments than it accepts, such as a word after `FROM image AS name` \
         or two signals after `STOPSIGNAL`.",
    ),
    ("syntax/missing-value", "An `ENV` or `LABEL` written in the `name=value` form has a name without `=value`."),
    ("syntax/blank-name", "An `ARG`, `ENV` or `LABEL` pair has an empty name, as in `ENV =value`."),
    ("syntax/unterminated-quote", "A quoted string is not closed before the instruction ends."),
    (
        "syntax/unterminated-heredoc",
        "A heredoc such as `<<EOF` has no line with its closing word before the end of the file, so \
         everything after it would become part of the heredoc.",
    ),
    (
        "syntax/invalid-escape",
        "The `# escape=` parser directive names a character other than a backslash or a backtick.",
    ),
    (
        "syntax/duplicate-directive",
        "A parser directive (`syntax`, `escape`, `check`) is given more than once; BuildKit rejects \
         the file.",
    ),
    (
        "syntax/instruction-before-from",
        "An instruction other than `ARG` comes before the first `FROM`, where only `ARG`, comments \
         and parser directives may stand.",
    ),
    ("syntax/json-form-required", "`SHELL` must be written in JSON form, such as `SHELL [\"/bin/sh\", \"-c\"]`."),
    (
        "syntax/unknown-flag",
        "An instruction is given a `--flag` it does not have, often a misspelling such as `--form` \
         for `--from`.",
    ),
    ("syntax/duplicate-flag", "The same flag is given twice to one instruction."),
    (
        "syntax/flag-missing-value",
        "A flag that needs a value is written without one, such as `--from` instead of `--from=build`.",
    ),
    ("syntax/invalid-flag-value", "A flag's value is not of the form or among the values that the flag accepts."),
    ("syntax/unknown-mount-option", "A `RUN --mount=` option is not one that its mount type knows."),
    (
        "syntax/invalid-mount-option",
        "A `RUN --mount=` option has a value its mount type does not accept, such as an unknown \
         `type=` or `sharing=`.",
    ),
    (
        "syntax/invalid-stage-name",
        "The name after `AS` is not a valid stage name: it must start with a letter and may contain \
         only letters, digits, `-`, `_` and `.`.",
    ),
    ("syntax/invalid-image-reference", "The image named by `FROM` is not a well-formed image reference."),
    (
        "syntax/invalid-port",
        "An `EXPOSE` entry is not a port number or range, optionally followed by `/tcp`, `/udp` or \
         `/sctp`.",
    ),
    ("syntax/invalid-signal", "`STOPSIGNAL` names neither a signal (such as `SIGTERM`) nor a signal number."),
    (
        "syntax/invalid-onbuild-trigger",
        "`ONBUILD` is followed by an instruction that cannot be a trigger: `FROM`, `MAINTAINER` or \
         another `ONBUILD`.",
    ),
    (
        "syntax/json-single-quotes",
        "An exec-form array uses single quotes. That is not JSON, so Docker runs the line in shell \
         form, brackets and quotes included.",
    ),
    (
        "syntax/malformed-json",
        "An argument list that starts with `[` is not valid JSON (a missing comma or quote), so \
         Docker runs it in shell form instead of exec form.",
    ),
    (
        "syntax/bad-substitution",
        "A variable reference is malformed, such as `${NAME` without its closing brace or `${NAME!x}` \
         with a modifier Docker does not know.",
    ),
];

/// The description of a syntax-error code (case-insensitive).
pub(crate) fn syntax_description(code: &str) -> Option<&'static str> {
    SYNTAX_DESCRIPTIONS.iter().find(|(c, _)| c.eq_ignore_ascii_case(code)).map(|&(_, text)| text)
}

/// The first paragraph of a rule's `## What it does` section, on one line.
pub(crate) fn summary(docs: &str) -> String {
    let Some((_, section)) = docs.split_once("## What it does") else { return String::new() };
    let paragraph = section.trim_start().split("\n\n").next().unwrap_or_default();
    paragraph.lines().map(str::trim).take_while(|line| !line.starts_with('#')).collect::<Vec<_>>().join(" ")
}

/// The first sentence of `text`: up to the first `. ` (or all of it).
pub(crate) fn first_sentence(text: &str) -> &str {
    match text.find(". ") {
        Some(at) => &text[..=at],
        None => text,
    }
}

/// Text made safe for a Markdown table cell.
fn table_cell(text: &str) -> String {
    text.replace('|', "\\|")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_syntax_error_kind_is_described() {
        let missing: Vec<&str> = SyntaxErrorKind::ALL
            .iter()
            .map(|kind| kind.code())
            .filter(|code| syntax_description(code).is_none())
            .collect();
        assert!(missing.is_empty(), "describe these in SYNTAX_DESCRIPTIONS (src/cli/docs.rs): {missing:?}");
    }

    #[test]
    fn summaries_take_the_first_paragraph_of_what_it_does() {
        let docs =
            "## What it does\nReports a thing\nthat spans lines. More.\n\nSecond paragraph.\n\n## Why it matters\n";
        assert_eq!(summary(docs), "Reports a thing that spans lines. More.");
        assert_eq!(first_sentence(&summary(docs)), "Reports a thing that spans lines.");
        assert_eq!(summary("no headings"), "");
        assert_eq!(table_cell("a | b"), "a \\| b");
    }

    #[test]
    fn pages_cover_every_rule_and_link_back() {
        let pages = reference_pages();
        assert_eq!(pages.len(), rules::ALL.len() + 2);
        let index = &pages.iter().find(|(name, _)| name == "README.md").expect("index").1;
        for rule in rules::ALL.iter() {
            assert!(index.contains(&format!("[{0}]({0}.md)", rule.code)), "{} missing from the index", rule.code);
        }
        assert!(pages.iter().all(|(_, text)| text.starts_with("<!-- Generated")));
    }
}
