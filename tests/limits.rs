//! Limits: huge, deeply nested and hostile inputs neither crash, hang nor exhaust memory, and
//! each limit that stops gantry says so (a log line on stderr, or an error naming the limit).
//!
//! The inputs of the issue: a 10 MB line, 100,000 continuation lines, nesting 100,000 deep, a
//! 1 GiB go.mod (a sparse file: it costs no disk), a symlink loop, FIFOs where files are expected,
//! unreadable files. Through the library (on a thread with the 2 MiB stack of the server's
//! workers), through `gantry check` and through `gantry lsp`, each run with a deadline and its
//! peak memory measured. The bounds are generous (debug builds on a busy machine); what they
//! catch is a hang, a crash, or memory in proportion to a file that must not be read.

#![allow(clippy::print_stderr, reason = "the tests report the times, memory and counts they measure")]

mod bounded;
mod support;

use std::fs::{self, File};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bounded::{Scratch, gantry, mkfifo, peak_rss_kib, run_bounded, running_as_root};
use gantry_ls::ide::{self, CompletionOptions, FormatOptions};
use gantry_ls::rules::{Config, GoFacts};
use gantry_ls::syntax::{self, TextRange};
use gantry_ls::workspace::{FileState, MAX_MODULE_FILE_BYTES, SkipReason, Workspace};
use serde_json::{Value, json};
use support::{LspClient, default_capabilities};

const GIB: u64 = 1 << 30;
/// The stack of a tokio worker thread, where the server analyses documents.
const WORKER_STACK: usize = 2 << 20;

fn ten_megabyte_line() -> String {
    format!("FROM alpine\nRUN echo {}\nCMD [\"/app\"]\n", "x".repeat(10_000_000))
}

fn continuation_lines(count: usize) -> String {
    format!("FROM alpine\nRUN apk add \\\n{}    curl\nCMD [\"/app\"]\n", "    pkg \\\n".repeat(count))
}

/// One instruction per kind of nesting, each `depth` deep.
fn deeply_nested(depth: usize) -> Vec<(&'static str, String)> {
    let n = depth;
    vec![
        ("variable defaults", {
            let nested = format!("{}x{}", "${a:-".repeat(n), "}".repeat(n));
            format!("FROM alpine\nARG A={nested}\nRUN echo $A\nWORKDIR /{nested}\nFROM alpine:{nested}\n")
        }),
        ("command substitutions", format!("FROM alpine\nRUN echo {}x{}\n", "$(".repeat(n), ")".repeat(n))),
        ("subshells", format!("FROM alpine\nRUN {}true{}\n", "(".repeat(n), ")".repeat(n))),
        ("arithmetic", format!("FROM alpine\nRUN echo $(({}1{}))\n", "(".repeat(n), ")".repeat(n))),
        ("groups", format!("FROM alpine\nRUN {}true;{}\n", "{ ".repeat(n), " }".repeat(n))),
        ("json arrays", format!("FROM alpine\nCMD {}\"a\"{}\n", "[".repeat(n), "]".repeat(n))),
        ("heredoc script", format!("FROM alpine\nRUN <<EOF\n{}true{}\nEOF\n", "(".repeat(n), ")".repeat(n))),
        ("backquotes", format!("FROM alpine\nRUN echo {}x\n", "`".repeat(n))),
        ("quotes", format!("FROM alpine\nRUN echo {}\n", "\"'".repeat(n))),
        ("if statements", format!("FROM alpine\nRUN {}true{}\n", "if true; then ".repeat(n / 5), "; fi".repeat(n / 5))),
    ]
}

/// Every analysis the server runs on a document, on a thread with a worker's stack; returns how
/// long it took. A stack overflow aborts the whole test binary, which fails the test.
fn analyse_everything(name: &str, text: String) -> Duration {
    let start = Instant::now();
    let thread = std::thread::Builder::new().stack_size(WORKER_STACK).spawn(move || {
        let parse = syntax::parse(&text);
        let config = Config::default();
        let diagnostics = ide::diagnostics_for(&parse, &config, None);
        let everything = TextRange::new(0, text.len());
        ide::semantic_tokens(&parse, None);
        ide::folding_ranges(&parse);
        ide::document_symbols(&parse);
        ide::inlay_hints(&parse, everything, None);
        ide::code_actions(&parse, &diagnostics, everything);
        let edits = ide::format(&parse, FormatOptions::default());
        ide::apply_edits(&text, &edits);
        ide::fix_all_text(&parse, &config, None, true);
        for offset in [0, text.len() / 3, text.len() / 2, text.len().saturating_sub(2), text.len()] {
            let offset = (0..=offset).rev().find(|&o| text.is_char_boundary(o)).unwrap_or(0);
            ide::hover(&parse, &diagnostics, offset, None);
            ide::completions(&parse, offset, None, CompletionOptions::default());
            ide::goto_definition(&parse, offset);
            ide::selection_ranges(&parse, offset);
            ide::document_highlights(&parse, offset);
        }
        // And an edit in the middle, reparsed incrementally.
        let middle = (0..=text.len() / 2).rev().find(|&o| text.is_char_boundary(o)).unwrap_or(0);
        let edit = syntax::TextEdit { range: TextRange::new(middle, middle), new_text: " y".to_string() };
        parse.reparse(&[edit]);
    });
    let joined = thread.expect("spawn an analysis thread").join();
    assert!(joined.is_ok(), "{name}: the analysis panicked");
    let elapsed = start.elapsed();
    eprintln!("{name}: analysed in {elapsed:.2?}");
    elapsed
}

/// Minutes, not seconds: debug builds on two shared cores. A hang never finishes.
const ANALYSIS_BOUND: Duration = Duration::from_secs(180);

#[test]
fn a_ten_megabyte_line_is_analysed() {
    assert!(analyse_everything("10 MB line", ten_megabyte_line()) < ANALYSIS_BOUND);
}

#[test]
fn a_hundred_thousand_continuation_lines_are_analysed() {
    assert!(analyse_everything("100,000 continuation lines", continuation_lines(100_000)) < ANALYSIS_BOUND);
}

#[test]
fn nesting_a_hundred_thousand_deep_does_not_overflow_the_stack() {
    for (name, text) in deeply_nested(100_000) {
        assert!(analyse_everything(name, text) < ANALYSIS_BOUND);
    }
}

/// A 1 GiB file that occupies no disk space (its content reads as zeros).
fn sparse_file(path: &Path, len: u64) {
    File::create(path).and_then(|file| file.set_len(len)).expect("create a sparse file");
}

fn peak_mib(kib: u64) -> u64 {
    kib / 1024
}

#[test]
fn gantry_check_reads_huge_and_deep_dockerfiles_in_bounded_memory() {
    let dir = Scratch::new("limits", "check_huge");
    fs::write(dir.path("long.Dockerfile"), ten_megabyte_line()).unwrap();
    fs::write(dir.path("continued.Dockerfile"), continuation_lines(100_000)).unwrap();
    let nested: String = deeply_nested(100_000).into_iter().map(|(_, text)| text).collect();
    fs::write(dir.path("nested.Dockerfile"), nested).unwrap();
    let run = run_bounded(gantry(&dir.0, &["check", "--format", "json", "."]), Duration::from_secs(600));
    eprintln!(
        "gantry check, 10 MB line + 100,000 continuations + deep nesting: {:.2?}, peak {} MiB",
        run.elapsed,
        peak_mib(run.peak_kib)
    );
    assert!(matches!(run.code, Some(0 | 1)), "exit {:?}; stderr:\n{}", run.code, run.stderr);
    let findings: Value = serde_json::from_str(&run.stdout).expect("JSON output");
    assert!(findings.is_array());
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    // The analysis bounds that deep nesting reaches are each logged, once.
    for bound in ["shell nesting deeper than 128 levels", "variable references nested deeper than 64"] {
        assert_eq!(run.stderr.matches(bound).count(), 1, "{bound:?} once in:\n{}", run.stderr);
    }
    assert!(peak_mib(run.peak_kib) < 1536, "peak {} MiB", peak_mib(run.peak_kib));
}

#[test]
fn a_dockerfile_over_the_size_limit_is_refused_without_reading_it() {
    let dir = Scratch::new("limits", "check_gigabyte_dockerfile");
    sparse_file(&dir.path("Dockerfile"), GIB);
    let run = run_bounded(gantry(&dir.0, &["check", "Dockerfile"]), Duration::from_secs(120));
    eprintln!("gantry check, 1 GiB Dockerfile: {:.2?}, peak {} MiB", run.elapsed, peak_mib(run.peak_kib));
    assert_eq!(run.code, Some(2), "stderr:\n{}", run.stderr);
    assert!(
        run.stderr.contains("cannot read Dockerfile: larger than the limit of 33554432 bytes; not checked"),
        "{}",
        run.stderr
    );
    assert!(peak_mib(run.peak_kib) < 256, "peak {} MiB", peak_mib(run.peak_kib));
}

const GO_DOCKERFILE: &str = "FROM golang:1.21 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\n\
    COPY . .\nRUN go build -o /app .\nFROM alpine:3.20\nCOPY --from=build /app /app\nCMD [\"/app\"]\n";

#[test]
fn a_gigabyte_go_mod_is_skipped_with_its_size_and_the_limit() {
    let dir = Scratch::new("limits", "gigabyte_go_mod");
    sparse_file(&dir.path("go.mod"), GIB);
    dir.write("main.go", "package main\n\nfunc main() {}\n");
    dir.write("Dockerfile", GO_DOCKERFILE);

    let workspace = Workspace::open(&dir.0).unwrap();
    let start = Instant::now();
    let state = workspace.go_mod(".");
    assert!(
        matches!(state, FileState::Skipped(SkipReason::TooLarge { len: GIB, limit: MAX_MODULE_FILE_BYTES })),
        "{state:?}"
    );
    assert!(start.elapsed() < Duration::from_secs(5), "the size is checked before reading");

    let run = run_bounded(gantry(&dir.0, &["check", "Dockerfile"]), Duration::from_secs(120));
    eprintln!("gantry check beside a 1 GiB go.mod: {:.2?}, peak {} MiB", run.elapsed, peak_mib(run.peak_kib));
    assert!(matches!(run.code, Some(0 | 1)), "exit {:?}; stderr:\n{}", run.code, run.stderr);
    let expected = format!("go.mod: too large (1073741824 bytes, limit {MAX_MODULE_FILE_BYTES})");
    assert!(run.stderr.contains("not reading") && run.stderr.contains(&expected), "{}", run.stderr);
    assert_eq!(run.stderr.matches(&expected).count(), 1, "logged once:\n{}", run.stderr);
    assert!(peak_mib(run.peak_kib) < 256, "peak {} MiB", peak_mib(run.peak_kib));
}

#[test]
fn symlink_loops_in_the_workspace_end_the_walk_and_are_logged() {
    let dir = Scratch::new("limits", "symlink_loops");
    dir.write("go.mod", "module example.com/loops\n\ngo 1.21\n");
    dir.write("main.go", "package main\n\nfunc main() {}\n");
    dir.write("pkg/lib.go", "package pkg\n");
    dir.write("Dockerfile", GO_DOCKERFILE);
    let link = |target: &str, at: &str| std::os::unix::fs::symlink(target, dir.path(at)).expect("symlink");
    link(".", "self");
    link("..", "pkg/up");
    link("b.go", "a.go");
    link("a.go", "b.go");
    link("go.sum", "go.sum");
    link(".dockerignore", ".dockerignore");
    link("loop.Dockerfile", "loop.Dockerfile");

    let workspace = Arc::new(Workspace::open(&dir.0).unwrap());
    let index = workspace.index_now();
    assert!(index.complete && !index.truncated);
    assert_eq!(index.packages.keys().collect::<Vec<_>>(), [".", "pkg"], "symlinked directories are not walked");
    let root = index.package(".").unwrap();
    assert_eq!(root.skipped, [("a.go".into(), SkipReason::SymlinkLoop), ("b.go".into(), SkipReason::SymlinkLoop)]);
    let facts = GoFacts::for_dockerfile(workspace.clone(), "Dockerfile");
    assert!(facts.context.ignore.is_none(), "a looping .dockerignore is not read");

    let run = run_bounded(gantry(&dir.0, &["check", "."]), Duration::from_secs(120));
    assert!(matches!(run.code, Some(0 | 1)), "exit {:?}; stderr:\n{}", run.code, run.stderr);
    assert!(run.stderr.contains("a.go: symlink loop"), "{}", run.stderr);
    assert!(run.stderr.contains(".dockerignore: symlink loop"), "{}", run.stderr);
    // A loop named like a Dockerfile is not a file: the directory walk passes over it.
    assert!(!run.stdout.contains("loop.Dockerfile"), "{}", run.stdout);
}

/// FIFOs wherever gantry reads a file by name: opening one for reading would block forever.
const FIFO_NAMES: &[&str] = &[
    "go.mod",
    "go.work",
    "go.sum",
    "main.go",
    ".dockerignore",
    "Dockerfile.dockerignore",
    "compose.yaml",
    "docker-bake.hcl",
    "gantry.toml",
    ".hadolint.yaml",
    "vendor/modules.txt",
    "fifo.Dockerfile",
];

fn fifo_workspace(name: &str) -> Scratch {
    let dir = Scratch::new("limits", name);
    dir.write("Dockerfile", GO_DOCKERFILE);
    dir.write("cmd/tool/main.go", "package main\n\nfunc main() {}\n");
    fs::create_dir_all(dir.path("vendor")).unwrap();
    for name in FIFO_NAMES {
        mkfifo(&dir.path(name));
    }
    dir
}

#[test]
fn fifos_named_like_workspace_files_never_block() {
    let dir = fifo_workspace("fifos_check");
    let workspace = Arc::new(Workspace::open(&dir.0).unwrap());
    assert!(matches!(workspace.go_mod("."), FileState::Skipped(SkipReason::NotRegularFile)));
    assert!(matches!(workspace.go_work("."), FileState::Skipped(SkipReason::NotRegularFile)));
    assert!(matches!(workspace.modules_txt("."), FileState::Skipped(SkipReason::NotRegularFile)));
    assert!(!workspace.file_exists("go.sum"));
    let index = workspace.index_now();
    assert_eq!(index.package(".").unwrap().skipped, [("main.go".into(), SkipReason::NotRegularFile)]);

    let run = run_bounded(gantry(&dir.0, &["check", "."]), Duration::from_secs(120));
    assert!(matches!(run.code, Some(0 | 1)), "exit {:?}; stderr:\n{}", run.code, run.stderr);
    assert!(run.stderr.contains("go.mod: not a regular file"), "{}", run.stderr);
    assert!(run.stderr.contains("gantry.toml: not a regular file"), "{}", run.stderr);
    assert!(!run.stdout.contains("fifo.Dockerfile"), "a FIFO is not a Dockerfile to check:\n{}", run.stdout);
}

#[test]
fn unreadable_files_and_directories_are_reported_not_fatal() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Scratch::new("limits", "unreadable");
    dir.write("go.mod", "module example.com/secret\n\ngo 1.99\n");
    dir.write("main.go", "package main\n\nfunc main() {}\n");
    dir.write("locked/lib.go", "package locked\n");
    dir.write("gantry.toml", "ignore = [\"DL3006\"]\n");
    dir.write("Dockerfile", GO_DOCKERFILE);
    dir.write("secret.Dockerfile", "FROM alpine\n");
    for (path, mode) in [("go.mod", 0o000), ("main.go", 0o000), ("gantry.toml", 0o000), ("secret.Dockerfile", 0o000)] {
        fs::set_permissions(dir.path(path), fs::Permissions::from_mode(mode)).unwrap();
    }
    fs::set_permissions(dir.path("locked"), fs::Permissions::from_mode(0o000)).unwrap();

    let mut command = gantry(&dir.0, &["check", "."]);
    if running_as_root() {
        // Permission bits do not bind root: run gantry as `nobody`, for whom they do.
        use std::os::unix::process::CommandExt;
        command.uid(65534).gid(65534);
        eprintln!("running as root: gantry runs as nobody (65534) for this test");
    } else {
        let workspace = Workspace::open(&dir.0).unwrap();
        assert!(matches!(workspace.go_mod("."), FileState::Skipped(SkipReason::Unreadable(_))));
    }
    let run = run_bounded(command, Duration::from_secs(120));
    // The unreadable Dockerfile is an error (exit 2) named on stderr; the others are still checked.
    assert_eq!(run.code, Some(2), "stdout:\n{}\nstderr:\n{}", run.stdout, run.stderr);
    assert!(run.stderr.contains("cannot read secret.Dockerfile"), "{}", run.stderr);
    assert!(run.stderr.contains("go.mod: unreadable (PermissionDenied)"), "{}", run.stderr);
    assert!(run.stderr.contains("main.go: unreadable (PermissionDenied)"), "{}", run.stderr);
    assert!(run.stderr.contains("not listing") && run.stderr.contains("locked"), "{}", run.stderr);
    assert!(run.stdout.contains("Dockerfile"), "the readable Dockerfile is checked:\n{}", run.stdout);
    // go 1.99 in the unreadable go.mod would be a GO101 finding: nothing of it leaked through.
    assert!(!run.stdout.contains("GO101"), "{}", run.stdout);
}

fn file_uri(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The server in a workspace with a 1 GiB go.mod, FIFOs, a symlink loop and huge documents:
/// every request is answered, each skipped file is logged, and memory stays bounded.
#[test]
fn the_server_survives_a_hostile_workspace() {
    let dir = fifo_workspace("hostile_lsp");
    fs::create_dir_all(dir.path("huge")).unwrap();
    sparse_file(&dir.path("huge/go.mod"), GIB);
    dir.write("huge/Dockerfile", GO_DOCKERFILE);
    dir.write("loop/Dockerfile", GO_DOCKERFILE);
    std::os::unix::fs::symlink("go.mod", dir.path("loop/go.mod")).unwrap();
    std::os::unix::fs::symlink(".", dir.path("loop/self")).unwrap();

    let mut client = LspClient::spawn();
    client.request_ok(
        "initialize",
        json!({
            "processId": std::process::id(),
            "workspaceFolders": [{ "uri": file_uri(&dir.0), "name": "hostile" }],
            "capabilities": default_capabilities(),
        }),
    );
    client.notify("initialized", json!({}));
    for (version, name) in ["Dockerfile", "huge/Dockerfile", "loop/Dockerfile"].into_iter().enumerate() {
        let uri = file_uri(&dir.path(name));
        client.open(&uri, version as i32 + 1, GO_DOCKERFILE);
        client.diagnostics(&uri, version as i32 + 1);
        let hover = json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 6 } });
        client.request_ok("textDocument/hover", hover);
    }

    // Huge documents: answered, with a deadline of minutes rather than seconds (debug build).
    let slow = Duration::from_secs(300);
    for (name, text) in
        [("long.Dockerfile", ten_megabyte_line()), ("continued.Dockerfile", continuation_lines(100_000))]
    {
        let uri = file_uri(&dir.path(name));
        client.open(&uri, 1, &text);
        client.wait_for_within(slow, "diagnostics of a huge document", |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri.as_str()
        });
        for method in ["textDocument/semanticTokens/full", "textDocument/formatting", "textDocument/foldingRange"] {
            let mut params = json!({ "textDocument": { "uri": uri } });
            if method == "textDocument/formatting" {
                params["options"] = json!({ "tabSize": 4, "insertSpaces": true });
            }
            let id = client.send_request(method, params);
            let response = client.wait_for_within(slow, method, |m| m["id"] == id);
            assert!(response.get("error").is_none(), "{method}: {response}");
        }
        client.close(&uri);
    }
    let peak = peak_rss_kib(client.pid());
    eprintln!("gantry lsp, hostile workspace and huge documents: peak {} MiB", peak_mib(peak));
    assert!(peak_mib(peak) < 2048, "peak {} MiB", peak_mib(peak));

    client.shutdown_and_exit();
    let stderr = client.stderr();
    for expected in [
        "go.mod: not a regular file",
        "main.go: not a regular file",
        "huge/go.mod: too large (1073741824 bytes",
        "loop/go.mod: symlink loop",
        "gantry.toml: not a regular file",
    ] {
        assert!(stderr.contains(expected), "no log line with {expected:?}:\n{stderr}");
    }
}

/// The server with unreadable files in its folder: it logs them and answers as usual. As root,
/// the server runs as `nobody`, for whom the permission bits apply.
#[test]
fn the_server_reports_unreadable_files_and_keeps_answering() {
    use std::os::unix::fs::PermissionsExt;
    let dir = Scratch::new("limits", "unreadable_lsp");
    dir.write("go.mod", "module example.com/secret\n\ngo 1.99\n");
    dir.write("main.go", "package main\n\nfunc main() {}\n");
    dir.write("locked/lib.go", "package locked\n");
    dir.write("Dockerfile", GO_DOCKERFILE);
    for path in ["go.mod", "main.go", "locked"] {
        fs::set_permissions(dir.path(path), fs::Permissions::from_mode(0o000)).unwrap();
    }
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_gantry"));
    command.args(["lsp", "--stdio"]).env_remove("GANTRY_LOG");
    if running_as_root() {
        use std::os::unix::process::CommandExt;
        command.uid(65534).gid(65534);
    }
    let mut client = LspClient::spawn_command(command);
    client.request_ok(
        "initialize",
        json!({
            "processId": std::process::id(),
            "workspaceFolders": [{ "uri": file_uri(&dir.0), "name": "unreadable" }],
            "capabilities": default_capabilities(),
        }),
    );
    client.notify("initialized", json!({}));
    let uri = file_uri(&dir.path("Dockerfile"));
    client.open(&uri, 1, GO_DOCKERFILE);
    let codes: Vec<Value> = client.diagnostics(&uri, 1).iter().map(|d| d["code"].clone()).collect();
    assert!(!codes.contains(&json!("GO101")), "the unreadable go.mod (go 1.99) was read: {codes:?}");
    let hover = json!({ "textDocument": { "uri": uri }, "position": { "line": 0, "character": 6 } });
    client.request_ok("textDocument/hover", hover);
    client.shutdown_and_exit();
    let stderr = client.stderr();
    assert!(stderr.contains("go.mod: unreadable (PermissionDenied)"), "{stderr}");
    assert!(stderr.contains("not listing") && stderr.contains("locked"), "{stderr}");
}
