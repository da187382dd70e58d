//! End-to-end tests of the `gantry` binary: output formats, exit statuses and file discovery.
//!
//! Runs the real binary from `tests/fixtures/cli`, so that paths in the output are short and
//! stable. Discovery tests build their trees in a temporary directory outside any git repository,
//! which also proves that `.gitignore` is honoured without one.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/cli")
}

fn command(dir: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_gantry"));
    command.args(args).current_dir(dir).env_remove("NO_COLOR").env_remove("GANTRY_LOG");
    command
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = command(dir, args).output().expect("run gantry");
    Run {
        code: output.status.code().expect("gantry exited normally"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

fn run(args: &[&str]) -> Run {
    run_in(&fixtures(), args)
}

/// A fresh directory under the system temp dir, removed when dropped.
struct TempTree(PathBuf);

impl TempTree {
    fn new(name: &str, files: &[(&str, &[u8])]) -> TempTree {
        let root = std::env::temp_dir().join(format!("gantry-cli-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        for (path, contents) in files {
            let path = root.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, contents).unwrap();
        }
        TempTree(root)
    }
}

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

/// The `file` fields of a JSON report, in output order.
fn reported_files(json: &str) -> Vec<String> {
    let findings: Vec<serde_json::Value> = serde_json::from_str(json).expect("valid JSON");
    let mut files: Vec<String> = findings.iter().map(|f| f["file"].as_str().unwrap().to_string()).collect();
    files.dedup();
    files
}

#[test]
fn human_output_shows_excerpts_and_a_summary() {
    let run = run(&["check", "--color", "never", "errors", "unicode"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    insta::assert_snapshot!("human_errors", run.stdout);
}

#[test]
fn json_output_lists_every_finding() {
    let run = run(&["check", "--format", "json", "errors", "clean"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert_eq!(run.stdout.lines().count(), 1, "compact JSON on one line");
    assert!(run.stdout.ends_with("]\n"));
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    insta::assert_json_snapshot!("json_errors", value);
}

#[test]
fn json_keys_are_ordered_and_columns_count_characters() {
    let run = run(&["check", "--format", "json", "unicode/Dockerfile"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    // Line 3 is `LABEL description="日本語 😀" COPPY`: `COPPY` is at character 27, byte 36.
    let first = r#"{"file":"unicode/Dockerfile","line":3,"column":27,"end_line":3,"end_column":32,"code":"syntax/missing-value","severity":"error","#;
    assert!(run.stdout.starts_with(&format!("[{first}")), "{}", run.stdout);
}

#[test]
fn a_clean_file_passes() {
    let run = run(&["check", "clean"]);
    assert_eq!((run.code, run.stdout.as_str(), run.stderr.as_str()), (0, "no problems in 1 file\n", ""));
    let run = run_in(&fixtures(), &["check", "--format", "json", "clean"]);
    assert_eq!((run.code, run.stdout.as_str()), (0, "[]\n"));
}

#[test]
fn fail_level_sets_the_threshold() {
    // Every syntax problem is an error, so every level fails on the `errors` fixture.
    for level in ["error", "warning", "info", "hint"] {
        assert_eq!(run(&["check", "--fail-level", level, "errors"]).code, 1, "{level}");
        assert_eq!(run(&["check", "--fail-level", level, "clean"]).code, 0, "{level}");
    }
    assert_eq!(run(&["check", "--fail-level", "fatal", "clean"]).code, 2);
}

#[test]
fn a_missing_path_is_an_error_after_the_other_findings() {
    let run = run(&["check", "--format", "json", "does-not-exist", "errors"]);
    assert_eq!(run.code, 2);
    assert_eq!(reported_files(&run.stdout), ["errors/Dockerfile"]);
    assert!(run.stderr.starts_with("gantry: cannot read does-not-exist: "), "{}", run.stderr);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn a_directory_without_dockerfiles_is_noted_but_passes() {
    let run = run(&["check", "empty"]);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "no Dockerfiles checked\n");
    assert_eq!(run.stderr, "gantry: no Dockerfiles found under empty\n");
}

#[test]
fn usage_errors_exit_with_2() {
    for args in [&[][..], &["check", "--format", "xml"], &["check", "--bogus"], &["frobnicate"]] {
        let run = run(args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(!run.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn version_and_help() {
    let run = run(&["--version"]);
    assert_eq!((run.code, run.stdout), (0, format!("gantry {}\n", env!("CARGO_PKG_VERSION"))));
    let help = run_in(&fixtures(), &["check", "--help"]);
    assert_eq!(help.code, 0);
    for needle in ["--fail-level", "--format", "Containerfile", "Exit status", ".gitignore"] {
        assert!(help.stdout.contains(needle), "{needle} missing from:\n{}", help.stdout);
    }
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let escape = "\x1b[";
    assert!(run(&["check", "--color", "always", "errors"]).stdout.contains(escape));
    assert!(!run(&["check", "--color", "never", "errors"]).stdout.contains(escape));
    // Under test stdout is a pipe, so `auto` does not colour.
    assert!(!run(&["check", "errors"]).stdout.contains(escape));
}

#[test]
fn logs_go_to_stderr_only() {
    let output = command(&fixtures(), &["check", "clean"]).env("GANTRY_LOG", "debug").output().unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), "no problems in 1 file\n");
    assert!(String::from_utf8_lossy(&output.stderr).contains("DEBUG"));
}

const BAD: &[u8] = b"FROM alpine\nCOPPY a b\n";

#[test]
fn directories_are_walked_for_dockerfile_names() {
    let tree = TempTree::new(
        "discovery",
        &[
            ("Dockerfile.prod", BAD),
            ("api.Dockerfile", BAD),
            ("Containerfile", BAD),
            ("sub/web.dockerfile", BAD),
            ("sub/dockerfile", BAD),
            ("deploy/worker.containerfile", BAD),
            (".docker/Dockerfile", BAD),
            ("ignored/Dockerfile", BAD),
            (".gitignore", b"ignored/\n"),
            (".git/Dockerfile", BAD),
            ("Dockerfile.dockerignore", BAD),
            ("notes.md", BAD),
            ("Dockerfile.md.txt/README", BAD),
        ],
    );
    let run = run_in(&tree.0, &["check", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected = [
        ".docker/Dockerfile",
        "Containerfile",
        "Dockerfile.prod",
        "api.Dockerfile",
        "deploy/worker.containerfile",
        "sub/dockerfile",
        "sub/web.dockerfile",
    ];
    assert_eq!(reported_files(&run.stdout), expected);

    // Files named on the command line are checked whatever their name, ignored or not.
    let run = run_in(&tree.0, &["check", "--format", "json", "notes.md", "ignored/Dockerfile", "notes.md"]);
    assert_eq!(reported_files(&run.stdout), ["ignored/Dockerfile", "notes.md"]);
}

#[test]
fn a_file_that_is_not_utf8_is_an_error() {
    let tree = TempTree::new("utf8", &[("bad/Dockerfile", b"FROM alpine\n# \xff\n"), ("good/Dockerfile", BAD)]);
    let run = run_in(&tree.0, &["check", "--color", "never", "."]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr, "gantry: cannot read bad/Dockerfile: not valid UTF-8\n");
    assert!(run.stdout.ends_with("1 error in 1 file\n"), "{}", run.stdout);
}

#[test]
fn lsp_accepts_stdio_and_stops_at_end_of_input() {
    let mut child = command(&fixtures(), &["lsp", "--stdio"])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            child.kill().unwrap();
            panic!("`gantry lsp --stdio` did not exit when stdin closed");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("unexpected argument"), "{stderr}");
}
