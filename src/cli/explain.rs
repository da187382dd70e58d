//! `gantry rule CODE` (one rule's documentation) and `gantry rules` (the list of rules).

use std::io::{self, Write};

use serde::Serialize;

use super::docs::{syntax_anchor, syntax_description};
use super::select::unknown_code_message;
use super::{EXIT_ERROR, ListFormat, report_error, write_stdout};
use crate::rules::{self, Rule};
use crate::syntax::SyntaxErrorKind;

/// Prints the documentation of a rule or of a kind of syntax error (codes are case-insensitive).
pub(super) fn rule(code: &str) -> u8 {
    let text = if let Some(rule) = rules::find(code) {
        rule_text(rule)
    } else if let Some(kind) = SyntaxErrorKind::ALL.iter().find(|kind| kind.code().eq_ignore_ascii_case(code)) {
        syntax_text(kind.code())
    } else {
        report_error(&unknown_code_message(code));
        return EXIT_ERROR;
    };
    write_stdout(|out| out.write_all(text.as_bytes()))
}

/// `CODE (name)`, the default severity, the reference page, then the Markdown documentation.
fn rule_text(rule: &Rule) -> String {
    let enabled = if rule.default_enabled { "on by default" } else { "off by default" };
    let mut text = format!("{} ({})\nDefault severity: {}, {enabled}\n", rule.code, rule.name, rule.default_severity);
    if let Some(uri) = rules::help_uri(rule.code) {
        text += &format!("Reference: {uri}\n");
    }
    text += "\n";
    text += rule.docs.trim_end();
    text += "\n";
    text
}

fn syntax_text(code: &str) -> String {
    let mut text = format!("{code} ({})\nDefault severity: error (a syntax error, not a rule)\n", syntax_anchor(code));
    if let Some(uri) = rules::help_uri(code) {
        text += &format!("Reference: {uri}\n");
    }
    text += &format!("\n{}\n", syntax_description(code).unwrap_or("Not described yet."));
    text
}

/// One rule in `gantry rules --format json`.
#[derive(Debug, Serialize)]
struct RuleSummary {
    code: &'static str,
    name: &'static str,
    default_severity: &'static str,
    default_enabled: bool,
    help_uri: Option<String>,
}

/// Lists every rule: an aligned table for people, a JSON array for programs.
pub(super) fn rules(format: ListFormat) -> u8 {
    write_stdout(|out| match format {
        ListFormat::Human => write_table(out),
        ListFormat::Json => {
            let summaries: Vec<RuleSummary> = rules::ALL
                .iter()
                .map(|rule| RuleSummary {
                    code: rule.code,
                    name: rule.name,
                    default_severity: rule.default_severity.as_str(),
                    default_enabled: rule.default_enabled,
                    help_uri: rules::help_uri(rule.code),
                })
                .collect();
            serde_json::to_writer(&mut *out, &summaries)?;
            writeln!(out)
        }
    })
}

fn write_table(out: &mut dyn Write) -> io::Result<()> {
    let code_width = rules::ALL.iter().map(|rule| rule.code.len()).max().unwrap_or(0).max("CODE".len());
    let name_width = rules::ALL.iter().map(|rule| rule.name.len()).max().unwrap_or(0).max("NAME".len());
    writeln!(out, "{:code_width$}  {:name_width$}  {:8}  DEFAULT", "CODE", "NAME", "SEVERITY")?;
    for rule in rules::ALL.iter() {
        let default = if rule.default_enabled { "on" } else { "off" };
        writeln!(
            out,
            "{:code_width$}  {:name_width$}  {:8}  {default}",
            rule.code,
            rule.name,
            rule.default_severity.as_str()
        )?;
    }
    writeln!(out, "\n{} rules. `gantry rule CODE` shows one rule's documentation.", rules::ALL.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_text_starts_with_a_header() {
        let rule = rules::ALL.first().expect("at least one rule");
        let text = rule_text(rule);
        assert!(text.starts_with(&format!("{} ({})\nDefault severity: ", rule.code, rule.name)), "{text}");
        assert!(text.ends_with(&format!("{}\n", rule.docs.trim_end())));
        assert!(syntax_text("syntax/unknown-instruction").contains("syntax.md#unknown-instruction"));
    }
}
