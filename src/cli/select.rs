//! `--select`, `--ignore` and `--enable`: which rules `gantry check` runs, as one configuration layer.
//!
//! The command line is the last layer of [`Config`]: configuration files (gantry.toml,
//! .hadolint.yaml) are merged first and the flags on top, so that they win. Codes are checked here,
//! before any file is read, so that a typo is a usage error with a suggestion rather than a rule
//! that silently never runs.

use clap::Args;

use crate::rules::{self, ConfigLayer};
use crate::syntax::is_syntax_error_code;

/// The rule-selection flags shared by `gantry check` (and, later, by anything else that lints).
#[derive(Debug, Clone, Default, Args)]
pub(super) struct SelectArgs {
    /// Run only these rules (comma-separated codes; repeatable)
    ///
    /// Selecting a rule that is off by default turns it on. Syntax errors are always reported.
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    select: Vec<String>,

    /// Never run these rules (comma-separated codes; repeatable)
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    ignore: Vec<String>,

    /// Also run these off-by-default rules (comma-separated codes; repeatable)
    #[arg(long, value_name = "CODES", value_delimiter = ',')]
    enable: Vec<String>,
}

impl SelectArgs {
    /// The configuration layer these flags make, or the first unknown code as a usage message.
    pub(super) fn layer(&self) -> Result<ConfigLayer, String> {
        let mut layer = ConfigLayer::default();
        if !self.select.is_empty() {
            layer.select = Some(known_codes(&self.select)?);
        }
        layer.ignore = known_codes(&self.ignore)?;
        layer.enable = known_codes(&self.enable)?;
        Ok(layer)
    }
}

/// The codes as given, trimmed and without empty items (`--select a,,b,`), or an error naming the
/// first unknown one.
fn known_codes(codes: &[String]) -> Result<Vec<String>, String> {
    let mut known = Vec::with_capacity(codes.len());
    for code in codes.iter().map(|code| code.trim()).filter(|code| !code.is_empty()) {
        check_code(code)?;
        known.push(code.to_string());
    }
    Ok(known)
}

/// Whether `code` is a rule code or a syntax-error code (the vocabulary of gantry.toml), with a
/// "did you mean" suggestion when it is not.
pub(super) fn check_code(code: &str) -> Result<(), String> {
    if rules::find(code).is_some() || is_syntax_error_code(code) {
        return Ok(());
    }
    Err(unknown_code_message(code))
}

/// `unknown rule `X` (did you mean `Y`?)`, with a pointer to the list when nothing is close.
pub(super) fn unknown_code_message(code: &str) -> String {
    match rules::suggest_code(code) {
        Some(suggestion) => format!("unknown rule `{code}` (did you mean `{suggestion}`?)"),
        None => format!("unknown rule `{code}` (`gantry rules` lists them all)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(select: &[&str], ignore: &[&str]) -> SelectArgs {
        SelectArgs {
            select: select.iter().map(|s| s.to_string()).collect(),
            ignore: ignore.iter().map(|s| s.to_string()).collect(),
            enable: Vec::new(),
        }
    }

    #[test]
    fn flags_become_a_layer() {
        let layer = args(&["StageNameCasing", " fromascasing ", ""], &[]).layer().unwrap();
        assert_eq!(layer.select, Some(vec!["StageNameCasing".to_string(), "fromascasing".to_string()]));
        assert_eq!(args(&[], &["syntax/unknown-instruction"]).layer().unwrap().select, None);
    }

    #[test]
    fn unknown_codes_are_errors_with_a_suggestion() {
        assert_eq!(
            args(&["StageNameCasin"], &[]).layer().unwrap_err(),
            "unknown rule `StageNameCasin` (did you mean `StageNameCasing`?)"
        );
        assert_eq!(
            args(&[], &["nothing-like-it"]).layer().unwrap_err(),
            "unknown rule `nothing-like-it` (`gantry rules` lists them all)"
        );
    }
}
