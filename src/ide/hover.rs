//! Hover: rule documentation on a rule code in a suppression comment and on a finding under the cursor.

use crate::rules::{self, Diagnostic, Rule};
use crate::syntax::{Parse, SyntaxErrorKind, TextRange};

/// Markdown to show for a range of the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hover {
    pub range: TextRange,
    pub markdown: String,
}

/// The hover at `offset`, given the document's current diagnostics.
pub fn hover(parse: &Parse, diagnostics: &[Diagnostic], offset: usize) -> Option<Hover> {
    code_in_comment(parse, offset).or_else(|| finding_at(diagnostics, offset))
}

/// A rule code inside a comment or the `check` directive (`# hadolint ignore=DL3008`, `# check=skip=…`).
fn code_in_comment(parse: &Parse, offset: usize) -> Option<Hover> {
    let dockerfile = parse.dockerfile();
    let text = parse.text();
    let in_comment = dockerfile.comments.iter().any(|c| c.touches(offset))
        || dockerfile.directives.iter().any(|d| d.range.touches(offset));
    if !in_comment {
        return None;
    }
    let is_code_char = |c: char| c.is_ascii_alphanumeric() || c == '/' || c == '-';
    let start = text[..offset].rfind(|c: char| !is_code_char(c)).map_or(0, |i| i + 1);
    let end = text[offset..].find(|c: char| !is_code_char(c)).map_or(text.len(), |i| offset + i);
    let word = text.get(start..end)?;
    let range = TextRange::new(start, end);
    if let Some(rule) = rules::find(word) {
        return Some(Hover { range, markdown: rule_markdown(rule, None) });
    }
    let kind = SyntaxErrorKind::ALL.iter().find(|k| k.code().eq_ignore_ascii_case(word))?;
    Some(Hover { range, markdown: syntax_markdown(kind.code()) })
}

/// The rule behind the narrowest finding under the cursor.
fn finding_at(diagnostics: &[Diagnostic], offset: usize) -> Option<Hover> {
    let diagnostic = diagnostics.iter().filter(|d| d.range.touches(offset)).min_by_key(|d| d.range.len())?;
    let markdown = match rules::find(&diagnostic.code) {
        Some(rule) => rule_markdown(rule, Some(diagnostic)),
        None if diagnostic.code.starts_with("syntax/") => syntax_markdown(&diagnostic.code),
        None => return None,
    };
    Some(Hover { range: diagnostic.range, markdown })
}

fn rule_markdown(rule: &Rule, finding: Option<&Diagnostic>) -> String {
    let mut out = format!("**{}** · `{}` · {} by default", rule.code, rule.name, rule.default_severity);
    if !rule.default_enabled {
        out += " (off unless enabled)";
    }
    out += "\n\n";
    if let Some(finding) = finding {
        out += &format!("{}\n\n", finding.message);
    }
    out += rule.docs.trim_end();
    if let Some(uri) = rules::help_uri(rule.code) {
        out += &format!("\n\n[Rule reference]({uri})");
    }
    out
}

fn syntax_markdown(code: &str) -> String {
    let mut out = format!(
        "**{code}** · a syntax error: BuildKit refuses to build this file until it is fixed.\n\n\
         Suppressing it hides the finding, not the failure."
    );
    if let Some(uri) = rules::help_uri(code) {
        out += &format!("\n\n[Reference]({uri})");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ide::testing::cursor;
    use crate::syntax;

    fn hover_at(marked: &str) -> Option<Hover> {
        let (text, offset) = cursor(marked);
        let parse = syntax::parse(&text);
        let diagnostics = rules::check(&parse);
        hover(&parse, &diagnostics, offset)
    }

    #[test]
    fn rule_code_in_a_suppression_comment() {
        let hover = hover_at("FROM alpine:3.20\n# hadolint ignore=JSONArgs$0Recommended\nCMD echo hi\n").unwrap();
        assert!(hover.markdown.starts_with("**JSONArgsRecommended** · `"), "{}", hover.markdown);
        assert!(hover.markdown.contains("## What it does"));
        let hover = hover_at("# check=skip=StageName$0Casing\nFROM alpine:3.20\n").unwrap();
        assert!(hover.markdown.starts_with("**StageNameCasing**"));
        let hover = hover_at("FROM a:1\n# gantry: ignore=syntax/unknown-$0instruction\nFROM b:1\n").unwrap();
        assert!(hover.markdown.starts_with("**syntax/unknown-instruction**"), "{}", hover.markdown);
    }

    #[test]
    fn the_finding_under_the_cursor() {
        let hover = hover_at("FROM alpine:3.20 AS B$0ase\n").unwrap();
        assert!(hover.markdown.starts_with("**StageNameCasing**"), "{}", hover.markdown);
        assert!(hover.markdown.contains("stage name `Base` should be lowercase"));
    }

    #[test]
    fn nothing_elsewhere() {
        assert_eq!(hover_at("FROM alpine:3.20\n# just a com$0ment\n"), None);
        assert_eq!(hover_at("FROM alpine:3.20 AS ba$0se\n"), None);
        assert_eq!(hover_at("$0"), None);
    }
}
