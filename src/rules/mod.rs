//! The rule engine: turns a parsed Dockerfile into diagnostics with byte ranges and fixes.
//!
//! Works on the typed syntax model only (no LSP, no file system). Syntax errors are reported
//! here too, under their `syntax/…` codes, so that the editor and the CLI show the same findings.
//! Each rule lives in its own file inside its family's folder (`buildkit/`, `hadolint/`, `shell/`)
//! and is listed once in that family's `RULES`; `registry::ALL` joins them.

pub mod config;
mod registry;
mod suppression;

mod buildkit;
mod go;
mod hadolint;
mod shell;

use std::cell::OnceCell;
use std::fmt;
use std::sync::Arc;

pub use config::{Config, ConfigLayer, ConfigProblem, ConfigSource};
pub use go::{ProgramNeeds, program_needs};
pub use registry::{ALL, Tag, find, suggest_code, tags};
pub use suppression::{SUPPRESSION_PROBLEM_CODE, Suppressions};

use registry::{is_buildkit_check, is_shell_rule};

use crate::build::Build;
use crate::syntax::{Dockerfile, Parse, Scope, ShellScript, ShellScripts, TextEdit, TextRange};
use crate::workspace::{BuildContext, Workspace};

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
    /// Other places that explain the finding (the `go` line in go.mod, a variable's declaration).
    pub related: Vec<Related>,
}

/// A place related to a finding, in this Dockerfile or in another file of the workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    /// The file, relative to the workspace folder; `None` for the Dockerfile itself.
    pub path: Option<String>,
    /// Byte range in that file.
    pub range: TextRange,
    pub message: String,
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

/// Where the rule reference pages (`docs/rules/<CODE>.md`, generated from each rule's `docs`) are published.
pub const DOCS_BASE_URL: &str = "https://github.com/gantry-ls/gantry/blob/main/docs/rules";

/// The reference page of a diagnostic code: the rule's page, or the section of the syntax-error
/// page for a `syntax/…` code; `None` for a code that is neither.
pub fn help_uri(code: &str) -> Option<String> {
    if let Some(rule) = find(code) {
        return Some(format!("{DOCS_BASE_URL}/{}.md", rule.code));
    }
    let kind = crate::syntax::SyntaxErrorKind::ALL.iter().find(|kind| kind.code().eq_ignore_ascii_case(code))?;
    Some(format!("{DOCS_BASE_URL}/syntax.md#{}", kind.code().trim_start_matches("syntax/")))
}

/// What a rule may look at.
pub struct Context<'a> {
    pub parse: &'a Parse,
    pub dockerfile: &'a Dockerfile,
    pub text: &'a str,
    pub options: &'a RuleOptions,
    /// The shell model of each RUN, parsed on first use and shared by every rule.
    shells: ShellScripts<'a>,
    /// The Go project around the Dockerfile, when the caller knows it (the Go rules stay silent otherwise).
    pub go: Option<&'a GoFacts>,
    /// The simulated build, computed on first use.
    build: OnceCell<Build>,
    /// ARG/ENV scoping and stage bases, computed on first use (many rules and the build need it).
    scope: OnceCell<Scope>,
    /// Which stages ship, computed on first use by the shell rules (`shell::support`).
    shipping_stages: OnceCell<Vec<bool>>,
}

impl Context<'_> {
    /// The shell script of the RUN (or `ONBUILD RUN`) at this instruction index; see
    /// [`crate::syntax::run_script`] for when there is none.
    pub fn shell(&self, instruction: usize) -> Option<&ShellScript> {
        self.shells.get(instruction)
    }

    /// The build as BuildKit would run it (stages, environment, copies, `go` commands).
    pub fn build(&self) -> &Build {
        self.build.get_or_init(|| Build::simulate_with_scope(self.parse, self.scope()))
    }

    /// The ARG/ENV scope of the whole file, shared by every rule of one check.
    pub fn scope(&self) -> &Scope {
        self.scope.get_or_init(|| Scope::new(self.dockerfile, self.text))
    }
}

/// What the Go rules know about the project a Dockerfile builds.
#[derive(Clone)]
pub struct GoFacts {
    pub workspace: Arc<Workspace>,
    /// The build context, the module and the ignore file in effect for this Dockerfile.
    pub context: BuildContext,
}

impl fmt::Debug for GoFacts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GoFacts").field("root", &self.workspace.root()).field("context", &self.context).finish()
    }
}

impl GoFacts {
    /// The facts for the Dockerfile at `dockerfile` (relative to the workspace folder).
    pub fn for_dockerfile(workspace: Arc<Workspace>, dockerfile: &str) -> GoFacts {
        let context = workspace.build_context(dockerfile);
        GoFacts { workspace, context }
    }
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
            related: Vec::new(),
        });
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }
}

impl Diagnostic {
    /// Points at another place that explains the finding.
    pub fn with_related(&mut self, path: Option<String>, range: TextRange, message: impl Into<String>) -> &mut Self {
        self.related.push(Related { path, range, message: message.into() });
        self
    }

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

    /// Whether findings with this code are dropped.
    pub fn ignores(&self, code: &str) -> bool {
        self.ignore.iter().any(|c| c.eq_ignore_ascii_case(code))
    }
}

/// All findings for a parsed Dockerfile with every rule enabled, sorted by position.
pub fn check(parse: &Parse) -> Vec<Diagnostic> {
    check_with(parse, &Selection::default())
}

/// The findings of the selected rules plus the syntax errors, sorted by position.
pub fn check_with(parse: &Parse, selection: &Selection) -> Vec<Diagnostic> {
    check_with_config(parse, &Config { selection: selection.clone(), ..Config::default() })
}

/// The findings under `config`: selected rules at their configured severities, syntax errors,
/// minus what the file's suppression comments silence, plus problems in those comments.
pub fn check_with_config(parse: &Parse, config: &Config) -> Vec<Diagnostic> {
    check_with_facts(parse, config, None)
}

/// Like [`check_with_config`], with the Go project around the Dockerfile for the Go rules.
pub fn check_with_facts(parse: &Parse, config: &Config, go: Option<&GoFacts>) -> Vec<Diagnostic> {
    let dockerfile = parse.dockerfile();
    let suppressions =
        if config.honour_suppressions { Suppressions::read(dockerfile, parse.text()) } else { Suppressions::default() };
    let shells = parse.shell_scripts();
    let context = Context {
        parse,
        dockerfile,
        text: parse.text(),
        options: &config.options,
        shells,
        go,
        build: OnceCell::new(),
        scope: OnceCell::new(),
        shipping_stages: OnceCell::new(),
    };
    let mut diagnostics: Vec<Diagnostic> = parse
        .errors()
        .iter()
        .map(|error| Diagnostic {
            code: error.kind.code().to_string(),
            severity: config.severity_for(error.kind.code()).unwrap_or(Severity::Error),
            range: error.range,
            message: error.message.clone(),
            fixes: Vec::new(),
            related: Vec::new(),
        })
        .collect();
    let runs = |rule: &Rule| {
        config.selection.enables(rule)
            || (suppressions.enables_experimental(rule.code) && !config.selection.ignores(rule.code))
    };
    for rule in ALL.iter().filter(|rule| runs(rule)) {
        let severity =
            config.severity_for(rule.code).unwrap_or(if suppressions.buildkit_errors && is_buildkit_check(rule.code) {
                Severity::Error
            } else {
                rule.default_severity
            });
        let mut sink = Sink { code: rule.code, severity, diagnostics: Vec::new() };
        (rule.check)(&context, &mut sink);
        diagnostics.append(&mut sink.diagnostics);
    }
    diagnostics.retain(|d| !config.selection.ignores(&d.code) && !suppressions.silences(dockerfile, &d.code, d.range));
    if !config.selection.ignores(SUPPRESSION_PROBLEM_CODE) {
        diagnostics.extend(suppressions.problem_diagnostics());
    }
    diagnostics.sort_by(|a, b| (a.range.start, a.range.end, &a.code).cmp(&(b.range.start, b.range.end, &b.code)));
    diagnostics
}
