//! `gantry check`: discover Dockerfiles, lint them, print the findings and pick the exit status.

use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};

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
    // Reading and configuration stay in order, so that errors and configuration problems are
    // reported in path order; the Go facts and the rules, most of the time, run on every core.
    let mut jobs = Vec::with_capacity(discovered.files.len());
    for path in discovered.files {
        match read_dockerfile(&path) {
            Ok(text) => {
                let config = project.config_for(&path);
                let fail_level =
                    args.fail_level.map(FailLevel::severity).or(config.fail_level).unwrap_or(Severity::Warning);
                jobs.push(Job { path, text, config, fail_level });
            }
            Err(message) => errors.push(format!("cannot read {}: {message}", path.display())),
        }
    }
    let workspaces = &project.workspaces;
    let files = in_parallel(jobs, |job| {
        let facts = workspaces.facts_for(&job.path, &job.config);
        check_text(job.path, job.text, &job.config, facts.as_ref(), job.fail_level)
    });

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

/// A Dockerfile read and configured, waiting to be checked.
struct Job {
    path: PathBuf,
    text: String,
    config: Arc<Config>,
    fail_level: Severity,
}

/// Runs `work` on every item, on as many threads as there are cores (one thread for one item), and
/// returns the results in the order of `items`, so that the output does not depend on timing.
fn in_parallel<T: Send, R: Send>(items: Vec<T>, work: impl Fn(T) -> R + Sync) -> Vec<R> {
    let threads = std::thread::available_parallelism().map_or(1, usize::from).min(items.len());
    if threads <= 1 {
        return items.into_iter().map(work).collect();
    }
    let count = items.len();
    // Each thread takes the next item as it finishes one: file sizes vary a lot.
    let queue = Mutex::new(items.into_iter().enumerate());
    let next = || queue.lock().unwrap_or_else(PoisonError::into_inner).next();
    let mut done: Vec<(usize, R)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let mut done = Vec::new();
                    while let Some((index, item)) = next() {
                        done.push((index, work(item)));
                    }
                    done
                })
            })
            .collect();
        // A worker that panicked has already printed its message; its panic is passed on.
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
            .collect()
    });
    debug_assert_eq!(done.len(), count);
    done.sort_unstable_by_key(|(index, _)| *index);
    done.into_iter().map(|(_, result)| result).collect()
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
