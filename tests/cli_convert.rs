//! End-to-end tests of `gantry convert` through the real binary, on small Go workspaces in
//! temporary directories: printing, writing with and without a backup, every runtime producing a
//! file `gantry check` passes, and the refusals, which leave every file as it was.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str]) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_gantry"))
        .args(args)
        .current_dir(dir)
        .env_remove("GANTRY_LOG")
        .output()
        .expect("run gantry");
    Run {
        code: output.status.code().expect("gantry exited normally"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// A fresh directory under the system temp dir, removed when dropped.
struct TempTree(PathBuf);

impl TempTree {
    fn new(name: &str, files: &[(&str, &str)]) -> TempTree {
        let root = std::env::temp_dir().join(format!("gantry-convert-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        fs::create_dir_all(&root).unwrap();
        for (path, contents) in files {
            let path = root.join(path);
            fs::create_dir_all(path.parent().unwrap()).unwrap();
            fs::write(path, contents).unwrap();
        }
        TempTree(root)
    }

    fn read(&self, path: &str) -> String {
        fs::read_to_string(self.0.join(path)).unwrap()
    }

    /// Every file below the root with its text, sorted by path.
    fn snapshot(&self) -> Vec<(String, String)> {
        let mut files = Vec::new();
        let mut dirs = vec![self.0.clone()];
        while let Some(dir) = dirs.pop() {
            for entry in fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    dirs.push(path);
                } else {
                    let name = path.strip_prefix(&self.0).unwrap().display().to_string();
                    files.push((name, fs::read_to_string(&path).unwrap()));
                }
            }
        }
        files.sort();
        files
    }
}

impl Drop for TempTree {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}

const GO_MOD: &str = "module example.com/hello\n\ngo 1.23\n";
const MAIN_GO: &str = "package main\n\nimport \"fmt\"\n\nfunc main() { fmt.Println(\"hello\") }\n";
const SINGLE_STAGE: &str = "\
# The API server.
FROM golang:1.23
WORKDIR /src
COPY . .
RUN go build -o /app .
EXPOSE 8080
CMD [\"/app\"]
";

/// A module with one main package and a single-stage Dockerfile that builds it.
fn hello(name: &str) -> TempTree {
    TempTree::new(name, &[("go.mod", GO_MOD), ("main.go", MAIN_GO), ("Dockerfile", SINGLE_STAGE)])
}

/// Asserts that `gantry check` finds no error or warning in `file` (below `dir`).
fn assert_checks_clean(dir: &Path, file: &str) {
    let run = run_in(dir, &["check", "--format", "json", file]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    let findings: Vec<serde_json::Value> = serde_json::from_str(&run.stdout).unwrap();
    let serious: Vec<_> = findings.iter().filter(|f| f["severity"] == "error" || f["severity"] == "warning").collect();
    assert!(serious.is_empty(), "{serious:#?}");
}

#[test]
fn prints_the_multi_stage_dockerfile_and_changes_nothing() {
    let tree = hello("print");
    let before = tree.snapshot();
    let run = run_in(&tree.0, &["convert", "Dockerfile"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    insta::assert_snapshot!("print_distroless", run.stdout);
    assert!(tree.snapshot() == before, "printing wrote something");
    // A directory holding one Dockerfile names it.
    assert_eq!(run_in(&tree.0, &["convert", "."]).stdout, run.stdout);
}

#[test]
fn notes_go_to_stderr() {
    let tls = "package main\n\nimport \"net/http\"\n\nfunc main() { http.Get(\"https://example.com\") }\n";
    let tree = TempTree::new("notes", &[("go.mod", GO_MOD), ("main.go", tls), ("Dockerfile", SINGLE_STAGE)]);
    let run = run_in(&tree.0, &["convert", "Dockerfile"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stderr.starts_with("note: "), "{}", run.stderr);
    assert!(run.stderr.contains("CA certificates"), "{}", run.stderr);
    assert!(run.stdout.starts_with("# syntax=") && !run.stdout.contains("note:"), "{}", run.stdout);
}

#[test]
fn write_keeps_a_backup_and_the_result_checks_clean() {
    let tree = hello("write");
    let printed = run_in(&tree.0, &["convert", "Dockerfile"]).stdout;
    let run = run_in(&tree.0, &["convert", "--write", "Dockerfile"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stdout,
        "Dockerfile: converted to a multi-stage build (package ., distroless runtime); the old one is in Dockerfile.bak\n"
    );
    assert_eq!(tree.read("Dockerfile"), printed);
    assert_eq!(tree.read("Dockerfile.bak"), SINGLE_STAGE);
    assert_checks_clean(&tree.0, "Dockerfile");

    // A second conversion is refused (two stages now); the backup is not touched either way.
    let again = run_in(&tree.0, &["convert", "--write", "Dockerfile"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.starts_with("gantry: Dockerfile: cannot convert: "), "{}", again.stderr);
    assert_eq!(tree.read("Dockerfile"), printed);
    assert_eq!(tree.read("Dockerfile.bak"), SINGLE_STAGE);
}

#[test]
fn an_existing_backup_is_never_overwritten() {
    let tree = hello("backup-exists");
    fs::write(tree.0.join("Dockerfile.bak"), "an older backup\n").unwrap();
    let before = tree.snapshot();
    let run = run_in(&tree.0, &["convert", "--write", "Dockerfile"]);
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    assert!(run.stderr.contains("Dockerfile.bak already exists; move it away or pass --no-backup"), "{}", run.stderr);
    assert!(tree.snapshot() == before, "a refused conversion changed files");

    let run = run_in(&tree.0, &["convert", "--write", "--no-backup", "Dockerfile"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "Dockerfile: converted to a multi-stage build (package ., distroless runtime)\n");
    assert_eq!(tree.read("Dockerfile.bak"), "an older backup\n");
    assert_ne!(tree.read("Dockerfile"), SINGLE_STAGE);
}

#[test]
fn no_backup_writes_only_the_dockerfile() {
    let tree = hello("no-backup");
    let run = run_in(&tree.0, &["convert", "--write", "--no-backup", "Dockerfile"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let names: Vec<String> = tree.snapshot().into_iter().map(|(name, _)| name).collect();
    assert_eq!(names, ["Dockerfile", "go.mod", "main.go"]);
    assert_checks_clean(&tree.0, "Dockerfile");
}

#[test]
fn every_runtime_gives_a_file_that_checks_clean() {
    for (runtime, from) in [
        ("distroless", "FROM gcr.io/distroless/static-debian12"),
        ("scratch", "FROM scratch"),
        ("alpine", "FROM alpine:"),
    ] {
        let tree = hello(&format!("runtime-{runtime}"));
        let run = run_in(&tree.0, &["convert", "--runtime", runtime, "--write", "--no-backup", "Dockerfile"]);
        assert_eq!(run.code, 0, "{runtime}: {}", run.stderr);
        assert!(run.stdout.contains(&format!("{runtime} runtime")), "{}", run.stdout);
        let text = tree.read("Dockerfile");
        assert!(text.lines().any(|line| line.starts_with(from)), "{runtime}:\n{text}");
        assert_checks_clean(&tree.0, "Dockerfile");
    }
}

#[test]
fn several_programs_need_a_package() {
    let tree = TempTree::new(
        "several",
        &[
            ("go.mod", GO_MOD),
            ("cmd/api/main.go", "package main\n\nfunc main() {}\n"),
            ("cmd/worker/main.go", "package main\n\nfunc main() {}\n"),
            ("Dockerfile", "FROM golang:1.23\nWORKDIR /src\nCOPY . .\nRUN go build -o /usr/local/bin/ ./...\n"),
        ],
    );
    let before = tree.snapshot();
    let run = run_in(&tree.0, &["convert", "--write", "Dockerfile"]);
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
    assert_eq!(
        run.stderr,
        "gantry: Dockerfile: the Dockerfile could build 2 programs: ./cmd/api, ./cmd/worker; pick one with \
         --package (e.g. --package ./cmd/api)\n"
    );
    assert!(tree.snapshot() == before);

    let run = run_in(&tree.0, &["convert", "--package", "./cmd/worker", "Dockerfile"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains(" ./cmd/worker\n"), "{}", run.stdout);
    assert!(!run.stdout.contains("cmd/api"), "{}", run.stdout);

    let run = run_in(&tree.0, &["convert", "--package", "./cmd/nope", "Dockerfile"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("./cmd/nope"), "{}", run.stderr);
}

#[test]
fn refusals_leave_the_file_untouched() {
    let cases = [
        ("syntax-errors", "FROM golang:1.23\nCOPPY . .\nRUN go build -o /app .\n", "1 syntax error; fix them first"),
        ("not-go", "FROM alpine:3.20\nRUN echo hi\n", "cannot convert: "),
        (
            "multi-stage",
            "FROM golang:1.23 AS build\nRUN go build -o /app .\nFROM scratch\nCOPY --from=build /app /app\n",
            "cannot convert: ",
        ),
    ];
    for (name, dockerfile, message) in cases {
        let tree = TempTree::new(name, &[("go.mod", GO_MOD), ("main.go", MAIN_GO), ("Dockerfile", dockerfile)]);
        let before = tree.snapshot();
        for args in [&["convert", "Dockerfile"][..], &["convert", "--write", "Dockerfile"]] {
            let run = run_in(&tree.0, args);
            assert_eq!((run.code, run.stdout.as_str()), (2, ""), "{name} {args:?}");
            assert!(run.stderr.starts_with("gantry: Dockerfile: "), "{name}: {}", run.stderr);
            assert!(run.stderr.contains(message), "{name}: {}", run.stderr);
            assert!(tree.snapshot() == before, "{name} {args:?} changed files");
        }
    }
}

#[test]
fn crlf_sources_stay_crlf() {
    let tree = hello("crlf");
    fs::write(tree.0.join("Dockerfile"), SINGLE_STAGE.replace('\n', "\r\n")).unwrap();
    let run = run_in(&tree.0, &["convert", "--write", "--no-backup", "Dockerfile"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let text = tree.read("Dockerfile");
    assert!(text.contains("AS build\r\n"), "{text:?}");
    assert_eq!(text.matches('\n').count(), text.matches("\r\n").count(), "{text:?}");
}

#[test]
fn usage_errors() {
    let tree = hello("usage");
    for args in [
        &["convert"][..],
        &["convert", "--no-backup", "Dockerfile"],
        &["convert", "--runtime", "ubuntu", "Dockerfile"],
        &["convert", "missing/Dockerfile"],
    ] {
        let run = run_in(&tree.0, args);
        assert_eq!(run.code, 2, "{args:?}");
        assert!(!run.stderr.is_empty(), "{args:?}");
    }
    let help = run_in(&tree.0, &["convert", "--help"]);
    for needle in ["--runtime", "distroless", "scratch", "alpine", "--package", "--write", "--no-backup", "Exit status"]
    {
        assert!(help.stdout.contains(needle), "{needle} missing from:\n{}", help.stdout);
    }
}
