//! `gantry fix`: apply the rules' fixes to Dockerfiles in place, with the analysis `gantry check` runs.
//!
//! Each file is read once, refused if it has syntax errors (a fix computed on a broken parse could
//! land anywhere), fixed to a fixpoint by [`crate::ide::fix_all_text`] under the file's own
//! configuration and Go facts, given back its line-ending style, and written atomically only if the
//! text changed and the file on disk is still the one read (see `write`).

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::Args;

use super::discover::discover;
use super::project::Project;
use super::write::{self, Original};
use super::{EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, FailLevel, report_error, select};
use crate::rules::{Config, Diagnostic, GoFacts, Severity};
use crate::syntax;

pub(super) const FIX_AFTER_HELP: &str = "\
Each PATH may be a file, fixed whatever its name, or a directory, searched for Dockerfiles the way
`gantry check` searches. Configuration (gantry.toml, .hadolint.yaml, --config) and the Go project
next to each Dockerfile are read as `gantry check` reads them, so the fixes are those of the
findings `gantry check` reports.

Only safe fixes are applied unless --unsafe is given; a safe fix keeps what the image does. A file
is written only when its text changes, through a temporary file renamed over it (its permissions
are kept; CRLF line endings and a missing final newline are kept too). A file is refused and left
untouched when it has syntax errors, or when it changes on disk while gantry works on it.

Output: one line per file on stdout, e.g.
  Dockerfile: 3 fixes applied, 1 unsafe fix not applied (use --unsafe)
With --diff, a unified diff on stdout instead (the summary lines go to stderr).

Exit status:
  0  every file was fixed (or needed nothing) and no finding left reaches the fail level
  1  findings that reach the fail level remain after fixing (see them with `gantry check`)
  2  usage error, a file refused (syntax errors, changed while working) or an I/O error;
     the other files are still fixed

Examples:
  gantry fix Dockerfile               apply the safe fixes to one file
  gantry fix --diff .                 fix every Dockerfile below . and show what changed
  gantry fix --dry-run --diff .       show what would change, write nothing
  gantry fix --unsafe --select DL3025 Dockerfile
                                      apply one rule's fixes, reviewed ones included";

/// Arguments of `gantry fix`.
#[derive(Debug, Args)]
pub(super) struct FixArgs {
    /// Files or directories to fix
    #[arg(value_name = "PATH", required = true)]
    paths: Vec<PathBuf>,

    /// Also apply the fixes that may change behaviour (review the result)
    #[arg(long = "unsafe")]
    include_unsafe: bool,

    /// Print a unified diff of the changes on stdout (the per-file summaries go to stderr)
    #[arg(long)]
    diff: bool,

    /// Compute the fixes and report them, but write nothing
    #[arg(long)]
    dry_run: bool,

    /// Least severe remaining finding that makes the exit status 1 [default: warning, or `fail-level` in gantry.toml]
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_level: Option<FailLevel>,

    /// Use this configuration file (gantry.toml, or a hadolint .yaml) instead of looking for
    /// gantry.toml and .hadolint.yaml above each Dockerfile
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    #[command(flatten)]
    select: select::SelectArgs,
}

/// What fixing one file did.
struct Fixed {
    original: Original,
    text: String,
    /// Fixes applied (0 when the text did not change).
    applied: usize,
    /// Findings left whose only fixes are unsafe (counted without --unsafe).
    unsafe_left: usize,
    /// Findings left with a fix that could have been applied (a fix that keeps re-triggering).
    fixable_left: usize,
    /// Whether a finding left reaches the fail level.
    failed: bool,
}

/// Runs `gantry fix` and returns the process exit status.
pub(super) fn run(args: &FixArgs) -> u8 {
    let mut project = match args.select.layer().and_then(|flags| Project::new(args.config.as_deref(), flags)) {
        Ok(project) => project,
        Err(message) => {
            report_error(&message);
            return EXIT_ERROR;
        }
    };
    let discovered = discover(&args.paths);
    // Every configuration first: a broken one would fix with rules the user meant to silence or
    // tune, so any mistake refuses the whole run before a file is touched.
    let configs: Vec<_> = discovered.files.iter().map(|path| project.config_for(path)).collect();
    if !project.problems.is_empty() {
        for problem in &project.problems {
            report_error(problem);
        }
        report_error("nothing fixed: correct the configuration first");
        return EXIT_ERROR;
    }
    let mut errors = discovered.errors;
    let mut failed = false;
    let mut out = io::stdout().lock();
    for (path, config) in discovered.files.iter().zip(configs) {
        let facts = project.facts_for(path, &config);
        let fixed = match fix_file(path, &config, facts.as_ref(), args) {
            Ok(fixed) => fixed,
            Err(message) => {
                errors.push(message);
                continue;
            }
        };
        if fixed.text != fixed.original.text
            && !args.dry_run
            && let Err(err) = write::replace(&fixed.original, &fixed.text)
        {
            errors.push(err.message(path));
            continue;
        }
        let summary = summary(&fixed, args);
        let written = if args.diff {
            write_diff(&mut out, &fixed).and_then(|()| writeln!(io::stderr().lock(), "{summary}"))
        } else {
            writeln!(out, "{summary}")
        };
        if written.is_err() {
            return EXIT_ERROR;
        }
        failed |= fixed.failed;
    }
    for dir in &discovered.empty_dirs {
        report_error(&format!("no Dockerfiles found under {}", dir.display()));
    }
    for error in &errors {
        report_error(error);
    }
    if !errors.is_empty() {
        EXIT_ERROR
    } else if failed {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// Reads, checks and fixes one file in memory.
fn fix_file(path: &Path, config: &Config, facts: Option<&GoFacts>, args: &FixArgs) -> Result<Fixed, String> {
    let original = write::read(path)?;
    let parse = syntax::parse(&original.text);
    refuse_syntax_errors(path, parse.errors().len())?;
    let (fixed, applied) = crate::ide::fix_all_text(&parse, config, facts, args.include_unsafe);
    let text = keep_line_endings(&original.text, fixed);
    let applied = if text == original.text { 0 } else { applied };
    let fixed_parse = syntax::parse(&text);
    // A fix must never break the file; if one did (a rule's bug), write nothing rather than damage.
    if !fixed_parse.errors().is_empty() {
        return Err(format!(
            "{}: the fixes would introduce syntax errors, so nothing was written (please report this as a bug)",
            path.display()
        ));
    }
    let remaining = crate::ide::diagnostics_for(&fixed_parse, config, facts);
    let fail_level = args.fail_level.map(FailLevel::severity).or(config.fail_level).unwrap_or(Severity::Warning);
    let applicable = |d: &&Diagnostic| d.fixes.iter().any(|f| f.safe || args.include_unsafe);
    Ok(Fixed {
        applied,
        unsafe_left: remaining.iter().filter(|d| !d.fixes.is_empty() && !applicable(d)).count(),
        fixable_left: remaining.iter().filter(applicable).count(),
        failed: remaining.iter().any(|d| d.severity <= fail_level),
        text,
        original,
    })
}

/// The refusal for a file with syntax errors, shared with `gantry convert`.
pub(super) fn refuse_syntax_errors(path: &Path, count: usize) -> Result<(), String> {
    if count == 0 {
        return Ok(());
    }
    let path = path.display();
    let errors = if count == 1 { "syntax error" } else { "syntax errors" };
    Err(format!("{path}: {count} {errors}; fix them first (gantry check {path} shows them)"))
}

/// `fixed` in the line-ending style of `original`: a file that breaks every line with CRLF keeps
/// doing so (fixes insert plain `\n`), and a file without a final newline does not gain one.
pub(super) fn keep_line_endings(original: &str, fixed: String) -> String {
    let crlf = original.contains("\r\n") && original.matches('\n').count() == original.matches("\r\n").count();
    let mut text = if crlf {
        let mut text = String::with_capacity(fixed.len() + fixed.len() / 32);
        let mut previous = '\0';
        for c in fixed.chars() {
            if c == '\n' && previous != '\r' {
                text.push('\r');
            }
            text.push(c);
            previous = c;
        }
        text
    } else {
        fixed
    };
    if !original.is_empty() && !original.ends_with('\n') {
        let trimmed = text.strip_suffix("\r\n").or_else(|| text.strip_suffix('\n')).map(str::len);
        if let Some(len) = trimmed {
            text.truncate(len);
        }
    }
    text
}

fn summary(fixed: &Fixed, args: &FixArgs) -> String {
    let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let verb = if args.dry_run { "to apply" } else { "applied" };
    let mut parts = vec![format!("{} {verb}", plural(fixed.applied, "fix", "fixes"))];
    if fixed.unsafe_left > 0 {
        parts.push(format!("{} not applied (use --unsafe)", plural(fixed.unsafe_left, "unsafe fix", "unsafe fixes")));
    }
    if fixed.fixable_left > 0 {
        parts.push(format!("{} left over (run gantry fix again)", plural(fixed.fixable_left, "fix", "fixes")));
    }
    format!("{}: {}", fixed.original.path.display(), parts.join(", "))
}

/// A unified diff of one file's change, nothing when it did not change.
fn write_diff(out: &mut impl Write, fixed: &Fixed) -> io::Result<()> {
    if fixed.text == fixed.original.text {
        return Ok(());
    }
    let name = fixed.original.path.display().to_string();
    write_unified_diff(out, &name, &fixed.original.text, &fixed.text)
}

/// `--- name` / `+++ name` and the hunks with three lines of context (`patch -p0` applies it).
pub(super) fn write_unified_diff(out: &mut impl Write, name: &str, old: &str, new: &str) -> io::Result<()> {
    let diff = similar::TextDiff::from_lines(old, new);
    let result = diff.unified_diff().context_radius(3).header(name, name).to_writer(&mut *out);
    match result {
        Err(err) if err.kind() != io::ErrorKind::BrokenPipe => {
            report_error(&format!("cannot write output: {err}"));
            Err(err)
        }
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_endings_follow_the_original() {
        assert_eq!(keep_line_endings("A\r\nB\r\n", "A\r\nX\nB\r\n".into()), "A\r\nX\r\nB\r\n");
        // Mixed endings: left as the fixes made them.
        assert_eq!(keep_line_endings("A\r\nB\n", "A\r\nX\nB\n".into()), "A\r\nX\nB\n");
        assert_eq!(keep_line_endings("A\nB", "A\nB\n".into()), "A\nB");
        assert_eq!(keep_line_endings("A\r\nB", "A\r\nB\n".into()), "A\r\nB");
        assert_eq!(keep_line_endings("A\nB", "A\nC".into()), "A\nC");
        assert_eq!(keep_line_endings("", "A\n".into()), "A\n");
    }

    #[test]
    fn refusal_names_the_count() {
        assert_eq!(refuse_syntax_errors(Path::new("d/Dockerfile"), 0), Ok(()));
        assert_eq!(
            refuse_syntax_errors(Path::new("d/Dockerfile"), 1).unwrap_err(),
            "d/Dockerfile: 1 syntax error; fix them first (gantry check d/Dockerfile shows them)"
        );
    }
}
