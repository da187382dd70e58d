//! `gantry convert`: turn a single-stage Go Dockerfile into a multi-stage one, printed or written.
//!
//! The conversion itself is [`crate::ide::conversions`], fed with the configuration and Go facts
//! `gantry check` uses. This module picks one conversion (the runtime asked for, else the engine's
//! first choice; the package asked for, else the only one), prints it, or writes it like `gantry
//! fix` does (atomically, refusing a file that changed since it was read) after saving the old
//! text to `PATH.bak`, which is never overwritten.

use std::io::{self, Write};
use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use super::discover::discover;
use super::fix::{keep_line_endings, refuse_syntax_errors};
use super::project::Project;
use super::write::{self, Original};
use super::{EXIT_ERROR, EXIT_OK, report_error};
use crate::ide::{Conversion, ConvertError, ConvertOptions, RuntimeFlavor};
use crate::rules::ConfigLayer;
use crate::syntax;

pub(super) const CONVERT_AFTER_HELP: &str = "\
PATH is a Dockerfile, or a directory holding exactly one. The Dockerfile must be a single stage on
a golang image that builds (or `go run`s) a program; the new file builds it in a `build` stage and
copies the binary into a small runtime image. The Go project next to the Dockerfile (found as
`gantry check` finds it) decides the package, the go version, cgo, CA certificates and time zones.

Without --write the new Dockerfile goes to stdout and the notes (what to check by hand) to
stderr. With --write the file is replaced through a temporary file renamed over it, after the old
text is saved to PATH.bak, and a one-line summary goes to stdout; an existing PATH.bak is never overwritten: the command refuses (move it
away, or pass --no-backup). A file with syntax errors, one that is not a single-stage Go build,
and one that changes on disk while gantry works on it are refused and left untouched.

Runtime images:
  distroless  gcr.io/distroless/static-debian12:nonroot (base-debian12 for a cgo program)
  scratch     nothing but the program, the CA bundle and a passwd entry (no cgo)
  alpine      alpine, matching the builder's release (a shell and busybox tools)
Without --runtime: distroless, or alpine for a cgo program built on an alpine golang image.

Exit status:
  0  the conversion was printed or written
  2  usage error, a refused file (syntax errors, not convertible, several programs and no
     --package, backup exists, changed while working) or an I/O error

Examples:
  gantry convert Dockerfile                      print the multi-stage Dockerfile
  gantry convert --runtime scratch --write .     rewrite ./Dockerfile, old text in Dockerfile.bak
  gantry convert --package ./cmd/api Dockerfile  pick the program when several could be built";

/// Arguments of `gantry convert`.
#[derive(Debug, Args)]
pub(super) struct ConvertArgs {
    /// The Dockerfile to convert (or a directory holding exactly one)
    #[arg(value_name = "PATH")]
    path: PathBuf,

    /// The runtime image family [default: distroless; alpine for cgo on an alpine builder]
    #[arg(long, value_enum, value_name = "IMAGE")]
    runtime: Option<Runtime>,

    /// The main package to build (`./cmd/api`), when the Dockerfile could build several
    #[arg(long, value_name = "PACKAGE")]
    package: Option<String>,

    /// Replace PATH with the new Dockerfile (the old one is kept as PATH.bak)
    #[arg(long)]
    write: bool,

    /// With --write, keep no PATH.bak
    #[arg(long, requires = "write")]
    no_backup: bool,

    /// Use this configuration file (gantry.toml, or a hadolint .yaml) instead of looking for
    /// gantry.toml and .hadolint.yaml above the Dockerfile
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Runtime {
    /// gcr.io/distroless: no shell, CA certificates and tzdata included
    Distroless,
    /// An empty image with only what the program needs copied in
    Scratch,
    /// Alpine Linux: small, with a shell
    Alpine,
}

impl Runtime {
    fn flavor(self) -> RuntimeFlavor {
        match self {
            Runtime::Distroless => RuntimeFlavor::Distroless,
            Runtime::Scratch => RuntimeFlavor::Scratch,
            Runtime::Alpine => RuntimeFlavor::Alpine,
        }
    }
}

/// Runs `gantry convert` and returns the process exit status.
pub(super) fn run(args: &ConvertArgs) -> u8 {
    match convert(args) {
        Ok(()) => EXIT_OK,
        Err(message) => {
            if !message.is_empty() {
                report_error(&message);
            }
            EXIT_ERROR
        }
    }
}

/// The whole command; `Err` carries the message for stderr (empty when already reported).
fn convert(args: &ConvertArgs) -> Result<(), String> {
    let path = dockerfile(&args.path)?;
    let mut project = Project::new(args.config.as_deref(), ConfigLayer::default())?;
    let config = project.config_for(&path);
    if !project.problems.is_empty() {
        for problem in &project.problems {
            report_error(problem);
        }
        return Err("nothing converted: correct the configuration first".into());
    }
    let original = write::read(&path)?;
    let parse = syntax::parse(&original.text);
    refuse_syntax_errors(&path, parse.errors().len())?;
    let facts = project.facts_for(&path, &config);
    let options = ConvertOptions { runtime: args.runtime.map(Runtime::flavor), package: args.package.clone() };
    let conversion = match crate::ide::conversions(&parse, facts.as_ref(), &options) {
        Ok(found) => choose(&path, found)?,
        Err(ConvertError::SyntaxErrors { count }) => return refuse_syntax_errors(&path, count),
        Err(ConvertError::NotConvertible(reason)) => {
            return Err(format!("{}: cannot convert: {reason}", path.display()));
        }
    };
    let text = keep_line_endings(&original.text, conversion.text);
    let mut stderr = io::stderr().lock();
    for note in &conversion.notes {
        let _ = writeln!(stderr, "note: {note}");
    }
    if !args.write {
        return print(&text);
    }
    let backup = write_back(&original, &text, !args.no_backup)?;
    drop(stderr);
    let kept = backup.map(|backup| format!("; the old one is in {}", backup.display())).unwrap_or_default();
    let summary = format!(
        "{}: converted to a multi-stage build (package {}, {} runtime){kept}\n",
        path.display(),
        conversion.package,
        conversion.runtime.label()
    );
    print(&summary)
}

/// The Dockerfile `path` names: itself, or the only Dockerfile found in a directory.
fn dockerfile(path: &Path) -> Result<PathBuf, String> {
    if !path.is_dir() {
        return Ok(path.to_path_buf());
    }
    let found = discover(std::slice::from_ref(&path.to_path_buf()));
    match found.files.as_slice() {
        [one] => Ok(one.clone()),
        [] => Err(format!("no Dockerfile found under {}", path.display())),
        several => Err(format!(
            "{} holds {} Dockerfiles ({}); name the one to convert",
            path.display(),
            several.len(),
            several.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// The first conversion (the engine puts its preferred runtime first), once the package is clear.
fn choose(path: &Path, found: Vec<Conversion>) -> Result<Conversion, String> {
    let mut packages: Vec<&str> = Vec::new();
    for conversion in &found {
        if !packages.contains(&conversion.package.as_str()) {
            packages.push(&conversion.package);
        }
    }
    if packages.len() > 1 {
        return Err(format!(
            "{}: the Dockerfile could build {} programs: {}; pick one with --package (e.g. --package {})",
            path.display(),
            packages.len(),
            packages.join(", "),
            packages[0]
        ));
    }
    found.into_iter().next().ok_or_else(|| format!("{}: cannot convert: no conversion found", path.display()))
}

fn print(text: &str) -> Result<(), String> {
    let mut out = io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(err) if err.kind() == io::ErrorKind::BrokenPipe => Err(String::new()),
        Err(err) => Err(format!("cannot write output: {err}")),
    }
}

/// Saves the backup (unless told not to), then replaces the file; a failed replace takes its
/// backup away again, so a refusal leaves the directory as it was. Returns the backup's path.
fn write_back(original: &Original, text: &str, keep_backup: bool) -> Result<Option<PathBuf>, String> {
    let path = &original.path;
    let backup = if keep_backup { Some(write::backup(original).map_err(|err| err.message(path))?) } else { None };
    if let Err(err) = write::replace(original, text) {
        if let Some(backup) = &backup {
            write::discard_backup(backup);
        }
        return Err(err.message(path));
    }
    Ok(backup)
}
