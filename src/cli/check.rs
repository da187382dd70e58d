//! `gantry check`: discover Dockerfiles, lint them, print the findings and pick the exit status.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use super::discover::discover;
use super::project::Project;
use super::{
    CheckArgs, EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, FailLevel, Format, checkstyle, github, json, render, report_error,
    sarif,
};
use crate::rules::{Config, Diagnostic, GoFacts, Severity};
use crate::syntax::{self, LineIndex};

/// A linted file: its text, line index and findings (sorted by position).
pub(super) struct CheckedFile {
    /// The path as given on the command line or found by the walk (without a leading `./`).
    pub(super) path: PathBuf,
    pub(super) text: String,
    pub(super) line_index: LineIndex,
    pub(super) diagnostics: Vec<Diagnostic>,
    /// The least severe finding that fails the run for this file.
    pub(super) fail_level: Severity,
}

/// Runs `gantry check` and returns the process exit status.
pub(super) fn run(args: &CheckArgs) -> u8 {
    // Configuration files first, the flags on top.
    let flags = match args.select.layer() {
        Ok(flags) => flags,
        Err(message) => {
            report_error(&message);
            return EXIT_ERROR;
        }
    };
    let mut project = match Project::new(args.config.as_deref(), flags) {
        Ok(project) => project,
        Err(message) => {
            report_error(&message);
            return EXIT_ERROR;
        }
    };
    let discovered = discover(&args.paths);
    let mut errors = discovered.errors;
    let mut files = Vec::with_capacity(discovered.files.len());
    for path in discovered.files {
        match read_dockerfile(&path) {
            Ok(text) => {
                let config = project.config_for(&path);
                let facts = project.facts_for(&path, &config);
                let fail_level =
                    args.fail_level.map(FailLevel::severity).or(config.fail_level).unwrap_or(Severity::Warning);
                files.push(check_text(path, text, &config, facts.as_ref(), fail_level));
            }
            Err(message) => errors.push(format!("cannot read {}: {message}", path.display())),
        }
    }

    if let Err(err) = write_output(args, &files) {
        if err.kind() != io::ErrorKind::BrokenPipe {
            report_error(&format!("cannot write output: {err}"));
        }
        return EXIT_ERROR;
    }
    for dir in &discovered.empty_dirs {
        report_error(&format!("no Dockerfiles found under {}", dir.display()));
    }
    for error in &errors {
        report_error(error);
    }
    // A configuration mistake is an error: a rule the user meant to silence or tune would otherwise
    // behave differently from what the file says, without a word.
    for problem in &project.problems {
        report_error(problem);
    }

    let failed = files.iter().any(|file| file.diagnostics.iter().any(|d| d.severity <= file.fail_level));
    if !errors.is_empty() || !project.problems.is_empty() {
        EXIT_ERROR
    } else if failed {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Dockerfiles larger than this are not checked (real ones are kilobytes; a 10 MB line still fits).
const MAX_DOCKERFILE_BYTES: u64 = 32 * 1024 * 1024;

/// Reads a Dockerfile, at most `MAX_DOCKERFILE_BYTES` of it: a file that is larger, or a pipe
/// that keeps on giving (`gantry check /dev/stdin`), is an error rather than a memory hog.
fn read_dockerfile(path: &std::path::Path) -> Result<String, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|err| err.to_string())?;
    let mut bytes = Vec::new();
    file.take(MAX_DOCKERFILE_BYTES + 1).read_to_end(&mut bytes).map_err(|err| err.to_string())?;
    if bytes.len() as u64 > MAX_DOCKERFILE_BYTES {
        return Err(format!("larger than the limit of {MAX_DOCKERFILE_BYTES} bytes; not checked"));
    }
    String::from_utf8(bytes).map_err(|_| "not valid UTF-8".to_string())
}

fn check_text(
    path: PathBuf,
    text: String,
    config: &Config,
    facts: Option<&GoFacts>,
    fail_level: Severity,
) -> CheckedFile {
    let parse = syntax::parse(&text);
    let diagnostics = crate::ide::diagnostics_for(&parse, config, facts);
    tracing::debug!(path = %path.display(), findings = diagnostics.len(), "checked");
    let line_index = LineIndex::new(&text);
    CheckedFile { path, text, line_index, diagnostics, fail_level }
}

fn write_output(args: &CheckArgs, files: &[CheckedFile]) -> io::Result<()> {
    let mut out = BufWriter::new(io::stdout().lock());
    match args.format {
        Format::Human => render::write_human(&mut out, files, args.color.enabled())?,
        Format::Json => json::write_json(&mut out, files)?,
        Format::Sarif => sarif::write_sarif(&mut out, files, std::env::current_dir().ok().as_deref())?,
        Format::Github => github::write_github(&mut out, files)?,
        Format::Checkstyle => checkstyle::write_checkstyle(&mut out, files)?,
    }
    out.flush()
}
