//! Session benchmark: replays the same scripted LSP session against `gantry lsp` and against the
//! node dockerfile-language-server (`docker-langserver --stdio`), on generated Dockerfiles of
//! several sizes and on a corpus of real ones, and writes a table and a chart of the figures.
//!
//! Run it with `scripts/bench-session` (which builds gantry, installs the node server and passes
//! `--node`), or directly: `cargo bench --bench session -- --help`. `--generate DIR` only writes
//! the generated Dockerfiles (for `scripts/bench-cli`). Timings are reported, never asserted.

#![allow(clippy::print_stdout, clippy::print_stderr, reason = "a benchmark binary reports on the terminal")]

#[path = "session/client.rs"]
mod client;
#[path = "session/document.rs"]
mod document;
#[path = "common/generate.rs"]
mod generate;
#[path = "session/report.rs"]
mod report;
#[path = "session/run.rs"]
mod run;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Parser;

use report::InputResult;
use run::{Plan, Samples};

#[derive(Parser)]
#[command(about = "Replays the same LSP session against gantry and the node dockerfile-language-server")]
struct Args {
    /// Small sizes, one round, few samples (what CI runs).
    #[arg(long)]
    short: bool,
    /// Sizes of the generated Dockerfiles, in lines.
    #[arg(long, value_delimiter = ',')]
    sizes: Option<Vec<usize>>,
    /// Rounds of sessions per input (the servers alternate within each round).
    #[arg(long)]
    rounds: Option<usize>,
    /// The gantry binary (default: the one cargo built with this benchmark).
    #[arg(long)]
    gantry: Option<PathBuf>,
    /// The `docker-langserver` executable of dockerfile-language-server-nodejs (run with --stdio);
    /// without it only gantry is measured.
    #[arg(long)]
    node: Option<PathBuf>,
    /// A folder of real Dockerfiles (searched recursively for files whose name contains "Dockerfile").
    #[arg(long)]
    corpus: Option<PathBuf>,
    /// Where to write session.md and session.svg.
    #[arg(long)]
    out: Option<PathBuf>,
    /// A line about the run for the report's header (date, machine).
    #[arg(long, default_value = "")]
    note: String,
    /// Only write the generated Dockerfiles (`<size>-lines.Dockerfile`) into this folder.
    #[arg(long, value_name = "DIR")]
    generate: Option<PathBuf>,
    /// Passed by `cargo bench`; ignored.
    #[arg(long, hide = true)]
    bench: bool,
}

/// Files of one input, each with its text.
type Files = Vec<(PathBuf, String)>;

/// The text typed character by character in each session.
const TYPED_FULL: &str = "RUN echo typing a word, one character at a time";
const TYPED_SHORT: &str = "RUN echo hi";

fn main() {
    if let Err(error) = run_main(Args::parse()) {
        eprintln!("session benchmark failed: {error:#}");
        std::process::exit(1);
    }
}

fn run_main(args: Args) -> Result<()> {
    let sizes = args.sizes.clone().unwrap_or(if args.short { vec![20, 500] } else { vec![20, 500, 2_000, 5_000] });
    if let Some(dir) = &args.generate {
        std::fs::create_dir_all(dir)?;
        for &lines in &sizes {
            std::fs::write(dir.join(format!("{lines}-lines.Dockerfile")), document::generated(lines))?;
        }
        return Ok(());
    }
    let gantry = vec![
        args.gantry.clone().unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_gantry"))).display().to_string(),
        "lsp".to_string(),
    ];
    let node = args.node.as_ref().map(|path| vec![path.display().to_string(), "--stdio".to_string()]);
    let rounds = args.rounds.unwrap_or(if args.short { 1 } else { 3 });
    let plan = if args.short {
        Plan { repeats: 3, budget: Duration::from_secs(5), typed: TYPED_SHORT, delta_keystrokes: 2 }
    } else {
        Plan { repeats: 20, budget: Duration::from_secs(20), typed: TYPED_FULL, delta_keystrokes: 10 }
    };
    let corpus_plan = Plan { repeats: 5, budget: Duration::from_secs(5), typed: TYPED_SHORT, delta_keystrokes: 3 };

    let scratch = std::env::temp_dir().join(format!("gantry-session-bench-{}", std::process::id()));
    // Each input: its name, its files (path and text), and how much to measure.
    let mut inputs: Vec<(String, Files, Plan)> = Vec::new();
    for &lines in &sizes {
        // One folder per file, so that no server finds a neighbour's files or a Go module.
        let dir = scratch.join(format!("{lines}-lines"));
        std::fs::create_dir_all(&dir)?;
        let path = dir.join("Dockerfile");
        let text = document::generated(lines);
        std::fs::write(&path, &text)?;
        inputs.push((format!("{} lines", thousands(lines)), vec![(path, text)], plan));
    }
    if let Some(corpus) = &args.corpus {
        let files = corpus_files(corpus)?;
        if !files.is_empty() {
            inputs.push((format!("corpus ({} files)", files.len()), files, corpus_plan));
        }
    }

    let started = Instant::now();
    let mut results: Vec<InputResult> = inputs
        .iter()
        .map(|(name, files, _)| InputResult {
            name: name.clone(),
            files: files.len(),
            gantry: Samples::default(),
            node: node.as_ref().map(|_| Samples::default()),
        })
        .collect();
    for round in 1..=rounds {
        for ((name, files, plan), result) in inputs.iter().zip(&mut results) {
            for (path, text) in files {
                eprintln!("round {round}/{rounds}: {name}: {}", path.display());
                result.gantry.extend(run::session(&gantry, path, text, plan).context("gantry session")?);
                if let (Some(node), Some(samples)) = (&node, &mut result.node) {
                    samples.extend(run::session(node, path, text, plan).context("docker-langserver session")?);
                }
            }
        }
    }
    let _ = std::fs::remove_dir_all(&scratch);

    let markdown = markdown(&args, &results, rounds, started.elapsed());
    println!("{markdown}");
    if let Some(out) = &args.out {
        std::fs::create_dir_all(out)?;
        std::fs::write(out.join("session.md"), &markdown)?;
        let title = "Session figures: docker-langserver 0.15.0 ÷ gantry (log scale)";
        std::fs::write(out.join("session.svg"), report::svg_chart(&results, title))?;
        eprintln!("wrote {} and session.svg", out.join("session.md").display());
    }
    Ok(())
}

fn markdown(args: &Args, results: &[InputResult], rounds: usize, took: Duration) -> String {
    let mut out = String::from("# Session benchmark: gantry lsp and docker-langserver 0.15.0\n\n");
    if !args.note.is_empty() {
        out.push_str(&format!("{}\n\n", args.note));
    }
    out.push_str(&format!(
        "Mode: {}, {rounds} round(s), {:.0} s in all. Each session starts the server, initializes it, opens \
         the file, asks for semantic tokens, completion (after a `$`), hover (on a variable) and formatting, \
         types a new line character by character (waiting for each version's diagnostics before the next \
         keystroke), then asks for semantic-token deltas after further keystrokes. Figures are medians \
         (p50) except the p99 line and peak RSS (the highest VmHWM of the server process). Ratio = \
         docker-langserver ÷ gantry: above 1, gantry is faster or smaller. Neither server debounces \
         diagnostics: docker-langserver validates synchronously on every change and publishes without a \
         version (matched by order), gantry publishes every version it is given time to finish.\n\n",
        if args.short { "short" } else { "full" },
        took.as_secs_f64()
    ));
    if results.iter().all(|r| r.node.is_none()) {
        out.push_str("docker-langserver was not available: gantry's figures only.\n\n");
    }
    out.push_str("## Ratios\n\n");
    out.push_str(&report::summary_table(results));
    for result in results {
        let files = if result.files > 1 { " (samples of every file pooled)" } else { "" };
        out.push_str(&format!("\n## {}{files}\n\n", result.name));
        out.push_str(&report::input_table(result));
        out.push_str(&format!("Check: {}.\n", report::checks(result)));
    }
    out
}

/// Every file under `dir` whose name contains "Dockerfile", sorted.
fn corpus_files(dir: &Path) -> Result<Files> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        for entry in std::fs::read_dir(&folder).with_context(|| format!("reading {}", folder.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.file_name().is_some_and(|n| n.to_string_lossy().contains("Dockerfile"))
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                found.push((path, text));
            }
        }
    }
    found.sort();
    Ok(found)
}

fn thousands(n: usize) -> String {
    if n >= 1000 { format!("{},{:03}", n / 1000, n % 1000) } else { n.to_string() }
}
