//! The command line: `gantry lsp`, `gantry check` and friends.
//!
//! This module holds the clap definition and the dispatch; `check` discovers and lints files,
//! `render` prints findings for humans, and `json`, `sarif`, `github` and `checkstyle` for
//! machines; `explain` prints rule documentation, generated as reference pages by `docs`. Nothing
//! here prints with `print!`: stdout is the LSP transport, so output goes through explicitly locked
//! handles.

mod check;
mod checkstyle;
mod convert;
mod discover;
pub mod docs;
mod explain;
mod fix;
mod github;
mod json;
mod location;
mod project;
mod render;
mod sarif;
mod select;
mod write;

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand, ValueEnum};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::LevelFilter;

use crate::rules::Severity;

/// Exit status when nothing reached the fail level.
const EXIT_OK: u8 = 0;
/// Exit status when at least one finding reached the fail level.
const EXIT_FINDINGS: u8 = 1;
/// Exit status for usage errors (clap's own) and I/O errors.
const EXIT_ERROR: u8 = 2;

/// A language server and linter for Dockerfiles.
#[derive(Debug, Parser)]
#[command(
    name = "gantry",
    bin_name = "gantry",
    version,
    arg_required_else_help = true,
    after_help = "Logging goes to stderr; set GANTRY_LOG (e.g. `debug` or `gantry_ls=trace`) to change \
                  the level, which defaults to `warn`."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run the language server on stdin/stdout
    #[command(long_about = "Run the language server, speaking the Language Server Protocol on stdin/stdout.\n\n\
                      Point your editor's LSP client at `gantry lsp`. Logs go to stderr.")]
    Lsp(LspArgs),
    /// Lint Dockerfiles and report the problems found
    #[command(
        long_about = "Lint Dockerfiles and report the problems found.\n\n\
                      Each PATH may be a file, which is checked whatever its name, or a directory, \
                      which is searched recursively for Dockerfiles.",
        after_help = "Exit status: 0 if no finding reaches --fail-level, 1 if one does, \
                      2 on usage or I/O errors. See --help for how files are found.",
        after_long_help = CHECK_AFTER_HELP
    )]
    Check(CheckArgs),
    /// Apply the fixes of the findings to Dockerfiles, in place
    #[command(
        after_help = "Exit status: 0 if no finding left reaches --fail-level, 1 if one does, \
                      2 on usage errors, refused files or I/O errors. See --help for details.",
        after_long_help = fix::FIX_AFTER_HELP
    )]
    Fix(fix::FixArgs),
    /// Rewrite a single-stage Go Dockerfile as a multi-stage build
    #[command(
        after_help = "Exit status: 0 if the conversion was printed or written, 2 on usage errors, refused \
                      files or I/O errors. See --help for details.",
        after_long_help = convert::CONVERT_AFTER_HELP
    )]
    Convert(convert::ConvertArgs),
    /// Show the documentation of a rule
    #[command(
        long_about = "Show the documentation of a rule: its name, default severity, reference page, and what it \
                      finds, why it matters and how to fix it.\n\n\
                      CODE is a rule code such as DL3008 or StageNameCasing (any case), or a syntax-error \
                      code such as syntax/unknown-instruction."
    )]
    Rule(RuleArgs),
    /// List every rule with its name and default severity
    Rules(RulesArgs),
}

const CHECK_AFTER_HELP: &str = "\
File discovery:
  Directories are walked recursively, honouring .gitignore, .ignore and .git/info/exclude files
  (even outside a git repository). Hidden files and directories are searched; .git is not.
  These file names are checked:
    Dockerfile, Dockerfile.*, *.Dockerfile, *.dockerfile, dockerfile
    Containerfile, Containerfile.*, *.Containerfile, *.containerfile, containerfile
  except names ending in .dockerignore. A directory that holds no Dockerfile is reported on
  stderr as a note, which does not change the exit status.

Exit status:
  0  no finding reached the fail level
  1  at least one finding reached the fail level
  2  usage error (an unknown rule code, say), or a PATH or file that could not be read (including files that are not UTF-8);
     the other paths are still checked and their findings printed

Examples:
  gantry check                          check every Dockerfile under the current directory
  gantry check docker/ Dockerfile.dev   check a directory and a single file
  gantry check --format json .          machine-readable findings for CI
  gantry check --format sarif > gantry.sarif
                                        SARIF 2.1.0 for GitHub code scanning
  gantry check --format github          annotations in a GitHub Actions log
  gantry check --fail-level error       only fail on errors, not on warnings
  gantry check --ignore DL3008,DL3018   skip two rules (see `gantry rules`)";

#[derive(Debug, Args)]
struct LspArgs {
    /// Communicate over stdin/stdout
    ///
    /// This is the default and only transport; the flag is accepted because some clients pass it.
    #[arg(long)]
    stdio: bool,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Files or directories to check
    #[arg(value_name = "PATH", default_value = ".")]
    paths: Vec<PathBuf>,

    /// Output format
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,

    /// When to colour human output
    ///
    /// `auto` colours only when stdout is a terminal and the NO_COLOR environment variable is
    /// unset or empty.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, value_name = "WHEN")]
    color: ColorChoice,

    /// Least severe finding that makes the exit status 1 [default: warning, or `fail-level` in gantry.toml]
    ///
    /// Findings below this level are still printed but do not fail the run.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    fail_level: Option<FailLevel>,

    /// Use this configuration file (gantry.toml, or a hadolint .yaml) instead of looking for
    /// gantry.toml and .hadolint.yaml above each Dockerfile
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    #[command(flatten)]
    select: select::SelectArgs,
}

#[derive(Debug, Args)]
struct RuleArgs {
    /// The rule code (case-insensitive)
    #[arg(value_name = "CODE")]
    code: String,
}

#[derive(Debug, Args)]
struct RulesArgs {
    /// Output format
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    format: ListFormat,
}

/// Formats of `gantry rules`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ListFormat {
    /// An aligned table
    Human,
    /// A JSON array of rules
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum Format {
    /// Source excerpts with the problem underlined, and a summary line
    Human,
    /// A JSON array of findings with 1-based lines and character columns
    Json,
    /// SARIF 2.1.0 (GitHub code scanning), columns in UTF-16 code units
    Sarif,
    /// GitHub Actions workflow commands, which become annotations
    Github,
    /// Checkstyle XML
    Checkstyle,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum ColorChoice {
    /// Colour when stdout is a terminal and NO_COLOR is not set
    Auto,
    /// Always colour
    Always,
    /// Never colour
    Never,
}

impl ColorChoice {
    fn enabled(self) -> bool {
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FailLevel {
    /// Fail on errors only
    Error,
    /// Fail on warnings and errors
    Warning,
    /// Fail on info, warnings and errors
    Info,
    /// Fail on any finding
    Hint,
}

impl FailLevel {
    fn severity(self) -> Severity {
        match self {
            FailLevel::Error => Severity::Error,
            FailLevel::Warning => Severity::Warning,
            FailLevel::Info => Severity::Info,
            FailLevel::Hint => Severity::Hint,
        }
    }
}

/// Entry point of the `gantry` binary.
pub fn main() -> ExitCode {
    init_logging();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // Help and version go to stdout with status 0, usage errors to stderr with status 2.
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(EXIT_ERROR));
        }
    };
    tracing::debug!(?cli, "parsed command line");
    match cli.command {
        Command::Lsp(LspArgs { stdio: _ }) => crate::lsp::run_stdio(),
        Command::Check(args) => ExitCode::from(check::run(&args)),
        Command::Fix(args) => ExitCode::from(fix::run(&args)),
        Command::Convert(args) => ExitCode::from(convert::run(&args)),
        Command::Rule(args) => ExitCode::from(explain::rule(&args.code)),
        Command::Rules(args) => ExitCode::from(explain::rules(args.format)),
    }
}

/// Logs to stderr, never stdout, filtered by `GANTRY_LOG` (default `warn`).
fn init_logging() {
    let filter = EnvFilter::builder()
        .with_default_directive(LevelFilter::WARN.into())
        .with_env_var("GANTRY_LOG")
        .from_env_lossy();
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}

/// Writes `gantry: <message>` to stderr, ignoring failures (there is nowhere left to report them).
fn report_error(message: &str) {
    let _ = writeln!(std::io::stderr().lock(), "gantry: {message}");
}

/// Runs `write` on a buffered, locked stdout; returns the exit status (a closed pipe is not worth a
/// message, any other write error is).
fn write_stdout(write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>) -> u8 {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Ok(()) => EXIT_OK,
        Err(err) if err.kind() == std::io::ErrorKind::BrokenPipe => EXIT_ERROR,
        Err(err) => {
            report_error(&format!("cannot write output: {err}"));
            EXIT_ERROR
        }
    }
}
