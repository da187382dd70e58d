//! The rule engine: turns a parsed Dockerfile into diagnostics with byte ranges and fixes.
//!
//! Works on the typed syntax model only (no LSP, no file system). Syntax errors are reported
//! here too, under their `syntax/…` codes, so that the editor and the CLI show the same findings.

use std::fmt;

use crate::syntax::{Parse, TextEdit, TextRange};

/// How serious a finding is. Ordered from most to least serious.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
    Info,
    Hint,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
            Severity::Hint => "hint",
        }
    }

    pub fn parse(text: &str) -> Option<Severity> {
        [Severity::Error, Severity::Warning, Severity::Info, Severity::Hint]
            .into_iter()
            .find(|s| s.as_str().eq_ignore_ascii_case(text))
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A proposed change that resolves a diagnostic.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    pub title: String,
    /// Non-overlapping edits against the text the diagnostic was computed on.
    pub edits: Vec<TextEdit>,
    /// Safe fixes keep the meaning of the Dockerfile and may be applied without review.
    pub safe: bool,
}

/// One finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: String,
    pub severity: Severity,
    pub range: TextRange,
    pub message: String,
    pub fixes: Vec<Fix>,
}

/// All findings for a parsed Dockerfile, sorted by position.
pub fn check(parse: &Parse) -> Vec<Diagnostic> {
    let mut diagnostics: Vec<Diagnostic> = parse
        .errors()
        .iter()
        .map(|error| Diagnostic {
            code: error.kind.code().to_string(),
            severity: Severity::Error,
            range: error.range,
            message: error.message.clone(),
            fixes: Vec::new(),
        })
        .collect();
    diagnostics.sort_by(|a, b| (a.range.start, a.range.end, &a.code).cmp(&(b.range.start, b.range.end, &b.code)));
    diagnostics
}
