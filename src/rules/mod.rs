//! The rule engine: turns a parsed Dockerfile into diagnostics with byte ranges and fixes.
//!
//! Works on the typed syntax model only (no LSP, no file system). Syntax errors are reported
//! here too, under their `syntax/…` codes, so that the editor and the CLI show the same findings.
//! Each rule lives in its own file inside its family's folder (`buildkit/`, `hadolint/`, `shell/`)
//! and is listed once in that family's `RULES`; `registry::ALL` joins them.

pub mod config;
mod registry;

mod buildkit;
mod hadolint;
mod shell;

use std::fmt;

pub use config::{Config, ConfigLayer, ConfigProblem};
pub use registry::{ALL, find, suggest_code};

use crate::syntax::{Dockerfile, Parse, TextEdit, TextRange};

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

/// A rule: its identity, its documentation and its check.
pub struct Rule {
    /// The code users see and suppress: a BuildKit check name, a hadolint `DL` code or a `GO` code.
    pub code: &'static str,
    /// A kebab-case name that describes the pattern the rule finds.
    pub name: &'static str,
    pub default_severity: Severity,
    /// Off-by-default rules run only when selected or enabled by name (noisy or opinionated checks).
    pub default_enabled: bool,
    /// Markdown with the headings `What it does`, `Why it matters`, `Example`, `Fix`, `References`.
    pub docs: &'static str,
    pub check: fn(&Context<'_>, &mut Sink),
}

impl fmt::Debug for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Rule").field("code", &self.code).field("name", &self.name).finish()
    }
}

/// What a rule may look at.
pub struct Context<'a> {
    pub parse: &'a Parse,
    pub dockerfile: &'a Dockerfile,
    pub text: &'a str,
    pub options: &'a RuleOptions,
}

/// Settings that individual rules read; they come from `gantry.toml`, `.hadolint.yaml` or the editor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuleOptions {
    /// Registries that base images may come from (DL3026). Empty: every registry is trusted.
    pub trusted_registries: Vec<String>,
    /// Labels every image must carry, with the kind of value each must hold (DL3049 and the label rules).
    pub label_schema: Vec<(String, LabelType)>,
    /// Report labels that are not in `label_schema` (DL3050).
    pub strict_labels: bool,
}

/// The kinds of value a label in the schema may be required to hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LabelType {
    Text,
    Url,
    Email,
    Semver,
    Hash,
    Rfc3339,
    Spdx,
}

/// Collects one rule's findings, stamping them with its code and severity.
pub struct Sink {
    code: &'static str,
    severity: Severity,
    diagnostics: Vec<Diagnostic>,
}

impl Sink {
    /// Reports a finding; the returned diagnostic can be given fixes.
    pub fn report(&mut self, range: TextRange, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic {
            code: self.code.to_string(),
            severity: self.severity,
            range,
            message: message.into(),
            fixes: Vec::new(),
        });
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }
}

impl Diagnostic {
    /// Adds a fix made of one edit.
    pub fn with_fix(&mut self, title: impl Into<String>, range: TextRange, new_text: impl Into<String>, safe: bool) {
        self.fixes.push(Fix { title: title.into(), edits: vec![TextEdit { range, new_text: new_text.into() }], safe });
    }
}

/// Which rules run. The default runs every rule at its default severity.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// When set, only these codes run.
    pub only: Option<Vec<String>>,
    /// Codes that never run.
    pub ignore: Vec<String>,
    /// Off-by-default codes that run too.
    pub enable: Vec<String>,
}

impl Selection {
    /// Whether `rule` runs: named in `only` (which also turns on off-by-default rules) or, without
    /// `only`, enabled by default or through `enable`; and never when ignored.
    pub fn enables(&self, rule: &Rule) -> bool {
        let matches = |codes: &[String]| codes.iter().any(|c| c.eq_ignore_ascii_case(rule.code));
        let selected = match &self.only {
            Some(only) => matches(only),
            None => rule.default_enabled || matches(&self.enable),
        };
        selected && !matches(&self.ignore)
    }
}

/// All findings for a parsed Dockerfile with every rule enabled, sorted by position.
pub fn check(parse: &Parse) -> Vec<Diagnostic> {
    check_with(parse, &Selection::default())
}

/// The findings of the selected rules plus the syntax errors, sorted by position.
pub fn check_with(parse: &Parse, selection: &Selection) -> Vec<Diagnostic> {
    check_with_options(parse, selection, &RuleOptions::default())
}

/// Like [`check_with`], with settings for the rules that take them.
pub fn check_with_options(parse: &Parse, selection: &Selection, options: &RuleOptions) -> Vec<Diagnostic> {
    let context = Context { parse, dockerfile: parse.dockerfile(), text: parse.text(), options };
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
    for rule in ALL.iter().filter(|rule| selection.enables(rule)) {
        let mut sink = Sink { code: rule.code, severity: rule.default_severity, diagnostics: Vec::new() };
        (rule.check)(&context, &mut sink);
        diagnostics.append(&mut sink.diagnostics);
    }
    diagnostics.sort_by(|a, b| (a.range.start, a.range.end, &a.code).cmp(&(b.range.start, b.range.end, &b.code)));
    diagnostics
}
