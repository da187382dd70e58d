//! Grammar-aware mutation of real inputs, run through the fuzz targets under `cargo test`.
//!
//! The seeds are the repository's fixtures and, when it is next to the repository, the shared corpus
//! of real Go projects (`../shared/corpus`, read in place, never copied). Each case applies a few
//! mutations at the level of lines and words, with the pieces that change how each format is read
//! (continuations, heredocs, flags, substitutions, JSON brackets, comments, directives, blocks,
//! quotes, CRLF, unicode), and runs the whole pipeline of the format's target: no panic, ranges
//! inside the text, idempotent formatting, incremental parse equal to a fresh one.
//!
//! Seeded, so a failure is reproducible: the message gives the seed and the input. Set
//! `GANTRY_FUZZ_SEED` (a number) to explore other cases, `GANTRY_FUZZ_CASES` for more of them.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use gantry_ls::fuzzing::Target;
use gantry_ls::rules::GoFacts;
use gantry_ls::workspace::Workspace;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn env_number(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// Files under `dir` (recursively) whose name passes `wanted`, sorted for a stable order.
fn files_under(dir: &Path, wanted: &dyn Fn(&str) -> bool) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
            if path.is_dir() {
                pending.push(path);
            } else if path.file_name().is_some_and(|n| wanted(&n.to_string_lossy())) {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

fn seeds(wanted: &dyn Fn(&str) -> bool) -> Vec<String> {
    let mut files = files_under(&root().join("tests/fixtures"), wanted);
    files.extend(files_under(&root().join("../shared/corpus"), wanted));
    files.iter().filter_map(|p| std::fs::read_to_string(p).ok()).filter(|t| t.len() <= 64 * 1024).collect()
}

/// The pieces that matter to each format's reader.
const DOCKERFILE_PIECES: &[&str] = &[
    "\\",
    " \\\n",
    "\\\n\n",
    "\\\n# comment x\\ny\n",
    "`",
    "<<EOF",
    "<<-EOF",
    "<<'EOF'",
    "<<\"EOT\"",
    "\nEOF\n",
    "<<<",
    "--mount=type=cache,target=/go/pkg/mod",
    "--mount=type=secret,id=x",
    "--mount=",
    "--from=build",
    "--platform=$BUILDPLATFORM",
    "--chmod=755",
    "--link",
    "--network=none",
    "--chown=",
    "--",
    "${",
    "${X:-",
    "${X#",
    "}",
    "$",
    "$TARGETOS",
    "[",
    "]",
    "[\"",
    "\", \"",
    "'",
    "\"",
    "=",
    "#",
    "# escape=`\n",
    "# escape=\\\n",
    "# syntax=docker/dockerfile:1\n",
    "# check=skip=all\n",
    "# hadolint ignore=DL3008\n",
    "# gantry: ignore\n",
    "FROM ",
    "AS ",
    "RUN ",
    "COPY ",
    "ADD ",
    "ARG ",
    "ENV ",
    "ONBUILD ",
    "HEALTHCHECK CMD ",
    "SHELL [\"sh\"]",
    "CMD ",
    "go build -ldflags=\"-X main.v=1\" ./cmd/app",
    "CGO_ENABLED=0 ",
    "&& ",
    "| ",
    "; ",
    "$(",
    ")",
    "@sha256:",
    "golang:1.22-alpine",
    "scratch",
    "\t",
    " ",
];
const GO_MOD_PIECES: &[&str] = &[
    "module ",
    "go ",
    "toolchain ",
    "require ",
    "replace ",
    "exclude ",
    "retract ",
    "godebug ",
    "tool ",
    "ignore ",
    "(",
    ")",
    "(\n",
    "\n)\n",
    "=>",
    " => ../lib",
    "v1.2.3",
    "v0.0.0-20240101000000-abcdef012345",
    "// indirect",
    "//",
    "/*",
    "\"",
    "`",
    "[",
    "]",
    ",",
    "@",
    "\\",
    "\t",
];
const GO_SOURCE_PIECES: &[&str] = &[
    "package ",
    "import ",
    "import \"C\"\n",
    "//go:build ",
    "// +build ",
    "linux && !cgo",
    "(",
    ")",
    "{",
    "}",
    "var ",
    "const ",
    "=",
    "\"",
    "`",
    "/*",
    "*/",
    "//",
    "http.ListenAndServe(\":8080\", nil)",
    "func main() {",
    "\n",
    ";",
    "'",
    "\\",
];
const SHELL_PIECES: &[&str] = &[
    "go build ",
    "go install ",
    "go run ",
    "go mod download",
    "env GOOS=linux ",
    "-o ",
    "-ldflags ",
    "-ldflags=",
    "'-s -w -X main.version=1'",
    "\"-X 'a.b=c d'\"",
    "-extldflags \"-static\"",
    "-tags ",
    "-trimpath",
    "./...",
    "$(",
    ")",
    "`",
    "\"",
    "'",
    "\\",
    "&&",
    "||",
    "|",
    ";",
    "<<EOF\n",
    "\nEOF\n",
    "=",
    "-",
    "--",
    "$X",
    "${X}",
];
const IGNORE_PIECES: &[&str] = &["!", "*", "**", "?", "[", "]", "\\", "/", "../", "#", "[a-", "[^", "\n"];
const CONFIG_PIECES: &[&str] = &[
    "select = [",
    "ignore = [\"DL3008\"]",
    "[severity]\n",
    "DL3008 = \"error\"",
    "[label-schema]\n",
    "ignored:",
    "- DL3008",
    "override:",
    "error:",
    "trustedRegistries:",
    "{",
    "}",
    "[",
    "]",
    ":",
    "=",
    "\"",
    "'",
    "#",
    "\n",
];

fn pick<'a, T>(rng: &mut fastrand::Rng, items: &'a [T]) -> Option<&'a T> {
    (!items.is_empty()).then(|| &items[rng.usize(..items.len())])
}

/// A character boundary of `text`, preferring the edges of words and lines.
fn boundary(rng: &mut fastrand::Rng, text: &str) -> usize {
    let edges: Vec<usize> = text
        .char_indices()
        .filter(|&(_, c)| c.is_whitespace() || c == '=' || c == ',')
        .flat_map(|(i, c)| [i, i + c.len_utf8()])
        .chain([0, text.len()])
        .collect();
    if rng.usize(..4) > 0 {
        return *pick(rng, &edges).unwrap_or(&0);
    }
    let mut offset = rng.usize(..=text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// One mutation of `text`, with `pieces` for the format and `other` (another seed) for splicing.
fn mutate(rng: &mut fastrand::Rng, text: &str, pieces: &[&str], other: &str) -> String {
    let mut lines: Vec<String> = text.split_inclusive('\n').map(str::to_string).collect();
    let line = if lines.is_empty() { 0 } else { rng.usize(..lines.len()) };
    match rng.usize(..12) {
        0 if lines.len() > 1 => {
            let other = rng.usize(..lines.len());
            lines.swap(line, other);
        }
        1 if !lines.is_empty() => {
            let copy = lines[line].clone();
            lines.insert(line, copy);
        }
        2 if !lines.is_empty() => {
            lines.remove(line);
        }
        3 => {
            let donor: Vec<&str> = other.split_inclusive('\n').collect();
            if let Some(donor_line) = pick(rng, &donor) {
                lines.insert(line.min(lines.len()), donor_line.to_string());
            }
        }
        4 if !lines.is_empty() => {
            // A continuation at the end of a line, perhaps with a comment line after it.
            let body = lines[line].trim_end_matches(['\n', '\r']).to_string();
            let tail = if rng.bool() { " \\\n" } else { " \\\n    # go build x\\ny\n" };
            lines[line] = format!("{body}{tail}");
        }
        5 => return text.replace('\n', "\r\n"),
        6 => {
            let at = boundary(rng, text);
            return format!("{}{}", &text[..at], if rng.bool() { "" } else { "\n" });
        }
        7 => {
            let unicode = ["é", "😀", "\u{feff}", "\u{2028}", "\u{200b}", "\u{0301}", "\0", "\u{fffd}", "İ"];
            let at = boundary(rng, text);
            return format!("{}{}{}", &text[..at], pick(rng, &unicode).unwrap_or(&""), &text[at..]);
        }
        8 if !lines.is_empty() => {
            // Flip the case of the line's first word (a keyword or directive).
            let flipped: String = lines[line]
                .chars()
                .enumerate()
                .map(|(i, c)| if i < 8 && rng.bool() { c.to_ascii_lowercase() } else { c })
                .collect();
            lines[line] = flipped;
        }
        _ => {
            let at = boundary(rng, text);
            let piece = pick(rng, pieces).unwrap_or(&"");
            return format!("{}{piece}{}", &text[..at], &text[at..]);
        }
    }
    lines.concat()
}

/// Runs `cases` mutated inputs of one format through `target`; returns the failures.
fn run_cases(target: Target, seeds: &[String], pieces: &[&str], cases: u64, go: Option<&GoFacts>) -> Vec<String> {
    let base_seed = env_number("GANTRY_FUZZ_SEED", 2026);
    let mut failures = Vec::new();
    for case in 0..cases {
        let seed = base_seed.wrapping_mul(1_000_003).wrapping_add(case);
        let mut rng = fastrand::Rng::with_seed(seed);
        let Some(start) = pick(&mut rng, seeds) else { return failures };
        let other = pick(&mut rng, seeds).cloned().unwrap_or_default();
        let mut text = start.clone();
        for _ in 0..rng.usize(1..=4) {
            text = mutate(&mut rng, &text, pieces, &other);
        }
        let data = if target == Target::Reparse {
            // The reparse target takes its edit from the first four bytes.
            let mut prefix = rng.u32(..).to_le_bytes().to_vec();
            prefix.extend_from_slice(text.as_bytes());
            prefix
        } else {
            text.into_bytes()
        };
        if let Err(panic) = std::panic::catch_unwind(|| target.run(&data, go)) {
            let message = panic.downcast_ref::<String>().cloned().unwrap_or_else(|| format!("{panic:?}"));
            let shown = String::from_utf8_lossy(&data).chars().take(600).collect::<String>();
            failures.push(format!("{} case {case} (seed {seed}): {message}\ninput: {shown:?}", target.name()));
        }
    }
    failures
}

fn go_facts() -> GoFacts {
    let workspace = Arc::new(Workspace::open(&root().join("tests/fixtures/workspaces/service")).expect("fixture"));
    workspace.index_now();
    GoFacts::for_dockerfile(workspace, "Dockerfile")
}

fn assert_clean(failures: Vec<String>) {
    assert!(failures.is_empty(), "{} failing case(s):\n{}", failures.len(), failures.join("\n\n"));
}

fn is_dockerfile(name: &str) -> bool {
    name.contains("Dockerfile") || name.ends_with(".dockerfile")
}

#[test]
fn mutated_dockerfiles_go_through_every_rule_and_feature() {
    let seeds = seeds(&is_dockerfile);
    assert!(seeds.len() > 100, "the fixtures hold hundreds of Dockerfiles");
    let go = go_facts();
    let cases = env_number("GANTRY_FUZZ_CASES", 300);
    assert_clean(run_cases(Target::Dockerfile, &seeds, DOCKERFILE_PIECES, cases, Some(&go)));
}

#[test]
fn mutated_dockerfiles_answer_at_every_position() {
    let seeds = seeds(&is_dockerfile);
    let go = go_facts();
    // Every offset of a document costs ~100 times one Dockerfile case: fewer cases.
    let cases = env_number("GANTRY_FUZZ_CASES", 300) / 6;
    assert_clean(run_cases(Target::Positions, &seeds, DOCKERFILE_PIECES, cases, Some(&go)));
}

#[test]
fn mutated_dockerfiles_reparse_like_a_fresh_parse() {
    let seeds = seeds(&is_dockerfile);
    let cases = env_number("GANTRY_FUZZ_CASES", 300);
    assert_clean(run_cases(Target::Reparse, &seeds, DOCKERFILE_PIECES, cases, None));
}

#[test]
fn mutated_go_workspace_files_parse() {
    let cases = env_number("GANTRY_FUZZ_CASES", 300);
    let mut failures = Vec::new();
    failures.extend(run_cases(Target::GoMod, &seeds(&|n| n.ends_with(".mod")), GO_MOD_PIECES, cases, None));
    failures.extend(run_cases(Target::GoWork, &seeds(&|n| n.ends_with(".work")), GO_MOD_PIECES, cases, None));
    failures.extend(run_cases(Target::ModulesTxt, &seeds(&|n| n == "modules.txt"), GO_MOD_PIECES, cases, None));
    failures.extend(run_cases(Target::GoSource, &seeds(&|n| n.ends_with(".go")), GO_SOURCE_PIECES, cases, None));
    assert_clean(failures);
}

#[test]
fn mutated_run_scripts_give_go_commands() {
    // The RUN lines of the Dockerfiles, as the shell text the go command reader sees.
    let scripts: Vec<String> = seeds(&is_dockerfile)
        .iter()
        .flat_map(|t| t.lines().filter_map(|l| l.strip_prefix("RUN ")).map(str::to_string).collect::<Vec<_>>())
        .collect();
    let cases = env_number("GANTRY_FUZZ_CASES", 300);
    assert_clean(run_cases(Target::GoCommand, &scripts, SHELL_PIECES, cases, None));
}

#[test]
fn mutated_ignore_build_and_config_files_are_read() {
    let cases = env_number("GANTRY_FUZZ_CASES", 300);
    let mut failures = Vec::new();
    let ignores = seeds(&|n| n.contains("dockerignore"));
    failures.extend(run_cases(Target::Dockerignore, &ignores, IGNORE_PIECES, cases, None));
    let builds = seeds(&|n| n.ends_with(".yaml") || n.ends_with(".yml") || n.ends_with(".hcl"));
    failures.extend(run_cases(Target::BuildFiles, &builds, CONFIG_PIECES, cases, None));
    let configs = seeds(&|n| n.ends_with(".toml") || n.contains("hadolint"));
    failures.extend(run_cases(Target::Config, &configs, CONFIG_PIECES, cases, None));
    assert_clean(failures);
}
